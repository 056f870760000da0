//! One set of rules for every way a record arrives: the TUI form, the CLI and roster rows all
//! hand over raw text and get back either clean input or every refused field.

use super::error::{Field, FieldError, Rule};
use super::idcard::{IdNumber, parse_id_number};
use super::model::{EventInput, HealthCheck, LegalAid, Membership, ServiceInput, WorkerInput};
use super::money::parse_yuan;
use super::name::{validate_name, validate_text};
use super::phone::normalize_phone;
use super::refdata::{self, KindForm};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest free text kept in a short field (employer, place …) and in notes.
pub const SHORT_TEXT: usize = 60;
pub const LONG_TEXT: usize = 500;

/// A worker as typed: every field raw text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkerDraft {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub employer: String,
    pub worksite: String,
    pub trade: String,
    pub district_code: String,
    pub membership: String,
    pub card_no: String,
    pub hardship: bool,
    pub note: String,
}

impl From<&WorkerInput> for WorkerDraft {
    fn from(w: &WorkerInput) -> Self {
        WorkerDraft {
            name: w.name.clone(),
            id_number: w.id_number.clone(),
            phone: w.phone.clone(),
            employer: w.employer.clone(),
            worksite: w.worksite.clone(),
            trade: w.trade.clone(),
            district_code: w.district_code.clone(),
            membership: w.membership.code().to_string(),
            card_no: w.card_no.clone(),
            hardship: w.hardship,
            note: w.note.clone(),
        }
    }
}

/// Collects refusals so a form can show all of them at once.
#[derive(Default)]
struct Refusals(Vec<FieldError>);

impl Refusals {
    fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
    fn push(&mut self, field: Field, rule: Rule) {
        self.0.push(FieldError::new(field, rule));
    }
    fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }
}

fn optional_code(
    refusals: &mut Refusals,
    field: Field,
    raw: &str,
    known: impl Fn(&str) -> bool,
) -> String {
    let code = raw.trim();
    if !code.is_empty() && !known(code) {
        refusals.push(
            field,
            Rule::UnknownCode {
                code: code.to_string(),
            },
        );
    }
    code.to_string()
}

pub fn validate_worker(
    draft: &WorkerDraft,
    today: NaiveDate,
) -> Result<(WorkerInput, IdNumber), Vec<FieldError>> {
    let mut r = Refusals::default();
    let name = r.take(validate_name(&draft.name));
    let id = r.take(parse_id_number(&draft.id_number, today));
    let phone = r.take(normalize_phone(&draft.phone));
    let employer = r.take(validate_text(Field::Employer, &draft.employer, SHORT_TEXT));
    let worksite = r.take(validate_text(Field::Worksite, &draft.worksite, SHORT_TEXT));
    let trade = r.take(validate_text(Field::Trade, &draft.trade, 30));
    let card_no = r.take(validate_text(Field::CardNo, &draft.card_no, 30));
    let note = r.take(validate_text(Field::Note, &draft.note, LONG_TEXT));
    let district_code = optional_code(&mut r, Field::District, &draft.district_code, |c| {
        refdata::district(c).is_some()
    });
    let membership = match draft.membership.trim() {
        "" => Membership::NotMember,
        code => Membership::from_code(code).unwrap_or_else(|| {
            r.push(
                Field::Membership,
                Rule::UnknownCode {
                    code: code.to_string(),
                },
            );
            Membership::NotMember
        }),
    };
    r.finish(|| {
        let id = id.expect("no refusal means the ID number parsed");
        (
            WorkerInput {
                name: name.unwrap_or_default(),
                id_number: id.number.clone(),
                phone: phone.unwrap_or_default(),
                employer: employer.unwrap_or_default(),
                worksite: worksite.unwrap_or_default(),
                trade: trade.unwrap_or_default(),
                district_code,
                membership,
                card_no: card_no.unwrap_or_default(),
                hardship: draft.hardship,
                note: note.unwrap_or_default(),
            },
            id,
        )
    })
}

/// A service as typed, with the health-check and legal-aid fields its kind may need.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceDraft {
    pub kind: String,
    /// Empty means today.
    pub served_on: String,
    pub place: String,
    /// Empty means 1.
    pub quantity: String,
    /// Yuan; empty means 0.
    pub amount: String,
    pub note: String,
    pub event_uid: Option<String>,
    // health check
    pub provider: String,
    pub blood_pressure: String,
    pub glucose: String,
    pub findings: String,
    pub referral: bool,
    pub follow_up_on: String,
    pub consent: bool,
    // legal aid
    pub category: String,
    pub status: String,
    pub claimed: String,
    pub recovered: String,
    pub follows_uid: String,
    pub description: String,
}

pub fn parse_date(field: Field, raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, Rule::Required));
    }
    let normalised = raw.replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&normalised, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y").to_string().len() == 4)
        .ok_or_else(|| FieldError::new(field, Rule::DateFormat))
}

/// A date that is not after `today` (a service cannot be delivered tomorrow).
pub fn parse_past_date(field: Field, raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = parse_date(field, raw)?;
    if date > today {
        return Err(FieldError::new(field, Rule::DateInFuture));
    }
    Ok(date)
}

fn optional_yuan(r: &mut Refusals, field: Field, raw: &str) -> i64 {
    if raw.trim().is_empty() {
        0
    } else {
        r.take(parse_yuan(field, raw)).unwrap_or(0)
    }
}

pub fn parse_quantity(raw: &str) -> Result<i64, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(1);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|q| (1..=100_000).contains(q))
        .ok_or_else(|| FieldError::new(Field::Quantity, Rule::QuantityFormat))
}

/// "120/80" -> ("120/80"): systolic above diastolic, both plausible.
pub fn parse_blood_pressure(raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim().replace(['／', '\\'], "/");
    let refuse = || FieldError::new(Field::BloodPressure, Rule::BloodPressureFormat);
    let (sys, dia) = raw.split_once('/').ok_or_else(refuse)?;
    let sys: u32 = sys.trim().parse().map_err(|_| refuse())?;
    let dia: u32 = dia.trim().parse().map_err(|_| refuse())?;
    if !(50..=300).contains(&sys) || !(20..=200).contains(&dia) || sys <= dia {
        return Err(refuse());
    }
    Ok(format!("{sys}/{dia}"))
}

/// mmol/L with at most one decimal, 1.0 to 50.0, kept as tenths.
pub fn parse_glucose(raw: &str) -> Result<i64, FieldError> {
    let refuse = || FieldError::new(Field::Glucose, Rule::GlucoseFormat);
    let raw = raw.trim();
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, "0"));
    if whole.is_empty()
        || frac.len() != 1
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 3
    {
        return Err(refuse());
    }
    let tenths = whole.parse::<i64>().map_err(|_| refuse())? * 10 + frac.parse::<i64>().unwrap();
    if !(10..=500).contains(&tenths) {
        return Err(refuse());
    }
    Ok(tenths)
}

/// Validates a service draft. `consent_by` names who recorded a health-data consent.
pub fn validate_service(
    draft: &ServiceDraft,
    today: NaiveDate,
    consent_by: &str,
    consent_at: &str,
) -> Result<ServiceInput, Vec<FieldError>> {
    let mut r = Refusals::default();
    let kind_code = draft.kind.trim();
    let kind = refdata::service_kind(kind_code);
    if kind.is_none() {
        r.push(
            Field::Kind,
            if kind_code.is_empty() {
                Rule::Required
            } else {
                Rule::UnknownCode {
                    code: kind_code.to_string(),
                }
            },
        );
    }
    let served_on = if draft.served_on.trim().is_empty() {
        Some(today)
    } else {
        r.take(parse_past_date(Field::Date, &draft.served_on, today))
    };
    let place = r.take(validate_text(Field::Place, &draft.place, SHORT_TEXT));
    let quantity = r.take(parse_quantity(&draft.quantity)).unwrap_or(1);
    let amount_fen = optional_yuan(&mut r, Field::Amount, &draft.amount);
    let note = r.take(validate_text(Field::Note, &draft.note, LONG_TEXT));
    let form = kind.map(|k| k.form).unwrap_or(KindForm::Plain);
    let health = (form == KindForm::HealthCheck).then(|| {
        if !draft.consent {
            r.push(Field::Consent, Rule::ConsentRequired);
        }
        let blood_pressure = if draft.blood_pressure.trim().is_empty() {
            String::new()
        } else {
            r.take(parse_blood_pressure(&draft.blood_pressure))
                .unwrap_or_default()
        };
        let glucose_tenths = if draft.glucose.trim().is_empty() {
            None
        } else {
            r.take(parse_glucose(&draft.glucose))
        };
        let follow_up_on = if draft.follow_up_on.trim().is_empty() {
            None
        } else {
            r.take(parse_date(Field::FollowUpOn, &draft.follow_up_on))
        };
        HealthCheck {
            provider: r
                .take(validate_text(Field::Provider, &draft.provider, SHORT_TEXT))
                .unwrap_or_default(),
            blood_pressure,
            glucose_tenths,
            findings: r
                .take(validate_text(Field::Findings, &draft.findings, LONG_TEXT))
                .unwrap_or_default(),
            referral: draft.referral,
            follow_up_on,
            consent_by: consent_by.to_string(),
            consent_at: consent_at.to_string(),
        }
    });
    let legal = (form == KindForm::LegalAid).then(|| {
        let category = draft.category.trim().to_string();
        if category.is_empty() {
            r.push(Field::Category, Rule::Required);
        } else if refdata::legal_aid_category(&category).is_none() {
            r.push(
                Field::Category,
                Rule::UnknownCode {
                    code: category.clone(),
                },
            );
        }
        let status = match draft.status.trim() {
            "" => "open".to_string(),
            s if refdata::legal_aid_status(s).is_some() => s.to_string(),
            s => {
                r.push(
                    Field::Status,
                    Rule::UnknownCode {
                        code: s.to_string(),
                    },
                );
                s.to_string()
            }
        };
        LegalAid {
            category,
            description: r
                .take(validate_text(
                    Field::Description,
                    &draft.description,
                    LONG_TEXT,
                ))
                .unwrap_or_default(),
            status,
            claimed_fen: optional_yuan(&mut r, Field::Claimed, &draft.claimed),
            recovered_fen: optional_yuan(&mut r, Field::Recovered, &draft.recovered),
            follows_uid: Some(draft.follows_uid.trim().to_string()).filter(|s| !s.is_empty()),
        }
    });
    r.finish(|| ServiceInput {
        kind: kind_code.to_string(),
        served_on,
        place: place.unwrap_or_default(),
        quantity,
        amount_fen,
        note: note.unwrap_or_default(),
        event_uid: draft.event_uid.clone(),
        health,
        legal,
    })
}

/// An event as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventDraft {
    pub name: String,
    pub kind: String,
    pub held_on: String,
    pub place: String,
    pub district_code: String,
    pub default_quantity: String,
    pub default_amount: String,
}

pub fn validate_event(draft: &EventDraft, today: NaiveDate) -> Result<EventInput, Vec<FieldError>> {
    let mut r = Refusals::default();
    let name = r
        .take(validate_text(Field::EventName, &draft.name, SHORT_TEXT))
        .unwrap_or_default();
    if name.is_empty() && draft.name.trim().is_empty() {
        r.push(Field::EventName, Rule::Required);
    }
    let kind = draft.kind.trim().to_string();
    if refdata::service_kind(&kind).is_none() {
        r.push(
            Field::Kind,
            if kind.is_empty() {
                Rule::Required
            } else {
                Rule::UnknownCode { code: kind.clone() }
            },
        );
    }
    let held_on = if draft.held_on.trim().is_empty() {
        Some(today)
    } else {
        r.take(parse_date(Field::Date, &draft.held_on))
    };
    let place = r
        .take(validate_text(Field::Place, &draft.place, SHORT_TEXT))
        .unwrap_or_default();
    let district_code = optional_code(&mut r, Field::District, &draft.district_code, |c| {
        refdata::district(c).is_some()
    });
    let default_quantity = r.take(parse_quantity(&draft.default_quantity)).unwrap_or(1);
    let default_amount_fen = optional_yuan(&mut r, Field::Amount, &draft.default_amount);
    r.finish(|| EventInput {
        name,
        kind,
        held_on,
        place,
        district_code,
        default_quantity,
        default_amount_fen,
    })
}
