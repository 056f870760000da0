//! A stored record back as the raw text a form or a command line edits, so an edit goes
//! through the same validation as the first entry.

use super::model::{Event, Service};
use super::money::format_fen;
use super::validate::{EventDraft, ServiceDraft};

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Amounts as the forms type them: empty for none, else yuan with two decimals.
fn yuan(fen: i64) -> String {
    if fen == 0 {
        String::new()
    } else {
        format_fen(fen)
    }
}

impl From<&Service> for ServiceDraft {
    fn from(s: &Service) -> Self {
        let h = s.health.as_ref();
        let l = s.legal.as_ref();
        ServiceDraft {
            kind: s.kind.clone(),
            served_on: date(s.served_on),
            place: s.place.clone(),
            quantity: s.quantity.to_string(),
            amount: yuan(s.amount_fen),
            note: s.note.clone(),
            event_uid: s.event_uid.clone(),
            provider: h.map(|h| h.provider.clone()).unwrap_or_default(),
            blood_pressure: h.map(|h| h.blood_pressure.clone()).unwrap_or_default(),
            glucose: h
                .and_then(|h| h.glucose_tenths)
                .map(|g| format!("{}.{}", g / 10, g % 10))
                .unwrap_or_default(),
            findings: h.map(|h| h.findings.clone()).unwrap_or_default(),
            referral: h.is_some_and(|h| h.referral),
            follow_up_on: h.and_then(|h| h.follow_up_on).map(date).unwrap_or_default(),
            // The consent was given when the check was recorded; an edit keeps it.
            consent: h.is_some(),
            category: l.map(|l| l.category.clone()).unwrap_or_default(),
            status: l.map(|l| l.status.clone()).unwrap_or_default(),
            claimed: l.map(|l| yuan(l.claimed_fen)).unwrap_or_default(),
            recovered: l.map(|l| yuan(l.recovered_fen)).unwrap_or_default(),
            follows_uid: l.and_then(|l| l.follows_uid.clone()).unwrap_or_default(),
            description: l.map(|l| l.description.clone()).unwrap_or_default(),
            // The worker is not part of the service record: the caller that edits sets it.
            worker_born_on: None,
        }
    }
}

impl From<&Event> for EventDraft {
    fn from(e: &Event) -> Self {
        EventDraft {
            name: e.input.name.clone(),
            kind: e.input.kind.clone(),
            held_on: date(e.held_on),
            place: e.input.place.clone(),
            district_code: e.input.district_code.clone(),
            default_quantity: e.input.default_quantity.to_string(),
            default_amount: yuan(e.input.default_amount_fen),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::validate::{ServiceDraft, validate_service};
    use chrono::NaiveDate;

    #[test]
    fn a_stored_health_check_validates_back_to_the_same_input() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let draft = ServiceDraft {
            kind: "health_check".into(),
            served_on: "2026-11-02".into(),
            amount: "12.5".into(),
            provider: "和平区医院".into(),
            blood_pressure: "120/80".into(),
            glucose: "5.6".into(),
            follow_up_on: "2026-12-01".into(),
            referral: true,
            consent: true,
            ..ServiceDraft::default()
        };
        let input = validate_service(&draft, today, "李明", "2026-11-02T09:00:00+08:00").unwrap();
        let stored = crate::domain::Service {
            id: 1,
            uid: "u".into(),
            version: 1,
            worker_uid: "w".into(),
            kind: input.kind.clone(),
            served_on: input.served_on.unwrap(),
            place: input.place.clone(),
            quantity: input.quantity,
            amount_fen: input.amount_fen,
            note: input.note.clone(),
            event_uid: None,
            health: input.health.clone(),
            legal: None,
            officer_name: "李明".into(),
            created_at: String::new(),
            deleted: false,
        };
        let again = validate_service(
            &ServiceDraft::from(&stored),
            today,
            "李明",
            "2026-11-02T09:00:00+08:00",
        )
        .unwrap();
        assert_eq!(again, input);
    }
}
