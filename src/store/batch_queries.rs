//! SQL for the batch layer: streaming the record versions not yet exported, the batch
//! history, marking versions exported, and writing merged records from other laptops.
//!
//! The export queries return columns in a fixed order: the nine header columns below, then
//! the kind's own fields. The batch layer maps them by position, so keep both in step (the
//! round-trip test fails when they drift).

use super::search_keys::note_workplaces;
use super::workers::{WorkerRow, delete_search_terms, insert_search_terms_of};
use super::{Result, Store};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params, params_from_iter};
use std::sync::LazyLock;

/// uid, version, origin_device, officer name, organisation, district, created_at,
/// updated_at, deleted_at.
pub const HEADER_COLUMNS: usize = 9;

pub const PENDING_WORKERS_SQL: &str = "
SELECT w.uid, w.version, w.origin_device, o.name, o.organisation, o.district_code,
       w.created_at, w.updated_at, w.deleted_at,
       w.id_number, w.name, w.gender, w.birth_date, w.phone, w.hometown_code, w.employer,
       w.worksite, w.trade, w.district_code, w.membership, w.card_no, w.hardship, w.note,
       w.withdraw_reason, w.erase_reason
FROM worker w JOIN officer o ON o.id = w.officer_id
WHERE w.version > w.exported_version
ORDER BY w.id";

pub const PENDING_EVENTS_SQL: &str = "
SELECT e.uid, e.version, e.origin_device, o.name, o.organisation, o.district_code,
       e.created_at, e.updated_at, e.deleted_at,
       e.name, e.kind, e.held_on, e.place, e.district_code, e.default_quantity,
       e.default_amount_fen, e.withdraw_reason
FROM event e JOIN officer o ON o.id = e.officer_id
WHERE e.version > e.exported_version
ORDER BY e.id";

/// After the header: worker uid, event uid, kind, served_on, place, quantity, amount_fen,
/// note; then a health-check flag and its eight fields; then a legal-aid flag and its six;
/// then the withdrawal reason and the erasure reason code (both '' when none).
pub const PENDING_SERVICES_SQL: &str = "
SELECT s.uid, s.version, s.origin_device, o.name, o.organisation, o.district_code,
       s.created_at, s.updated_at, s.deleted_at,
       w.uid, ev.uid, s.kind, s.served_on, s.place, s.quantity, s.amount_fen, s.note,
       h.service_id IS NOT NULL, h.provider, h.blood_pressure, h.glucose_tenths, h.findings,
       h.referral, h.follow_up_on, h.consent_by, h.consent_at,
       l.service_id IS NOT NULL, l.category, l.description, l.status, l.claimed_fen,
       l.recovered_fen, l.follows_uid, s.withdraw_reason, s.erase_reason
FROM service s
JOIN officer o ON o.id = s.officer_id
JOIN worker w ON w.id = s.worker_id
LEFT JOIN event ev ON ev.id = s.event_id
LEFT JOIN health_check h ON h.service_id = s.id
LEFT JOIN legal_aid l ON l.service_id = s.id
WHERE s.version > s.exported_version
ORDER BY s.id";

/// One record of `table` by row id, in the columns of its `PENDING_*_SQL` (so the batch
/// layer maps it the same way): the copy a merge lists when a newer copy replaces it.
pub fn record_by_id_sql(table: &str) -> &'static str {
    static SQL: LazyLock<[String; 3]> = LazyLock::new(|| {
        let by_id = |sql: &str, alias: &str| {
            let pending =
                format!("WHERE {alias}.version > {alias}.exported_version\nORDER BY {alias}.id");
            assert!(sql.contains(&pending), "the pending query ends as expected");
            sql.replace(&pending, &format!("WHERE {alias}.id = ?1"))
        };
        [
            by_id(PENDING_WORKERS_SQL, "w"),
            by_id(PENDING_EVENTS_SQL, "e"),
            by_id(PENDING_SERVICES_SQL, "s"),
        ]
    });
    match RECORD_TABLES.iter().position(|t| *t == table) {
        Some(index) => &SQL[index],
        None => super::tables::record_by_id_sql(table),
    }
}

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
            .conn()
            .prepare(&format!("SELECT {BATCH_COLUMNS} FROM batch ORDER BY id"))?;
        let rows = stmt
            .query_map([], batch_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Exports that started but were not seen to finish (the process died).
    pub fn unfinished_exports(&self) -> Result<Vec<BatchRow>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batch WHERE status = 'writing' ORDER BY id"
        ))?;
        let rows = stmt
            .query_map([], batch_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn batch_by_uid(&self, uid: &str) -> Result<Option<BatchRow>> {
        Ok(self
            .conn()
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
            .conn()
            .query_row(
                "SELECT uid FROM batch
                 WHERE device_id = ?1 AND direction = 'exported' AND status = 'complete'
                 ORDER BY id DESC LIMIT 1",
                [device_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether a live or deleted record with this uid exists in `table`.
    pub fn record_exists(&self, table: &str, uid: &str) -> Result<bool> {
        debug_assert!(super::tables::is_record_table(table));
        Ok(self
            .conn()
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE uid = ?1"))?
            .query_row([uid], |_| Ok(()))
            .optional()?
            .is_some())
    }
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

/// The header of a merged record: who made it where, and when.
#[derive(Debug, Clone)]
pub struct MergedHeader<'a> {
    pub uid: &'a str,
    pub version: i64,
    pub officer_id: i64,
    pub origin_device: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    pub deleted_at: Option<&'a str>,
    /// Why the record was withdrawn (format 2); '' when it was not, or the batch did not say.
    pub reason: &'a str,
}

/// Keeps the reason a merged record was withdrawn with (the write above stores the fields).
fn set_withdraw_reason(
    conn: &Connection,
    table: &str,
    h: &MergedHeader,
    existing: Option<i64>,
) -> Result<()> {
    debug_assert!(super::tables::is_record_table(table));
    let reason = if h.deleted_at.is_some() { h.reason } else { "" };
    // A row just inserted already holds the column's default, ''.
    if existing.is_none() && reason.is_empty() {
        return Ok(());
    }
    conn.prepare_cached(&format!(
        "UPDATE {table} SET withdraw_reason = ?2 WHERE uid = ?1"
    ))?
    .execute(params![h.uid, reason])?;
    Ok(())
}

/// A merged worker: its header and its own columns as the batch carries them (gender, birth
/// date and region included; verification checked that they agree with the ID number).
#[derive(Debug, Clone)]
pub struct MergedWorker<'a> {
    pub header: MergedHeader<'a>,
    pub row: WorkerRow<'a>,
}

/// Inserts or overwrites (`existing`) a worker from another laptop. The version arrives
/// already exported: its origin sent it to the city, so this database must not send it again.
pub fn write_merged_worker(
    conn: &Connection,
    existing: Option<i64>,
    w: &MergedWorker,
) -> Result<i64> {
    static INSERT: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO worker(uid, version, exported_version, created_at, updated_at,
                officer_id, deleted_at, origin_device, {})
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, {})",
            WorkerRow::column_list(),
            WorkerRow::placeholders(8)
        )
    });
    static UPDATE: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE worker SET version = ?2, exported_version = ?2, created_at = ?3,
                updated_at = ?4, officer_id = ?5, deleted_at = ?6, origin_device = ?7, {}
             WHERE uid = ?1",
            WorkerRow::assignments(8)
        )
    });
    let h = &w.header;
    let bound = w.row.bind();
    let head: [&dyn ToSql; 7] = [
        &h.uid,
        &h.version,
        &h.created_at,
        &h.updated_at,
        &h.officer_id,
        &h.deleted_at,
        &h.origin_device,
    ];
    let values = params_from_iter(head.into_iter().chain(bound.values()));
    // The search keys are derived from the name: the old ones are found from the old name.
    let previous_name: Option<String> = match existing {
        Some(id) => conn
            .prepare_cached("SELECT name FROM worker WHERE id = ?1 AND deleted_at IS NULL")?
            .query_row([id], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let id = match existing {
        None => {
            conn.prepare_cached(&INSERT)?.execute(values)?;
            conn.last_insert_rowid()
        }
        Some(id) => {
            conn.prepare_cached(&UPDATE)?.execute(values)?;
            id
        }
    };
    if let Some(old_name) = &previous_name {
        delete_search_terms(conn, id, old_name)?;
    }
    if w.header.deleted_at.is_none() {
        insert_search_terms_of(conn, id, w.row.name)?;
        note_workplaces(conn, w.row.employer, w.row.worksite)?;
    }
    set_withdraw_reason(conn, "worker", &w.header, existing)?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct MergedEvent<'a> {
    pub header: MergedHeader<'a>,
    pub name: &'a str,
    pub kind: &'a str,
    pub held_on: &'a str,
    pub place: &'a str,
    pub district_code: &'a str,
    pub default_quantity: i64,
    pub default_amount_fen: i64,
}

pub fn write_merged_event(conn: &Connection, existing: Option<i64>, e: &MergedEvent) -> Result<()> {
    let h = &e.header;
    let values = params![
        h.uid,
        h.version,
        h.created_at,
        h.updated_at,
        h.officer_id,
        h.deleted_at,
        e.name,
        e.kind,
        e.held_on,
        e.place,
        e.district_code,
        e.default_quantity,
        e.default_amount_fen,
        h.origin_device,
    ];
    let sql = if existing.is_none() {
        "INSERT INTO event(uid, version, exported_version, created_at, updated_at, officer_id,
            deleted_at, name, kind, held_on, place, district_code, default_quantity,
            default_amount_fen, origin_device)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    } else {
        "UPDATE event SET version = ?2, exported_version = ?2, created_at = ?3, updated_at = ?4,
            officer_id = ?5, deleted_at = ?6, name = ?7, kind = ?8, held_on = ?9, place = ?10,
            district_code = ?11, default_quantity = ?12, default_amount_fen = ?13,
            origin_device = ?14
         WHERE uid = ?1"
    };
    conn.prepare_cached(sql)?.execute(values)?;
    set_withdraw_reason(conn, "event", h, existing)?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct MergedService<'a> {
    pub header: MergedHeader<'a>,
    pub worker_id: i64,
    pub event_id: Option<i64>,
    pub kind: &'a str,
    pub served_on: &'a str,
    pub place: &'a str,
    pub quantity: i64,
    pub amount_fen: i64,
    pub note: &'a str,
    pub health: Option<crate::domain::HealthCheck>,
    pub legal: Option<crate::domain::LegalAid>,
}

pub fn write_merged_service(
    conn: &Connection,
    existing: Option<i64>,
    s: &MergedService,
) -> Result<()> {
    let h = &s.header;
    let values = params![
        h.uid,
        h.version,
        h.created_at,
        h.updated_at,
        h.officer_id,
        h.deleted_at,
        s.worker_id,
        s.kind,
        s.event_id,
        s.served_on,
        s.place,
        s.quantity,
        s.amount_fen,
        s.note,
        h.origin_device,
    ];
    let id = match existing {
        None => {
            conn.prepare_cached(
                "INSERT INTO service(uid, version, exported_version, created_at, updated_at,
                    officer_id, deleted_at, worker_id, kind, event_id, served_on, place,
                    quantity, amount_fen, note, origin_device)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(values)?;
            conn.last_insert_rowid()
        }
        Some(id) => {
            conn.prepare_cached(
                "UPDATE service SET version = ?2, exported_version = ?2, created_at = ?3,
                    updated_at = ?4, officer_id = ?5, deleted_at = ?6, worker_id = ?7, kind = ?8,
                    event_id = ?9, served_on = ?10, place = ?11, quantity = ?12,
                    amount_fen = ?13, note = ?14, origin_device = ?15
                 WHERE uid = ?1",
            )?
            .execute(values)?;
            conn.execute("DELETE FROM health_check WHERE service_id = ?1", [id])?;
            conn.execute("DELETE FROM legal_aid WHERE service_id = ?1", [id])?;
            id
        }
    };
    if let Some(health) = &s.health {
        super::services::insert_health_check(conn, id, health)?;
    }
    if let Some(legal) = &s.legal {
        super::services::insert_legal_aid(conn, id, legal)?;
    }
    set_withdraw_reason(conn, "service", h, existing)?;
    Ok(())
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

/// A record kept aside instead of overwriting or dropping anything.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConflictRow {
    pub id: i64,
    pub detected_at: String,
    /// `id_number`: one ID number under two worker uids; `diverged`: one uid and version with
    /// two contents; `worker_in_conflict`: a service whose worker is held in a conflict;
    /// `local_edit`: a higher version arrived for a record edited here and not yet exported
    /// (the local edit is kept); `same_person`: two worker records of one person (one ID
    /// number) disagree on `fields`.
    pub reason: String,
    pub record_table: String,
    pub id_number: String,
    pub kept_uid: String,
    pub incoming_uid: String,
    pub incoming_batch: String,
    pub incoming_json: String,
    pub resolved_at: Option<String>,
    /// `same_person`: the fields on which the two records disagree, comma-separated.
    pub fields: String,
}

#[allow(clippy::too_many_arguments)] // one column each
pub fn insert_conflict(
    conn: &Connection,
    detected_at: &str,
    reason: &str,
    record_table: &str,
    id_number: &str,
    kept_uid: &str,
    incoming_uid: &str,
    incoming_batch: &str,
    incoming_json: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO conflict(detected_at, reason, record_table, id_number, kept_uid,
            incoming_uid, incoming_batch, incoming_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        detected_at,
        reason,
        record_table,
        id_number,
        kept_uid,
        incoming_uid,
        incoming_batch,
        incoming_json
    ])?;
    Ok(())
}

/// Whether a worker uid arrived only as a conflict (so its services cannot attach to it).
pub fn worker_held_in_conflict(conn: &Connection, worker_uid: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT id_number FROM conflict
             WHERE incoming_uid = ?1 AND record_table = 'worker' AND resolved_at IS NULL
             LIMIT 1",
        )?
        .query_row([worker_uid], |r| r.get(0))
        .optional()?)
}

const CONFLICT_COLUMNS: &str = "id, detected_at, reason, record_table, id_number, kept_uid,
    incoming_uid, incoming_batch, incoming_json, resolved_at, fields";

fn conflict_from_row(r: &Row) -> rusqlite::Result<ConflictRow> {
    Ok(ConflictRow {
        id: r.get(0)?,
        detected_at: r.get(1)?,
        reason: r.get(2)?,
        record_table: r.get(3)?,
        id_number: r.get(4)?,
        kept_uid: r.get(5)?,
        incoming_uid: r.get(6)?,
        incoming_batch: r.get(7)?,
        incoming_json: r.get(8)?,
        resolved_at: r.get(9)?,
        fields: r.get(10)?,
    })
}

impl Store {
    /// Open conflicts, oldest first.
    pub fn open_conflicts(&self) -> Result<Vec<ConflictRow>> {
        self.conflicts_page(false, 0, i64::MAX)
    }

    /// Conflicts from row id `after` on, at most `limit`, oldest first; resolved ones too
    /// when `all`.
    pub fn conflicts_page(&self, all: bool, after: i64, limit: i64) -> Result<Vec<ConflictRow>> {
        let filter = if all { "" } else { "AND resolved_at IS NULL" };
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {CONFLICT_COLUMNS} FROM conflict WHERE id > ?1 {filter} ORDER BY id LIMIT ?2"
        ))?;
        let rows = stmt
            .query_map([after, limit], conflict_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn conflict_by_id(&self, id: i64) -> Result<Option<ConflictRow>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {CONFLICT_COLUMNS} FROM conflict WHERE id = ?1"),
                [id],
                conflict_from_row,
            )
            .optional()?)
    }
}

/// Marks conflict `id` resolved. `signature`, when given, replaces the stored one: it names the
/// versions the resolution produced, so the same disagreement is not listed again.
pub fn mark_conflict_resolved(
    conn: &Connection,
    id: i64,
    at: &str,
    signature: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE conflict SET resolved_at = ?2, signature = coalesce(?3, signature)
         WHERE id = ?1 AND resolved_at IS NULL",
        params![id, at, signature],
    )?;
    Ok(())
}

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

/// One open or resolved `same_person` conflict, by its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonConflict {
    pub kept_uid: String,
    pub incoming_uid: String,
    pub incoming_json: String,
    pub fields: String,
    pub signature: String,
}

/// Makes the open `same_person` conflicts of `id_number` exactly `wanted`: a conflict still
/// wanted stays as it is (same id, same date), one no longer wanted goes, and a new one is
/// added unless the same signature was resolved before. Returns how many were added.
pub fn set_person_conflicts(
    conn: &Connection,
    now: &str,
    id_number: &str,
    batch_uid: &str,
    wanted: &[PersonConflict],
) -> Result<u64> {
    let existing: Vec<(i64, String, bool)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT id, signature, resolved_at IS NULL FROM conflict
             WHERE id_number = ?1 AND reason = 'same_person'",
        )?;
        stmt.query_map([id_number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    for (id, signature, open) in &existing {
        if *open && !wanted.iter().any(|w| &w.signature == signature) {
            conn.prepare_cached("DELETE FROM conflict WHERE id = ?1")?
                .execute([id])?;
        }
    }
    let mut added = 0;
    for w in wanted {
        if existing.iter().any(|(_, s, _)| s == &w.signature) {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO conflict(detected_at, reason, record_table, id_number, kept_uid,
                incoming_uid, incoming_batch, incoming_json, fields, signature)
             VALUES (?1, 'same_person', 'worker', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            now,
            id_number,
            w.kept_uid,
            w.incoming_uid,
            batch_uid,
            w.incoming_json,
            w.fields,
            w.signature
        ])?;
        added += 1;
    }
    Ok(added)
}
