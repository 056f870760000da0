//! Needs raised in bulk by the fast doors: a roster's need column and the ticks of quick
//! entry. A worker never gets a second open need of a kind already open for them.

use super::workers::{audit, live_worker_by_uid};
use super::{Result, Store};
use crate::domain::needs::need_kind;
use crate::domain::{Field, FieldError, Rule};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

/// Raises a need of `kind` for the worker unless one of that kind is already open, in the
/// caller's transaction. Returns the new need's uid, `None` when one was open already.
pub(crate) fn raise_need_once(
    tx: &Connection,
    worker_id: i64,
    kind: &str,
    raised_on: NaiveDate,
    officer: i64,
    now: &str,
) -> Result<Option<String>> {
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
        return Ok(None);
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
    Ok(Some(uid))
}

impl Store {
    /// Raises today the needs of `kinds` the worker does not already have open, in one
    /// transaction (all or none). Returns the uids of the needs raised (quick entry's undo
    /// takes them back with the record they came with).
    pub fn raise_needs(&mut self, worker_uid: &str, kinds: &[String]) -> Result<Vec<String>> {
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

/// Raises the needs of `kinds` for the worker, each kind once. Returns the uids raised.
pub(crate) fn raise_needs_once(
    tx: &Connection,
    worker_id: i64,
    kinds: &[String],
    raised_on: NaiveDate,
    officer: i64,
    now: &str,
) -> Result<Vec<String>> {
    let mut raised = Vec::new();
    for kind in kinds {
        raised.extend(raise_need_once(
            tx, worker_id, kind, raised_on, officer, now,
        )?);
    }
    Ok(raised)
}

/// Undo (`deleted`) or redo of the needs raised with a quick-entry record (its service
/// `service_uid`), in the caller's transaction: a need still open or answered by that
/// service, never exported, becomes a tombstone, and one such tombstone becomes live again
/// unless the worker has an open need of its kind by then. A need that has left in a batch,
/// was withdrawn, closed by hand or answered by another service since is left alone.
/// Returns how many changed.
pub(crate) fn take_back_raised_needs(
    tx: &Connection,
    uids: &[String],
    service_uid: &str,
    deleted: bool,
    officer: i64,
    now: &str,
) -> Result<usize> {
    let mut changed = 0;
    for uid in uids {
        let row: Option<(i64, i64)> = tx
            .prepare_cached(
                "SELECT n.id, n.version FROM need n
                 WHERE n.uid = ?1 AND n.exported_version = 0 AND n.withdraw_reason = ''
                   AND (n.deleted_at IS NULL) = ?2
                   AND (n.state = 'open' OR n.answered_by = ?3)
                   AND NOT EXISTS (SELECT 1 FROM returned_record rr WHERE rr.record_uid = n.uid)
                   AND (?2 OR n.state <> 'open' OR NOT EXISTS (
                        SELECT 1 FROM need o
                         WHERE o.worker_id = n.worker_id AND o.kind = n.kind
                           AND o.state = 'open' AND o.deleted_at IS NULL))",
            )?
            .query_row(params![uid, deleted, service_uid], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((id, version)) = row else { continue };
        let version = super::version::next_version(version)?;
        tx.prepare_cached(
            "UPDATE need SET deleted_at = ?2, updated_at = ?3, version = ?4, officer_id = ?5
             WHERE id = ?1",
        )?
        .execute(params![id, deleted.then_some(now), now, version, officer])?;
        let (action, fields) = if deleted {
            ("delete", "")
        } else {
            ("update", "deleted_at")
        };
        audit(tx, now, officer, "need", uid, version, action, fields)?;
        changed += 1;
    }
    Ok(changed)
}
