//! Writing the records a merge takes from another laptop's batch: inserted or written over
//! the local copy, already marked exported, with the same column sets as every other write.

use super::Result;
use super::search_keys::note_workplaces;
use super::tables::Columns;
use super::tables::event::EventRow;
use super::tables::service::ServiceRow;
use super::tables::worker::WorkerRow;
use super::workers::{delete_search_terms, insert_search_terms_of};
use rusqlite::{Connection, OptionalExtension, ToSql, params, params_from_iter};
use std::sync::LazyLock;

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

impl MergedHeader<'_> {
    /// The header as `MergedSql` binds it, `?1` to `?7`.
    fn values(&self) -> [&dyn ToSql; 7] {
        [
            &self.uid,
            &self.version,
            &self.created_at,
            &self.updated_at,
            &self.officer_id,
            &self.deleted_at,
            &self.origin_device,
        ]
    }
}

/// The INSERT and the UPDATE (by uid) of a merged record: the header as `?1` to `?7`, the
/// table's own columns from `?8`. The version arrives already exported: its origin sent it
/// to the city, so this database must not send it again.
struct MergedSql {
    insert: String,
    update: String,
}

impl MergedSql {
    fn new(table: &str, columns: &str, from: impl Fn(usize) -> (String, String)) -> MergedSql {
        let (placeholders, assignments) = from(8);
        MergedSql {
            insert: format!(
                "INSERT INTO {table}(uid, version, exported_version, created_at, updated_at,
                    officer_id, deleted_at, origin_device, {columns})
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, {placeholders})"
            ),
            update: format!(
                "UPDATE {table} SET version = ?2, exported_version = ?2, created_at = ?3,
                    updated_at = ?4, officer_id = ?5, deleted_at = ?6, origin_device = ?7,
                    {assignments}
                 WHERE uid = ?1"
            ),
        }
    }

    fn for_existing(&self, existing: Option<i64>) -> &str {
        match existing {
            None => &self.insert,
            Some(_) => &self.update,
        }
    }
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
    static SQL: LazyLock<MergedSql> = LazyLock::new(|| {
        MergedSql::new("worker", &WorkerRow::column_list(), |first| {
            (
                WorkerRow::placeholders(first),
                WorkerRow::assignments(first),
            )
        })
    });
    let h = &w.header;
    let bound = w.row.bind();
    let values = params_from_iter(h.values().into_iter().chain(bound.values()));
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
            conn.prepare_cached(&SQL.insert)?.execute(values)?;
            conn.last_insert_rowid()
        }
        Some(id) => {
            conn.prepare_cached(&SQL.update)?.execute(values)?;
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
    static SQL: LazyLock<MergedSql> = LazyLock::new(|| {
        MergedSql::new("event", &EventRow::column_list(), |first| {
            (EventRow::placeholders(first), EventRow::assignments(first))
        })
    });
    let row = EventRow {
        name: e.name,
        kind: e.kind,
        held_on: e.held_on,
        place: e.place,
        district_code: e.district_code,
        default_quantity: e.default_quantity,
        default_amount_fen: e.default_amount_fen,
    };
    let h = &e.header;
    let values = params_from_iter(h.values().into_iter().chain(row.values()));
    conn.prepare_cached(SQL.for_existing(existing))?
        .execute(values)?;
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
    static SQL: LazyLock<MergedSql> = LazyLock::new(|| {
        MergedSql::new("service", &ServiceRow::column_list(), |first| {
            (
                ServiceRow::placeholders(first),
                ServiceRow::assignments(first),
            )
        })
    });
    let row = ServiceRow {
        worker_id: s.worker_id,
        kind: s.kind,
        event_id: s.event_id,
        served_on: s.served_on,
        place: s.place,
        quantity: s.quantity,
        amount_fen: s.amount_fen,
        note: s.note,
    };
    let h = &s.header;
    let values = params_from_iter(h.values().into_iter().chain(row.values()));
    conn.prepare_cached(SQL.for_existing(existing))?
        .execute(values)?;
    let id = match existing {
        None => conn.last_insert_rowid(),
        Some(id) => {
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
