//! The command-line grammar of needs (诉求) and mutual-aid claims (互助保障).

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum NeedCmd {
    /// Record what a worker asks for; prints the new uid
    Add {
        /// ID number or uid of the worker
        #[arg(long)]
        worker: String,
        /// Need code from data/needs.toml (wage_arrears, skills_training, job, …)
        #[arg(long)]
        kind: String,
        /// Day the worker asked, YYYY-MM-DD (default today)
        #[arg(long, default_value = "")]
        on: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Needs, oldest raised first, one page
    List {
        /// Only needs still open
        #[arg(long)]
        open: bool,
        /// Only this worker's (ID number or uid)
        #[arg(long)]
        worker: Option<String>,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
        /// Show whole ID numbers
        #[arg(long)]
        reveal: bool,
    },
    /// Close an open need by hand (the worker no longer asks, or it was met elsewhere)
    Close {
        /// uid of the need
        need: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Withdraw a need recorded by mistake (kept as a tombstone with the reason)
    Withdraw(super::args::WithdrawArgs),
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum ClaimCmd {
    /// Record a mutual-aid claim of a card-holding member; prints the new uid
    Add(ClaimAddArgs),
    /// Claims, oldest first, one page
    List {
        /// Only this member's (ID number or uid)
        #[arg(long)]
        worker: Option<String>,
        /// collecting | submitted | approved | paid | rejected
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
        /// Show whole ID numbers
        #[arg(long)]
        reveal: bool,
    },
    /// One claim with its checklist
    Show {
        /// uid of the claim
        claim: String,
        #[arg(long)]
        json: bool,
    },
    /// Take a claim a step: status, documents, payment, reason
    Update(ClaimUpdateArgs),
    /// Withdraw a claim recorded by mistake (kept as a tombstone with the reason; a claim the
    /// fund refused is `update --status rejected` instead)
    Withdraw(super::args::WithdrawArgs),
}

#[derive(Debug, Args)]
pub struct ClaimAddArgs {
    /// ID number or uid of the member
    #[arg(long)]
    pub worker: String,
    /// Claim type from data/mutual_aid.toml (critical_illness, accidental_death, …)
    #[arg(long = "type")]
    pub claim_type: String,
    /// Date of the first diagnosis (critical illness, women's health, recovery)
    #[arg(long, default_value = "")]
    pub diagnosed_on: String,
    /// Date of the accident (accidental death)
    #[arg(long, default_value = "")]
    pub accident_on: String,
    /// Date of death (accidental death)
    #[arg(long, default_value = "")]
    pub died_on: String,
    /// Date of the fire (household fire)
    #[arg(long, default_value = "")]
    pub fire_on: String,
    /// Amount claimed in yuan (default: the fixed sum of a fixed type)
    #[arg(long, default_value = "")]
    pub amount: String,
    /// Documents collected, codes separated by commas (diagnosis,id_card,member_card,…)
    #[arg(long, default_value = "")]
    pub docs: String,
    /// The member card's protection period, start (kept on the member)
    #[arg(long, default_value = "")]
    pub protection_start: String,
    /// The member card's protection period, end (kept on the member)
    #[arg(long, default_value = "")]
    pub protection_end: String,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct ClaimUpdateArgs {
    /// uid of the claim
    pub claim: String,
    /// collecting | submitted | approved | paid | rejected
    #[arg(long, default_value = "")]
    pub status: String,
    /// The whole documents checklist now collected (replaces the one recorded)
    #[arg(long)]
    pub docs: Option<String>,
    /// Why the claim was not granted (with --status rejected)
    #[arg(long, default_value = "")]
    pub reason: String,
    /// Amount paid in yuan (with --status paid)
    #[arg(long, default_value = "")]
    pub paid: String,
    /// Date paid, YYYY-MM-DD (with --status paid)
    #[arg(long, default_value = "")]
    pub paid_on: String,
}
