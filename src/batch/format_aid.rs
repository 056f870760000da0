//! Format 3 records: what a worker asks for (`needs.jsonl`) and the mutual-aid claims of
//! card-holding members (`claims.jsonl`). Like the other records they serialise on export
//! straight from SQLite rows and deserialise, owning their text, on verify and import.

use super::format::RecordHeader;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

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
