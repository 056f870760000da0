//! Needs raised in bulk by the fast doors: a roster's need column and the ticks of quick
//! entry. A worker never gets a second open need of a kind already open for them.

use super::workers::{audit, live_worker_by_uid};
use super::{Result, Store};
use crate::domain::needs::need_kind;
use crate::domain::{Field, FieldError, Rule};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// Raises a need of `kind` for the worker unless one of that kind is already open, in the
/// caller's transaction. Returns whether one was raised.
pub(crate) fn raise_need_once(
    tx: &Connection,
    worker_id: i64,
    kind: &str,
    raised_on: NaiveDate,
    officer: i64,
    now: &str,
) -> Result<bool> {
    if need_kind(kind).is_none() {
        return Err(FieldError::new(
            Field::NeedKind,
            Rule::UnknownCode {
                code: kind.to_string(),
            },
        )
        .into());
    }
    let already_open: bool = tx
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM need
             WHERE worker_id = ?1 AND kind = ?2 AND state = 'open' AND deleted_at IS NULL)",
        )?
        .query_row(params![worker_id, kind], |r| r.get(0))?;
    if already_open {
        return Ok(false);
    }
    let uid = uuid::Uuid::now_v7().to_string();
    tx.prepare_cached(
        "INSERT INTO need(uid, created_at, updated_at, officer_id, worker_id, kind, raised_on)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        uid,
        now,
        officer,
        worker_id,
        kind,
        raised_on.format("%Y-%m-%d").to_string()
    ])?;
    audit(tx, now, officer, "need", &uid, 1, "create", "")?;
    Ok(true)
}

impl Store {
    /// Raises today the needs of `kinds` the worker does not already have open, in one
    /// transaction (all or none). Returns how many were raised.
    pub fn raise_needs(&mut self, worker_uid: &str, kinds: &[String]) -> Result<usize> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.conn.transaction()?;
        let worker = live_worker_by_uid(&tx, worker_uid)?;
        let raised = raise_needs_once(&tx, worker.id, kinds, today, officer, &now)?;
        tx.commit()?;
        Ok(raised)
    }
}

/// Raises the row's needs of a roster for the worker, each kind once. Returns how many.
pub(crate) fn raise_needs_once(
    tx: &Connection,
    worker_id: i64,
    kinds: &[String],
    raised_on: NaiveDate,
    officer: i64,
    now: &str,
) -> Result<usize> {
    let mut raised = 0;
    for kind in kinds {
        if raise_need_once(tx, worker_id, kind, raised_on, officer, now)? {
            raised += 1;
        }
    }
    Ok(raised)
}
