//! SQL for the batch layer's bookkeeping: what waits for export and marking it exported,
//! how a record stands here before a merge, and which rows an incoming record meets. The
//! export queries and their decoders are the tables' own (`store::tables`).

use super::{Result, Store};
use rusqlite::{Connection, OptionalExtension, Row, params};

// What the batch layer reaches through this module, now kept by job in the files named.
pub use super::conflicts::{
    ConflictRow, PersonConflict, insert_conflict, mark_conflict_resolved, set_person_conflicts,
    worker_held_in_conflict,
};
pub use super::merge_writes::{
    MergedEvent, MergedHeader, MergedService, MergedWorker, write_merged_event,
    write_merged_service, write_merged_worker,
};
pub use super::tables::batch::{BatchRow, NewBatch, complete_batch, discard_batch, insert_batch};
pub use super::worker_links::{
    LinkedRecord, link_of, links_of_person, live_holder_id, person_holding, person_row_of,
    remove_link, set_worker_uid, upsert_link,
};

/// The three record tables, in the order batches hold them.
pub const RECORD_TABLES: [&str; 3] = ["worker", "event", "service"];

/// Runs `sql` and hands each row to `visit` without collecting them.
pub fn for_each_row<E: From<rusqlite::Error>>(
    conn: &Connection,
    sql: &str,
    mut visit: impl FnMut(&Row) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        visit(row)?;
    }
    Ok(())
}

/// How many versions of `table` wait for export, and the sum of those versions. Versions
/// only grow and rows are never removed, so while no export marks anything the pair can only
/// grow: an unchanged pair means exactly the same versions are still waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendingFingerprint {
    pub count: i64,
    pub version_sum: i64,
}

pub fn pending_fingerprint(conn: &Connection, table: &str) -> Result<PendingFingerprint> {
    debug_assert!(super::tables::is_record_table(table));
    Ok(conn.query_row(
        &format!(
            "SELECT count(*), coalesce(sum(version), 0) FROM {table}
             WHERE version > exported_version"
        ),
        [],
        |r| {
            Ok(PendingFingerprint {
                count: r.get(0)?,
                version_sum: r.get(1)?,
            })
        },
    )?)
}

/// Marks every waiting version of `table` exported in `batch_id`. Only correct when the
/// waiting set is the one the batch holds (see `PendingFingerprint`).
pub fn mark_all_pending(conn: &Connection, table: &str, batch_id: i64) -> Result<()> {
    debug_assert!(super::tables::is_record_table(table));
    conn.execute(
        &format!(
            "INSERT INTO batch_item(batch_id, table_name, record_uid, version)
             SELECT ?1, '{table}', uid, version FROM {table} WHERE version > exported_version"
        ),
        [batch_id],
    )?;
    // By ranges of row ids: SQLite keeps the rows an UPDATE changes in a temporary table
    // (in memory here) when the change moves them out of the index the WHERE reads, about
    // 350 bytes a worker; one statement over a million workers and three million services
    // held over half a gigabyte.
    let (first, last): (i64, i64) = conn.query_row(
        &format!("SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM {table}"),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut update = conn.prepare(&format!(
        "UPDATE {table} SET exported_version = version
         WHERE id > ?1 AND id <= ?2 AND version > exported_version"
    ))?;
    let mut from = first.saturating_sub(1);
    while from < last {
        let to = from.saturating_add(MARK_RANGE);
        update.execute([from, to])?;
        from = to;
    }
    Ok(())
}

/// Row ids marked per statement by `mark_all_pending`: bounds its memory to a few MB.
const MARK_RANGE: i64 = 20_000;

/// Marks one record version exported in `batch_id`; a later version stays waiting.
pub fn mark_one(
    conn: &Connection,
    table: &str,
    uid: &str,
    version: i64,
    batch_id: i64,
) -> Result<()> {
    debug_assert!(super::tables::is_record_table(table));
    conn.prepare_cached(&format!(
        "UPDATE {table} SET exported_version = ?2 WHERE uid = ?1 AND exported_version < ?2"
    ))?
    .execute(params![uid, version])?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO batch_item(batch_id, table_name, record_uid, version)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![batch_id, table, uid, version])?;
    Ok(())
}

/// Record versions waiting for the next batch, per kind, and how many of them are deletions
/// (tombstones of any kind).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waiting {
    pub workers: i64,
    pub events: i64,
    pub services: i64,
    /// Format 3: needs and mutual-aid claims together.
    pub aid: i64,
    pub deletions: i64,
}

impl Waiting {
    pub fn total(&self) -> i64 {
        self.workers + self.events + self.services + self.aid
    }
}

impl Store {
    /// Whether a live or deleted record with this uid exists in `table`.
    pub fn record_exists(&self, table: &str, uid: &str) -> Result<bool> {
        debug_assert!(super::tables::is_record_table(table));
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE uid = ?1"))?
            .query_row([uid], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// What the next export would carry. Reads every waiting row (for the deletions), so on a
    /// large first export it takes a moment: the TUI asks from a background thread.
    pub fn waiting_for_export(&self) -> Result<Waiting> {
        let tx = self.conn().unchecked_transaction()?;
        let mut waiting = Waiting::default();
        for &table in RECORD_TABLES.iter().chain(&super::tables::AID_TABLES) {
            let (count, deleted): (i64, i64) = tx.query_row(
                &format!(
                    "SELECT count(*), count(deleted_at) FROM {table}
                     WHERE version > exported_version"
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            match table {
                "worker" => waiting.workers = count,
                "event" => waiting.events = count,
                "service" => waiting.services = count,
                _ => waiting.aid += count,
            }
            waiting.deletions += deleted;
        }
        tx.finish()?;
        Ok(waiting)
    }
}

/// A local record as the merge needs to see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalVersion {
    pub id: i64,
    pub version: i64,
    /// Below `version` when this database holds an edit not yet exported.
    pub exported_version: i64,
    pub updated_at: String,
}

impl LocalVersion {
    /// An officer's change made here that no batch has carried yet. (Imported versions
    /// arrive marked exported, so they never count.)
    pub fn unexported(&self) -> bool {
        self.version > self.exported_version
    }
}

pub fn local_version(conn: &Connection, table: &str, uid: &str) -> Result<Option<LocalVersion>> {
    debug_assert!(super::tables::is_record_table(table));
    Ok(conn
        .prepare_cached(&format!(
            "SELECT id, version, exported_version, updated_at FROM {table} WHERE uid = ?1"
        ))?
        .query_row([uid], |r| {
            Ok(LocalVersion {
                id: r.get(0)?,
                version: r.get(1)?,
                exported_version: r.get(2)?,
                updated_at: r.get(3)?,
            })
        })
        .optional()?)
}

/// Gives a local edit that is kept over an incoming higher version the version above it, so
/// that every receiver (the city, the other laptop) ends on the copy kept here instead of
/// dropping it as older. The content stays as the officer left it; the renumbering is a change
/// of this database, so `updated_at` says when it happened.
pub fn renumber_local_edit(
    conn: &Connection,
    table: &str,
    id: i64,
    version: i64,
    now: &str,
) -> Result<()> {
    debug_assert!(super::tables::is_record_table(table));
    conn.prepare_cached(&format!(
        "UPDATE {table} SET version = ?2, updated_at = ?3 WHERE id = ?1 AND version < ?2"
    ))?
    .execute(params![id, version, now])?;
    Ok(())
}

/// Gives record row `id` of `table` a new version written here by `officer_id` at `now`, its
/// content unchanged (a conflict resolved by keeping the local copy).
pub fn restamp_local_copy(
    conn: &Connection,
    table: &str,
    id: i64,
    version: i64,
    now: &str,
    officer_id: i64,
) -> Result<()> {
    debug_assert!(super::tables::is_record_table(table));
    conn.execute(
        &format!("UPDATE {table} SET version = ?2, updated_at = ?3, officer_id = ?4 WHERE id = ?1"),
        params![id, version, now, officer_id],
    )?;
    Ok(())
}

/// Sets how far record row `id` of `table` counts as exported: below its version, the row
/// waits for the next export like any edit made here.
pub fn set_exported_version(
    conn: &Connection,
    table: &str,
    id: i64,
    exported_version: i64,
) -> Result<()> {
    debug_assert!(super::tables::is_record_table(table));
    conn.execute(
        &format!("UPDATE {table} SET exported_version = ?2 WHERE id = ?1"),
        params![id, exported_version],
    )?;
    Ok(())
}

/// The uid of the live worker holding `id_number`, other than `except_uid`.
pub fn live_holder_of_id_number(
    conn: &Connection,
    id_number: &str,
    except_uid: &str,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT uid FROM worker WHERE id_number = ?1 AND deleted_at IS NULL AND uid <> ?2",
        )?
        .query_row(params![id_number, except_uid], |r| r.get(0))
        .optional()?)
}

/// The row id of a record by uid, deleted or not.
pub fn rowid_of(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    debug_assert!(super::tables::is_record_table(table));
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

/// The birth date of the worker `uid` (live or withdrawn), for checking the dates of
/// incoming services.
pub fn birth_date_of_worker(conn: &Connection, uid: &str) -> Result<Option<chrono::NaiveDate>> {
    let text: Option<String> = conn
        // A record linked to a person here (the same ID number on another laptop) has the
        // person's birth date.
        .prepare_cached(
            "SELECT birth_date FROM worker WHERE uid = ?1
             UNION ALL
             SELECT w.birth_date FROM worker_link l JOIN worker w ON w.id = l.worker_id
             WHERE l.uid = ?1
             LIMIT 1",
        )?
        .query_row([uid], |r| r.get(0))
        .optional()?;
    Ok(text.and_then(|t| chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()))
}
