//! The one search used by the CLI and the TUI. A query is classified (Chinese text, Latin
//! letters, digits) and answered by index range lookups only, class by class in rank order
//! (exact, prefix, inner, then employer and worksite), each limited, merged without
//! duplicates.

use super::tables::worker::{HIT_COLUMNS, hit_from_row};
use super::{Result, Store};
use chrono::NaiveDate;
use rusqlite::types::Value;
use std::collections::HashSet;

/// Matches are counted exactly up to this many; beyond it the count shows as "1000+".
pub const COUNT_CAP: usize = 1000;

/// The largest code point: `q` .. `q + MAX` bounds every string that starts with `q`.
const MAX_CHAR: char = '\u{10FFFF}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryClass {
    /// No query: every live worker, newest registration first.
    All,
    Chinese,
    Latin,
    Digits,
    /// Nothing in the query can match a name, a pinyin key, an ID number or a phone.
    Unsearchable,
}

/// How well a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    Exact,
    Prefix,
    Inner,
    /// The query is part of the worker's employer or worksite name.
    Workplace,
}

/// One row of the workers list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub id_number: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub employer: String,
    pub last_served_on: Option<NaiveDate>,
    pub rank: Rank,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Distinct matches, exact up to `COUNT_CAP`.
    pub total: usize,
    /// True when there are more than `total` matches (the count stopped at the cap).
    pub more: bool,
}

/// One index lookup of a query class: SQL returning worker ids in rank order, and its rank.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub rank: Rank,
    pub sql: &'static str,
    pub params: Vec<Value>,
}

/// What the query looks like once spaces, separators and case are normalised.
pub fn classify(query: &str) -> (QueryClass, String) {
    let q: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\'' | '’'))
        .collect();
    if q.is_empty() {
        return (QueryClass::All, q);
    }
    if q.chars()
        .all(|c| c.is_ascii_digit() || c == 'x' || c == 'X')
        && q.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return (QueryClass::Digits, q.to_ascii_uppercase());
    }
    if q.chars().all(|c| c.is_ascii_alphabetic()) {
        return (QueryClass::Latin, q.to_ascii_lowercase());
    }
    if q.chars().any(is_han) {
        return (QueryClass::Chinese, q.replace(['.', '•', '・', '・'], "·"));
    }
    (QueryClass::Unsearchable, q)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn upper(prefix: &str) -> String {
    format!("{prefix}{MAX_CHAR}")
}

/// The index lookups that answer `query`, in rank order. Each SQL takes `?1..` from `params`
/// followed by the row limit as its last parameter.
pub fn lookups(query: &str) -> (QueryClass, Vec<Lookup>) {
    let (class, q) = classify(query);
    let mut out = Vec::new();
    let mut add = |rank, sql, params: Vec<Value>| out.push(Lookup { rank, sql, params });
    match class {
        QueryClass::All | QueryClass::Unsearchable => {}
        QueryClass::Chinese => {
            add(
                Rank::Exact,
                "SELECT id FROM worker WHERE name = ?1 AND deleted_at IS NULL LIMIT ?2",
                vec![text(&q)],
            );
            add(
                Rank::Prefix,
                "SELECT id FROM worker WHERE name > ?1 AND name < ?2 AND deleted_at IS NULL
                 ORDER BY name LIMIT ?3",
                vec![text(&q), text(upper(&q))],
            );
            let chars: Vec<char> = q.chars().collect();
            if chars.len() == 1 {
                add(
                    Rank::Inner,
                    "SELECT worker_id FROM search_term WHERE term = ?1 LIMIT ?2",
                    vec![text(format!("g:{q}"))],
                );
            } else if chars.len() == 2 {
                // The key is the whole query and holds only live workers' inner pieces: no
                // need to read the worker rows to check.
                add(
                    Rank::Inner,
                    "SELECT worker_id FROM search_term WHERE term = ?1 LIMIT ?2",
                    vec![text(format!("b:{q}"))],
                );
            } else {
                add(
                    Rank::Inner,
                    "SELECT t.worker_id FROM search_term t JOIN worker w ON w.id = t.worker_id
                     WHERE t.term = ?1 AND instr(w.name, ?2) > 1 AND w.deleted_at IS NULL
                     LIMIT ?3",
                    vec![text(format!("b:{}{}", chars[0], chars[1])), text(&q)],
                );
            }
            let piece = match chars.as_slice() {
                [one] => format!("1:{one}"),
                [first, second, ..] => format!("2:{first}{second}"),
                [] => unreachable!("a Chinese query has a character"),
            };
            // After every name match: the workers of each employer, then of each worksite,
            // whose name holds the query.
            add(
                Rank::Workplace,
                "SELECT w.id FROM workplace_term t JOIN worker w ON w.employer = t.name
                 WHERE t.term = ?1 AND instr(t.name, ?2) > 0
                   AND w.deleted_at IS NULL AND w.employer <> '' LIMIT ?3",
                vec![text(&piece), text(&q)],
            );
            add(
                Rank::Workplace,
                "SELECT w.id FROM workplace_term t JOIN worker w ON w.worksite = t.name
                 WHERE t.term = ?1 AND instr(t.name, ?2) > 0
                   AND w.deleted_at IS NULL AND w.worksite <> '' LIMIT ?3",
                vec![text(&piece), text(&q)],
            );
        }
        QueryClass::Latin => {
            add(
                Rank::Exact,
                "SELECT worker_id FROM search_term WHERE term IN (?1, ?2) LIMIT ?3",
                vec![text(format!("i:{q}")), text(format!("p:{q}"))],
            );
            for tag in ["p:", "i:"] {
                let key = format!("{tag}{q}");
                add(
                    Rank::Prefix,
                    "SELECT worker_id FROM search_term WHERE term > ?1 AND term < ?2 LIMIT ?3",
                    vec![text(&key), text(upper(&key))],
                );
            }
        }
        QueryClass::Digits => {
            let n = q.chars().count();
            let is_phone_like = !q.contains('X');
            if n == 18 {
                add(
                    Rank::Exact,
                    "SELECT id FROM worker WHERE id_number = ?1 AND deleted_at IS NULL LIMIT ?2",
                    vec![text(&q)],
                );
            }
            if is_phone_like && n == 11 {
                add(
                    Rank::Exact,
                    "SELECT id FROM worker WHERE phone = ?1 AND deleted_at IS NULL
                       AND phone <> '' LIMIT ?2",
                    vec![text(&q)],
                );
            }
            if n < 18 {
                add(
                    Rank::Prefix,
                    "SELECT id FROM worker WHERE id_number > ?1 AND id_number < ?2
                       AND deleted_at IS NULL ORDER BY id_number LIMIT ?3",
                    vec![text(&q), text(upper(&q))],
                );
            }
            if is_phone_like && (3..11).contains(&n) {
                add(
                    Rank::Prefix,
                    "SELECT id FROM worker WHERE phone > ?1 AND phone < ?2
                       AND deleted_at IS NULL AND phone <> '' ORDER BY phone LIMIT ?3",
                    vec![text(&q), text(upper(&q))],
                );
            }
            if (4..=6).contains(&n) {
                let rev: String = q.chars().rev().collect();
                add(
                    Rank::Inner,
                    "SELECT id FROM worker WHERE id_number_rev >= ?1 AND id_number_rev < ?2
                       AND deleted_at IS NULL ORDER BY id_number_rev LIMIT ?3",
                    vec![text(&rev), text(upper(&rev))],
                );
                if is_phone_like && n == 4 {
                    add(
                        Rank::Inner,
                        "SELECT id FROM worker WHERE phone_rev >= ?1 AND phone_rev < ?2
                           AND deleted_at IS NULL AND phone <> '' ORDER BY phone_rev LIMIT ?3",
                        vec![text(&rev), text(upper(&rev))],
                    );
                }
            }
        }
    }
    (class, out)
}

impl Store {
    /// Searches live workers. `offset`/`limit` select one page of the ranked matches.
    pub fn search(&self, query: &str, offset: usize, limit: usize) -> Result<SearchPage> {
        let (class, lookups) = lookups(query);
        if class == QueryClass::All {
            return self.browse(offset, limit);
        }
        // One more than we show or count, to know whether there are more.
        let horizon = (offset + limit).max(COUNT_CAP);
        let wanted = horizon + 1;
        let mut seen: HashSet<i64> = HashSet::new();
        let mut ranked: Vec<(i64, Rank)> = Vec::new();
        for lookup in &lookups {
            if ranked.len() >= wanted {
                break;
            }
            let mut stmt = self.conn.prepare_cached(lookup.sql)?;
            let mut params = lookup.params.clone();
            params.push(Value::Integer(wanted as i64));
            let ids = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get::<_, i64>(0))?;
            for id in ids {
                let id = id?;
                if seen.insert(id) {
                    ranked.push((id, lookup.rank));
                    if ranked.len() >= wanted {
                        break;
                    }
                }
            }
        }
        let more = ranked.len() > horizon;
        let total = ranked.len().min(horizon);
        let page: Vec<(i64, Rank)> = ranked.into_iter().skip(offset).take(limit).collect();
        let hits = self.hits_for(&page)?;
        Ok(SearchPage { hits, total, more })
    }

    /// Every live worker, newest registration first.
    fn browse(&self, offset: usize, limit: usize) -> Result<SearchPage> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM worker WHERE deleted_at IS NULL ORDER BY id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let page: Vec<(i64, Rank)> = stmt
            .query_map([limit as i64, offset as i64], |r| r.get::<_, i64>(0))?
            .map(|id| id.map(|id| (id, Rank::Exact)))
            .collect::<rusqlite::Result<_>>()?;
        let hits = self.hits_for(&page)?;
        let total = self.live_worker_tally()? as usize;
        Ok(SearchPage {
            hits,
            total,
            more: false,
        })
    }

    fn hits_for(&self, page: &[(i64, Rank)]) -> Result<Vec<SearchHit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {HIT_COLUMNS} FROM worker w WHERE w.id = ?1"
        ))?;
        let mut hits = Vec::with_capacity(page.len());
        for &(id, rank) in page {
            let hit = stmt.query_row([id], |r| hit_from_row(r, rank))?;
            hits.push(hit);
        }
        Ok(hits)
    }

    /// `EXPLAIN QUERY PLAN` of every lookup for `query`, for tests that forbid table scans.
    pub fn explain_search(&self, query: &str) -> Result<Vec<(String, Vec<String>)>> {
        let (_, lookups) = lookups(query);
        let mut plans = Vec::new();
        for lookup in lookups {
            let mut stmt = self
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", lookup.sql))?;
            let mut params = lookup.params.clone();
            params.push(Value::Integer(10));
            let details = stmt
                .query_map(rusqlite::params_from_iter(params), |r| {
                    r.get::<_, String>(3)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            plans.push((lookup.sql.to_string(), details));
        }
        Ok(plans)
    }
}
