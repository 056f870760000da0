//! What an officer asks next on a worker's page (issue 14): which services this year, by
//! kind; which legal cases are still open; which health checks wait for their follow-up.
//! Each answer is one line on the page and one key away: the key narrows the record list to
//! it, and pressing it again (or Esc) shows every record again.

use crate::domain::Service;
use crate::domain::refdata;
use crate::store::legal_cases::LegalCase;
use crate::text::Lang;
use crate::tui::text::{T, tf};
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;

/// Which records the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) enum Focus {
    #[default]
    All,
    /// This year's services of one kind.
    Kind(String),
    /// The visits of legal cases still open.
    OpenCases,
    /// Health checks whose follow-up has not happened yet.
    FollowUps,
}

/// The answers, counted from the worker's records (already in memory for the page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Answers {
    pub year: i32,
    /// This year's services per kind, most first.
    pub by_kind: Vec<(String, usize)>,
    pub open_cases: usize,
    /// Follow-up dates not yet met by a later health check, earliest first.
    pub follow_ups: Vec<NaiveDate>,
}

/// A health check with a follow-up date counts as waiting until a later health check is
/// recorded for the worker.
fn follow_up_waiting(s: &Service, services: &[Service]) -> Option<NaiveDate> {
    let due = s.health.as_ref()?.follow_up_on?;
    let done = services
        .iter()
        .any(|later| later.health.is_some() && later.served_on > s.served_on);
    (!done).then_some(due)
}

/// The visit a legal-aid visit's case started with, following `follows_uid` back (at most as
/// many steps as there are records, so a loop in imported data ends).
fn case_root<'a>(s: &'a Service, services: &'a [Service]) -> &'a str {
    let mut current = s;
    for _ in 0..services.len() {
        let Some(previous) = current
            .legal
            .as_ref()
            .and_then(|l| l.follows_uid.as_deref())
            .and_then(|uid| services.iter().find(|e| e.uid == uid))
        else {
            break;
        };
        current = previous;
    }
    &current.uid
}

pub(super) fn answers(services: &[Service], cases: &[LegalCase], today: NaiveDate) -> Answers {
    let year = today.year();
    let mut by_kind: Vec<(String, usize)> = Vec::new();
    for s in services.iter().filter(|s| s.served_on.year() == year) {
        match by_kind.iter_mut().find(|(kind, _)| *kind == s.kind) {
            Some((_, n)) => *n += 1,
            None => by_kind.push((s.kind.clone(), 1)),
        }
    }
    by_kind.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut follow_ups: Vec<NaiveDate> = services
        .iter()
        .filter_map(|s| follow_up_waiting(s, services))
        .collect();
    follow_ups.sort();
    Answers {
        year,
        by_kind,
        open_cases: cases.iter().filter(|c| c.open).count(),
        follow_ups,
    }
}

/// Indexes into `services` of the records `focus` shows, in the list's order.
pub(super) fn shown(
    focus: &Focus,
    services: &[Service],
    cases: &[LegalCase],
    today: NaiveDate,
) -> Vec<usize> {
    let open_roots: HashSet<&str> = cases
        .iter()
        .filter(|c| c.open)
        .map(|c| c.first_uid.as_str())
        .collect();
    services
        .iter()
        .enumerate()
        .filter(|(_, s)| match focus {
            Focus::All => true,
            Focus::Kind(kind) => s.kind == *kind && s.served_on.year() == today.year(),
            Focus::OpenCases => s.legal.is_some() && open_roots.contains(case_root(s, services)),
            Focus::FollowUps => follow_up_waiting(s, services).is_some(),
        })
        .map(|(i, _)| i)
        .collect()
}

/// The next focus of the "this year by kind" key: every kind in turn, then all records.
pub(super) fn next_kind(focus: &Focus, answers: &Answers) -> Focus {
    let kinds: Vec<&String> = answers.by_kind.iter().map(|(k, _)| k).collect();
    let next = match focus {
        Focus::Kind(kind) => kinds
            .iter()
            .position(|k| *k == kind)
            .and_then(|i| kinds.get(i + 1)),
        _ => kinds.first(),
    };
    next.map(|k| Focus::Kind((*k).clone()))
        .unwrap_or(Focus::All)
}

/// "2026 年：免费查体 2 · 法律援助 1 (F5) | 未结案件 1 (c) | 待复查 1，最早 2026-04-01 (f)",
/// in rows of `room` columns: one when it fits, else the kinds on a row of their own.
pub(super) fn summary_rows(
    answers: &Answers,
    lang: Lang,
    keys: [&str; 3],
    room: usize,
) -> Vec<String> {
    let (kinds, rest) = summary(answers, lang, keys);
    let one = format!("{kinds} | {rest}");
    if ratatui::text::Line::from(one.as_str()).width() <= room {
        vec![one]
    } else {
        vec![kinds, rest]
    }
}

/// The kinds part and the cases–follow-ups part of the summary.
fn summary(answers: &Answers, lang: Lang, keys: [&str; 3]) -> (String, String) {
    let kinds = if answers.by_kind.is_empty() {
        tf(lang, T::YearNone, &[&answers.year.to_string()])
    } else {
        let list: Vec<String> = answers
            .by_kind
            .iter()
            .map(|(kind, n)| format!("{} {n}", refdata::service_kind_name(kind, lang)))
            .collect();
        tf(
            lang,
            T::YearByKind,
            &[&answers.year.to_string(), &list.join(" · ")],
        )
    };
    let with_key = |text: String, key: &str| {
        if key.is_empty() {
            text
        } else {
            format!("{text} ({key})")
        }
    };
    let cases = with_key(
        tf(lang, T::OpenCasesCount, &[&answers.open_cases.to_string()]),
        keys[1],
    );
    let follow_ups = match answers.follow_ups.first() {
        None => tf(lang, T::FollowUpsNone, &[]),
        Some(first) => tf(
            lang,
            T::FollowUpsDue,
            &[
                &answers.follow_ups.len().to_string(),
                &first.format("%Y-%m-%d").to_string(),
            ],
        ),
    };
    (
        with_key(kinds, keys[0]),
        format!("{cases} | {}", with_key(follow_ups, keys[2])),
    )
}

/// What the list shows when narrowed, for its heading; `None` for every record.
pub(super) fn label(focus: &Focus, answers: &Answers, lang: Lang) -> Option<String> {
    Some(match focus {
        Focus::All => return None,
        Focus::Kind(kind) => tf(
            lang,
            T::FocusKind,
            &[
                &answers.year.to_string(),
                &refdata::service_kind_name(kind, lang),
            ],
        ),
        Focus::OpenCases => tf(lang, T::FocusOpenCases, &[]),
        Focus::FollowUps => tf(lang, T::FocusFollowUps, &[]),
    })
}
