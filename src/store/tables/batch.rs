//! The `batch` table: one row per batch exported here or imported from another laptop, and
//! its columns.

use crate::store::{Result, Store};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// One row of the batch history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchRow {
    pub id: i64,
    pub uid: String,
    pub previous_batch_uid: Option<String>,
    pub device_id: String,
    pub created_at: String,
    pub path: String,
    /// `exported` (made here) or `imported` (merged from another laptop).
    pub direction: String,
    /// `writing` (an export that has not finished) or `complete`.
    pub status: String,
    pub worker_count: i64,
    pub event_count: i64,
    pub service_count: i64,
    pub manifest_sha256: String,
}

const BATCH_COLUMNS: &str = "id, uid, previous_batch_uid, device_id, created_at, path, direction,
    status, worker_count, event_count, service_count, manifest_sha256";

fn batch_from_row(r: &Row) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        id: r.get(0)?,
        uid: r.get(1)?,
        previous_batch_uid: r.get(2)?,
        device_id: r.get(3)?,
        created_at: r.get(4)?,
        path: r.get(5)?,
        direction: r.get(6)?,
        status: r.get(7)?,
        worker_count: r.get(8)?,
        event_count: r.get(9)?,
        service_count: r.get(10)?,
        manifest_sha256: r.get(11)?,
    })
}

/// What is known about a batch before its files exist.
#[derive(Debug, Clone)]
pub struct NewBatch<'a> {
    pub uid: &'a str,
    pub previous_batch_uid: Option<&'a str>,
    pub device_id: &'a str,
    pub officer_id: Option<i64>,
    pub created_at: &'a str,
    pub path: &'a str,
    pub direction: &'a str,
    pub status: &'a str,
}

pub fn insert_batch(conn: &Connection, batch: &NewBatch) -> Result<i64> {
    conn.execute(
        "INSERT INTO batch(uid, previous_batch_uid, device_id, officer_id, created_at, path,
            direction, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            batch.uid,
            batch.previous_batch_uid,
            batch.device_id,
            batch.officer_id,
            batch.created_at,
            batch.path,
            batch.direction,
            batch.status
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn complete_batch(
    conn: &Connection,
    batch_id: i64,
    counts: &[i64],
    manifest_sha256: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE batch SET status = 'complete', worker_count = ?2, event_count = ?3,
            service_count = ?4, manifest_sha256 = ?5
         WHERE id = ?1",
        params![batch_id, counts[0], counts[1], counts[2], manifest_sha256],
    )?;
    Ok(())
}

/// Forgets an export that never produced a folder. Its items, if any, go with it.
pub fn discard_batch(conn: &Connection, batch_id: i64) -> Result<()> {
    conn.execute("DELETE FROM batch_item WHERE batch_id = ?1", [batch_id])?;
    conn.execute("DELETE FROM batch WHERE id = ?1", [batch_id])?;
    Ok(())
}

impl Store {
    /// Every batch, oldest first.
    pub fn batches(&self) -> Result<Vec<BatchRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {BATCH_COLUMNS} FROM batch ORDER BY id"))?;
        let rows = stmt
            .query_map([], batch_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Exports that started but were not seen to finish (the process died).
    pub fn unfinished_exports(&self) -> Result<Vec<BatchRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batch WHERE status = 'writing' ORDER BY id"
        ))?;
        let rows = stmt
            .query_map([], batch_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn batch_by_uid(&self, uid: &str) -> Result<Option<BatchRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {BATCH_COLUMNS} FROM batch WHERE uid = ?1"),
                [uid],
                batch_from_row,
            )
            .optional()?)
    }

    /// The uid of this device's latest complete export: the next batch names it.
    pub fn last_export_uid(&self, device_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT uid FROM batch
                 WHERE device_id = ?1 AND direction = 'exported' AND status = 'complete'
                 ORDER BY id DESC LIMIT 1",
                [device_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
