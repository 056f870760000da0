//! Demo needs (诉求) and mutual-aid claims (互助保障). They draw from a random stream of their
//! own, so the workers and services a seed gives stay what they were before needs existed.
//!
//! Shares, chosen to look like a district's year: about one worker in eight raises a need (two
//! in five of the hardship workers), one need in four of those a second; one need in seven is
//! closed by hand, the rest stay open until one of the worker's services answers them (the
//! services are written after the needs, through the same answering as a typed service). One
//! card-holding member in 150 has a claim, with the claim types and statuses weighted as
//! `CLAIM_TYPES` and `STATUSES` say. Every need and claim goes through the domain's rules.

use super::Rng;
use crate::domain::claims::{
    ClaimDraft, ClaimProgress, ClaimStatus, ClaimStepDraft, Member, apply_step, claim_type,
    validate_claim,
};
use crate::domain::needs::{NeedDraft, need_kinds, validate_need};
use crate::domain::{Gender, IdNumber, Membership, WorkerInput};
use crate::store::Result;
use crate::store::bulk::{self, NewClaimRow, NewNeedRow};
use crate::store::workers::audit;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;

/// Claim types and their weights (women's health only for women; men get critical illness).
const CLAIM_TYPES: &[(&str, u64)] = &[
    ("critical_illness", 35),
    ("recovery_condolence", 25),
    ("women_health", 15),
    ("household_fire", 17),
    ("accidental_death", 8),
];
/// Where the claims stand, by weight: most are paid, a few still collecting documents.
const STATUSES: &[(ClaimStatus, u64)] = &[
    (ClaimStatus::Collecting, 12),
    (ClaimStatus::Submitted, 10),
    (ClaimStatus::Approved, 8),
    (ClaimStatus::Paid, 60),
    (ClaimStatus::Rejected, 10),
];
const CLOSE_NOTES: &[&str] = &[
    "电话回访，职工表示已自行解决",
    "职工已离津返乡",
    "转街道办处理",
];
const REJECT_REASONS: &[&str] = &["确诊日期早于会员卡保障期", "病种不在保障目录内"];

fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u64)]) -> T {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.below(total);
    for &(item, weight) in items {
        if at < weight {
            return item;
        }
        at -= weight;
    }
    items[0].0
}

fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(super) struct AidGenerator {
    rng: Rng,
    today: NaiveDate,
    now: String,
    officer: i64,
    /// The worker being written will have a claim (decided before the worker is written,
    /// because a claim needs a member card).
    claimant: bool,
    pub needs: u64,
    pub claims: u64,
    /// Time spent writing needs and claims, for the demo's log line.
    pub spent: std::time::Duration,
}

impl AidGenerator {
    pub(super) fn new(seed: u64, today: NaiveDate, now: String, officer: i64) -> AidGenerator {
        AidGenerator {
            rng: Rng::new(seed.rotate_left(17) ^ 0x5EED_A1D0),
            today,
            now,
            officer,
            claimant: false,
            needs: 0,
            claims: 0,
            spent: std::time::Duration::ZERO,
        }
    }

    /// Gives one member in 150 a member card: they will claim.
    pub(super) fn before_worker(&mut self, input: &mut WorkerInput) {
        let member = matches!(
            input.membership,
            Membership::Member | Membership::JoinedHere
        );
        self.claimant = member && self.rng.below(150) == 0;
        if self.claimant {
            input.card_no = format!("6215{:012}", self.rng.below(1_000_000_000_000));
        }
    }

    /// Needs raised by the worker just written, before their services (which may answer them).
    pub(super) fn needs_of(
        &mut self,
        tx: &Connection,
        worker_id: i64,
        input: &WorkerInput,
        id: &IdNumber,
    ) -> Result<()> {
        let started = std::time::Instant::now();
        let written = self.write_needs(tx, worker_id, input, id);
        self.spent += started.elapsed();
        written
    }

    fn write_needs(
        &mut self,
        tx: &Connection,
        worker_id: i64,
        input: &WorkerInput,
        id: &IdNumber,
    ) -> Result<()> {
        let share = if input.hardship { 40 } else { 12 };
        if !self.rng.chance(share) {
            return Ok(());
        }
        let count = 1 + u64::from(self.rng.chance(25));
        for _ in 0..count {
            let kind = self.rng.pick(need_kinds());
            let raised_on = self.today - Duration::days(self.rng.below(700) as i64);
            let draft = NeedDraft {
                kind: kind.code.clone(),
                raised_on: ymd(raised_on),
                note: String::new(),
            };
            let Ok(need) = validate_need(&draft, self.today, Some(id.birth_date)) else {
                continue;
            };
            let closed = self.rng.chance(14).then(|| {
                let day = (raised_on + Duration::days(self.rng.below(60) as i64)).min(self.today);
                (day, *self.rng.pick(CLOSE_NOTES))
            });
            let uid = uuid::Uuid::now_v7().to_string();
            bulk::insert_need_row(
                tx,
                &NewNeedRow {
                    uid: &uid,
                    now: &self.now,
                    officer_id: self.officer,
                    worker_id,
                    input: &need,
                    closed,
                },
            )?;
            audit(
                tx,
                &self.now,
                self.officer,
                "need",
                &uid,
                1,
                "create",
                "demo",
            )?;
            self.needs += 1;
        }
        Ok(())
    }

    /// The claim of the worker just written, if `before_worker` chose them.
    pub(super) fn claim_of(
        &mut self,
        tx: &Connection,
        worker_id: i64,
        input: &WorkerInput,
        id: &IdNumber,
    ) -> Result<()> {
        let started = std::time::Instant::now();
        let written = self.write_claim(tx, worker_id, input, id);
        self.spent += started.elapsed();
        written
    }

    fn write_claim(
        &mut self,
        tx: &Connection,
        worker_id: i64,
        input: &WorkerInput,
        id: &IdNumber,
    ) -> Result<()> {
        if !self.claimant {
            return Ok(());
        }
        let rng = &mut self.rng;
        let mut code = weighted(rng, CLAIM_TYPES);
        if code == "women_health" && id.gender != Gender::Female {
            code = "critical_illness";
        }
        let Some(kind) = claim_type(code) else {
            return Ok(());
        };
        // The event between 200 and 700 days ago, so a death within 180 days and the steps
        // after it all lie in the past.
        let event = self.today - Duration::days(200 + rng.below(500) as i64);
        let protection_start = event - Duration::days(rng.below(330) as i64);
        let protection_end = protection_start + Duration::days(3 * 365 - 1);
        let mut draft = ClaimDraft {
            claim_type: code.to_string(),
            protection_start: ymd(protection_start),
            protection_end: ymd(protection_end),
            ..ClaimDraft::default()
        };
        let mut recorded = event + Duration::days(3 + rng.below(30) as i64);
        match code {
            "accidental_death" => {
                let died = event + Duration::days(rng.below(181) as i64);
                draft.accident_on = ymd(event);
                draft.died_on = ymd(died);
                recorded = died + Duration::days(3 + rng.below(30) as i64);
            }
            "household_fire" => {
                draft.fire_on = ymd(event);
                draft.amount = (2000 + rng.below(17) * 500).to_string();
            }
            "women_health" => {
                draft.diagnosed_on = ymd(event);
                draft.amount = (3000 + rng.below(19) * 500).to_string();
            }
            "recovery_condolence" => {
                draft.diagnosed_on = ymd(event);
                draft.amount = (500 + rng.below(16) * 100).to_string();
            }
            _ => draft.diagnosed_on = ymd(event),
        }
        let status = weighted(rng, STATUSES);
        // Still collecting: some of the checklist in hand; from submission on, all of it.
        let documents: Vec<String> = if status == ClaimStatus::Collecting {
            let have = rng.below(kind.documents.len() as u64) as usize;
            kind.documents.iter().take(have).cloned().collect()
        } else {
            kind.documents.clone()
        };
        draft.documents = documents.join(",");
        let member = Member {
            membership: input.membership,
            card_no: input.card_no.clone(),
            gender: id.gender,
            protection: None,
        };
        let Ok(claim) = validate_claim(&draft, &member, recorded) else {
            return Ok(());
        };
        let reason = *rng.pick(REJECT_REASONS);
        let paid_on = (recorded + Duration::days(15 + rng.below(45) as i64)).min(self.today);
        let Some(progress) = progress_to(
            kind,
            claim.amount_fen,
            documents,
            status,
            reason,
            paid_on,
            self.today,
        ) else {
            return Ok(());
        };
        let uid = uuid::Uuid::now_v7().to_string();
        let created_at = format!("{}T10:00:00.000+08:00", ymd(recorded));
        bulk::insert_claim_row(
            tx,
            &NewClaimRow {
                uid: &uid,
                created_at: &created_at,
                officer_id: self.officer,
                worker_id,
                input: &claim,
                progress: &progress,
            },
        )?;
        audit(
            tx,
            &self.now,
            self.officer,
            "claim",
            &uid,
            1,
            "create",
            "demo",
        )?;
        self.claims += 1;
        Ok(())
    }
}

/// Takes a new claim through the steps an officer would, each checked by the claim rules, to
/// `status`: submitted, then approved or rejected, then paid in full.
fn progress_to(
    kind: &crate::domain::claims::ClaimType,
    amount_fen: i64,
    documents: Vec<String>,
    status: ClaimStatus,
    reason: &str,
    paid_on: NaiveDate,
    today: NaiveDate,
) -> Option<ClaimProgress> {
    let mut progress = ClaimProgress {
        status: ClaimStatus::Collecting,
        documents,
        reason: String::new(),
        paid_fen: 0,
        paid_on: None,
    };
    let path: &[ClaimStatus] = match status {
        ClaimStatus::Collecting => &[],
        ClaimStatus::Submitted => &[ClaimStatus::Submitted],
        ClaimStatus::Approved => &[ClaimStatus::Submitted, ClaimStatus::Approved],
        ClaimStatus::Rejected => &[ClaimStatus::Submitted, ClaimStatus::Rejected],
        ClaimStatus::Paid => &[
            ClaimStatus::Submitted,
            ClaimStatus::Approved,
            ClaimStatus::Paid,
        ],
    };
    for &next in path {
        let mut step = ClaimStepDraft {
            status: next.code().to_string(),
            ..ClaimStepDraft::default()
        };
        match next {
            ClaimStatus::Rejected => step.reason = reason.to_string(),
            ClaimStatus::Paid => {
                step.paid = crate::domain::format_fen(amount_fen).replace(',', "");
                step.paid_on = ymd(paid_on);
            }
            _ => {}
        }
        progress = apply_step(kind, amount_fen, &progress, &step, today).ok()?;
    }
    Some(progress)
}
