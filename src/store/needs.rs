//! What workers ask for: needs raised, answered by the services recorded for them, or closed
//! by hand. Every write bumps the need's version and appends to the audit in one transaction.

use super::version::next_version;
use super::workers::{RecordRef, audit, live_worker_by_uid};
use super::{Result, Store, StoreError};
use crate::domain::needs::{Need, NeedInput, NeedState, answers, check_close, kinds_answered_by};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

const NEED_COLUMNS: &str = "n.uid, n.version, w.uid, n.kind, n.raised_on, n.note, n.state,
    n.answered_by, n.settled_on, n.close_note, n.created_at";

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn need_from_row(r: &Row) -> rusqlite::Result<Need> {
    Ok(Need {
        uid: r.get(0)?,
        version: r.get(1)?,
        worker_uid: r.get(2)?,
        kind: r.get(3)?,
        raised_on: date(r.get(4)?).unwrap_or_default(),
        note: r.get(5)?,
        state: NeedState::from_code(&r.get::<_, String>(6)?).unwrap_or(NeedState::Open),
        answered_by: r.get(7)?,
        settled_on: date(r.get(8)?),
        close_note: r.get(9)?,
        created_at: r.get(10)?,
    })
}

/// A need in a list of many workers' needs: the worker's name and ID number beside it (the
/// caller masks the number).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NeedRow {
    pub need: Need,
    pub worker_name: String,
    pub id_number: String,
}

/// Which needs to list: one worker's or everyone's, open only or all, one page.
#[derive(Debug, Clone, Default)]
pub struct NeedQuery {
    pub worker_uid: Option<String>,
    pub open_only: bool,
    pub offset: usize,
    pub limit: usize,
}

impl Store {
    /// Records what a live worker asks for.
    pub fn add_need(&mut self, worker_uid: &str, input: &NeedInput) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let worker = live_worker_by_uid(&tx, worker_uid)?;
        let uid = uuid::Uuid::now_v7().to_string();
        tx.prepare_cached(
            "INSERT INTO need(uid, created_at, updated_at, officer_id, worker_id, kind, raised_on,
                note)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            uid,
            now,
            officer,
            worker.id,
            input.kind,
            input.raised_on.format("%Y-%m-%d").to_string(),
            input.note,
        ])?;
        let id = tx.last_insert_rowid();
        audit(&tx, &now, officer, "need", &uid, 1, "create", "")?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid,
            version: 1,
        })
    }

    pub fn need_by_uid(&self, uid: &str) -> Result<Option<Need>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {NEED_COLUMNS} FROM need n JOIN worker w ON w.id = n.worker_id
                     WHERE n.uid = ?1 AND n.deleted_at IS NULL"
                ),
                [uid],
                need_from_row,
            )
            .optional()?)
    }

    /// A worker's needs, open first, then newest raised first (a worker has a handful).
    pub fn needs_of_worker(&self, worker_uid: &str) -> Result<Vec<Need>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {NEED_COLUMNS} FROM need n JOIN worker w ON w.id = n.worker_id
             WHERE w.uid = ?1 AND n.deleted_at IS NULL
             ORDER BY n.state <> 'open', n.raised_on DESC, n.id DESC"
        ))?;
        let rows = stmt
            .query_map([worker_uid], need_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One page of needs of live workers, oldest raised first: the ones waiting longest lead.
    pub fn list_needs(&self, query: &NeedQuery) -> Result<Vec<NeedRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {NEED_COLUMNS}, w.name, w.id_number
             FROM need n JOIN worker w ON w.id = n.worker_id
             WHERE n.deleted_at IS NULL AND w.deleted_at IS NULL
               AND (?1 IS NULL OR n.worker_id = (SELECT id FROM worker WHERE uid = ?1))
               AND (NOT ?2 OR n.state = 'open')
             ORDER BY n.raised_on, n.id
             LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt
            .query_map(
                params![
                    query.worker_uid,
                    query.open_only,
                    query.limit as i64,
                    query.offset as i64
                ],
                |r| {
                    Ok(NeedRow {
                        need: need_from_row(r)?,
                        worker_name: r.get(11)?,
                        id_number: r.get(12)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Closes an open need by hand, with the officer's note. `expected_version` guards against
    /// closing a need changed elsewhere since it was shown.
    pub fn close_need(
        &mut self,
        uid: &str,
        note: &str,
        expected_version: Option<i64>,
    ) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.conn.transaction()?;
        let current: Option<(i64, i64, String)> = tx
            .query_row(
                "SELECT id, version, state FROM need WHERE uid = ?1 AND deleted_at IS NULL",
                [uid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, version, state)) = current else {
            return Err(StoreError::NotFound {
                what: uid.to_string(),
            });
        };
        if let Some(expected) = expected_version
            && expected != version
        {
            return Err(StoreError::StaleVersion {
                expected,
                found: version,
            });
        }
        check_close(NeedState::from_code(&state).unwrap_or(NeedState::Open))?;
        let version = next_version(version)?;
        tx.execute(
            "UPDATE need SET state = 'closed', settled_on = ?2, close_note = ?3, version = ?4,
                updated_at = ?5, officer_id = ?6
             WHERE id = ?1",
            params![
                id,
                today.format("%Y-%m-%d").to_string(),
                note,
                version,
                now,
                officer
            ],
        )?;
        audit(
            &tx,
            &now,
            officer,
            "need",
            uid,
            version,
            "close",
            "state,close_note",
        )?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid: uid.to_string(),
            version,
        })
    }
}

/// A need's row, uid and the version a change writes.
pub(crate) struct NeedVersion<'a> {
    pub id: i64,
    pub uid: &'a str,
    pub version: i64,
}

/// Writes who answered a need (the service and the day it was met) or, with `None`, opens it
/// again, as `need.version`, with its audit row naming `fields`.
pub(crate) fn write_need_answer(
    tx: &Connection,
    need: NeedVersion,
    answer: Option<(&str, NaiveDate)>,
    fields: &str,
    officer: i64,
    now: &str,
) -> Result<()> {
    let (answered_by, settled_on) = match answer {
        Some((service_uid, on)) => (Some(service_uid), Some(on.format("%Y-%m-%d").to_string())),
        None => (None, None),
    };
    tx.prepare_cached(
        "UPDATE need SET state = CASE WHEN ?2 IS NULL THEN 'open' ELSE 'answered' END,
            answered_by = ?2, settled_on = ?3, version = ?4, updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![need.id, answered_by, settled_on, need.version, now])?;
    let action = if answer.is_some() { "answer" } else { "reopen" };
    audit(
        tx,
        now,
        officer,
        "need",
        need.uid,
        need.version,
        action,
        fields,
    )
}

/// Marks the worker's open needs that a service of `kind` served on `served_on` answers, in
/// the caller's transaction (the one recording the service). Returns how many.
#[allow(clippy::too_many_arguments)] // the service's facts and the write's stamp
pub(crate) fn answer_open_needs(
    tx: &Connection,
    worker_id: i64,
    service_uid: &str,
    kind: &str,
    served_on: NaiveDate,
    officer: i64,
    now: &str,
) -> Result<usize> {
    if kinds_answered_by(kind).is_empty() {
        return Ok(0);
    }
    let open: Vec<(i64, String, i64, String, String)> = tx
        .prepare_cached(
            "SELECT id, uid, version, kind, raised_on FROM need
             WHERE worker_id = ?1 AND state = 'open' AND deleted_at IS NULL",
        )?
        .query_map([worker_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut answered = 0;
    for (id, uid, version, need_kind, raised_on) in open {
        let raised_on = date(Some(raised_on)).unwrap_or_default();
        if !answers(&need_kind, raised_on, kind, served_on) {
            continue;
        }
        let version = next_version(version)?;
        let need = NeedVersion {
            id,
            uid: &uid,
            version,
        };
        write_need_answer(
            tx,
            need,
            Some((service_uid, served_on)),
            "state,answered_by",
            officer,
            now,
        )?;
        answered += 1;
    }
    Ok(answered)
}
