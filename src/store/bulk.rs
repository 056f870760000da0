//! Bulk loads into an empty database: index maintenance row by row costs a b-tree descent per
//! index per row, while CREATE INDEX after the load sorts once. Used by demo data.

use super::Result;
use super::tables::Columns;
use super::tables::event::EventRow;
use rusqlite::{Connection, ToSql, Transaction, params_from_iter};
use std::sync::LazyLock;

/// The secondary indexes of the record tables, dropped inside `tx`; pass the result to
/// `restore_indexes` in the same transaction, so a crash leaves the schema as it was.
pub(crate) fn drop_secondary_indexes(tx: &Transaction) -> Result<Vec<(String, String)>> {
    let indexes: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL
               AND tbl_name IN ('worker', 'service', 'event', 'audit', 'health_check', 'legal_aid')",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    Ok(indexes)
}

pub(crate) fn restore_indexes(tx: &Transaction, indexes: &[(String, String)]) -> Result<()> {
    for (_, sql) in indexes {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// Inserts the search keys a bulk load collected, in key order (then emptied): one pass along
/// the key index instead of a descent to a random page for each key.
pub(crate) fn insert_search_terms_sorted(
    tx: &Connection,
    terms: &mut Vec<(String, i64)>,
) -> Result<()> {
    terms.sort_unstable();
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO search_term(term, worker_id) VALUES (?1, ?2)")?;
    for (term, worker_id) in terms.iter() {
        insert.execute(rusqlite::params![term, worker_id])?;
    }
    terms.clear();
    Ok(())
}

/// Lets SQLite sort with a helper thread while it builds indexes and fills the rollups after a
/// bulk load (the one step where a second core helps); returns the setting to go back to.
pub(crate) fn sort_threads(conn: &Connection, threads: i64) -> Result<i64> {
    let before: i64 = conn.query_row("PRAGMA threads", [], |r| r.get(0))?;
    let _: i64 = conn.query_row(&format!("PRAGMA threads = {threads}"), [], |r| r.get(0))?;
    Ok(before)
}

/// The journal mode to go back to after a bulk load.
pub(crate) struct JournalMode(String);

/// Switches to a rollback journal when no other connection has the database open (WAL can
/// only be left then); otherwise stays in WAL, which is slower but just as safe.
pub(crate) fn rollback_journal(conn: &Connection) -> Result<JournalMode> {
    let before: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let _: Option<String> = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .ok();
    Ok(JournalMode(before))
}

pub(crate) fn restore_journal(conn: &Connection, mode: JournalMode) -> Result<()> {
    let _: String = conn.query_row(&format!("PRAGMA journal_mode = {}", mode.0), [], |r| {
        r.get(0)
    })?;
    Ok(())
}

/// True when no worker and no service exist yet (not even tombstones).
pub(crate) fn is_empty(tx: &Connection) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM worker) AND NOT EXISTS (SELECT 1 FROM service)",
        [],
        |r| r.get(0),
    )?)
}

/// The rollup tables of the statistics (migrations 4, 5, 13 and 18), emptied before a refill.
const ROLLUP_TABLES: &[&str] = &[
    "stat_worker_day",
    "stat_service_day",
    "stat_service_month",
    "stat_worker_month",
    "stat_reach",
    "stat_legal_head",
    "stat_legal_open",
    "stat_legal_day",
    "stat_follow_up",
    "stat_amount_day",
    "stat_amount_month",
    "stat_event_amount",
    "stat_need_day",
    "stat_need_month",
];

/// Drops the statistics triggers inside `tx`: one refill after the load costs far less than a
/// trigger run per row, and some of them look rows up through the indexes a bulk load drops.
/// Pass the result to `resume_rollups` after `restore_indexes`, in the same transaction.
pub(crate) fn suspend_rollups(tx: &Connection) -> Result<Vec<(String, String)>> {
    let triggers: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'trigger' AND name LIKE 'stat\\_%' ESCAPE '\\'",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    Ok(triggers)
}

/// Refills the rollups from the records and puts the triggers back.
pub(crate) fn resume_rollups(tx: &Connection, triggers: &[(String, String)]) -> Result<()> {
    for table in ROLLUP_TABLES {
        tx.execute_batch(&format!("DELETE FROM {table}"))?;
    }
    super::migrations::fill_rollups(tx)?;
    for (_, sql) in triggers {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// A new event at version 1 (demo data: no checks beyond the schema's).
pub struct NewEventRow<'a> {
    pub uid: &'a str,
    pub now: &'a str,
    pub officer_id: i64,
    pub name: &'a str,
    pub kind: &'a str,
    pub held_on: &'a str,
    pub place: &'a str,
    pub district_code: &'a str,
}

pub(crate) fn insert_event_row(tx: &Connection, e: &NewEventRow) -> Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| EventRow::insert_new_sql("event"));
    let row = EventRow {
        name: e.name,
        kind: e.kind,
        held_on: e.held_on,
        place: e.place,
        district_code: e.district_code,
        default_quantity: 1,
        default_amount_fen: 0,
    };
    let head: [&dyn ToSql; 3] = [&e.uid, &e.now, &e.officer_id];
    tx.prepare_cached(&SQL)?
        .execute(params_from_iter(head.into_iter().chain(row.values())))?;
    Ok(())
}

/// A new need at version 1 (demo data: the caller checked it with `validate_need`).
pub struct NewNeedRow<'a> {
    pub uid: &'a str,
    pub now: &'a str,
    pub officer_id: i64,
    pub worker_id: i64,
    pub input: &'a crate::domain::needs::NeedInput,
    /// Closed by hand on this day with this note; `None` leaves it open.
    pub closed: Option<(chrono::NaiveDate, &'a str)>,
}

pub(crate) fn insert_need_row(tx: &Connection, n: &NewNeedRow) -> Result<()> {
    let ymd = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    tx.prepare_cached(
        "INSERT INTO need(uid, created_at, updated_at, officer_id, worker_id, kind, raised_on,
            note, state, settled_on, close_note)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        n.uid,
        n.now,
        n.officer_id,
        n.worker_id,
        n.input.kind,
        ymd(n.input.raised_on),
        n.input.note,
        if n.closed.is_some() { "closed" } else { "open" },
        n.closed.map(|(day, _)| ymd(day)),
        n.closed.map(|(_, note)| note).unwrap_or(""),
    ])?;
    Ok(())
}

/// A new claim at version 1 (demo data: the caller checked it and each of its steps with the
/// claim rules).
pub struct NewClaimRow<'a> {
    pub uid: &'a str,
    /// When it was recorded: its place in the statistics.
    pub created_at: &'a str,
    pub officer_id: i64,
    pub worker_id: i64,
    pub input: &'a crate::domain::claims::ClaimInput,
    pub progress: &'a crate::domain::claims::ClaimProgress,
}

pub(crate) fn insert_claim_row(tx: &Connection, c: &NewClaimRow) -> Result<()> {
    let ymd = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let dates = &c.input.dates;
    tx.prepare_cached(
        "INSERT INTO claim(uid, created_at, updated_at, officer_id, worker_id, claim_type,
            diagnosed_on, accident_on, died_on, fire_on, amount_fen, documents, status, reason,
            paid_fen, paid_on, note)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(rusqlite::params![
        c.uid,
        c.created_at,
        c.officer_id,
        c.worker_id,
        c.input.claim_type,
        ymd(dates.diagnosed_on),
        ymd(dates.accident_on),
        ymd(dates.died_on),
        ymd(dates.fire_on),
        c.input.amount_fen,
        c.progress.documents.join(","),
        c.progress.status.code(),
        c.progress.reason,
        c.progress.paid_fen,
        ymd(c.progress.paid_on),
        c.input.note,
    ])?;
    if let Some((start, end)) = c.input.protection {
        tx.prepare_cached(
            "UPDATE worker SET protection_start = ?2, protection_end = ?3 WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            c.worker_id,
            ymd(Some(start)),
            ymd(Some(end))
        ])?;
    }
    Ok(())
}
