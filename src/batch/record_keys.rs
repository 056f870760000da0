//! The key a form field has in a batch line, so a refusal names the line's own field.

use crate::domain::Field;

pub(super) fn worker_field(field: Field) -> &'static str {
    match field {
        Field::Name => "name",
        Field::IdNumber => "id_number",
        Field::Phone => "phone",
        Field::Employer => "employer",
        Field::Worksite => "worksite",
        Field::Trade => "trade",
        Field::District => "district_code",
        Field::Membership => "membership",
        Field::CardNo => "card_no",
        Field::Note => "note",
        _ => "worker",
    }
}

pub(super) fn event_field(field: Field) -> &'static str {
    match field {
        Field::EventName => "name",
        Field::Kind => "kind",
        Field::Date => "held_on",
        Field::Place => "place",
        Field::District => "district_code",
        Field::Quantity => "default_quantity",
        Field::Amount => "default_amount_fen",
        _ => "event",
    }
}

pub(super) fn service_field(field: Field) -> &'static str {
    match field {
        Field::Kind => "kind",
        Field::Date => "served_on",
        Field::Place => "place",
        Field::Quantity => "quantity",
        Field::Amount => "amount_fen",
        Field::Note => "note",
        Field::Provider => "health_check.provider",
        Field::BloodPressure => "health_check.blood_pressure",
        Field::Glucose => "health_check.glucose_tenths",
        Field::Findings => "health_check.findings",
        Field::FollowUpOn => "health_check.follow_up_on",
        Field::Consent => "health_check.consent_by",
        Field::Category => "legal_aid.category",
        Field::Status => "legal_aid.status",
        Field::Description => "legal_aid.description",
        Field::Claimed => "legal_aid.claimed_fen",
        Field::Recovered => "legal_aid.recovered_fen",
        Field::Follows => "legal_aid.follows_uid",
        _ => "service",
    }
}
