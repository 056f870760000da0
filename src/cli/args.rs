//! The command-line grammar.

use crate::text::Lang;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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

#[derive(Debug, Subcommand)]
pub enum OfficerCmd {
    /// Set the officer who uses this laptop
    Set {
        #[arg(long, required_unless_present_any = ["city_key", "backup_dir", "seal_to"])]
        name: Option<String>,
        #[arg(long, required_unless_present_any = ["city_key", "backup_dir", "seal_to"])]
        org: Option<String>,
        /// Tianjin district code, e.g. 120101
        #[arg(long, required_unless_present_any = ["city_key", "backup_dir", "seal_to"])]
        district: Option<String>,
        /// The folder for automatic backups (a USB stick, a second disk): one after every
        /// export and one a day at start
        #[arg(long = "backup-dir", value_name = "DIR")]
        backup_dir: Option<PathBuf>,
        /// How many automatic backups to keep (default 7)
        #[arg(long, requires = "backup_dir", value_name = "N")]
        keep: Option<u32>,
        /// The city union's public key that signs receipts (64 hex digits); repeat the
        /// option for several keys. Replaces the keys set before.
        #[arg(long = "city-key", value_name = "KEY")]
        city_key: Vec<String>,
        /// A receiver's age public key (age1…: the district office, the city) that every
        /// batch is sealed to; repeat for several. Replaces the receivers set before.
        #[arg(long = "seal-to", value_name = "AGE1KEY")]
        seal_to: Vec<String>,
    },
    /// Show the current officer
    Show,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum WorkerCmd {
    /// Register a worker; prints the new uid
    Add(WorkerAddArgs),
    /// Show one worker and their services
    Show {
        /// ID number or uid
        worker: String,
        #[arg(long)]
        json: bool,
        /// Show the whole ID number and phone
        #[arg(long)]
        reveal: bool,
    },
    /// Correct a worker's fields (a new version); only the fields given change
    Edit(WorkerEditArgs),
    /// Withdraw a worker registered by mistake (kept as a tombstone with the reason)
    Withdraw(WithdrawArgs),
    /// Erase a worker's personal data on their request (PIPL art. 47); cannot be undone
    Erase(EraseArgs),
}

/// Names the worker whose personal data is erased, and why (a code).
#[derive(Debug, Args)]
pub struct EraseArgs {
    /// ID number or uid
    pub worker: String,
    /// request (the worker asked), consent_withdrawn, or retention_expired
    #[arg(long)]
    pub reason: String,
    /// Confirms the erasure: it cannot be undone
    #[arg(long)]
    pub yes: bool,
}

/// Names the record and says why it is withdrawn.
#[derive(Debug, Args)]
pub struct WithdrawArgs {
    /// ID number or uid (a worker), uid (a service or event)
    pub record: String,
    /// Why (shown in `audit` and carried by the next batch)
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct WorkerEditArgs {
    /// ID number or uid
    pub worker: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub id_number: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub employer: Option<String>,
    #[arg(long)]
    pub worksite: Option<String>,
    #[arg(long)]
    pub trade: Option<String>,
    /// Tianjin district of the workplace (code)
    #[arg(long)]
    pub district: Option<String>,
    /// member | joined_here | not_member
    #[arg(long)]
    pub membership: Option<String>,
    #[arg(long)]
    pub card_no: Option<String>,
    /// true | false
    #[arg(long)]
    pub hardship: Option<bool>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct WorkerAddArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub id_number: String,
    #[arg(long)]
    pub phone: String,
    #[arg(long, default_value = "")]
    pub employer: String,
    #[arg(long, default_value = "")]
    pub worksite: String,
    #[arg(long, default_value = "")]
    pub trade: String,
    /// Tianjin district of the workplace (code)
    #[arg(long, default_value = "")]
    pub district: String,
    /// member | joined_here | not_member
    #[arg(long, default_value = "not_member")]
    pub membership: String,
    #[arg(long, default_value = "")]
    pub card_no: String,
    #[arg(long)]
    pub hardship: bool,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Subcommand)]
pub enum ServiceCmd {
    /// Log a service; prints the new uid
    Add(ServiceAddArgs),
    /// Correct a service, health check or legal-aid visit (a new version); only the fields
    /// given change
    Edit(ServiceEditArgs),
    /// Withdraw a service logged by mistake (kept as a tombstone with the reason)
    Withdraw(WithdrawArgs),
}

#[derive(Debug, Args)]
pub struct ServiceEditArgs {
    /// uid of the service
    pub uid: String,
    /// Date served, YYYY-MM-DD
    #[arg(long)]
    pub on: Option<String>,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub quantity: Option<String>,
    /// Amount in yuan
    #[arg(long)]
    pub amount: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// Another kind with the same form (e.g. warmth → relief_money)
    #[arg(long)]
    pub kind: Option<String>,
    // Health check
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub bp: Option<String>,
    #[arg(long)]
    pub glucose: Option<String>,
    #[arg(long)]
    pub findings: Option<String>,
    /// true | false
    #[arg(long)]
    pub referral: Option<bool>,
    #[arg(long)]
    pub follow_up_on: Option<String>,
    // Legal aid
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub claimed: Option<String>,
    #[arg(long)]
    pub recovered: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    /// Create an event; prints the new uid
    Add(EventAddArgs),
    /// Print an event's sign-in or payout sheet (XLSX, A4, ready to print)
    Sheet(SheetArgs),
    /// Live events, newest first
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// One event (also a withdrawn one, with its reason)
    Show {
        uid: String,
        #[arg(long)]
        json: bool,
    },
    /// Workers served in the event, latest first
    Attendees {
        uid: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
        /// Show whole ID numbers
        #[arg(long)]
        reveal: bool,
    },
    /// Correct an event (a new version); only the fields given change
    Edit(EventEditArgs),
    /// Withdraw an event (kept as a tombstone with the reason)
    Withdraw {
        uid: String,
        #[arg(long)]
        reason: String,
        /// Also withdraw the attendees' services; without it an event with any is refused
        #[arg(long)]
        with_services: bool,
    },
}

#[derive(Debug, Args)]
pub struct EventAddArgs {
    #[arg(long)]
    pub name: String,
    /// Service kind code (see data/service_kinds.toml)
    #[arg(long)]
    pub kind: String,
    /// Date held, YYYY-MM-DD (default today)
    #[arg(long, default_value = "")]
    pub on: String,
    #[arg(long, default_value = "")]
    pub place: String,
    /// Tianjin district code
    #[arg(long, default_value = "")]
    pub district: String,
    /// Quantity per attendee (default 1)
    #[arg(long, default_value = "")]
    pub quantity: String,
    /// Amount per attendee in yuan
    #[arg(long, default_value = "")]
    pub amount: String,
}

#[derive(Debug, Args)]
pub struct EventEditArgs {
    pub uid: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub on: Option<String>,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub district: Option<String>,
    #[arg(long)]
    pub quantity: Option<String>,
    #[arg(long)]
    pub amount: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum LegalCmd {
    /// Close (结案) the case a visit belongs to, with an outcome; prints the closing visit's uid
    Close {
        /// uid of any visit of the case
        visit: String,
        /// resolved_paid | mediated | arbitration_award | court_judgment | withdrawn_by_worker
        /// | referred
        #[arg(long)]
        outcome: String,
        /// Amount recovered in the end, in yuan (default: the latest visit's figure)
        #[arg(long)]
        recovered: Option<String>,
        /// Date closed, YYYY-MM-DD (default today)
        #[arg(long, default_value = "")]
        on: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Debug, Args)]
pub struct ServiceAddArgs {
    /// ID number or uid of the worker
    #[arg(long)]
    pub worker: String,
    /// Service kind code (see data/service_kinds.toml)
    #[arg(long)]
    pub kind: String,
    /// Date served, YYYY-MM-DD (default today)
    #[arg(long, default_value = "")]
    pub on: String,
    #[arg(long, default_value = "")]
    pub place: String,
    #[arg(long, default_value = "")]
    pub quantity: String,
    /// Amount in yuan
    #[arg(long, default_value = "")]
    pub amount: String,
    #[arg(long, default_value = "")]
    pub note: String,
    /// Event uid this service belongs to
    #[arg(long)]
    pub event: Option<String>,
    // Health check
    #[arg(long, default_value = "")]
    pub provider: String,
    /// Blood pressure, e.g. 120/80
    #[arg(long, default_value = "")]
    pub bp: String,
    /// Glucose in mmol/L, e.g. 5.6
    #[arg(long, default_value = "")]
    pub glucose: String,
    #[arg(long, default_value = "")]
    pub findings: String,
    #[arg(long)]
    pub referral: bool,
    #[arg(long, default_value = "")]
    pub follow_up_on: String,
    /// The worker agreed today to the recording of health data
    #[arg(long)]
    pub consent: bool,
    // Legal aid
    #[arg(long, default_value = "")]
    pub category: String,
    #[arg(long, default_value = "")]
    pub status: String,
    /// Amount claimed in yuan
    #[arg(long, default_value = "")]
    pub claimed: String,
    /// Amount recovered in yuan
    #[arg(long, default_value = "")]
    pub recovered: String,
    /// uid of the earlier visit this one follows up
    #[arg(long, default_value = "")]
    pub follows: String,
    #[arg(long, default_value = "")]
    pub description: String,
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

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The new file; it must not exist yet
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SheetArgs {
    /// Event uid
    pub event: String,
    /// signin (签到表) or payout (发放签领表)
    #[arg(long, value_enum)]
    pub kind: crate::paperwork::SheetKind,
    /// The workbook to write (.xlsx); replaced if it exists
    #[arg(long, value_name = "FILE.xlsx")]
    pub out: PathBuf,
    /// Print whole ID numbers and phones (when the finance office requires them)
    #[arg(long)]
    pub reveal: bool,
    /// A blank sign-in sheet before the event, names from this roster (nobody is registered)
    #[arg(long, value_name = "ROSTER")]
    pub expected: Option<PathBuf>,
}
