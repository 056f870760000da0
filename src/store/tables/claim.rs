//! The `claim` table as batches carry it: the export queries (the header of
//! `export_row::header_columns` first) and the write of a version from another laptop.

use super::export_row::{Cells, ExportSql};
use crate::domain::records::ClaimRecord;
use crate::store::Result;
use crate::store::batch_queries::MergedHeader;
use rusqlite::{Connection, Row, params};
use std::borrow::Cow;
use std::sync::LazyLock;

/// The columns of an exported claim after the header and the worker's uid, in the order
/// `exported_from_row` reads them; documents are codes joined by commas, `reason` a
/// rejection's.
const EXPORT_COLUMNS: &str = "c.claim_type, c.diagnosed_on, c.accident_on, c.died_on,
    c.fire_on, c.amount_fen, c.documents, c.status, c.reason, c.paid_fen, c.paid_on, c.note";

/// The export queries (header, worker uid, then `EXPORT_COLUMNS`).
pub static EXPORT_SQL: LazyLock<ExportSql> =
    LazyLock::new(|| ExportSql::of_worker_record("claim", "c", EXPORT_COLUMNS));

/// A row of `EXPORT_SQL` as the batch line it becomes.
pub fn exported_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<ClaimRecord<'r>> {
    let mut cells = Cells::new(row);
    let header = cells.header(this_device)?;
    let worker_uid = cells.text()?;
    let claim_type = cells.text()?;
    let diagnosed_on = cells.opt_text()?;
    let accident_on = cells.opt_text()?;
    let died_on = cells.opt_text()?;
    let fire_on = cells.opt_text()?;
    let amount_fen = cells.get()?;
    let documents = match cells.text()? {
        Cow::Borrowed(joined) => joined
            .split(',')
            .filter(|d| !d.is_empty())
            .map(Cow::Borrowed)
            .collect(),
        Cow::Owned(joined) => joined
            .split(',')
            .filter(|d| !d.is_empty())
            .map(|d| Cow::Owned(d.to_string()))
            .collect(),
    };
    let record = ClaimRecord {
        header,
        worker_uid,
        claim_type,
        diagnosed_on,
        accident_on,
        died_on,
        fire_on,
        amount_fen,
        documents,
        status: cells.text()?,
        reject_reason: cells.text()?,
        paid_fen: cells.get()?,
        paid_on: cells.opt_text()?,
        note: cells.text()?,
    };
    cells.finish(record)
}

/// A claim version from another laptop, as its batch line holds it.
#[derive(Debug, Clone)]
pub struct MergedClaim<'a> {
    pub header: MergedHeader<'a>,
    /// The row of the member's person here.
    pub worker_id: i64,
    pub claim_type: &'a str,
    pub diagnosed_on: Option<&'a str>,
    pub accident_on: Option<&'a str>,
    pub died_on: Option<&'a str>,
    pub fire_on: Option<&'a str>,
    pub amount_fen: i64,
    /// Codes joined by commas, as the table keeps them.
    pub documents: &'a str,
    pub status: &'a str,
    pub reject_reason: &'a str,
    pub paid_fen: i64,
    pub paid_on: Option<&'a str>,
    pub note: &'a str,
}

/// Inserts or overwrites (`existing`) a claim from another laptop; the version arrives
/// already exported (its own laptop sends it).
pub fn write_merged_claim(conn: &Connection, existing: Option<i64>, c: &MergedClaim) -> Result<()> {
    let h = &c.header;
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
        c.worker_id,
        c.claim_type,
        c.diagnosed_on,
        c.accident_on,
        c.died_on,
        c.fire_on,
        c.amount_fen,
        c.documents,
        c.status,
        c.reject_reason,
        c.paid_fen,
        c.paid_on,
        c.note,
    ];
    let sql = if existing.is_none() {
        "INSERT INTO claim(uid, version, exported_version, created_at, updated_at, officer_id,
            deleted_at, origin_device, withdraw_reason, worker_id, claim_type, diagnosed_on,
            accident_on, died_on, fire_on, amount_fen, documents, status, reason, paid_fen,
            paid_on, note)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21)"
    } else {
        "UPDATE claim SET version = ?2, exported_version = ?2, created_at = ?3, updated_at = ?4,
            officer_id = ?5, deleted_at = ?6, origin_device = ?7, withdraw_reason = ?8,
            worker_id = ?9, claim_type = ?10, diagnosed_on = ?11, accident_on = ?12,
            died_on = ?13, fire_on = ?14, amount_fen = ?15, documents = ?16, status = ?17,
            reason = ?18, paid_fen = ?19, paid_on = ?20, note = ?21
         WHERE uid = ?1"
    };
    conn.prepare_cached(sql)?.execute(values)?;
    Ok(())
}
