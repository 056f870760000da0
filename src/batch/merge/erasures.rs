//! Erasure lines (batch format 2) in a merge: told apart from records, applied as an erasure
//! made here would be, and never skipped when they do not parse.

use crate::batch::format::{ErasureRecord, Op, OpOnly, RecordKind};
use crate::batch::{BatchError, Result};
use crate::store::erasure::{ErasureStamp, apply_service_erasure, apply_worker_erasure};
use std::path::Path;

/// An erasure line (format 2), told from a record by its `op`: inside a JSON string the
/// quotes would be escaped, so the bare text can only be the field itself.
pub(super) fn erasure_line(line: &str) -> Option<ErasureRecord<'_>> {
    if !line.contains(r#""op":"erase""#) {
        return None;
    }
    serde_json::from_str::<ErasureRecord>(line).ok()
}

/// Applies an erasure of another laptop as an erasure made here would (see
/// `store::erasure`), with the batch's officer; idempotent. Events hold no personal data,
/// so an erasure of one changes nothing. Returns whether anything changed.
pub(super) fn apply_erasure(
    conn: &rusqlite::Connection,
    kind: RecordKind,
    erasure: &ErasureRecord,
    now: &str,
    officer_id: i64,
) -> Result<bool> {
    let stamp = ErasureStamp {
        now,
        officer_id,
        reason: &erasure.reason,
    };
    Ok(match kind {
        RecordKind::Worker => apply_worker_erasure(conn, &erasure.uid, erasure.version, stamp)?,
        RecordKind::Service => apply_service_erasure(conn, &erasure.uid, erasure.version, stamp)?,
        _ => false,
    })
}

/// A line that does not parse as a record although the batch was verified: an erasure
/// (format 2) the merge did not recognise (it must not be skipped), or a damaged line.
pub(super) fn unparsed_line(
    file_path: &Path,
    kind: RecordKind,
    line_no: u64,
    line: &str,
    e: serde_json::Error,
) -> BatchError {
    match serde_json::from_str::<OpOnly>(line) {
        Ok(OpOnly {
            op: Some(Op::Erase),
        }) => BatchError::ErasureNotApplied {
            path: file_path.parent().unwrap_or(file_path).to_path_buf(),
            file: kind.file_name(),
            line: line_no,
        },
        _ => BatchError::io(file_path, e.into()),
    }
}
