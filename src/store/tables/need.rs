//! The `need` table as batches carry it: the export queries (the header of
//! `export_row::header_columns` first), the write of a version from another laptop, and the
//! answering of needs by the services that arrived in batches.

use super::export_row::{Cells, ExportSql};
use crate::domain::needs::need_kind;
use crate::domain::records::NeedRecord;
use crate::store::Result;
use crate::store::batch_queries::MergedHeader;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::sync::LazyLock;

/// The columns of an exported need after the header and the worker's uid, in the order
/// `exported_from_row` reads them.
const EXPORT_COLUMNS: &str = "n.kind, n.raised_on, n.note, n.state, n.answered_by,
    n.settled_on, n.close_note";

/// The export queries (header, worker uid, then `EXPORT_COLUMNS`).
pub static EXPORT_SQL: LazyLock<ExportSql> =
    LazyLock::new(|| ExportSql::of_worker_record("need", "n", EXPORT_COLUMNS));

/// A row of `EXPORT_SQL` as the batch line it becomes.
pub fn exported_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<NeedRecord<'r>> {
    let mut cells = Cells::new(row);
    let record = NeedRecord {
        header: cells.header(this_device)?,
        worker_uid: cells.text()?,
        kind: cells.text()?,
        raised_on: cells.text()?,
        note: cells.text()?,
        state: cells.text()?,
        answered_by: cells.opt_text()?,
        settled_on: cells.opt_text()?,
        close_note: cells.text()?,
    };
    cells.finish(record)
}

/// A need version from another laptop, as its batch line holds it.
#[derive(Debug, Clone)]
pub struct MergedNeed<'a> {
    pub header: MergedHeader<'a>,
    /// The row of the worker's person here.
    pub worker_id: i64,
    pub kind: &'a str,
    pub raised_on: &'a str,
    pub note: &'a str,
    pub state: &'a str,
    pub answered_by: Option<&'a str>,
    pub settled_on: Option<&'a str>,
    pub close_note: &'a str,
}

/// Inserts or overwrites (`existing`) a need from another laptop. The version arrives
/// already exported (its own laptop sends it); the state is the one sent, and an answer
/// derived here before is dropped (`settle_needs_of_people` derives it again).
pub fn write_merged_need(conn: &Connection, existing: Option<i64>, n: &MergedNeed) -> Result<()> {
    let h = &n.header;
    let reason = if h.deleted_at.is_some() { h.reason } else { "" };
    let values = params![
        h.uid,
        h.version,
        h.created_at,
        h.updated_at,
        h.officer_id,
        h.deleted_at,
        h.origin_device,
        reason,
        n.worker_id,
        n.kind,
        n.raised_on,
        n.note,
        n.state,
        n.answered_by,
        n.settled_on,
        n.close_note,
    ];
    let sql = if existing.is_none() {
        "INSERT INTO need(uid, version, exported_version, created_at, updated_at, officer_id,
            deleted_at, origin_device, withdraw_reason, worker_id, kind, raised_on, note, state,
            answered_by, settled_on, close_note)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    } else {
        "UPDATE need SET version = ?2, exported_version = ?2, created_at = ?3, updated_at = ?4,
            officer_id = ?5, deleted_at = ?6, origin_device = ?7, withdraw_reason = ?8,
            worker_id = ?9, kind = ?10, raised_on = ?11, note = ?12, state = ?13,
            answered_by = ?14, settled_on = ?15, close_note = ?16, answered_here = 0
         WHERE uid = ?1"
    };
    conn.prepare_cached(sql)?.execute(values)?;
    Ok(())
}

/// Derives again, for every person a batch brought a need or a service of, which needs the
/// services here answer: a need sent open is answered by the first live service of the
/// person (earliest `served_on`, then lowest uid) of a kind that answers it, served on or
/// after the day it was raised. The answer depends on the records alone, so every order of
/// the same batches ends the same; it makes no new version (the batch's laptops send their
/// own records). Only people with needs are looked at, so a large batch of services to
/// workers who asked for nothing costs one index probe per service. Returns how many needs
/// are answered this way.
pub fn settle_needs_of_people(conn: &Connection, batch_id: i64) -> Result<usize> {
    let people: Vec<i64> = conn
        .prepare_cached(
            "SELECT s.worker_id FROM batch_item b JOIN service s ON s.uid = b.record_uid
             WHERE b.batch_id = ?1 AND b.table_name = 'service'
               AND EXISTS (SELECT 1 FROM need n WHERE n.worker_id = s.worker_id)
             UNION
             SELECT n.worker_id FROM batch_item b JOIN need n ON n.uid = b.record_uid
             WHERE b.batch_id = ?1 AND b.table_name = 'need'",
        )?
        .query_map([batch_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut answered = 0;
    for person in people {
        answered += settle_needs_of_person(conn, person)?;
    }
    Ok(answered)
}

fn settle_needs_of_person(conn: &Connection, worker_id: i64) -> Result<usize> {
    conn.prepare_cached(
        "UPDATE need SET state = 'open', answered_by = NULL, settled_on = NULL, answered_here = 0
         WHERE worker_id = ?1 AND answered_here = 1",
    )?
    .execute([worker_id])?;
    let open: Vec<(i64, String, String)> = conn
        .prepare_cached(
            "SELECT id, kind, raised_on FROM need
             WHERE worker_id = ?1 AND state = 'open' AND deleted_at IS NULL",
        )?
        .query_map([worker_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut answered = 0;
    for (id, kind, raised_on) in open {
        let Some(service_kinds) = need_kind(&kind)
            .map(|k| k.answered_by.clone())
            .filter(|kinds| !kinds.is_empty())
        else {
            continue;
        };
        let list = serde_json::to_string(&service_kinds).expect("strings serialise");
        let first: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT uid, served_on FROM service
                 WHERE worker_id = ?1 AND deleted_at IS NULL AND served_on >= ?2
                   AND kind IN (SELECT value FROM json_each(?3))
                 ORDER BY served_on, uid LIMIT 1",
            )?
            .query_row(params![worker_id, raised_on, list], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((service_uid, served_on)) = first {
            conn.prepare_cached(
                "UPDATE need SET state = 'answered', answered_by = ?2, settled_on = ?3,
                    answered_here = 1
                 WHERE id = ?1",
            )?
            .execute(params![id, service_uid, served_on])?;
            answered += 1;
        }
    }
    Ok(answered)
}
