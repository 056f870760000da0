//! Records a merge kept aside instead of overwriting or dropping anything: listing them,
//! resolving them, and keeping the `same_person` ones in step with the records.

use super::{Result, Store};
use rusqlite::{Connection, OptionalExtension, Row, params};

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
        let mut stmt = self.conn.prepare(&format!(
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
