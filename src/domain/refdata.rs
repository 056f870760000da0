//! Reference data embedded from `data/` at build time and parsed once.
//!
//! The files are part of the binary, so a broken file is a programming error: it panics on
//! first use, and the tests below parse every file so that it never reaches a user.

use crate::safe_text::terminal_safe;
use crate::text::Lang;
use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub code: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceKind {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Group code: six_deliveries, hardship_aid, seasonal, own_forms, more.
    pub group: String,
    /// Which extra form the kind needs: none, health_check, legal_aid.
    #[serde(default)]
    pub form: KindForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindForm {
    #[default]
    Plain,
    HealthCheck,
    LegalAid,
}

/// Labelled codes for categories, statuses and groups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// A Tianjin district or county code that is no longer in use, and its successor.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredDistrict {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Code of the current district that covers the area.
    pub now: String,
}

/// How a surname is read when it differs from the character's usual reading.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurnameReading {
    /// One or two characters.
    pub zh: String,
    /// One plain syllable per character, lower case ("zeng"; "yu", "chi").
    pub pinyin: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    province: Vec<Region>,
    tianjin_district: Vec<Region>,
    tianjin_retired: Vec<RetiredDistrict>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceKindsFile {
    /// Kinds shipped by an earlier jingong and since withdrawn: batches from a laptop that
    /// has not been updated still carry them.
    #[serde(default)]
    retired_kind: Vec<ServiceKind>,
    group: Vec<Labelled>,
    kind: Vec<ServiceKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegalAidFile {
    /// Categories and statuses an earlier jingong shipped and this one no longer offers.
    #[serde(default)]
    retired_category: Vec<Labelled>,
    #[serde(default)]
    retired_status: Vec<Labelled>,
    category: Vec<Labelled>,
    status: Vec<Labelled>,
    outcome: Vec<CaseOutcome>,
}

/// How a legal-aid case ended (结案). `status` is the existing visit status the closing visit
/// takes, so a closing travels in batches and counts in statistics like any closed visit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseOutcome {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub status: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SurnamesFile {
    surname: Vec<SurnameReading>,
}

const REGIONS_TOML: &str = include_str!("../../data/regions.toml");
const SERVICE_KINDS_TOML: &str = include_str!("../../data/service_kinds.toml");
const LEGAL_AID_TOML: &str = include_str!("../../data/legal_aid.toml");
const SURNAMES_TOML: &str = include_str!("../../data/surnames.toml");

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("embedded data/{name} is invalid: {e}"))
}

static REGIONS: LazyLock<RegionsFile> = LazyLock::new(|| parse("regions.toml", REGIONS_TOML));
static SERVICE_KINDS: LazyLock<ServiceKindsFile> =
    LazyLock::new(|| parse("service_kinds.toml", SERVICE_KINDS_TOML));
static LEGAL_AID: LazyLock<LegalAidFile> =
    LazyLock::new(|| parse("legal_aid.toml", LEGAL_AID_TOML));
static SURNAMES: LazyLock<SurnamesFile> = LazyLock::new(|| parse("surnames.toml", SURNAMES_TOML));

/// The 34 province-level regions (2-digit codes).
pub fn provinces() -> &'static [Region] {
    &REGIONS.province
}
/// Tianjin's 16 districts (6-digit codes).
pub fn tianjin_districts() -> &'static [Region] {
    &REGIONS.tianjin_district
}
/// Former Tianjin district and county codes still found in older ID numbers.
pub fn retired_tianjin_districts() -> &'static [RetiredDistrict] {
    &REGIONS.tianjin_retired
}
pub fn service_kinds() -> &'static [ServiceKind] {
    &SERVICE_KINDS.kind
}
pub fn service_groups() -> &'static [Labelled] {
    &SERVICE_KINDS.group
}
pub fn legal_aid_categories() -> &'static [Labelled] {
    &LEGAL_AID.category
}
/// Status after a visit; `open_statuses` are those a follow-up can continue.
pub fn legal_aid_statuses() -> &'static [Labelled] {
    &LEGAL_AID.status
}
/// Surname readings, compound (two-character) surnames first so that a caller trying them in
/// order matches 尉迟 before 尉.
pub fn surname_readings() -> &'static [SurnameReading] {
    static SORTED: LazyLock<Vec<SurnameReading>> = LazyLock::new(|| {
        let mut all = SURNAMES.surname.clone();
        // Stable, so the file's order is kept within each length.
        all.sort_by_key(|s| std::cmp::Reverse(s.zh.chars().count()));
        all
    });
    &SORTED
}

pub fn province(code2: &str) -> Option<&'static Region> {
    provinces().iter().find(|r| r.code == code2)
}
pub fn district(code6: &str) -> Option<&'static Region> {
    tianjin_districts().iter().find(|r| r.code == code6)
}
pub fn retired_district(code6: &str) -> Option<&'static RetiredDistrict> {
    retired_tianjin_districts().iter().find(|r| r.code == code6)
}
pub fn service_kind(code: &str) -> Option<&'static ServiceKind> {
    service_kinds().iter().find(|k| k.code == code)
}
pub fn service_group(code: &str) -> Option<&'static Labelled> {
    service_groups().iter().find(|g| g.code == code)
}
/// The kinds of one group, in catalog order.
pub fn service_kinds_in(group: &str) -> impl Iterator<Item = &'static ServiceKind> + use<'_> {
    service_kinds().iter().filter(move |k| k.group == group)
}
pub fn legal_aid_category(code: &str) -> Option<&'static Labelled> {
    legal_aid_categories().iter().find(|c| c.code == code)
}
pub fn legal_aid_status(code: &str) -> Option<&'static Labelled> {
    legal_aid_statuses().iter().find(|c| c.code == code)
}
/// The outcomes a case can be closed with, in catalog order.
pub fn legal_aid_outcomes() -> &'static [CaseOutcome] {
    &LEGAL_AID.outcome
}
pub fn legal_aid_outcome(code: &str) -> Option<&'static CaseOutcome> {
    legal_aid_outcomes().iter().find(|o| o.code == code)
}
/// A service kind no longer offered, from an earlier catalog.
pub fn retired_service_kind(code: &str) -> Option<&'static ServiceKind> {
    SERVICE_KINDS.retired_kind.iter().find(|k| k.code == code)
}
/// A legal-aid category no longer offered, from an earlier catalog.
pub fn retired_legal_aid_category(code: &str) -> Option<&'static Labelled> {
    LEGAL_AID.retired_category.iter().find(|c| c.code == code)
}
/// A legal-aid status no longer offered, from an earlier catalog.
pub fn retired_legal_aid_status(code: &str) -> Option<&'static Labelled> {
    LEGAL_AID.retired_status.iter().find(|c| c.code == code)
}
/// A service kind of any catalog jingong has shipped, current first: what a batch may carry.
pub fn service_kind_any_catalog(code: &str) -> Option<&'static ServiceKind> {
    service_kind(code).or_else(|| retired_service_kind(code))
}

/// A case is still open (a follow-up can continue it) unless resolved or referred.
pub fn legal_aid_status_is_open(code: &str) -> bool {
    !matches!(code, "resolved" | "referred")
}

/// The label of a code in the UI language: every catalog entry carries both.
macro_rules! named {
    ($($t:ty),*) => {$(
        impl $t {
            pub fn name(&self, lang: Lang) -> &str {
                lang.pick(&self.zh, &self.en)
            }
        }
    )*};
}
named!(Region, ServiceKind, Labelled, RetiredDistrict, CaseOutcome);

/// A code the catalog does not know (a record from a newer laptop's catalog, a hand-edited
/// database) is shown as itself, hidden characters made visible, so the officer sees what is
/// there rather than a blank that reads as "none".
fn unknown(code: &str) -> String {
    terminal_safe(code).into_owned()
}

/// The name of service kind `code` in `lang`.
pub fn service_kind_name(code: &str, lang: Lang) -> String {
    service_kind(code).map_or_else(|| unknown(code), |k| k.name(lang).to_string())
}

/// The name of Tianjin district `code6` in `lang`; no district (an empty code) is empty.
pub fn district_name(code6: &str, lang: Lang) -> String {
    district(code6).map_or_else(|| unknown(code6), |d| d.name(lang).to_string())
}

/// The name of legal-aid category `code` in `lang`.
pub fn legal_aid_category_name(code: &str, lang: Lang) -> String {
    legal_aid_category(code).map_or_else(|| unknown(code), |c| c.name(lang).to_string())
}

/// The name of legal-aid status `code` in `lang`.
pub fn legal_aid_status_name(code: &str, lang: Lang) -> String {
    legal_aid_status(code).map_or_else(|| unknown(code), |c| c.name(lang).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn assert_labelled<'a>(
        what: &str,
        entries: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) {
        let mut seen = HashSet::new();
        for (code, zh, en) in entries {
            assert!(!code.trim().is_empty(), "{what}: empty code");
            assert!(seen.insert(code), "{what}: duplicate code {code}");
            assert!(!zh.trim().is_empty(), "{what} {code}: no Chinese name");
            assert!(!en.trim().is_empty(), "{what} {code}: no English name");
            assert_eq!(zh, zh.trim(), "{what} {code}: stray spaces");
            assert_eq!(en, en.trim(), "{what} {code}: stray spaces");
        }
    }

    fn triples<'a, T>(
        items: &'a [T],
        f: impl Fn(&'a T) -> (&'a str, &'a str, &'a str),
    ) -> Vec<(&'a str, &'a str, &'a str)> {
        items.iter().map(f).collect()
    }

    #[test]
    fn every_entry_has_a_unique_code_and_both_languages() {
        let region = |r: &'static Region| (r.code.as_str(), r.zh.as_str(), r.en.as_str());
        let label = |l: &'static Labelled| (l.code.as_str(), l.zh.as_str(), l.en.as_str());
        assert_labelled("province", triples(provinces(), region));
        assert_labelled("district", triples(tianjin_districts(), region));
        assert_labelled(
            "retired district",
            triples(retired_tianjin_districts(), |r| {
                (r.code.as_str(), r.zh.as_str(), r.en.as_str())
            }),
        );
        assert_labelled(
            "service kind",
            triples(service_kinds(), |k| {
                (k.code.as_str(), k.zh.as_str(), k.en.as_str())
            }),
        );
        assert_labelled("service group", triples(service_groups(), label));
        assert_labelled("legal-aid category", triples(legal_aid_categories(), label));
        assert_labelled("legal-aid status", triples(legal_aid_statuses(), label));
    }

    #[test]
    fn every_outcome_closes_the_case_with_a_known_status() {
        let codes: Vec<&str> = legal_aid_outcomes()
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        for wanted in ["resolved_paid", "mediated", "court_judgment", "referred"] {
            assert!(codes.contains(&wanted), "{wanted} missing from {codes:?}");
        }
        for o in legal_aid_outcomes() {
            assert!(
                legal_aid_status(&o.status).is_some(),
                "{}: {}",
                o.code,
                o.status
            );
            assert!(
                !legal_aid_status_is_open(&o.status),
                "{} leaves the case open",
                o.code
            );
            assert!(!o.zh.is_empty() && !o.en.is_empty());
        }
    }

    #[test]
    fn thirty_four_provinces_with_the_gb_codes() {
        let codes: Vec<&str> = provinces().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
                "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
                "63", "64", "65", "71", "81", "82"
            ]
        );
        assert_eq!(province("12").unwrap().zh, "天津市");
        assert!(province("99").is_none());
    }

    #[test]
    fn sixteen_tianjin_districts() {
        assert_eq!(tianjin_districts().len(), 16);
        for d in tianjin_districts() {
            assert_eq!(d.code.len(), 6, "{}", d.code);
            assert!(d.code.starts_with("12"), "{}", d.code);
            assert!(d.code.bytes().all(|b| b.is_ascii_digit()), "{}", d.code);
        }
        assert_eq!(district("120116").unwrap().zh, "滨海新区");
        assert_eq!(district("120119").unwrap().en, "Jizhou");
    }

    #[test]
    fn retired_districts_point_at_current_ones() {
        for r in retired_tianjin_districts() {
            assert!(
                district(&r.code).is_none(),
                "{} is both current and retired",
                r.code
            );
            assert!(
                district(&r.now).is_some(),
                "{} -> unknown {}",
                r.code,
                r.now
            );
        }
        assert_eq!(retired_district("120107").unwrap().now, "120116");
    }

    #[test]
    fn service_kind_codes_are_exactly_the_agreed_set() {
        let codes: Vec<&str> = service_kinds().iter().map(|k| k.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "job",
                "skills",
                "rights",
                "health",
                "warmth",
                "culture",
                "relief_money",
                "gift_package",
                "legal_service",
                "spring_jobs",
                "summer_cooling",
                "school_aid",
                "winter_warmth",
                "health_check",
                "legal_aid",
                "training",
                "books",
                "paid_leave",
            ]
        );
        let groups: Vec<&str> = service_groups().iter().map(|g| g.code.as_str()).collect();
        assert_eq!(
            groups,
            [
                "six_deliveries",
                "hardship_aid",
                "seasonal",
                "own_forms",
                "more"
            ]
        );
        for k in service_kinds() {
            assert!(
                service_group(&k.group).is_some(),
                "{}: group {}",
                k.code,
                k.group
            );
        }
        assert_eq!(service_kinds_in("six_deliveries").count(), 6);
    }

    #[test]
    fn only_the_own_form_kinds_need_a_form() {
        for k in service_kinds() {
            let expected = match k.code.as_str() {
                "health_check" => KindForm::HealthCheck,
                "legal_aid" => KindForm::LegalAid,
                _ => KindForm::Plain,
            };
            assert_eq!(k.form, expected, "{}", k.code);
        }
    }

    #[test]
    fn legal_aid_codes() {
        let cats: Vec<&str> = legal_aid_categories()
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            cats,
            [
                "wage_arrears",
                "labour_contract",
                "work_injury",
                "social_insurance",
                "dismissal",
                "other"
            ]
        );
        let statuses: Vec<&str> = legal_aid_statuses()
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(
            statuses,
            [
                "open",
                "mediating",
                "arbitration",
                "litigation",
                "resolved",
                "referred"
            ]
        );
        assert!(legal_aid_status_is_open("mediating"));
        assert!(!legal_aid_status_is_open("resolved"));
        assert!(!legal_aid_status_is_open("referred"));
        assert_eq!(legal_aid_category("wage_arrears").unwrap().zh, "欠薪");
    }

    #[test]
    fn surname_readings_are_well_formed_and_compound_first() {
        let all = surname_readings();
        assert!(!all.is_empty());
        let mut seen = HashSet::new();
        for s in all {
            assert!(seen.insert(s.zh.as_str()), "duplicate surname {}", s.zh);
            let n = s.zh.chars().count();
            assert!(n == 1 || n == 2, "{}", s.zh);
            assert_eq!(s.pinyin.len(), n, "{}: one syllable per character", s.zh);
            for syl in &s.pinyin {
                assert!(
                    !syl.is_empty() && syl.bytes().all(|b| b.is_ascii_lowercase()),
                    "{}: {syl}",
                    s.zh
                );
            }
        }
        let first_single = all.iter().position(|s| s.zh.chars().count() == 1).unwrap();
        assert!(
            all[first_single..]
                .iter()
                .all(|s| s.zh.chars().count() == 1)
        );
        let zeng = all.iter().find(|s| s.zh == "曾").unwrap();
        assert_eq!(zeng.pinyin, ["zeng"]);
    }

    #[test]
    fn labels_follow_the_language_and_an_unknown_code_shows_itself() {
        assert_eq!(service_kind_name("summer_cooling", Lang::Zh), "夏送清凉");
        assert_eq!(
            service_kind_name("summer_cooling", Lang::En),
            "Summer cooling"
        );
        assert_eq!(district_name("120104", Lang::Zh), "南开区");
        assert_eq!(district_name("120104", Lang::En), "Nankai");
        assert_eq!(district_name("", Lang::Zh), "");
        assert_eq!(
            district_name("120107", Lang::Zh),
            "120107",
            "retired: not a district now"
        );
        assert_eq!(legal_aid_category_name("wage_arrears", Lang::Zh), "欠薪");
        assert_eq!(
            service_kind_name("new_kind\u{202e}", Lang::Zh),
            "new_kind\\u{202e}"
        );
        assert_eq!(
            legal_aid_status_name("resolved", Lang::Zh),
            legal_aid_status("resolved").unwrap().zh
        );
    }
}
