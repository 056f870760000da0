//! The records jingong keeps, as plain values. Money is integer fen, dates are `NaiveDate`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
    pub fn from_code(code: &str) -> Option<Gender> {
        match code {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// Already a union member when registered.
    Member,
    /// Joined the union at this registration (集中入会).
    JoinedHere,
    #[default]
    NotMember,
}

impl Membership {
    pub const ALL: [Membership; 3] = [
        Membership::Member,
        Membership::JoinedHere,
        Membership::NotMember,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Membership::Member => "member",
            Membership::JoinedHere => "joined_here",
            Membership::NotMember => "not_member",
        }
    }
    pub fn from_code(code: &str) -> Option<Membership> {
        Membership::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// The officer using this laptop (one profile per database).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub name: String,
    pub organisation: String,
    pub district_code: String,
}

/// What a form or a roster row offers for a worker, already validated and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkerInput {
    pub name: String,
    /// 18 characters, upper-case X.
    pub id_number: String,
    /// 11 digits, or empty when unknown.
    pub phone: String,
    pub employer: String,
    pub worksite: String,
    pub trade: String,
    /// Tianjin district where the worker works (6-digit code), may be empty.
    pub district_code: String,
    pub membership: Membership,
    pub card_no: String,
    pub hardship: bool,
    pub note: String,
}

/// A stored worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub id: i64,
    pub uid: String,
    pub version: i64,
    pub input: WorkerInput,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub hometown_code: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted: bool,
}

/// Health-check fields of a `health_check` service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HealthCheck {
    pub provider: String,
    /// "120/80", or empty.
    pub blood_pressure: String,
    /// Tenths of mmol/L (5.6 -> 56), so no floats are stored.
    pub glucose_tenths: Option<i64>,
    pub findings: String,
    pub referral: bool,
    pub follow_up_on: Option<NaiveDate>,
    /// Who recorded the worker's consent, and when (RFC 3339).
    pub consent_by: String,
    pub consent_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LegalAid {
    /// Code from data/legal_aid.toml categories.
    pub category: String,
    pub description: String,
    /// Code from data/legal_aid.toml statuses.
    pub status: String,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
    /// uid of the earlier visit of the same case.
    pub follows_uid: Option<String>,
}

/// What a form offers for a service; `health`/`legal` are set for the kinds that need them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceInput {
    pub kind: String,
    pub served_on: Option<NaiveDate>,
    pub place: String,
    pub quantity: i64,
    pub amount_fen: i64,
    pub note: String,
    pub event_uid: Option<String>,
    pub health: Option<HealthCheck>,
    pub legal: Option<LegalAid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: i64,
    pub uid: String,
    pub version: i64,
    pub worker_uid: String,
    pub kind: String,
    pub served_on: NaiveDate,
    pub place: String,
    pub quantity: i64,
    pub amount_fen: i64,
    pub note: String,
    pub event_uid: Option<String>,
    pub health: Option<HealthCheck>,
    pub legal: Option<LegalAid>,
    pub officer_name: String,
    pub created_at: String,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventInput {
    pub name: String,
    pub kind: String,
    pub held_on: Option<NaiveDate>,
    pub place: String,
    pub district_code: String,
    pub default_quantity: i64,
    pub default_amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub uid: String,
    pub version: i64,
    pub input: EventInput,
    pub held_on: NaiveDate,
    /// Live service records of the event.
    pub served_count: i64,
    /// Distinct workers among them: one worker served twice is one person, two records.
    #[serde(default)]
    pub people_count: i64,
    pub deleted: bool,
}

impl Event {
    /// The service this event gives each attendee: its kind, date, place and the default
    /// quantity and amount per person.
    pub fn service_input(&self) -> ServiceInput {
        ServiceInput {
            kind: self.input.kind.clone(),
            served_on: Some(self.held_on),
            place: self.input.place.clone(),
            quantity: self.input.default_quantity,
            amount_fen: self.input.default_amount_fen,
            note: String::new(),
            event_uid: Some(self.uid.clone()),
            health: None,
            legal: None,
        }
    }
}
