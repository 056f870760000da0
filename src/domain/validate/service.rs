//! The service rules: the draft of a service, health check or legal-aid visit, the checks
//! its kind's form asks for, and the readings (blood pressure, glucose) they parse.

use super::{LONG_TEXT, Refusals, SHORT_TEXT, optional_yuan, parse_date, parse_done_on, quantity};
use crate::domain::error::{Field, FieldError, Rule};
use crate::domain::model::{HealthCheck, LegalAid, ServiceInput};
use crate::domain::name::validate_text;
use crate::domain::refdata::{self, KindForm};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    /// The birth date of the worker the service is for, filled by the caller from the stored
    /// worker (not typed, not saved with a draft): a service before it is refused.
    #[serde(skip)]
    pub worker_born_on: Option<NaiveDate>,
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
    let kind_clean = r.clean(Field::Kind, &draft.kind);
    let kind_code = kind_clean.unwrap_or_default();
    let kind = refdata::service_kind(kind_code);
    if kind.is_none() && kind_clean.is_some() {
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
    let served_on = match r.clean(Field::Date, &draft.served_on) {
        Some("") => Some(today),
        Some(raw) => r.take(parse_done_on(Field::Date, raw, today, draft.worker_born_on)),
        None => None,
    };
    let place = r.take(validate_text(Field::Place, &draft.place, SHORT_TEXT));
    let quantity = quantity(&mut r, Field::Quantity, &draft.quantity);
    let amount_fen = optional_yuan(&mut r, Field::Amount, &draft.amount);
    let note = r.take(validate_text(Field::Note, &draft.note, LONG_TEXT));
    let form = kind.map(|k| k.form).unwrap_or(KindForm::Plain);
    let health = (form == KindForm::HealthCheck).then(|| {
        if !draft.consent {
            r.push(Field::Consent, Rule::ConsentRequired);
        }
        let blood_pressure = match r.clean(Field::BloodPressure, &draft.blood_pressure) {
            None | Some("") => String::new(),
            Some(raw) => r.take(parse_blood_pressure(raw)).unwrap_or_default(),
        };
        let glucose_tenths = match r.clean(Field::Glucose, &draft.glucose) {
            None | Some("") => None,
            Some(raw) => r.take(parse_glucose(raw)),
        };
        // A follow-up is planned, so it may lie ahead; it cannot come before the check.
        let follow_up_on = match r.clean(Field::FollowUpOn, &draft.follow_up_on) {
            None | Some("") => None,
            Some(raw) => r
                .take(parse_date(Field::FollowUpOn, raw))
                .filter(|follow_up| {
                    let early = served_on.is_some_and(|served| *follow_up < served);
                    if early {
                        r.push(Field::FollowUpOn, Rule::FollowUpBeforeService);
                    }
                    !early
                }),
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
        let category_clean = r.clean(Field::Category, &draft.category);
        let category = category_clean.unwrap_or_default().to_string();
        if category_clean.is_none() {
            // Refused already for its characters.
        } else if category.is_empty() {
            r.push(Field::Category, Rule::Required);
        } else if refdata::legal_aid_category(&category).is_none() {
            r.push(
                Field::Category,
                Rule::UnknownCode {
                    code: category.clone(),
                },
            );
        }
        let status = match r.clean(Field::Status, &draft.status).unwrap_or("open") {
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
        let claimed_fen = optional_yuan(&mut r, Field::Claimed, &draft.claimed);
        let recovered_fen = optional_yuan(&mut r, Field::Recovered, &draft.recovered);
        let follows_uid = r
            .clean(Field::Follows, &draft.follows_uid)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        // Within one visit the claim bounds what was recovered. A follow-up visit records what
        // came back against the claim of an earlier visit, and an empty claim was not typed.
        if follows_uid.is_none() && claimed_fen > 0 && recovered_fen > claimed_fen {
            r.push(Field::Recovered, Rule::RecoveredExceedsClaimed);
        }
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
            claimed_fen,
            recovered_fen,
            follows_uid,
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
