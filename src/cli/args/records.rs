//! The arguments of the commands that write and read records: officer, worker, service,
//! event (with its sheets) and legal-aid cases.

use clap::{Args, Subcommand};
use std::path::PathBuf;

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
