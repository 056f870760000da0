//! The mutual-aid catalog (`data/mutual_aid.toml`): claim types with their sums, the dates
//! each needs and its documents checklist. Parsed once; a broken file fails the tests.

use super::error::Field;
use crate::safe_text::terminal_safe;
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A date a claim type asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimDate {
    DiagnosedOn,
    AccidentOn,
    DiedOn,
    FireOn,
}

impl ClaimDate {
    pub const ALL: [ClaimDate; 4] = [
        ClaimDate::DiagnosedOn,
        ClaimDate::AccidentOn,
        ClaimDate::DiedOn,
        ClaimDate::FireOn,
    ];
    pub fn field(self) -> Field {
        match self {
            ClaimDate::DiagnosedOn => Field::DiagnosedOn,
            ClaimDate::AccidentOn => Field::AccidentOn,
            ClaimDate::DiedOn => Field::DiedOn,
            ClaimDate::FireOn => Field::FireOn,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            ClaimDate::DiagnosedOn => "diagnosed_on",
            ClaimDate::AccidentOn => "accident_on",
            ClaimDate::DiedOn => "died_on",
            ClaimDate::FireOn => "fire_on",
        }
    }
}

/// Whether a type pays a fixed sum or up to a sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountRule {
    Fixed,
    Maximum,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimType {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub amount: AmountRule,
    pub amount_yuan: i64,
    pub dates: Vec<ClaimDate>,
    #[serde(default)]
    pub in_protection: Option<ClaimDate>,
    #[serde(default)]
    pub death_within_days: Option<i64>,
    #[serde(default)]
    pub women_only: bool,
    pub documents: Vec<String>,
}

impl ClaimType {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
    /// The most a claim of this type may ask, in fen (the fixed sum for a fixed type).
    pub fn maximum_fen(&self) -> i64 {
        self.amount_yuan * 100
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimDocument {
    pub code: String,
    pub zh: String,
    pub en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MutualAidFile {
    document: Vec<ClaimDocument>,
    #[serde(rename = "type")]
    types: Vec<ClaimType>,
}

const MUTUAL_AID_TOML: &str = include_str!("../../data/mutual_aid.toml");

static MUTUAL_AID: LazyLock<MutualAidFile> = LazyLock::new(|| {
    toml::from_str(MUTUAL_AID_TOML)
        .unwrap_or_else(|e| panic!("embedded data/mutual_aid.toml is invalid: {e}"))
});

pub fn claim_types() -> &'static [ClaimType] {
    &MUTUAL_AID.types
}
pub fn claim_type(code: &str) -> Option<&'static ClaimType> {
    claim_types().iter().find(|t| t.code == code)
}
pub fn claim_documents() -> &'static [ClaimDocument] {
    &MUTUAL_AID.document
}
pub fn claim_type_name(code: &str, lang: Lang) -> String {
    claim_type(code).map_or_else(
        || terminal_safe(code).into_owned(),
        |t| t.name(lang).to_string(),
    )
}
pub fn document_name(code: &str, lang: Lang) -> String {
    claim_documents()
        .iter()
        .find(|d| d.code == code)
        .map_or_else(
            || terminal_safe(code).into_owned(),
            |d| lang.pick(&d.zh, &d.en).to_string(),
        )
}
