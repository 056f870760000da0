//! Which records a returned batch's refusals name. The city's receipt names a refused record
//! by its file and line (it may not trust anything else in a refused line); this laptop reads
//! its own copy of the batch it exported to find the uid on that line. The copy is read as
//! untrusted input: its manifest must hash to the one exported, the data file must hash to
//! its manifest entry, and every read is bounded.

use super::format::{MAX_LINE_BYTES, Manifest, RecordKind};
use super::fsio::sha256_hex;
use super::source::{BatchSource, BoundedLines};
use crate::receipt::RefusedRecord;
use std::collections::BTreeMap;
use std::path::Path;

/// A refusal the laptop could tie to one record of the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedRefusal {
    pub table: &'static str,
    pub uid: String,
    pub zh: String,
    pub en: String,
}

/// The records the refusals name, found in the exported copy at `path`. Refusals with no line,
/// in a file that is not a data file, or past the end name no record and are left out (the
/// receipt's reasons still list them); so is everything when the copy is gone or changed.
pub fn locate_refusals(
    path: &Path,
    manifest_sha256: &str,
    refused: &[RefusedRecord],
) -> Vec<LocatedRefusal> {
    let mut wanted: BTreeMap<(RecordKind, u64), Vec<&RefusedRecord>> = BTreeMap::new();
    for r in refused {
        if let (Some(kind), Some(line)) = (RecordKind::of_file(&r.file), r.line) {
            wanted.entry((kind, line)).or_default().push(r);
        }
    }
    if wanted.is_empty() {
        return Vec::new();
    }
    let Ok(mut source) = BatchSource::open(path) else {
        return Vec::new();
    };
    let Ok(manifest_bytes) = source.read_manifest_bytes() else {
        return Vec::new();
    };
    if !sha256_hex(&manifest_bytes).eq_ignore_ascii_case(manifest_sha256) {
        return Vec::new();
    }
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&manifest_bytes) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for kind in RecordKind::EVERY {
        if !wanted.keys().any(|(k, _)| *k == kind) {
            continue;
        }
        let Some(entry) = manifest.files.iter().find(|f| f.name == kind.file_name()) else {
            continue;
        };
        if let Some(mut in_file) = uids_on_lines(&mut source, path, kind, entry, &wanted) {
            found.append(&mut in_file);
        }
    }
    found
}

/// The refusals of one data file tied to their uids; `None` when the file is not the one the
/// manifest lists (then no line of it can be trusted to be the line the city read).
fn uids_on_lines(
    source: &mut BatchSource,
    path: &Path,
    kind: RecordKind,
    entry: &super::format::FileEntry,
    wanted: &BTreeMap<(RecordKind, u64), Vec<&RefusedRecord>>,
) -> Option<Vec<LocatedRefusal>> {
    let reader = source
        .open_file(kind.file_name(), entry.bytes.saturating_add(1))
        .ok()?;
    let mut lines = BoundedLines::new(reader, path.join(kind.file_name()), MAX_LINE_BYTES);
    let mut found = Vec::new();
    while let Some((line_no, text)) = lines.next_line().ok()? {
        let Some(refusals) = wanted.get(&(kind, line_no)) else {
            continue;
        };
        let uid = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("uid").and_then(|u| u.as_str()).map(str::to_string));
        if let Some(uid) = uid {
            for r in refusals {
                found.push(LocatedRefusal {
                    table: kind.table(),
                    uid: uid.clone(),
                    zh: r.zh.clone(),
                    en: r.en.clone(),
                });
            }
        }
    }
    (lines.sha256() == entry.sha256).then_some(found)
}
