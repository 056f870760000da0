//! What a worker asks the union for (诉求): the catalog in `data/needs.toml` and the rule that
//! decides when a need is answered. A need stays open until a service of a kind that answers
//! it is recorded for the worker on or after the day it was raised, or an officer closes it.

use super::error::{Field, FieldError, Rule};
use super::name::{refuse_invisible, validate_text};
use super::validate::{LONG_TEXT, parse_done_on};
use crate::safe_text::terminal_safe;
use crate::text::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// One kind of need, with the service kinds that answer it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedKind {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Service kind codes (data/service_kinds.toml).
    pub answered_by: Vec<String>,
}

impl NeedKind {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedsFile {
    need: Vec<NeedKind>,
}

const NEEDS_TOML: &str = include_str!("../../data/needs.toml");

static NEEDS: LazyLock<NeedsFile> = LazyLock::new(|| {
    toml::from_str(NEEDS_TOML)
        .unwrap_or_else(|e| panic!("embedded data/needs.toml is invalid: {e}"))
});

/// Every need kind, in the order the checklist offers them.
pub fn need_kinds() -> &'static [NeedKind] {
    &NEEDS.need
}

pub fn need_kind(code: &str) -> Option<&'static NeedKind> {
    need_kinds().iter().find(|k| k.code == code)
}

/// The name of need kind `code` in `lang`; an unknown code shows itself, made visible.
pub fn need_kind_name(code: &str, lang: Lang) -> String {
    need_kind(code).map_or_else(
        || terminal_safe(code).into_owned(),
        |k| k.name(lang).to_string(),
    )
}

/// The need kinds a service of `service_kind` answers.
pub fn kinds_answered_by(service_kind: &str) -> Vec<&'static str> {
    need_kinds()
        .iter()
        .filter(|k| k.answered_by.iter().any(|s| s == service_kind))
        .map(|k| k.code.as_str())
        .collect()
}

/// Where a need stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedState {
    Open,
    /// A service of an answering kind was recorded for the worker.
    Answered,
    /// An officer closed it by hand (the worker no longer asks, or it was met elsewhere).
    Closed,
}

impl NeedState {
    pub fn code(self) -> &'static str {
        match self {
            NeedState::Open => "open",
            NeedState::Answered => "answered",
            NeedState::Closed => "closed",
        }
    }
    pub fn from_code(code: &str) -> Option<NeedState> {
        [NeedState::Open, NeedState::Answered, NeedState::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            NeedState::Open => lang.pick("待解决", "open"),
            NeedState::Answered => lang.pick("已回应", "answered"),
            NeedState::Closed => lang.pick("已关闭", "closed"),
        }
    }
}

/// A need as typed: the kind code, the day it was raised (empty: today) and a note.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NeedDraft {
    pub kind: String,
    pub raised_on: String,
    pub note: String,
}

/// A need ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedInput {
    pub kind: String,
    pub raised_on: NaiveDate,
    pub note: String,
}

/// A stored need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub uid: String,
    pub version: i64,
    pub worker_uid: String,
    pub kind: String,
    pub raised_on: NaiveDate,
    pub note: String,
    pub state: NeedState,
    /// The service that answered it, when one did.
    pub answered_by: Option<String>,
    /// The day it was answered or closed.
    pub settled_on: Option<NaiveDate>,
    pub close_note: String,
    pub created_at: String,
}

pub fn validate_need(
    draft: &NeedDraft,
    today: NaiveDate,
    born_on: Option<NaiveDate>,
) -> Result<NeedInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match refuse_invisible(Field::NeedKind, &draft.kind) {
        Ok("") => {
            errors.push(FieldError::new(Field::NeedKind, Rule::Required));
            ""
        }
        Ok(code) if need_kind(code).is_none() => {
            errors.push(FieldError::new(
                Field::NeedKind,
                Rule::UnknownCode {
                    code: code.to_string(),
                },
            ));
            code
        }
        Ok(code) => code,
        Err(e) => {
            errors.push(e);
            ""
        }
    };
    let raised_on = match refuse_invisible(Field::Date, &draft.raised_on) {
        Ok("") => Some(today),
        Ok(raw) => parse_done_on(Field::Date, raw, today, born_on)
            .map_err(|e| errors.push(e))
            .ok(),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let note = validate_text(Field::Note, &draft.note, LONG_TEXT)
        .map_err(|e| errors.push(e))
        .ok();
    match (raised_on, note) {
        (Some(raised_on), Some(note)) if errors.is_empty() => Ok(NeedInput {
            kind: kind.to_string(),
            raised_on,
            note,
        }),
        _ => Err(errors),
    }
}

/// Whether a service of `service_kind` delivered on `served_on` answers `need`: the need is
/// open, the kind answers it, and the service came on or after the day the need was raised
/// (a service delivered before the worker asked answered something else).
pub fn answers(
    need_kind_code: &str,
    raised_on: NaiveDate,
    service_kind: &str,
    served_on: NaiveDate,
) -> bool {
    served_on >= raised_on
        && need_kind(need_kind_code)
            .is_some_and(|k| k.answered_by.iter().any(|s| s == service_kind))
}

/// Closing by hand is for an open need only: an answered or closed one stays as it is.
pub fn check_close(state: NeedState) -> Result<(), FieldError> {
    match state {
        NeedState::Open => Ok(()),
        other => Err(FieldError::new(
            Field::NeedKind,
            Rule::NeedNotOpen {
                state: other.code().to_string(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::refdata;
    use std::collections::HashSet;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_catalog_has_the_agreed_needs_each_answered_by_known_kinds() {
        let codes: Vec<&str> = need_kinds().iter().map(|k| k.code.as_str()).collect();
        for wanted in [
            "wage_arrears",
            "skills_training",
            "job",
            "schooling",
            "health",
            "housing",
            "legal_advice",
            "counselling",
            "culture",
        ] {
            assert!(codes.contains(&wanted), "{wanted} missing");
        }
        let mut seen = HashSet::new();
        for k in need_kinds() {
            assert!(seen.insert(k.code.as_str()), "duplicate {}", k.code);
            assert!(
                !k.zh.trim().is_empty() && !k.en.trim().is_empty(),
                "{}",
                k.code
            );
            assert!(
                !k.answered_by.is_empty(),
                "{} has no answering kind",
                k.code
            );
            for s in &k.answered_by {
                assert!(
                    refdata::service_kind(s).is_some(),
                    "{}: unknown kind {s}",
                    k.code
                );
            }
        }
        assert_eq!(need_kind("wage_arrears").unwrap().zh, "欠薪维权");
        assert_eq!(
            need_kind_name("schooling", Lang::En),
            "Children's schooling"
        );
    }

    #[test]
    fn a_legal_aid_visit_answers_unpaid_wages_and_legal_advice_not_housing() {
        let answered = kinds_answered_by("legal_aid");
        assert!(answered.contains(&"wage_arrears"));
        assert!(answered.contains(&"legal_advice"));
        assert!(!answered.contains(&"housing"));
        assert!(kinds_answered_by("summer_cooling").is_empty());
    }

    #[test]
    fn a_service_answers_only_from_the_day_the_need_was_raised() {
        let raised = day("2026-03-10");
        assert!(answers("health", raised, "health_check", day("2026-03-10")));
        assert!(answers("health", raised, "health_check", day("2026-04-01")));
        assert!(!answers(
            "health",
            raised,
            "health_check",
            day("2026-03-09")
        ));
        assert!(!answers("health", raised, "job", day("2026-04-01")));
        assert!(!answers(
            "no_such_need",
            raised,
            "health_check",
            day("2026-04-01")
        ));
    }

    #[test]
    fn a_need_needs_a_known_kind_and_a_past_date() {
        let today = day("2026-11-29");
        let ok = validate_need(
            &NeedDraft {
                kind: "job".into(),
                ..Default::default()
            },
            today,
            None,
        )
        .unwrap();
        assert_eq!(ok.raised_on, today);
        let rules = |draft: NeedDraft| -> Vec<(Field, Rule)> {
            validate_need(&draft, today, None)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.field, e.rule))
                .collect()
        };
        assert_eq!(
            rules(NeedDraft::default()),
            [(Field::NeedKind, Rule::Required)]
        );
        assert_eq!(
            rules(NeedDraft {
                kind: "yacht".into(),
                raised_on: "2026-11-30".into(),
                ..Default::default()
            }),
            [
                (
                    Field::NeedKind,
                    Rule::UnknownCode {
                        code: "yacht".into()
                    }
                ),
                (Field::Date, Rule::DateInFuture)
            ]
        );
    }

    #[test]
    fn only_an_open_need_can_be_closed_by_hand() {
        assert!(check_close(NeedState::Open).is_ok());
        let refused = check_close(NeedState::Answered).unwrap_err();
        assert_eq!(refused.field, Field::NeedKind);
        assert!(
            refused.message(Lang::Zh).contains("已回应"),
            "{}",
            refused.message(Lang::Zh)
        );
        assert!(refused.message(Lang::En).contains("answered"));
        assert!(check_close(NeedState::Closed).is_err());
    }
}
