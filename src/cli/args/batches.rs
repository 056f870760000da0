//! The arguments of the commands that move records between laptops: export, verify, the
//! batch history, imports (batches, rosters, receipts), conflicts and the sealing key.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Folder for the batch (default: `batches` next to the database)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pack the batch into one .zip instead of a folder
    #[arg(long)]
    pub zip: bool,
    /// Add review copies in CSV (UTF-8 with BOM)
    #[arg(long)]
    pub csv: bool,
    /// Add a review workbook (XLSX), one sheet per record kind
    #[arg(long)]
    pub xlsx: bool,
    /// Review copies include the claims' health details (diagnosis, death, notes)
    #[arg(long)]
    pub reveal: bool,
    /// Print how long each step took
    #[arg(long)]
    pub timings: bool,
    /// Seal (encrypt) the zip to the receivers set with `officer set --seal-to`; the
    /// default when any are set
    #[arg(long, conflicts_with = "no_seal")]
    pub seal: bool,
    /// Write the batch unsealed even though receivers are set
    #[arg(long)]
    pub no_seal: bool,
}

#[derive(Debug, Args)]
pub struct SealKeyArgs {
    /// The identity file to write (owner-only; refused when it exists)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Batch folder, zip or sealed zip (.zip.age)
    pub path: PathBuf,
    /// The receiver's age identity file that opens sealed batches
    #[arg(long, env = "JINGONG_IDENTITY", value_name = "FILE")]
    pub identity: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BatchesArgs {
    #[arg(long)]
    pub json: bool,
    /// Show the ID numbers of records the city returned unmasked
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Merge batches exported on other laptops
    Batch(ImportBatchArgs),
    /// Register or update workers from a roster (CSV in UTF-8 or GBK, or XLSX)
    Roster(ImportRosterArgs),
    /// Check the city's signed receipts and mark the batches received or returned
    Receipt(ImportReceiptArgs),
}

#[derive(Debug, Args)]
pub struct ImportReceiptArgs {
    /// receipt-<batch_uid>.json files
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportRosterArgs {
    /// Roster file: .csv (UTF-8, UTF-8 with BOM, GBK/GB18030) or .xlsx
    pub file: PathBuf,
    /// Also record this event's service for every imported worker (event uid)
    #[arg(long)]
    pub event: Option<String>,
    /// Check and count everything, then write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Where to write refused rows (default: <FILE>.rejects.csv)
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Worksheet of an XLSX file (default: the first)
    #[arg(long)]
    pub sheet: Option<String>,
    /// Let rows give a registered ID number another name (otherwise such rows are refused)
    #[arg(long)]
    pub accept_renames: bool,
    /// Where to write every change to registered workers, field by field (default:
    /// <FILE>.changes.csv; a dry run writes it only when named)
    #[arg(long)]
    pub changes: Option<PathBuf>,
    /// Show ID numbers and phones in full in the list of changes
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct ImportBatchArgs {
    /// Batch folders, zips or sealed zips (.zip.age)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The receiver's age identity file that opens sealed batches
    #[arg(long, env = "JINGONG_IDENTITY", value_name = "FILE")]
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConflictsArgs {
    #[command(subcommand)]
    pub action: Option<ConflictsAction>,
    #[arg(long)]
    pub json: bool,
    /// Show ID numbers and phones in full
    #[arg(long)]
    pub reveal: bool,
    /// Resolved conflicts too
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConflictsAction {
    /// Keep one side of a conflict: it becomes a new version, audited and exported next
    Resolve {
        /// The conflict's number, as `jingong conflicts` lists it
        id: i64,
        /// The record to keep: its uid (one person on two laptops), or `here` / `incoming`
        /// (two copies of one record)
        #[arg(long, value_name = "UID|here|incoming")]
        keep: String,
    },
}
