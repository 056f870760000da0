//! The command-line grammar: the global options, the list of commands and the arguments of
//! the smaller ones. The arguments of the record commands (officer, worker, service, event,
//! legal) are in `records`, those of the batch commands (export, verify, import, conflicts)
//! in `batches`.

use crate::text::Lang;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

mod batches;
mod records;

pub use batches::*;
pub use records::*;

#[derive(Debug, Parser)]
#[command(
    name = "jingong",
    version,
    about = "津工 · 外来务工人员服务登记 / register migrant workers and the services the union delivers"
)]
pub struct Cli {
    /// Database file (default: jingong.db in the user data folder)
    #[arg(long, global = true, env = "JINGONG_DB")]
    pub db: Option<PathBuf>,
    /// Language of messages and screens
    #[arg(long, global = true, value_enum, default_value_t = Lang::Zh, env = "JINGONG_LANG")]
    pub lang: Lang,
    /// Key bindings file overriding the defaults (the screens, started with no command)
    // Not global: only the screens read it, so no command's --help offers it.
    #[arg(long, value_name = "FILE")]
    pub keymap: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
// Parsed once per run: boxing the big variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// The officer profile of this database
    #[command(subcommand)]
    Officer(OfficerCmd),
    /// Register and look up workers
    #[command(subcommand)]
    Worker(WorkerCmd),
    /// Log services delivered to a worker
    #[command(subcommand)]
    Service(ServiceCmd),
    /// Service events: one event, many workers served
    #[command(subcommand)]
    Event(EventCmd),
    /// Legal-aid cases
    #[command(subcommand)]
    Legal(LegalCmd),
    /// What workers ask for (诉求): add, list, close
    #[command(subcommand)]
    Need(super::aid_args::NeedCmd),
    /// Mutual-aid claims (互助保障) of card-holding members: add, list, show, update
    #[command(subcommand)]
    Claim(super::aid_args::ClaimCmd),
    /// Search workers by name, pinyin, ID number or phone
    Search(SearchArgs),
    /// Figures for a period: workers, services, health checks, legal aid, reach
    Stats(StatsArgs),
    /// Consistent copy of the database while others write
    Backup(BackupArgs),
    /// Put a backup back in place and merge back this laptop's batches sent since
    Restore(RestoreArgs),
    /// Fill the database with deterministic synthetic data
    Demo(DemoArgs),
    /// Who changed what and when
    Audit(AuditArgs),
    /// Write one batch of every record version not yet exported
    Export(ExportArgs),
    /// Check a batch folder or zip: hashes, counts, records, references
    Verify(VerifyArgs),
    /// Every batch exported from or imported into this database
    Batches(BatchesArgs),
    /// Bring data from elsewhere into this database
    #[command(subcommand)]
    Import(ImportCmd),
    /// Disagreements found at import (one person on two laptops, diverged copies); resolve them
    Conflicts(ConflictsArgs),
    /// Make a receiving office's age identity for sealed batches; prints its public key
    SealKey(SealKeyArgs),
    /// Change the key of an encrypted database (builds with encryption)
    Rekey,
    /// Write an encrypted copy of a plain database (builds with encryption)
    Encrypt(ConvertArgs),
    /// Write a plain copy of an encrypted database (builds with encryption)
    Decrypt(ConvertArgs),
    /// Print a shell's completion script (bash, zsh, fish or powershell) on stdout
    Completions(CompletionsArgs),
    /// Print the manual page (roff, every command on one page) on stdout
    Man,
    /// The city side on PostgreSQL: receive every laptop's batches (builds with `city`)
    #[cfg(feature = "city")]
    #[command(subcommand)]
    City(super::city_cmd::CityCmd),
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    pub query: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// First day of the period, YYYY-MM-DD (default: 1 January of this year)
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period, YYYY-MM-DD (default: 31 December of this year)
    #[arg(long)]
    pub to: Option<String>,
    /// A calendar period containing today, instead of --from/--to
    #[arg(long, value_enum, conflicts_with_all = ["from", "to"])]
    pub period: Option<StatsPeriod>,
    /// Only workers whose workplace is in this Tianjin district (code, e.g. 120101)
    #[arg(long)]
    pub district: Option<String>,
    /// Print JSON for scripts
    #[arg(long, group = "format")]
    pub json: bool,
    /// Write the tables to a CSV file (UTF-8 with BOM, for Excel and WPS)
    #[arg(long, group = "format", value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write a workbook with one sheet per table
    #[arg(long, group = "format", value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Rows of the hardship list printed as text (files and JSON hold them all)
    #[arg(long, default_value_t = 20)]
    pub list: usize,
    /// Show whole phone numbers in the hardship list
    #[arg(long)]
    pub reveal: bool,
    /// Only needs (诉求) beside the services that answer them, and hardship workers' open needs
    #[arg(long)]
    pub needs: bool,
    /// Only mutual-aid claims (互助保障) by type, status, district and month
    #[arg(long)]
    pub claims: bool,
    /// Print how long the figures took, on stderr
    #[arg(long, hide = true)]
    pub timing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsPeriod {
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells a completion script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to restore (from the backup folder or `jingong backup`)
    pub backup: PathBuf,
    /// More folders (or single batches) holding this laptop's batches: a USB stick, copies
    /// the district sends back. The batches folder beside the database is always searched.
    #[arg(long = "batches", value_name = "DIR", num_args = 1..)]
    pub batches: Vec<PathBuf>,
    /// An age identity that opens this laptop's sealed batches (the district office's, which
    /// the laptop itself does not hold)
    #[arg(long, env = "JINGONG_IDENTITY", value_name = "FILE")]
    pub identity: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this worker (ID number or uid) and their services
    #[arg(long)]
    pub worker: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long)]
    pub workers: u64,
    #[arg(long, default_value_t = 3)]
    pub services_per_worker: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The new file; it must not exist yet
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}
