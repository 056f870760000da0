//! The batch format (versions 1 and 2): the manifest and one record type per data file. The same types
//! serialise on export (borrowing straight from SQLite rows) and deserialise on verify and
//! import (owning their text), so the writer and the readers cannot drift apart.

use serde::{Deserialize, Serialize};

pub const FORMAT_NAME: &str = "jingong-batch";
/// The format version `export` writes.
pub const FORMAT_VERSION: u32 = 2;
/// The newest format version this program reads. Version 2 adds tombstone reasons and
/// erasures (docs/batch-format.md); a newer one is refused with a request to update jingong.
pub const NEWEST_FORMAT_VERSION: u32 = 2;

/// The longest line of a valid record, in bytes. The longest record is a service: four long
/// texts (note, findings, description and, from format 2, reason: `LONG_TEXT` characters
/// each) and at most eight short ones (place, provider, blood pressure, consent_by, the
/// officer's name and organisation, status, category: `SHORT_TEXT` each). JSON may write one
/// character as two `\uXXXX` escapes (a character outside the BMP), 12 bytes. Everything
/// else (field names, uids, dates, numbers, punctuation: under 50 fields) fits in 4 KiB.
pub const MAX_LINE_BYTES: usize =
    (4 * crate::domain::validate::LONG_TEXT + 8 * crate::domain::validate::SHORT_TEXT) * 12 + 4096;

/// The reason codes an erasure (format 2) may carry: a worker's request (PIPL art. 47),
/// consent withdrawn, or the retention period ended. One list for the store and the format.
pub use crate::store::erasure::ERASURE_REASONS;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const WORKERS_FILE: &str = "workers.jsonl";
pub const EVENTS_FILE: &str = "events.jsonl";
pub const SERVICES_FILE: &str = "services.jsonl";
/// Data files in the order they are written and imported (services point at the others).
pub const DATA_FILES: [&str; 3] = [WORKERS_FILE, EVENTS_FILE, SERVICES_FILE];

/// Every batch folder name starts with this; temporary folders start with a dot instead.
pub const BATCH_NAME_PREFIX: &str = "jingong-";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub batch_uid: String,
    /// This device's previous batch, so the receiver notices one that never arrived.
    pub previous_batch_uid: Option<String>,
    pub device_id: String,
    pub officer: OfficerFields<'static>,
    pub app_version: String,
    pub schema_version: i64,
    /// RFC 3339 with +08:00.
    pub created_at: String,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    /// JSON lines in a data file; data rows in a review copy.
    pub records: u64,
    pub bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
}

pub use crate::domain::records::{
    ErasureRecord, EventRecord, HealthCheckFields, LegalAidFields, OfficerFields, Op, RecordHeader,
    ServiceRecord, WorkerRecord,
};

/// Only the `op` of a line, to tell an erasure from a damaged record once the full parse
/// failed.
#[derive(Deserialize)]
pub struct OpOnly {
    pub op: Option<Op>,
}

/// The three record kinds, named as the data files and the database tables name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Worker,
    Event,
    Service,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [RecordKind::Worker, RecordKind::Event, RecordKind::Service];

    pub fn file_name(self) -> &'static str {
        match self {
            RecordKind::Worker => WORKERS_FILE,
            RecordKind::Event => EVENTS_FILE,
            RecordKind::Service => SERVICES_FILE,
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Worker => "worker",
            RecordKind::Event => "event",
            RecordKind::Service => "service",
        }
    }

    pub fn of_file(name: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.file_name() == name)
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}
