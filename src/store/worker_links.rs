//! One person, several worker records (the same ID number registered on two laptops): the
//! record shown and the others linked to it (see migration 8).

use super::Result;
use super::batch_queries::rowid_of;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A worker record of a person shown through another record (see migration 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedRecord {
    pub uid: String,
    /// The row of the person, whose services are every record's.
    pub worker_id: i64,
    pub version: i64,
    pub updated_at: String,
    pub deleted: bool,
    pub officer_device: String,
    /// The record as the batch format writes it.
    pub record_json: String,
}

const LINK_COLUMNS: &str =
    "uid, worker_id, version, updated_at, deleted, officer_device, record_json";

fn link_from_row(r: &Row) -> rusqlite::Result<LinkedRecord> {
    Ok(LinkedRecord {
        uid: r.get(0)?,
        worker_id: r.get(1)?,
        version: r.get(2)?,
        updated_at: r.get(3)?,
        deleted: r.get(4)?,
        officer_device: r.get(5)?,
        record_json: r.get(6)?,
    })
}

pub fn link_of(conn: &Connection, uid: &str) -> Result<Option<LinkedRecord>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {LINK_COLUMNS} FROM worker_link WHERE uid = ?1"
        ))?
        .query_row([uid], link_from_row)
        .optional()?)
}

/// The other records of the person shown by worker row `worker_id` (a handful at most).
pub fn links_of_person(conn: &Connection, worker_id: i64) -> Result<Vec<LinkedRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LINK_COLUMNS} FROM worker_link WHERE worker_id = ?1 ORDER BY uid"
    ))?;
    let rows = stmt
        .query_map([worker_id], link_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn upsert_link(conn: &Connection, link: &LinkedRecord) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO worker_link(uid, worker_id, version, updated_at, deleted, officer_device,
            record_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(uid) DO UPDATE SET worker_id = excluded.worker_id,
            version = excluded.version, updated_at = excluded.updated_at,
            deleted = excluded.deleted, officer_device = excluded.officer_device,
            record_json = excluded.record_json",
    )?
    .execute(params![
        link.uid,
        link.worker_id,
        link.version,
        link.updated_at,
        link.deleted,
        link.officer_device,
        link.record_json
    ])?;
    Ok(())
}

pub fn remove_link(conn: &Connection, uid: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM worker_link WHERE uid = ?1")?
        .execute([uid])?;
    Ok(())
}

/// The worker row a service of worker `uid` belongs to: the record's own row, or the row of
/// the person it is linked to.
pub fn person_row_of(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    if let Some(id) = rowid_of(conn, "worker", uid)? {
        return Ok(Some(id));
    }
    Ok(conn
        .prepare_cached("SELECT worker_id FROM worker_link WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

/// The row id of the live worker holding `id_number`, other than `except_uid`.
pub fn live_holder_id(conn: &Connection, id_number: &str, except_uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM worker WHERE id_number = ?1 AND deleted_at IS NULL AND uid <> ?2",
        )?
        .query_row(params![id_number, except_uid], |r| r.get(0))
        .optional()?)
}

/// The row of the person holding `id_number` under a uid other than `except_uid`: a live
/// worker if there is one, else a withdrawn one (the lowest row: any is the same person).
pub fn person_holding(conn: &Connection, id_number: &str, except_uid: &str) -> Result<Option<i64>> {
    if let Some(id) = live_holder_id(conn, id_number, except_uid)? {
        return Ok(Some(id));
    }
    Ok(conn
        .prepare_cached(
            "SELECT id FROM worker
             WHERE id_number = ?1 AND deleted_at IS NOT NULL AND uid <> ?2
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![id_number, except_uid], |r| r.get(0))
        .optional()?)
}

/// Gives worker row `id` another record's uid (the person is now shown through it).
pub fn set_worker_uid(conn: &Connection, id: i64, uid: &str) -> Result<()> {
    conn.prepare_cached("UPDATE worker SET uid = ?2 WHERE id = ?1")?
        .execute(params![id, uid])?;
    Ok(())
}
