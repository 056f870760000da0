//! The rules a line of `needs.jsonl` or `claims.jsonl` (format 3) must pass: the header as
//! for every record, then the fields by the catalogs and the domain's own rules (need kinds,
//! claim types with their dates, caps and documents, the 180-day rule, status values and
//! what each status requires), and the member rules as far as the batch shows the member.

use super::super::format::{ClaimRecord, NeedRecord, Op, RecordKind, WorkerRecord};
use super::super::problems::{ProblemKind, shown};
use super::{LineChecker, uuid_bits};
use crate::domain::claims::{ClaimDate, ClaimStatus, claim_type, missing_documents};
use crate::domain::name::validate_text;
use crate::domain::needs::{NeedDraft, NeedState, validate_need};
use crate::domain::validate::{LONG_TEXT, parse_done_on};
use crate::domain::{Field, FieldError, Rule};
use chrono::NaiveDate;

/// What a claim's rules need of a member sent in the same batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberFacts {
    pub member: bool,
    pub has_card: bool,
    pub female: bool,
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

impl LineChecker<'_> {
    /// Parses and checks a need or claim line; a line that is not one is handed back as the
    /// parse error (it may be an erasure, which the caller tells apart).
    pub(super) fn check_aid(&mut self, line: u64, bytes: &[u8]) -> serde_json::Result<()> {
        if self.kind == RecordKind::Need {
            let need: NeedRecord = serde_json::from_slice(bytes)?;
            if self.check_header(line, &need.header) {
                self.check_need(line, &need);
            }
        } else {
            let claim: ClaimRecord = serde_json::from_slice(bytes)?;
            if self.check_header(line, &claim.header) {
                self.check_claim(line, &claim);
            }
        }
        Ok(())
    }

    /// Keeps what a claim of this worker will be checked against.
    pub(super) fn remember_member(&mut self, w: &WorkerRecord) {
        if let Some(bits) = uuid_bits(&w.header.uid) {
            let facts = MemberFacts {
                member: matches!(w.membership.as_ref(), "member" | "joined_here"),
                has_card: !w.card_no.trim().is_empty(),
                female: w.gender == "female",
            };
            self.seen.members.insert(bits, facts);
        }
    }

    fn rule(&mut self, line: u64, field: &'static str, error: FieldError) {
        self.problem(line, ProblemKind::Rule { field, error });
    }

    fn state_field(&mut self, line: u64, field: &'static str, state: &str, required: bool) {
        let state = shown(state, 20);
        self.problem(
            line,
            ProblemKind::StateField {
                field,
                state,
                required,
            },
        );
    }

    fn born(&self, worker_uid: &str) -> Option<NaiveDate> {
        uuid_bits(worker_uid).and_then(|w| self.seen.births.get(&w).copied())
    }

    /// A date field: a real date, not after the receiver's today (plus the skew), not before
    /// the worker's birth.
    fn aid_date(
        &mut self,
        line: u64,
        key: &'static str,
        field: Field,
        raw: &str,
        born: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        match parse_done_on(field, raw, self.latest_date, born) {
            Ok(d) => Some(d),
            Err(error) => {
                self.rule(line, key, error);
                None
            }
        }
    }

    fn long_text(&mut self, line: u64, key: &'static str, field: Field, value: &str) {
        if let Err(error) = validate_text(field, value, LONG_TEXT) {
            self.rule(line, key, error);
        }
    }

    fn check_need(&mut self, line: u64, n: &NeedRecord) {
        let raised_on = date(&n.raised_on);
        self.reference(
            line,
            "worker_uid",
            RecordKind::Worker,
            &n.worker_uid,
            raised_on,
        );
        if let Some(service) = &n.answered_by {
            self.uid(line, "answered_by", service);
        }
        if !self.receiving {
            return;
        }
        // An empty date would mean "today" on the form; in a batch it is missing.
        if n.raised_on.trim().is_empty() {
            self.rule(
                line,
                "raised_on",
                FieldError::new(Field::Date, Rule::Required),
            );
        }
        let draft = NeedDraft {
            kind: n.kind.to_string(),
            raised_on: n.raised_on.to_string(),
            note: n.note.to_string(),
        };
        if let Err(errors) = validate_need(&draft, self.latest_date, self.born(&n.worker_uid)) {
            for error in errors {
                let key = match error.field {
                    Field::NeedKind => "kind",
                    Field::Date => "raised_on",
                    _ => "note",
                };
                self.rule(line, key, error);
            }
        }
        self.long_text(line, "close_note", Field::Note, &n.close_note);
        let Some(state) = NeedState::from_code(&n.state) else {
            let code = shown(&n.state, 40);
            self.rule(
                line,
                "state",
                FieldError::new(Field::Status, Rule::UnknownCode { code }),
            );
            return;
        };
        let answered = state == NeedState::Answered;
        if answered != n.answered_by.is_some() {
            self.state_field(line, "answered_by", &n.state, answered);
        }
        if (state != NeedState::Open) != n.settled_on.is_some() {
            self.state_field(line, "settled_on", &n.state, state != NeedState::Open);
        }
        if let Some(settled) = &n.settled_on
            && let Some(on) = self.aid_date(line, "settled_on", Field::Date, settled, None)
            && raised_on.is_some_and(|raised| on < raised)
        {
            let detail = "早于提出日期 raised_on (before raised_on)".to_string();
            self.field(line, "settled_on", detail);
        }
    }

    fn check_claim(&mut self, line: u64, c: &ClaimRecord) {
        let first_date = [&c.diagnosed_on, &c.accident_on, &c.fire_on]
            .into_iter()
            .flatten()
            .filter_map(|d| date(d))
            .min();
        self.reference(
            line,
            "worker_uid",
            RecordKind::Worker,
            &c.worker_uid,
            first_date,
        );
        if !self.receiving {
            return;
        }
        // A withdrawn claim (an erased member's among them) keeps its values but may have lost
        // its dates and checklist: what a live claim must have is asked of live claims only.
        let live = c.header.op == Op::Upsert;
        let Some(kind) = claim_type(&c.claim_type) else {
            let code = shown(&c.claim_type, 40);
            let error = FieldError::new(Field::ClaimType, Rule::UnknownCode { code });
            self.rule(line, "claim_type", error);
            return;
        };
        if live
            && let Some(worker) = uuid_bits(&c.worker_uid)
            && let Some(facts) = self.seen.members.get(&worker).copied()
        {
            if !facts.member {
                let error = FieldError::new(Field::Membership, Rule::ClaimNeedsMember);
                self.rule(line, "worker_uid", error);
            } else if !facts.has_card {
                let error = FieldError::new(Field::CardNo, Rule::ClaimNeedsCard);
                self.rule(line, "worker_uid", error);
            }
            if kind.women_only && !facts.female {
                let error = FieldError::new(Field::ClaimType, Rule::WomenOnly);
                self.rule(line, "claim_type", error);
            }
        }
        let born = self.born(&c.worker_uid);
        let mut dates = [None; 4];
        for (i, which) in ClaimDate::ALL.into_iter().enumerate() {
            let (key, raw) = match which {
                ClaimDate::DiagnosedOn => ("diagnosed_on", &c.diagnosed_on),
                ClaimDate::AccidentOn => ("accident_on", &c.accident_on),
                ClaimDate::DiedOn => ("died_on", &c.died_on),
                ClaimDate::FireOn => ("fire_on", &c.fire_on),
            };
            let wanted = kind.dates.contains(&which);
            match raw {
                None if wanted && live => {
                    self.rule(line, key, FieldError::new(which.field(), Rule::Required))
                }
                Some(_) if !wanted => self.rule(
                    line,
                    key,
                    FieldError::new(which.field(), Rule::DateNotForType),
                ),
                Some(raw) => dates[i] = self.aid_date(line, key, which.field(), raw, born),
                None => {}
            }
        }
        if let (Some(max), Some(accident), Some(died)) =
            (kind.death_within_days, dates[1], dates[2])
        {
            let days = (died - accident).num_days();
            if days < 0 {
                let error = FieldError::new(Field::DiedOn, Rule::DeathBeforeAccident);
                self.rule(line, "died_on", error);
            } else if days > max {
                let error = FieldError::new(Field::DiedOn, Rule::DeathTooLate { days, max });
                self.rule(line, "died_on", error);
            }
        }
        if c.amount_fen <= 0 {
            self.rule(
                line,
                "amount_fen",
                FieldError::new(Field::ClaimAmount, Rule::AmountZero),
            );
        } else if c.amount_fen > kind.maximum_fen() {
            let rule = Rule::AmountAboveMaximum {
                max_fen: kind.maximum_fen(),
                fixed: kind.amount == crate::domain::claims::AmountRule::Fixed,
            };
            self.rule(
                line,
                "amount_fen",
                FieldError::new(Field::ClaimAmount, rule),
            );
        }
        let mut documents: Vec<String> = Vec::new();
        for code in &c.documents {
            if !kind.documents.iter().any(|d| d == code) || documents.iter().any(|d| d == code) {
                let code = shown(code, 40);
                let error = FieldError::new(Field::Documents, Rule::UnknownCode { code });
                self.rule(line, "documents", error);
            } else {
                documents.push(code.to_string());
            }
        }
        self.long_text(line, "note", Field::Note, &c.note);
        self.long_text(line, "reject_reason", Field::RejectReason, &c.reject_reason);
        self.claim_status(line, c, kind, &documents, live);
    }

    /// The status is known, and the claim has what it requires: the whole checklist from
    /// submission on, a reason when rejected, amount and date once paid and only then.
    fn claim_status(
        &mut self,
        line: u64,
        c: &ClaimRecord,
        kind: &crate::domain::claims::ClaimType,
        documents: &[String],
        live: bool,
    ) {
        let Some(status) = ClaimStatus::from_code(&c.status) else {
            let code = shown(&c.status, 40);
            let error = FieldError::new(Field::ClaimStatus, Rule::UnknownCode { code });
            self.rule(line, "status", error);
            return;
        };
        let settled_or_on_its_way = matches!(
            status,
            ClaimStatus::Submitted | ClaimStatus::Approved | ClaimStatus::Paid
        );
        if live && settled_or_on_its_way {
            let missing = missing_documents(kind, documents);
            if !missing.is_empty() {
                let error = FieldError::new(Field::Documents, Rule::DocumentsMissing { missing });
                self.rule(line, "documents", error);
            }
        }
        if live && status == ClaimStatus::Rejected && c.reject_reason.trim().is_empty() {
            let error = FieldError::new(Field::RejectReason, Rule::Required);
            self.rule(line, "reject_reason", error);
        }
        let paid = status == ClaimStatus::Paid;
        if c.paid_fen < 0 || (!paid && c.paid_fen != 0) {
            self.state_field(line, "paid_fen", &c.status, paid);
        } else if paid && live && c.paid_fen == 0 {
            self.rule(
                line,
                "paid_fen",
                FieldError::new(Field::PaidAmount, Rule::Required),
            );
        } else if c.paid_fen > c.amount_fen {
            let error = FieldError::new(Field::PaidAmount, Rule::PaidAboveClaimed);
            self.rule(line, "paid_fen", error);
        }
        match (&c.paid_on, paid) {
            (Some(_), false) => self.state_field(line, "paid_on", &c.status, false),
            (None, true) if live => self.rule(
                line,
                "paid_on",
                FieldError::new(Field::PaidOn, Rule::Required),
            ),
            (Some(on), true) => {
                let born = self.born(&c.worker_uid);
                self.aid_date(line, "paid_on", Field::PaidOn, on, born);
            }
            _ => {}
        }
    }
}
