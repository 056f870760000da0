//! Legal-aid cases: the chain of visits linked by `follows_uid`. A case stands where its latest
//! live visit says, and counts that visit's claimed and recovered amounts (as the statistics
//! do). Closing (结案) is one more visit with a closed status and an outcome, so a closing
//! travels in batches like any visit.

use super::services::insert_service;
use super::workers::{RecordRef, audit};
use super::{Result, Store, StoreError};
use crate::domain::name::validate_text;
use crate::domain::refdata;
use crate::domain::validate::LONG_TEXT;
use crate::domain::{Field, FieldError, LegalAid, Rule, Service, ServiceInput};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use std::collections::{HashMap, HashSet};

/// Longest chain walked: far beyond any real case, and it stops a loop of links in a batch
/// from another laptop from running forever.
const MAX_VISITS: usize = 10_000;

/// One case of a worker, as its latest visit leaves it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LegalCase {
    /// The first visit, which opened the case.
    pub first_uid: String,
    /// The latest live visit: where the case stands.
    pub latest_uid: String,
    pub category: String,
    pub status: String,
    /// Outcome code of a closed case, empty while open or when closed without one.
    pub outcome: String,
    pub open: bool,
    pub visits: usize,
    pub opened_on: NaiveDate,
    pub latest_on: NaiveDate,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
}

/// What the officer says when closing a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseClosing {
    /// Code from data/legal_aid.toml outcomes.
    pub outcome: String,
    /// The amount recovered in the end; None keeps the latest visit's figure.
    pub recovered_fen: Option<i64>,
    pub note: String,
    /// The day of closing; None means today.
    pub closed_on: Option<NaiveDate>,
}

impl Store {
    /// A worker's legal-aid cases, open ones first, then newest first.
    pub fn legal_cases_of_worker(&self, worker_uid: &str) -> Result<Vec<LegalCase>> {
        let visits: Vec<Service> = self
            .services_of_worker(worker_uid)?
            .into_iter()
            .filter(|s| s.legal.is_some())
            .collect();
        let by_uid: HashMap<&str, &Service> = visits.iter().map(|s| (s.uid.as_str(), s)).collect();
        let continued: HashSet<&str> = visits
            .iter()
            .filter_map(|s| s.legal.as_ref()?.follows_uid.as_deref())
            .collect();
        let mut cases = Vec::new();
        for latest in visits
            .iter()
            .filter(|s| !continued.contains(s.uid.as_str()))
        {
            let legal = latest.legal.as_ref().expect("filtered to legal-aid visits");
            let mut first = latest;
            let mut count = 1;
            while let Some(earlier) = first
                .legal
                .as_ref()
                .and_then(|l| l.follows_uid.as_deref())
                .and_then(|uid| by_uid.get(uid))
            {
                if count >= MAX_VISITS {
                    break;
                }
                first = earlier;
                count += 1;
            }
            cases.push(LegalCase {
                first_uid: first.uid.clone(),
                latest_uid: latest.uid.clone(),
                category: legal.category.clone(),
                status: legal.status.clone(),
                outcome: self.case_outcome(latest.id)?,
                open: refdata::legal_aid_status_is_open(&legal.status),
                visits: count,
                opened_on: first.served_on,
                latest_on: latest.served_on,
                claimed_fen: legal.claimed_fen,
                recovered_fen: legal.recovered_fen,
            });
        }
        cases.sort_by(|a, b| {
            b.open
                .cmp(&a.open)
                .then(b.latest_on.cmp(&a.latest_on))
                .then(b.latest_uid.cmp(&a.latest_uid))
        });
        Ok(cases)
    }

    fn case_outcome(&self, service_id: i64) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached("SELECT outcome FROM legal_aid WHERE service_id = ?1")?
            .query_row([service_id], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    /// Closes the case that `visit_uid` belongs to (any of its visits) with a new visit: the
    /// outcome's closed status, the case's category and claimed amount, the recovered amount
    /// given (or the latest one), following the latest visit.
    pub fn close_legal_case(
        &mut self,
        visit_uid: &str,
        closing: &CaseClosing,
    ) -> Result<RecordRef> {
        let outcome = match closing.outcome.trim() {
            "" => return Err(FieldError::new(Field::Outcome, Rule::Required).into()),
            code => refdata::legal_aid_outcome(code).ok_or_else(|| {
                FieldError::new(
                    Field::Outcome,
                    Rule::UnknownCode {
                        code: code.to_string(),
                    },
                )
            })?,
        };
        let note = validate_text(Field::Note, &closing.note, LONG_TEXT)?;
        if closing.recovered_fen.is_some_and(|fen| fen < 0) {
            return Err(FieldError::new(Field::Recovered, Rule::MoneyNegative).into());
        }
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        if closing.closed_on.is_some_and(|d| d > today) {
            return Err(FieldError::new(Field::Date, Rule::DateInFuture).into());
        }
        let tx = self.conn.transaction()?;
        let start = live_visit(&tx, visit_uid)?.ok_or_else(|| StoreError::NotFound {
            what: visit_uid.to_string(),
        })?;
        let mut latest = start;
        for _ in 0..MAX_VISITS {
            let next: Option<String> = tx
                .prepare_cached(
                    "SELECT s.uid FROM legal_aid l JOIN service s ON s.id = l.service_id
                     WHERE l.follows_uid = ?1 AND s.deleted_at IS NULL
                     ORDER BY s.served_on DESC, s.id DESC LIMIT 1",
                )?
                .query_row([&latest.uid], |r| r.get(0))
                .optional()?;
            match next.map(|uid| live_visit(&tx, &uid)).transpose()?.flatten() {
                Some(visit) => latest = visit,
                None => break,
            }
        }
        if !refdata::legal_aid_status_is_open(&latest.status) {
            return Err(StoreError::CaseClosed { uid: latest.uid });
        }
        let input = ServiceInput {
            kind: latest.kind.clone(),
            served_on: Some(closing.closed_on.unwrap_or(today)),
            place: String::new(),
            quantity: 1,
            amount_fen: 0,
            note: String::new(),
            event_uid: None,
            health: None,
            legal: Some(LegalAid {
                category: latest.category.clone(),
                description: note,
                status: outcome.status.clone(),
                claimed_fen: latest.claimed_fen,
                recovered_fen: closing.recovered_fen.unwrap_or(latest.recovered_fen),
                follows_uid: Some(latest.uid.clone()),
            }),
        };
        let uid = uuid::Uuid::now_v7().to_string();
        let id = insert_service(&tx, &uid, latest.worker_id, &input, today, officer, &now)?;
        tx.execute(
            "UPDATE legal_aid SET outcome = ?2 WHERE service_id = ?1",
            params![id, outcome.code],
        )?;
        audit(&tx, &now, officer, "service", &uid, 1, "create", "outcome")?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid,
            version: 1,
        })
    }
}

/// The fields of a live legal-aid visit a closing needs.
struct Visit {
    uid: String,
    worker_id: i64,
    kind: String,
    category: String,
    status: String,
    claimed_fen: i64,
    recovered_fen: i64,
}

fn live_visit(conn: &rusqlite::Connection, uid: &str) -> Result<Option<Visit>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.uid, s.worker_id, s.kind, l.category, l.status, l.claimed_fen,
                    l.recovered_fen
             FROM service s JOIN legal_aid l ON l.service_id = s.id
                  JOIN worker w ON w.id = s.worker_id
             WHERE s.uid = ?1 AND s.deleted_at IS NULL AND w.deleted_at IS NULL",
        )?
        .query_row([uid], |r| {
            Ok(Visit {
                uid: r.get(0)?,
                worker_id: r.get(1)?,
                kind: r.get(2)?,
                category: r.get(3)?,
                status: r.get(4)?,
                claimed_fen: r.get(5)?,
                recovered_fen: r.get(6)?,
            })
        })
        .optional()?)
}
