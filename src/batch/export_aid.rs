//! Format 3 on export: needs and claims rows as batch lines, read column by column after the
//! same header as the other records (`export_row::Cells`), so every kind carries the same fields.

use super::format::{ClaimRecord, NeedRecord, RecordKind};
use super::{BatchError, Result};
use crate::store::tables::export_row::Cells;
use crate::store::tables::{claim, need};
use rusqlite::Row;
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

/// The pending-export query of an aid kind (`RecordKind::AID`).
pub(super) fn pending_sql(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Need => need::EXPORT_SQL.pending.as_str(),
        RecordKind::Claim => claim::EXPORT_SQL.pending.as_str(),
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
    let mut cells = Cells::new(row);
    Ok(NeedRecord {
        header: cells.header(this_device)?,
        worker_uid: cells.text()?,
        kind: cells.text()?,
        raised_on: cells.text()?,
        note: cells.text()?,
        state: cells.text()?,
        answered_by: cells.opt_text()?,
        settled_on: cells.opt_text()?,
        close_note: cells.text()?,
    })
}

pub(super) fn claim_from_row<'r>(
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
    Ok(ClaimRecord {
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
    })
}
