//! Mutual-aid claims (互助保障) of card-holding members: the rules a claim follows from its
//! first entry to its payment (the catalog is `mutual_aid`). No I/O: the store hands over what
//! it knows of the member and of the member's other claims.

use super::error::{Field, FieldError, Rule};
use super::model::{Gender, Membership};
use super::money::parse_yuan;
use super::name::{refuse_invisible, validate_text};
use super::validate::{LONG_TEXT, parse_date, parse_done_on};
use crate::text::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::mutual_aid::{
    AmountRule, ClaimDate, ClaimDocument, ClaimType, claim_documents, claim_type, claim_type_name,
    claim_types, document_name,
};

/// Where a claim stands: 材料收集中 → 已提交 → 已审核 → 已发放, or 未通过 with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Collecting,
    Submitted,
    Approved,
    Paid,
    Rejected,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 5] = [
        ClaimStatus::Collecting,
        ClaimStatus::Submitted,
        ClaimStatus::Approved,
        ClaimStatus::Paid,
        ClaimStatus::Rejected,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Collecting => "collecting",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Rejected => "rejected",
        }
    }
    pub fn from_code(code: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ClaimStatus::Collecting => lang.pick("材料收集中", "collecting documents"),
            ClaimStatus::Submitted => lang.pick("已提交", "submitted"),
            ClaimStatus::Approved => lang.pick("已审核", "approved"),
            ClaimStatus::Paid => lang.pick("已发放", "paid"),
            ClaimStatus::Rejected => lang.pick("未通过", "rejected"),
        }
    }
    /// The moves a claim may make. A submitted claim may go back for more documents; paid and
    /// rejected claims are settled.
    pub fn can_move_to(self, next: ClaimStatus) -> bool {
        use ClaimStatus::*;
        self == next
            || matches!(
                (self, next),
                (Collecting, Submitted)
                    | (Submitted, Collecting | Approved | Rejected)
                    | (Approved, Paid | Rejected)
            )
    }
    /// From submission on, the documents checklist must stay complete.
    fn needs_all_documents(self) -> bool {
        matches!(
            self,
            ClaimStatus::Submitted | ClaimStatus::Approved | ClaimStatus::Paid
        )
    }
}

/// What the store knows of the member a claim is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub membership: Membership,
    pub card_no: String,
    pub gender: Gender,
    /// The protection period on the member card (start, end), when recorded.
    pub protection: Option<(NaiveDate, NaiveDate)>,
}

/// The dates a claim gives; the type says which it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClaimDates {
    pub diagnosed_on: Option<NaiveDate>,
    pub accident_on: Option<NaiveDate>,
    pub died_on: Option<NaiveDate>,
    pub fire_on: Option<NaiveDate>,
}

impl ClaimDates {
    pub fn get(&self, which: ClaimDate) -> Option<NaiveDate> {
        match which {
            ClaimDate::DiagnosedOn => self.diagnosed_on,
            ClaimDate::AccidentOn => self.accident_on,
            ClaimDate::DiedOn => self.died_on,
            ClaimDate::FireOn => self.fire_on,
        }
    }
    fn set(&mut self, which: ClaimDate, date: Option<NaiveDate>) {
        match which {
            ClaimDate::DiagnosedOn => self.diagnosed_on = date,
            ClaimDate::AccidentOn => self.accident_on = date,
            ClaimDate::DiedOn => self.died_on = date,
            ClaimDate::FireOn => self.fire_on = date,
        }
    }
}

/// A claim as typed. Dates and amounts raw; documents a list of codes separated by commas.
/// An empty protection period keeps the one recorded on the member.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClaimDraft {
    pub claim_type: String,
    pub diagnosed_on: String,
    pub accident_on: String,
    pub died_on: String,
    pub fire_on: String,
    /// Yuan; empty means the fixed sum of a fixed type.
    pub amount: String,
    pub documents: String,
    pub note: String,
    pub protection_start: String,
    pub protection_end: String,
}

impl ClaimDraft {
    fn date(&self, which: ClaimDate) -> &str {
        match which {
            ClaimDate::DiagnosedOn => &self.diagnosed_on,
            ClaimDate::AccidentOn => &self.accident_on,
            ClaimDate::DiedOn => &self.died_on,
            ClaimDate::FireOn => &self.fire_on,
        }
    }
}

/// A claim ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimInput {
    pub claim_type: String,
    pub dates: ClaimDates,
    pub amount_fen: i64,
    pub documents: Vec<String>,
    pub note: String,
    /// The protection period the claim was checked against; stored on the member when typed.
    pub protection: Option<(NaiveDate, NaiveDate)>,
}

/// Checks a new claim against the member and the type's rules; every refusal at once.
pub fn validate_claim(
    draft: &ClaimDraft,
    member: &Member,
    today: NaiveDate,
) -> Result<ClaimInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match refuse_invisible(Field::ClaimType, &draft.claim_type) {
        Ok("") => {
            errors.push(FieldError::new(Field::ClaimType, Rule::Required));
            None
        }
        Ok(code) => {
            let found = claim_type(code);
            if found.is_none() {
                errors.push(FieldError::new(
                    Field::ClaimType,
                    Rule::UnknownCode {
                        code: code.to_string(),
                    },
                ));
            }
            found
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if !matches!(
        member.membership,
        Membership::Member | Membership::JoinedHere
    ) {
        errors.push(FieldError::new(Field::Membership, Rule::ClaimNeedsMember));
    } else if member.card_no.trim().is_empty() {
        errors.push(FieldError::new(Field::CardNo, Rule::ClaimNeedsCard));
    }
    if kind.is_some_and(|k| k.women_only) && member.gender != Gender::Female {
        errors.push(FieldError::new(Field::ClaimType, Rule::WomenOnly));
    }
    let protection = protection_period(draft, member, &mut errors);
    let mut dates = ClaimDates::default();
    for which in ClaimDate::ALL {
        let field = which.field();
        let wanted = kind.is_some_and(|k| k.dates.contains(&which));
        let raw = match refuse_invisible(field, draft.date(which)) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match (wanted, raw.is_empty()) {
            (true, true) => errors.push(FieldError::new(field, Rule::Required)),
            (true, false) => match parse_done_on(field, raw, today, None) {
                Ok(date) => dates.set(which, Some(date)),
                Err(e) => errors.push(e),
            },
            (false, false) if kind.is_some() => {
                errors.push(FieldError::new(field, Rule::DateNotForType))
            }
            _ => {}
        }
    }
    if let Some(kind) = kind {
        check_type_dates(kind, &dates, protection, &mut errors);
    }
    let amount_fen = kind.and_then(|k| claim_amount(k, &draft.amount, &mut errors));
    let documents = kind.and_then(|k| {
        parse_documents(k, &draft.documents)
            .map_err(|e| errors.push(e))
            .ok()
    });
    let note = validate_text(Field::Note, &draft.note, LONG_TEXT)
        .map_err(|e| errors.push(e))
        .ok();
    match (kind, amount_fen, documents, note) {
        (Some(kind), Some(amount_fen), Some(documents), Some(note)) if errors.is_empty() => {
            Ok(ClaimInput {
                claim_type: kind.code.clone(),
                dates,
                amount_fen,
                documents,
                note,
                protection,
            })
        }
        _ => Err(errors),
    }
}

/// The period typed on the form (both ends, the end not before the start), else the member's.
fn protection_period(
    draft: &ClaimDraft,
    member: &Member,
    errors: &mut Vec<FieldError>,
) -> Option<(NaiveDate, NaiveDate)> {
    let start_raw = refuse_invisible(Field::ProtectionStart, &draft.protection_start)
        .map_err(|e| errors.push(e))
        .ok()?;
    let end_raw = refuse_invisible(Field::ProtectionEnd, &draft.protection_end)
        .map_err(|e| errors.push(e))
        .ok()?;
    if start_raw.is_empty() && end_raw.is_empty() {
        return member.protection;
    }
    let start = parse_date(Field::ProtectionStart, start_raw).map_err(|e| errors.push(e));
    let end = parse_date(Field::ProtectionEnd, end_raw).map_err(|e| errors.push(e));
    let (start, end) = (start.ok()?, end.ok()?);
    if end < start {
        errors.push(FieldError::new(
            Field::ProtectionEnd,
            Rule::ProtectionEndBeforeStart,
        ));
        return None;
    }
    Some((start, end))
}

/// The type's date rules: the date it names within the protection period, a death within
/// its days of the accident (day 180 counts, day 181 does not).
fn check_type_dates(
    kind: &ClaimType,
    dates: &ClaimDates,
    protection: Option<(NaiveDate, NaiveDate)>,
    errors: &mut Vec<FieldError>,
) {
    if let Some(which) = kind.in_protection
        && let Some(date) = dates.get(which)
    {
        match protection {
            None if !errors
                .iter()
                .any(|e| matches!(e.field, Field::ProtectionStart | Field::ProtectionEnd)) =>
            {
                errors.push(FieldError::new(
                    Field::ProtectionStart,
                    Rule::ProtectionRequired,
                ))
            }
            Some((start, end)) if date < start || date > end => errors.push(FieldError::new(
                which.field(),
                Rule::OutsideProtection { start, end },
            )),
            _ => {}
        }
    }
    if let Some(max) = kind.death_within_days
        && let (Some(accident), Some(died)) = (dates.accident_on, dates.died_on)
    {
        let days = (died - accident).num_days();
        if days < 0 {
            errors.push(FieldError::new(Field::DiedOn, Rule::DeathBeforeAccident));
        } else if days > max {
            errors.push(FieldError::new(
                Field::DiedOn,
                Rule::DeathTooLate { days, max },
            ));
        }
    }
}

/// The amount claimed: empty means the fixed sum of a fixed type; never zero, never above the
/// type's maximum.
fn claim_amount(kind: &ClaimType, raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let field = Field::ClaimAmount;
    let raw = refuse_invisible(field, raw)
        .map_err(|e| errors.push(e))
        .ok()?;
    let fen = match (raw.is_empty(), kind.amount) {
        (true, AmountRule::Fixed) => return Some(kind.maximum_fen()),
        (true, AmountRule::Maximum) => {
            errors.push(FieldError::new(field, Rule::Required));
            return None;
        }
        (false, _) => parse_yuan(field, raw).map_err(|e| errors.push(e)).ok()?,
    };
    if fen == 0 {
        errors.push(FieldError::new(field, Rule::AmountZero));
        return None;
    }
    if fen > kind.maximum_fen() {
        errors.push(FieldError::new(
            field,
            Rule::AmountAboveMaximum {
                max_fen: kind.maximum_fen(),
                fixed: kind.amount == AmountRule::Fixed,
            },
        ));
        return None;
    }
    Some(fen)
}

/// "diagnosis, id_card" (commas, Chinese commas or 、) to the type's document codes, in the
/// catalog's order; a code the type does not ask for is refused.
pub fn parse_documents(kind: &ClaimType, raw: &str) -> Result<Vec<String>, FieldError> {
    let raw = refuse_invisible(Field::Documents, raw)?;
    let mut given = Vec::new();
    for code in raw.split([',', '，', '、']).map(str::trim) {
        if code.is_empty() {
            continue;
        }
        if !kind.documents.iter().any(|d| d == code) {
            return Err(FieldError::new(
                Field::Documents,
                Rule::UnknownCode {
                    code: code.to_string(),
                },
            ));
        }
        given.push(code);
    }
    Ok(kind
        .documents
        .iter()
        .filter(|d| given.contains(&d.as_str()))
        .cloned()
        .collect())
}

/// The part of a claim that changes as it goes through its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimProgress {
    pub status: ClaimStatus,
    pub documents: Vec<String>,
    pub reason: String,
    pub paid_fen: i64,
    pub paid_on: Option<NaiveDate>,
}

/// A step as typed: empty text keeps what the claim has; `documents` None keeps the list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClaimStepDraft {
    pub status: String,
    pub documents: Option<String>,
    pub reason: String,
    pub paid: String,
    pub paid_on: String,
}

/// The claim after a step, or every rule the step breaks: a move the status may not make,
/// an incomplete checklist from submission on, a rejection without a reason, a payment
/// without amount or date, above the amount claimed, or on a claim not being paid.
pub fn apply_step(
    kind: &ClaimType,
    amount_fen: i64,
    current: &ClaimProgress,
    draft: &ClaimStepDraft,
    today: NaiveDate,
) -> Result<ClaimProgress, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut next = current.clone();
    match refuse_invisible(Field::ClaimStatus, &draft.status) {
        Ok("") => {}
        Ok(code) => match ClaimStatus::from_code(code) {
            Some(status) if current.status.can_move_to(status) => next.status = status,
            Some(status) => errors.push(FieldError::new(
                Field::ClaimStatus,
                Rule::StatusMove {
                    from: current.status.code().to_string(),
                    to: status.code().to_string(),
                },
            )),
            None => errors.push(FieldError::new(
                Field::ClaimStatus,
                Rule::UnknownCode {
                    code: code.to_string(),
                },
            )),
        },
        Err(e) => errors.push(e),
    }
    if let Some(raw) = &draft.documents {
        match parse_documents(kind, raw) {
            Ok(documents) => next.documents = documents,
            Err(e) => errors.push(e),
        }
    }
    match validate_text(Field::RejectReason, &draft.reason, LONG_TEXT) {
        Ok(reason) if !reason.is_empty() => next.reason = reason,
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    if next.status.needs_all_documents() {
        let missing = missing_documents(kind, &next.documents);
        if !missing.is_empty() {
            errors.push(FieldError::new(
                Field::Documents,
                Rule::DocumentsMissing { missing },
            ));
        }
    }
    if next.status == ClaimStatus::Rejected && next.reason.is_empty() {
        errors.push(FieldError::new(Field::RejectReason, Rule::Required));
    }
    payment(amount_fen, &mut next, draft, today, &mut errors);
    if errors.is_empty() {
        Ok(next)
    } else {
        Err(errors)
    }
}

fn payment(
    amount_fen: i64,
    next: &mut ClaimProgress,
    draft: &ClaimStepDraft,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) {
    let paid_raw = refuse_invisible(Field::PaidAmount, &draft.paid).map_err(|e| errors.push(e));
    let on_raw = refuse_invisible(Field::PaidOn, &draft.paid_on).map_err(|e| errors.push(e));
    let (Ok(paid_raw), Ok(on_raw)) = (paid_raw, on_raw) else {
        return;
    };
    if next.status != ClaimStatus::Paid {
        if !paid_raw.is_empty() || !on_raw.is_empty() {
            errors.push(FieldError::new(Field::PaidAmount, Rule::PaidOnlyWhenPaid));
        }
        return;
    }
    if !paid_raw.is_empty() {
        match parse_yuan(Field::PaidAmount, paid_raw) {
            Ok(0) => errors.push(FieldError::new(Field::PaidAmount, Rule::AmountZero)),
            Ok(fen) if fen > amount_fen => {
                errors.push(FieldError::new(Field::PaidAmount, Rule::PaidAboveClaimed))
            }
            Ok(fen) => next.paid_fen = fen,
            Err(e) => errors.push(e),
        }
    } else if next.paid_fen == 0 {
        errors.push(FieldError::new(Field::PaidAmount, Rule::Required));
    }
    if !on_raw.is_empty() {
        match parse_done_on(Field::PaidOn, on_raw, today, None) {
            Ok(date) => next.paid_on = Some(date),
            Err(e) => errors.push(e),
        }
    } else if next.paid_on.is_none() {
        errors.push(FieldError::new(Field::PaidOn, Rule::Required));
    }
}

/// The type's documents not in `documents`, in the catalog's order.
pub fn missing_documents(kind: &ClaimType, documents: &[String]) -> Vec<String> {
    kind.documents
        .iter()
        .filter(|d| !documents.contains(d))
        .cloned()
        .collect()
}

/// A claim saved with something the officer should look at again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ClaimWarning {
    /// The member already has `count` other claims of this type that were not rejected.
    SameTypeAgain { claim_type: String, count: usize },
}

impl ClaimWarning {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ClaimWarning::SameTypeAgain { claim_type, count } => {
                let name = claim_type_name(claim_type, lang);
                match lang {
                    Lang::Zh => format!(
                        "提醒：该会员已有 {count} 笔「{name}」申请（同一类型再次申请，请核实是否重复）"
                    ),
                    Lang::En => format!(
                        "warning: this member already has {count} '{name}' claim(s) (a second claim of the same type: check it is not a duplicate)"
                    ),
                }
            }
        }
    }
}

/// The warning for a new claim of `claim_type` when the member's other claims (their types
/// and statuses) hold the same type not rejected.
pub fn duplicate_warning(
    claim_type: &str,
    others: &[(String, ClaimStatus)],
) -> Option<ClaimWarning> {
    let count = others
        .iter()
        .filter(|(t, s)| t == claim_type && *s != ClaimStatus::Rejected)
        .count();
    (count > 0).then(|| ClaimWarning::SameTypeAgain {
        claim_type: claim_type.to_string(),
        count,
    })
}

#[cfg(test)]
#[path = "claims_tests.rs"]
mod tests;
