//! The records a batch carries, one type per kind. The same types serialise on export
//! (borrowing straight from SQLite rows, which the store's tables decode) and deserialise on
//! verify and import (owning their text), so the writer and the readers cannot drift apart.
//! They sit here, below both the store and the batch layer, because both use them; the files,
//! the manifest and the limits of the format are `batch::format`'s.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Upsert,
    Delete,
    /// Format 2: the record's personal data is erased; the line carries uid, version, op and
    /// reason only (`ErasureRecord`).
    Erase,
}

impl Op {
    pub fn of_tombstone(deleted: bool) -> Op {
        if deleted { Op::Delete } else { Op::Upsert }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerFields<'a> {
    pub name: Cow<'a, str>,
    pub organisation: Cow<'a, str>,
    pub district_code: Cow<'a, str>,
}

impl OfficerFields<'_> {
    pub fn into_owned(self) -> OfficerFields<'static> {
        OfficerFields {
            name: Cow::Owned(self.name.into_owned()),
            organisation: Cow::Owned(self.organisation.into_owned()),
            district_code: Cow::Owned(self.district_code.into_owned()),
        }
    }

    pub fn to_officer(&self) -> crate::domain::Officer {
        crate::domain::Officer {
            name: self.name.to_string(),
            organisation: self.organisation.to_string(),
            district_code: self.district_code.to_string(),
        }
    }
}

/// Fields every record carries, whatever its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordHeader<'a> {
    pub uid: Cow<'a, str>,
    pub version: i64,
    pub op: Op,
    /// The laptop where the record was first made; kept through merges.
    pub origin_device_id: Cow<'a, str>,
    /// The officer who wrote this version.
    pub officer: OfficerFields<'a>,
    pub created_at: Cow<'a, str>,
    pub updated_at: Cow<'a, str>,
    pub deleted_at: Option<Cow<'a, str>>,
    /// Format 2: why a record was withdrawn (`op` = `delete`), free text with a note's limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Cow<'a, str>>,
}

/// Format 2: an erasure tombstone. Nothing but these four fields may be present: the point
/// of an erasure is that no personal data travels with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasureRecord<'a> {
    pub uid: Cow<'a, str>,
    pub version: i64,
    pub op: Op,
    /// One of `ERASURE_REASONS`.
    pub reason: Cow<'a, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerRecord<'a> {
    #[serde(flatten)]
    pub header: RecordHeader<'a>,
    pub id_number: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub gender: Cow<'a, str>,
    pub birth_date: Cow<'a, str>,
    pub phone: Cow<'a, str>,
    pub hometown_code: Cow<'a, str>,
    pub employer: Cow<'a, str>,
    pub worksite: Cow<'a, str>,
    pub trade: Cow<'a, str>,
    pub district_code: Cow<'a, str>,
    pub membership: Cow<'a, str>,
    pub card_no: Cow<'a, str>,
    pub hardship: bool,
    pub note: Cow<'a, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord<'a> {
    #[serde(flatten)]
    pub header: RecordHeader<'a>,
    pub name: Cow<'a, str>,
    pub kind: Cow<'a, str>,
    pub held_on: Cow<'a, str>,
    pub place: Cow<'a, str>,
    pub district_code: Cow<'a, str>,
    pub default_quantity: i64,
    pub default_amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord<'a> {
    #[serde(flatten)]
    pub header: RecordHeader<'a>,
    pub worker_uid: Cow<'a, str>,
    pub event_uid: Option<Cow<'a, str>>,
    pub kind: Cow<'a, str>,
    pub served_on: Cow<'a, str>,
    pub place: Cow<'a, str>,
    pub quantity: i64,
    pub amount_fen: i64,
    pub note: Cow<'a, str>,
    pub health_check: Option<HealthCheckFields<'a>>,
    pub legal_aid: Option<LegalAidFields<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheckFields<'a> {
    pub provider: Cow<'a, str>,
    pub blood_pressure: Cow<'a, str>,
    /// Tenths of mmol/L (5.6 mmol/L is 56), so no floats travel.
    pub glucose_tenths: Option<i64>,
    pub findings: Cow<'a, str>,
    pub referral: bool,
    pub follow_up_on: Option<Cow<'a, str>>,
    pub consent_by: Cow<'a, str>,
    pub consent_at: Cow<'a, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalAidFields<'a> {
    pub category: Cow<'a, str>,
    pub description: Cow<'a, str>,
    pub status: Cow<'a, str>,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
    pub follows_uid: Option<Cow<'a, str>>,
}

/// Format 3: what a worker asks for (`needs.jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedRecord<'a> {
    #[serde(flatten)]
    pub header: RecordHeader<'a>,
    /// The worker who asked; in this batch, an earlier one, or known to the receiver.
    pub worker_uid: Cow<'a, str>,
    /// A code of `data/needs.toml`.
    pub kind: Cow<'a, str>,
    pub raised_on: Cow<'a, str>,
    pub note: Cow<'a, str>,
    /// `open`, `answered` or `closed`.
    pub state: Cow<'a, str>,
    /// The service that answered the need (`answered` only).
    pub answered_by: Option<Cow<'a, str>>,
    /// The day it was answered or closed (`answered`, `closed`).
    pub settled_on: Option<Cow<'a, str>>,
    /// Why an officer closed it (`closed`).
    pub close_note: Cow<'a, str>,
}

/// Format 3: a card-holding member's mutual-aid claim (`claims.jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRecord<'a> {
    #[serde(flatten)]
    pub header: RecordHeader<'a>,
    /// The member; in this batch, an earlier one, or known to the receiver.
    pub worker_uid: Cow<'a, str>,
    /// A code of `data/mutual_aid.toml`.
    pub claim_type: Cow<'a, str>,
    pub diagnosed_on: Option<Cow<'a, str>>,
    pub accident_on: Option<Cow<'a, str>>,
    pub died_on: Option<Cow<'a, str>>,
    pub fire_on: Option<Cow<'a, str>>,
    pub amount_fen: i64,
    /// The documents ticked on the checklist, codes of the type's list in its order.
    pub documents: Vec<Cow<'a, str>>,
    /// `collecting`, `submitted`, `approved`, `paid` or `rejected`.
    pub status: Cow<'a, str>,
    /// Why the claim was not approved (`rejected`); the header's `reason` is a withdrawal's.
    pub reject_reason: Cow<'a, str>,
    pub paid_fen: i64,
    pub paid_on: Option<Cow<'a, str>>,
    pub note: Cow<'a, str>,
}
