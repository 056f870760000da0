//! Format 3 on export: needs and claims rows as batch lines, read column by column after the
//! same header as the other records (`export_row::Cells`), so every kind carries the same fields.

use super::format::RecordKind;
use super::{BatchError, Result};
use crate::store::tables::{claim, need};
use rusqlite::Row;
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
            let record = need::exported_from_row(row, this_device)?;
            serde_json::to_writer(out, &record).map(|()| record.header.version)
        }
        _ => {
            let record = claim::exported_from_row(row, this_device)?;
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
        RecordKind::Need => serde_json::to_string(&need::exported_from_row(row, this_device)?),
        _ => serde_json::to_string(&claim::exported_from_row(row, this_device)?),
    };
    json.map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}
