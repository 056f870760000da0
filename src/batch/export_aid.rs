//! Format 3 on export: needs and claims rows as batch lines, read through the same header
//! mapping as the other records (`export::header`), so every kind carries the same fields.

use super::export::{header, opt_text, text};
use super::format::{ClaimRecord, NeedRecord, RecordKind};
use super::{BatchError, Result};
use crate::store::batch_queries::HEADER_COLUMNS;
use crate::store::tables::{claim, need};
use rusqlite::Row;
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

/// The pending-export query of an aid kind (`RecordKind::AID`).
pub(super) fn pending_sql(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Need => need::PENDING_NEEDS_SQL,
        RecordKind::Claim => claim::PENDING_CLAIMS_SQL,
        other => unreachable!("{other:?} is not written here"),
    }
}

/// Writes the row as one batch line (without its `\n`); returns its version.
pub(super) fn write_line(
    row: &Row<'_>,
    kind: RecordKind,
    this_device: &str,
    out: &mut impl Write,
    path: &Path,
) -> Result<i64> {
    let written = match kind {
        RecordKind::Need => {
            let record = need_from_row(row, this_device)?;
            serde_json::to_writer(out, &record).map(|()| record.header.version)
        }
        _ => {
            let record = claim_from_row(row, this_device)?;
            serde_json::to_writer(out, &record).map(|()| record.header.version)
        }
    };
    written.map_err(|e| BatchError::io(path, e.into()))
}

/// The row as a batch line, for the copy a conflict lists.
pub(super) fn line_of_row(
    row: &Row<'_>,
    kind: RecordKind,
    this_device: &str,
) -> rusqlite::Result<String> {
    let json = match kind {
        RecordKind::Need => serde_json::to_string(&need_from_row(row, this_device)?),
        _ => serde_json::to_string(&claim_from_row(row, this_device)?),
    };
    json.map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

pub(super) fn need_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<NeedRecord<'r>> {
    const F: usize = HEADER_COLUMNS;
    Ok(NeedRecord {
        header: header(row, this_device, F + 8)?,
        worker_uid: text(row, F)?,
        kind: text(row, F + 1)?,
        raised_on: text(row, F + 2)?,
        note: text(row, F + 3)?,
        state: text(row, F + 4)?,
        answered_by: opt_text(row, F + 5)?,
        settled_on: opt_text(row, F + 6)?,
        close_note: text(row, F + 7)?,
    })
}

pub(super) fn claim_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<ClaimRecord<'r>> {
    const F: usize = HEADER_COLUMNS;
    let documents = match row.get_ref(F + 7)?.as_str() {
        Ok(joined) => joined
            .split(',')
            .filter(|d| !d.is_empty())
            .map(Cow::Borrowed)
            .collect(),
        Err(e) => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                F + 7,
                rusqlite::types::Type::Text,
                Box::new(e),
            ));
        }
    };
    Ok(ClaimRecord {
        header: header(row, this_device, F + 13)?,
        worker_uid: text(row, F)?,
        claim_type: text(row, F + 1)?,
        diagnosed_on: opt_text(row, F + 2)?,
        accident_on: opt_text(row, F + 3)?,
        died_on: opt_text(row, F + 4)?,
        fire_on: opt_text(row, F + 5)?,
        amount_fen: row.get(F + 6)?,
        documents,
        status: text(row, F + 8)?,
        reject_reason: text(row, F + 9)?,
        paid_fen: row.get(F + 10)?,
        paid_on: opt_text(row, F + 11)?,
        note: text(row, F + 12)?,
    })
}
