//! One set of rules for every way a record arrives: the TUI form, the CLI and roster rows all
//! hand over raw text and get back either clean input or every refused field.

use super::error::{Field, FieldError, Rule};
use super::idcard::{IdNumber, parse_id_number};
use super::model::{EventInput, Membership, WorkerInput};
use super::money::parse_yuan;
use super::name::{refuse_invisible, validate_name, validate_text};
use super::phone::normalize_phone;
use super::refdata;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod service;

pub use service::{ServiceDraft, parse_blood_pressure, parse_glucose, validate_service};

/// Longest free text kept in a short field (employer, place …) and in notes.
pub const SHORT_TEXT: usize = 60;
pub const LONG_TEXT: usize = 500;

/// The earliest date of a service or an event. jingong records the union's services to migrant
/// workers, whose campaigns (the 2003 membership drive, the seasonal deliveries) all began after
/// 2000; an earlier date is a typing slip (1899, 0026, a birth date in the wrong field).
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(date) => date,
    None => panic!("2000-01-01 is a date"),
};

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
    /// The trimmed raw value when it has no control or invisible character; otherwise the
    /// refusal is noted and the field's own rules are skipped, so one value gets one message.
    fn clean<'a>(&mut self, field: Field, raw: &'a str) -> Option<&'a str> {
        self.take(refuse_invisible(field, raw))
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
    let Some(code) = refusals.clean(field, raw) else {
        return String::new();
    };
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
    let id = r
        .clean(Field::IdNumber, &draft.id_number)
        .and_then(|raw| r.take(parse_id_number(raw, today)));
    let phone = r
        .clean(Field::Phone, &draft.phone)
        .and_then(|raw| r.take(normalize_phone(raw)));
    let employer = r.take(validate_text(Field::Employer, &draft.employer, SHORT_TEXT));
    let worksite = r.take(validate_text(Field::Worksite, &draft.worksite, SHORT_TEXT));
    let trade = r.take(validate_text(Field::Trade, &draft.trade, 30));
    let card_no = r.take(validate_text(Field::CardNo, &draft.card_no, 30));
    let note = r.take(validate_text(Field::Note, &draft.note, LONG_TEXT));
    let district_code = optional_code(&mut r, Field::District, &draft.district_code, |c| {
        refdata::district(c).is_some()
    });
    let membership = match r.clean(Field::Membership, &draft.membership).unwrap_or("") {
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

/// The date something happened (a service, an event): from `EARLIEST_DATE` to `today`, and for
/// a service not before the worker was born.
pub fn parse_done_on(
    field: Field,
    raw: &str,
    today: NaiveDate,
    born_on: Option<NaiveDate>,
) -> Result<NaiveDate, FieldError> {
    let date = parse_past_date(field, raw, today)?;
    if born_on.is_some_and(|born| date < born) {
        return Err(FieldError::new(field, Rule::DateBeforeBirth));
    }
    if date < EARLIEST_DATE {
        return Err(FieldError::new(
            field,
            Rule::DateTooEarly {
                floor: EARLIEST_DATE,
            },
        ));
    }
    Ok(date)
}

fn optional_yuan(r: &mut Refusals, field: Field, raw: &str) -> i64 {
    match r.clean(field, raw) {
        None | Some("") => 0,
        Some(raw) => r.take(parse_yuan(field, raw)).unwrap_or(0),
    }
}

/// Quantity after the invisible-character rule; 1 when refused or empty.
fn quantity(r: &mut Refusals, field: Field, raw: &str) -> i64 {
    r.clean(field, raw)
        .and_then(|raw| r.take(parse_quantity(raw)))
        .unwrap_or(1)
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
    let kind_clean = r.clean(Field::Kind, &draft.kind);
    let kind = kind_clean.unwrap_or_default().to_string();
    if kind_clean.is_some() && refdata::service_kind(&kind).is_none() {
        r.push(
            Field::Kind,
            if kind.is_empty() {
                Rule::Required
            } else {
                Rule::UnknownCode { code: kind.clone() }
            },
        );
    }
    let held_on = match r.clean(Field::Date, &draft.held_on) {
        Some("") => Some(today),
        Some(raw) => r.take(parse_done_on(Field::Date, raw, today, None)),
        None => None,
    };
    let place = r
        .take(validate_text(Field::Place, &draft.place, SHORT_TEXT))
        .unwrap_or_default();
    let district_code = optional_code(&mut r, Field::District, &draft.district_code, |c| {
        refdata::district(c).is_some()
    });
    let default_quantity = quantity(&mut r, Field::Quantity, &draft.default_quantity);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn rules_of<T>(result: Result<T, Vec<FieldError>>) -> Vec<(Field, Rule)> {
        match result {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.rule)).collect(),
        }
    }

    fn service(edit: impl FnOnce(&mut ServiceDraft)) -> Vec<(Field, Rule)> {
        let mut draft = ServiceDraft {
            kind: "warmth".into(),
            ..Default::default()
        };
        edit(&mut draft);
        rules_of(validate_service(&draft, today(), "", ""))
    }

    #[test]
    fn a_service_before_the_worker_was_born_is_refused() {
        let born = NaiveDate::from_ymd_opt(1997, 8, 15);
        let on = |date: &str| {
            let date = date.to_string();
            service(move |d| {
                d.served_on = date;
                d.worker_born_on = born;
            })
        };
        assert_eq!(on("1899-01-01"), [(Field::Date, Rule::DateBeforeBirth)]);
        assert_eq!(on("1997-08-14"), [(Field::Date, Rule::DateBeforeBirth)]);
        assert_eq!(on("2026-11-29"), []);
        assert_eq!(on("2026-11-30"), [(Field::Date, Rule::DateInFuture)]);
    }

    #[test]
    fn dates_before_the_floor_are_refused_even_without_a_birth_date() {
        let floor = Rule::DateTooEarly {
            floor: EARLIEST_DATE,
        };
        let early = service(|d| d.served_on = "1999-12-31".into());
        assert_eq!(early, [(Field::Date, floor.clone())]);
        assert_eq!(service(|d| d.served_on = "2000-01-01".into()), []);
        let event = |held_on: &str| {
            rules_of(validate_event(
                &EventDraft {
                    name: "夏送清凉".into(),
                    kind: "summer_cooling".into(),
                    held_on: held_on.into(),
                    ..Default::default()
                },
                today(),
            ))
        };
        assert_eq!(event("1800-06-01"), [(Field::Date, floor)]);
        assert_eq!(event("2099-06-01"), [(Field::Date, Rule::DateInFuture)]);
        assert_eq!(event("2026-06-01"), []);
    }

    #[test]
    fn a_follow_up_may_lie_ahead_but_not_before_the_check() {
        let check = |follow_up: &str| {
            let follow_up = follow_up.to_string();
            service(move |d| {
                d.kind = "health_check".into();
                d.consent = true;
                d.served_on = "2026-11-01".into();
                d.follow_up_on = follow_up;
            })
        };
        assert_eq!(check("2027-02-01"), []);
        assert_eq!(
            check("2026-10-31"),
            [(Field::FollowUpOn, Rule::FollowUpBeforeService)]
        );
    }

    #[test]
    fn recovered_more_than_claimed_is_refused() {
        let legal = |claimed: &str, recovered: &str| {
            let (claimed, recovered) = (claimed.to_string(), recovered.to_string());
            service(move |d| {
                d.kind = "legal_aid".into();
                d.category = "wage_arrears".into();
                d.claimed = claimed;
                d.recovered = recovered;
            })
        };
        assert_eq!(legal("3000", "3000"), []);
        assert_eq!(legal("", "8000.5"), [], "no claim typed on this visit");
        assert_eq!(
            legal("3000", "3000.01"),
            [(Field::Recovered, Rule::RecoveredExceedsClaimed)]
        );
    }

    #[test]
    fn a_follow_up_visit_may_recover_more_than_it_claims() {
        let refused = service(|d| {
            d.kind = "legal_aid".into();
            d.category = "wage_arrears".into();
            d.claimed = "100".into();
            d.recovered = "8000.5".into();
            d.follows_uid = "01a22c41-6ef8-7277-8e9a-a1fc6bc14ea4".into();
        });
        assert_eq!(refused, []);
    }

    #[test]
    fn every_raw_field_refuses_controls_with_one_message() {
        let bad = "1\u{1b}[2J";
        let worker = WorkerDraft {
            name: "张三".into(),
            id_number: bad.into(),
            phone: bad.into(),
            district_code: bad.into(),
            membership: bad.into(),
            ..Default::default()
        };
        let fields: Vec<Field> = rules_of(validate_worker(&worker, today()))
            .into_iter()
            .map(|(field, rule)| {
                assert_eq!(rule, Rule::InvisibleCharacter, "{field:?}");
                field
            })
            .collect();
        assert_eq!(
            fields,
            [
                Field::IdNumber,
                Field::Phone,
                Field::District,
                Field::Membership
            ]
        );
        let refused = service(|d| {
            d.kind = "\u{202e}warmth".into();
            d.served_on = "2026-11-01\u{0}".into();
            d.quantity = "2\u{200b}".into();
            d.amount = "5\u{85}0".into();
        });
        assert_eq!(
            refused,
            [Field::Kind, Field::Date, Field::Quantity, Field::Amount]
                .map(|f| (f, Rule::InvisibleCharacter))
        );
    }
}
