//! The batch format (versions 1 to 3): the manifest and one record type per data file. The same types
//! serialise on export (borrowing straight from SQLite rows) and deserialise on verify and
//! import (owning their text), so the writer and the readers cannot drift apart.

use serde::{Deserialize, Serialize};

pub const FORMAT_NAME: &str = "jingong-batch";
/// The format version `export` writes.
pub const FORMAT_VERSION: u32 = 3;
/// The newest format version this program reads. Version 2 adds tombstone reasons and
/// erasures, version 3 needs and mutual-aid claims (docs/batch-format.md); a newer one is
/// refused with a request to update jingong.
pub const NEWEST_FORMAT_VERSION: u32 = 3;
/// The first format version with `needs.jsonl` and `claims.jsonl`.
pub const AID_FORMAT_VERSION: u32 = 3;

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
/// Format 3: what workers ask for, and the mutual-aid claims of members.
pub const NEEDS_FILE: &str = "needs.jsonl";
pub const CLAIMS_FILE: &str = "claims.jsonl";
/// Data files every batch has, in the order they are written and imported (services point
/// at the others).
pub const DATA_FILES: [&str; 3] = [WORKERS_FILE, EVENTS_FILE, SERVICES_FILE];
/// Data files from format 3 on, after the others (needs and claims point at workers).
pub const AID_FILES: [&str; 2] = [NEEDS_FILE, CLAIMS_FILE];

/// The data files a batch of `format_version` must list, in the order they are read.
pub fn data_files(format_version: u32) -> &'static [&'static str] {
    const EVERY: [&str; 5] = [
        WORKERS_FILE,
        EVENTS_FILE,
        SERVICES_FILE,
        NEEDS_FILE,
        CLAIMS_FILE,
    ];
    if format_version >= AID_FORMAT_VERSION {
        &EVERY
    } else {
        &EVERY[..3]
    }
}

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
    ClaimRecord, ErasureRecord, EventRecord, HealthCheckFields, LegalAidFields, NeedRecord,
    OfficerFields, Op, RecordHeader, ServiceRecord, WorkerRecord,
};

/// Only the `op` of a line, to tell an erasure from a damaged record once the full parse
/// failed.
#[derive(Deserialize)]
pub struct OpOnly {
    pub op: Option<Op>,
}

/// The record kinds, named as the data files and the database tables name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Worker,
    Event,
    Service,
    /// Format 3.
    Need,
    /// Format 3.
    Claim,
}

impl RecordKind {
    /// The kinds every format carries (formats 1 and 2 carry only these).
    pub const ALL: [RecordKind; 3] = [RecordKind::Worker, RecordKind::Event, RecordKind::Service];
    /// The kinds format 3 adds.
    pub const AID: [RecordKind; 2] = [RecordKind::Need, RecordKind::Claim];
    /// Every kind, in the order batches hold them; `kind as usize` indexes arrays of `COUNT`.
    pub const EVERY: [RecordKind; 5] = [
        RecordKind::Worker,
        RecordKind::Event,
        RecordKind::Service,
        RecordKind::Need,
        RecordKind::Claim,
    ];
    pub const COUNT: usize = 5;

    pub fn file_name(self) -> &'static str {
        match self {
            RecordKind::Worker => WORKERS_FILE,
            RecordKind::Event => EVENTS_FILE,
            RecordKind::Service => SERVICES_FILE,
            RecordKind::Need => NEEDS_FILE,
            RecordKind::Claim => CLAIMS_FILE,
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Worker => "worker",
            RecordKind::Event => "event",
            RecordKind::Service => "service",
            RecordKind::Need => "need",
            RecordKind::Claim => "claim",
        }
    }

    pub fn of_file(name: &str) -> Option<RecordKind> {
        RecordKind::EVERY
            .into_iter()
            .find(|k| k.file_name() == name)
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
