//! The last step of an export: marking the versions the batch holds exported, in one
//! transaction with its row becoming `complete`.

use super::CrashAt;
use crate::batch::format::RecordKind;
use crate::batch::source::BatchSource;
use crate::batch::verify::KindTally;
use crate::batch::{BatchError, Result};
use crate::store::Store;
use crate::store::batch_queries::{
    complete_batch, mark_all_pending, mark_one, pending_fingerprint,
};
use std::io::BufRead;
use std::path::Path;

/// Marks the versions held by the batch at `path` exported, in one transaction with the
/// batch row becoming `complete`. When nothing changed since the snapshot (same count and
/// version sum waiting per kind) one UPDATE per table does it; otherwise the batch's own
/// files say exactly which version of which record it holds. Returns whether the slow way
/// was needed.
pub(super) fn mark_exported(
    store: &mut Store,
    batch_id: i64,
    path: &Path,
    written: [KindTally; RecordKind::COUNT],
    manifest_sha: &str,
    crash: &CrashAt,
) -> Result<bool> {
    let tx = store
        .conn_mut()
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut one_by_one = false;
    for kind in RecordKind::EVERY {
        let table = kind.table();
        let waiting = pending_fingerprint(&tx, table)?;
        let tally = written[kind as usize];
        if waiting.count == tally.count && waiting.version_sum == tally.version_sum {
            mark_all_pending(&tx, table, batch_id)?;
        } else {
            one_by_one = true;
            mark_from_file(&tx, kind, path, batch_id)?;
        }
    }
    complete_batch(&tx, batch_id, &written.map(|t| t.count), manifest_sha)?;
    crash.here("marking");
    tx.commit()?;
    Ok(one_by_one)
}

#[derive(serde::Deserialize)]
struct UidVersion {
    uid: String,
    version: i64,
}

fn mark_from_file(
    conn: &rusqlite::Connection,
    kind: RecordKind,
    path: &Path,
    batch_id: i64,
) -> Result<()> {
    let mut source = BatchSource::open(path)?;
    let file_path = path.join(kind.file_name());
    // This laptop's own batch, just written and verified: its size is known and trusted.
    let mut reader = source.open_file(kind.file_name(), u64::MAX)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| BatchError::io(&file_path, e))?;
        if n == 0 {
            break;
        }
        let record: UidVersion =
            serde_json::from_slice(&line).map_err(|e| BatchError::io(&file_path, e.into()))?;
        mark_one(conn, kind.table(), &record.uid, record.version, batch_id)?;
    }
    Ok(())
}
