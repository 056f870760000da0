//! `export`: one batch holding every record version not yet exported, written so that a
//! crash at any point leaves either no batch or a whole one, and no version is sent twice or
//! skipped.
//!
//! The order of durable steps:
//! 1. take the database's batch lock (one export or import at a time);
//! 2. finish or undo any export that died earlier (`recover_unfinished`);
//! 3. insert a `writing` batch row naming the final path;
//! 4. write every file into `.<name>.partial`, fsync each file and the folder;
//! 5. rename to the final name (for `--zip`, pack into `.<name>.zip.partial`, fsync, rename),
//!    then fsync the parent folder;
//! 6. in one transaction: mark the versions exported, add `batch_item` rows, set the batch
//!    row `complete`.
//!
//! A death before step 5 leaves no final folder: the next export discards the row and the
//! partial folder, and writes the versions again. A death after step 5 leaves a final folder
//! that the row names: the next export verifies it and marks exactly the versions written in
//! it (read back from its files), so it is neither repeated nor lost.

mod marking;
mod recovery;

use marking::mark_exported;
use recovery::{recover_unfinished_locked, remove_leftovers};

use super::format::{
    BATCH_NAME_PREFIX, FORMAT_NAME, FORMAT_VERSION, FileEntry, MANIFEST_FILE, Manifest,
    OfficerFields, RecordKind,
};
use super::fsio::{
    HashingWriter, create_private_dir, create_private_dir_all, create_private_file, sha256_hex,
    sync_dir,
};
use super::verify::KindTally;
use super::{BatchError, Result};
use crate::store::batch_queries::{NewBatch, discard_batch, for_each_row, insert_batch};
use crate::store::tables::{self, export_row};
use crate::store::{Store, StoreError};
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub out_dir: PathBuf,
    pub zip: bool,
    pub csv: bool,
    pub xlsx: bool,
    /// Review copies show the claims' health details (diagnosis, death, notes), else left out.
    pub reveal_health: bool,
    /// The receivers' `age1…` public keys: when any, the zip is sealed to all of them and
    /// written as `<name>.zip.age` (implies `zip`).
    pub seal_to: Vec<String>,
}

/// What the export is doing, for a progress bar or a TUI gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportStep {
    /// Records written so far out of those waiting when the export began.
    Records {
        done: u64,
        total: u64,
    },
    ReviewCopies,
    Packing,
    Marking,
}

/// What was done about an export that had died.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Its folder was complete and verified: its versions are now marked exported.
    Completed { path: PathBuf },
    /// It never produced a complete folder: forgotten; its versions wait for this export.
    Discarded { path: PathBuf },
    /// A temporary folder or file of a dead export, removed.
    RemovedLeftover { path: PathBuf },
}

#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub batch_uid: String,
    /// Records per kind, in `RecordKind::EVERY` order.
    pub counts: [i64; RecordKind::COUNT],
    /// True when records changed during the export, so marking went record by record.
    pub marked_one_by_one: bool,
    pub timings: Vec<(&'static str, Duration)>,
}

#[derive(Debug, Clone)]
pub enum ExportOutcome {
    NothingNew {
        recovered: Vec<Recovery>,
    },
    Written {
        summary: ExportSummary,
        recovered: Vec<Recovery>,
    },
}

/// Named points where `JINGONG_EXPORT_CRASH_AT` aborts the process, for the crash tests. Only
/// builds with the `testing` feature (test builds) read the variable.
pub const CRASH_POINTS: &[&str] = &[
    "locked",
    "announced",
    "mid-workers",
    "mid-services",
    "data-written",
    "manifest-written",
    "packed",
    "renamed",
    "marking",
    "marked",
];

#[derive(Debug, Clone, Default)]
struct CrashAt(Option<String>);

impl CrashAt {
    #[cfg(feature = "testing")]
    fn from_env() -> CrashAt {
        CrashAt(std::env::var("JINGONG_EXPORT_CRASH_AT").ok())
    }

    /// An officer's build has no crash hook: nothing in the environment can abort an export.
    #[cfg(not(feature = "testing"))]
    fn from_env() -> CrashAt {
        CrashAt(None)
    }

    /// Dies like a power cut would: no destructors, no flushing of buffers.
    fn here(&self, step: &str) {
        if self.0.as_deref() == Some(step) {
            std::process::abort();
        }
    }
}

/// Held while an export or an import runs: a second one on the same database waits its turn
/// by failing fast. The OS drops the lock when the process dies, so a crash never leaves the
/// database locked.
pub struct BatchLock {
    file: Option<File>,
}

impl Drop for BatchLock {
    /// Unlocks before the file closes: a child process forked by another thread (tests run
    /// many) shares the open file until it execs, and would keep the lock held meanwhile.
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            let _ = file.unlock();
        }
    }
}

pub fn lock_database(store: &Store) -> Result<BatchLock> {
    let db = store.path();
    if db == Path::new(":memory:") {
        return Ok(BatchLock { file: None });
    }
    let mut name = db.as_os_str().to_owned();
    name.push(".batch-lock");
    let path = PathBuf::from(name);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&path).map_err(|e| BatchError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(BatchLock { file: Some(file) }),
        Err(std::fs::TryLockError::WouldBlock) => Err(BatchError::Locked),
        Err(std::fs::TryLockError::Error(e)) => Err(BatchError::io(&path, e)),
    }
}

/// The eight characters of the device id that go into folder names: the last eight, which
/// are random, where the first eight of a v7 UUID are a timestamp shared by laptops set up
/// the same day.
pub fn device_tag(device_id: &str) -> String {
    let hex: String = device_id.chars().filter(|c| *c != '-').collect();
    hex[hex.len().saturating_sub(8)..].to_string()
}

/// Writes a batch of everything waiting. `progress` is called often; keep it cheap.
pub fn export(
    store: &mut Store,
    options: &ExportOptions,
    progress: &mut dyn FnMut(ExportStep),
) -> Result<ExportOutcome> {
    let crash = CrashAt::from_env();
    let _lock = lock_database(store)?;
    crash.here("locked");
    let mut timings = Vec::new();
    let started = Instant::now();
    let device_id = store.device_id()?;
    let tag = device_tag(&device_id);
    let mut recovered = recover_unfinished_locked(store, &crash)?;
    recovered.extend(remove_leftovers(&options.out_dir, &tag)?);
    timings.push(("recover", started.elapsed()));

    let pending = store.pending_counts()?;
    if pending.total() == 0 {
        return Ok(ExportOutcome::NothingNew { recovered });
    }
    let officer = store.officer()?.ok_or(StoreError::NoOfficer)?;
    let clock = store.clock();
    let now = clock.now();
    let created_at = clock.stamp();
    create_private_dir_all(&options.out_dir)?;
    // The batch row keeps an absolute path: recovery must find the folder whatever the
    // working folder of the next run.
    let out_dir =
        std::fs::canonicalize(&options.out_dir).map_err(|e| BatchError::io(&options.out_dir, e))?;
    let base = format!(
        "{BATCH_NAME_PREFIX}{}-{tag}-{}",
        officer.district_code,
        now.format("%Y%m%dT%H%M%S")
    );
    let name = free_name(&out_dir, &base, store)?;
    let sealing = !options.seal_to.is_empty();
    let zip = options.zip || sealing;
    let plan = BatchPlan {
        final_path: out_dir.join(if sealing {
            format!("{name}.zip.age")
        } else if zip {
            format!("{name}.zip")
        } else {
            name.clone()
        }),
        partial: out_dir.join(format!(".{name}.partial")),
        zip_partial: zip.then(|| out_dir.join(format!(".{name}.zip.partial"))),
        sealed_partial: sealing.then(|| out_dir.join(format!(".{name}.zip.age.partial"))),
        out_dir,
        name,
    };
    let batch_uid = uuid::Uuid::now_v7().to_string();
    let previous = store.last_export_uid(&device_id)?;
    let final_path_text = plan.final_path.to_string_lossy().into_owned();
    let batch_id = insert_batch(
        store.conn(),
        &NewBatch {
            uid: &batch_uid,
            previous_batch_uid: previous.as_deref(),
            device_id: &device_id,
            officer_id: store.officer_id().ok(),
            created_at: &created_at,
            path: &final_path_text,
            direction: "exported",
            status: "writing",
        },
    )?;
    crash.here("announced");

    let manifest = Manifest {
        format: FORMAT_NAME.into(),
        format_version: FORMAT_VERSION,
        batch_uid: batch_uid.clone(),
        previous_batch_uid: previous,
        device_id: device_id.clone(),
        officer: OfficerFields {
            name: Cow::Owned(officer.name.clone()),
            organisation: Cow::Owned(officer.organisation.clone()),
            district_code: Cow::Owned(officer.district_code.clone()),
        },
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: store.schema_version()?,
        created_at,
        files: Vec::new(),
    };
    let written = write_batch(
        store,
        options,
        &plan,
        manifest,
        pending,
        &crash,
        progress,
        &mut timings,
    );
    let (tallies, manifest_sha) = match written {
        Ok(done) => done,
        Err(e) => {
            // Before the rename nothing is visible: undo now rather than at the next export.
            // After it, the folder is whole and the next export verifies and marks it.
            if !plan.final_path.exists() {
                let _ = remove_any(&plan.partial);
                for leftover in [&plan.zip_partial, &plan.sealed_partial]
                    .into_iter()
                    .flatten()
                {
                    let _ = remove_any(leftover);
                }
                let _ = discard_batch(store.conn(), batch_id);
            }
            return Err(e);
        }
    };

    let step = Instant::now();
    progress(ExportStep::Marking);
    let marked_one_by_one = mark_exported(
        store,
        batch_id,
        plan.readable(),
        tallies,
        &manifest_sha,
        &crash,
    )?;
    crash.here("marked");
    if plan.sealed_partial.is_some() {
        // The plain zip was kept until now for a recovery to read; a leftover is hidden and
        // removed by the next export.
        let _ = std::fs::remove_file(plan.readable());
    }
    timings.push(("mark exported", step.elapsed()));
    timings.push(("total", started.elapsed()));
    tracing::info!(
        workers = tallies[0].count,
        events = tallies[1].count,
        services = tallies[2].count,
        marked_one_by_one,
        ms = started.elapsed().as_millis() as u64,
        "batch exported"
    );
    Ok(ExportOutcome::Written {
        summary: ExportSummary {
            path: plan.final_path,
            batch_uid,
            counts: tallies.map(|t| t.count),
            marked_one_by_one,
            timings,
        },
        recovered,
    })
}

/// Where one export writes.
struct BatchPlan {
    out_dir: PathBuf,
    name: String,
    partial: PathBuf,
    zip_partial: Option<PathBuf>,
    /// Where a sealed batch is encrypted before its rename.
    sealed_partial: Option<PathBuf>,
    final_path: PathBuf,
}

impl BatchPlan {
    /// Where this laptop reads its own batch back: the plain zip beside a sealed one (the
    /// laptop does not hold the receivers' keys), the final batch otherwise.
    fn readable(&self) -> &Path {
        match (&self.sealed_partial, &self.zip_partial) {
            (Some(_), Some(zip_partial)) => zip_partial,
            _ => &self.final_path,
        }
    }
}

/// Writes every file into the partial folder, flushes, and renames it (or its zip) to the
/// final name. Returns what was written per kind and the manifest's SHA-256.
#[allow(clippy::too_many_arguments)] // the steps' shared state; a struct would only rename it
fn write_batch(
    store: &Store,
    options: &ExportOptions,
    plan: &BatchPlan,
    mut manifest: Manifest,
    pending: crate::store::stats::PendingCounts,
    crash: &CrashAt,
    progress: &mut dyn FnMut(ExportStep),
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<([KindTally; RecordKind::COUNT], String)> {
    let partial = &plan.partial;
    create_private_dir(partial)?;
    let step = Instant::now();
    let (mut files, tallies) = write_data_files(
        store,
        partial,
        &manifest.device_id,
        pending.total() as u64,
        pending.services as u64,
        crash,
        progress,
    )?;
    crash.here("data-written");
    timings.push(("write records", step.elapsed()));

    let step = Instant::now();
    if options.csv || options.xlsx {
        progress(ExportStep::ReviewCopies);
        if options.csv {
            files.extend(super::csv_copy::write(partial, options.reveal_health)?);
        }
        if options.xlsx {
            files.push(super::xlsx_copy::write(partial, options.reveal_health)?);
        }
        timings.push(("review copies", step.elapsed()));
    }

    manifest.files = files;
    let mut manifest_bytes =
        serde_json::to_vec_pretty(&manifest).expect("a manifest always serialises");
    manifest_bytes.push(b'\n');
    let manifest_sha = sha256_hex(&manifest_bytes);
    write_synced(&partial.join(MANIFEST_FILE), &manifest_bytes)?;
    sync_dir(partial)?;
    crash.here("manifest-written");

    let final_path = &plan.final_path;
    if let Some(zip_partial) = &plan.zip_partial {
        let step = Instant::now();
        progress(ExportStep::Packing);
        super::zip_pack::pack(partial, &plan.name, zip_partial)?;
        crash.here("packed");
        let to_rename = match &plan.sealed_partial {
            Some(sealed_partial) => {
                super::seal::seal_file(zip_partial, sealed_partial, &options.seal_to)?;
                sealed_partial
            }
            None => zip_partial,
        };
        std::fs::rename(to_rename, final_path).map_err(|e| BatchError::io(final_path, e))?;
        sync_dir(&plan.out_dir)?;
        crash.here("renamed");
        // A leftover here is harmless (hidden, removed by the next export).
        let _ = std::fs::remove_dir_all(partial);
        timings.push(("zip", step.elapsed()));
    } else {
        std::fs::rename(partial, final_path).map_err(|e| BatchError::io(final_path, e))?;
        sync_dir(&plan.out_dir)?;
        crash.here("renamed");
    }
    Ok((tallies, manifest_sha))
}

/// The batch name, with `-2`, `-3`… when a batch of the same second already exists.
fn free_name(out_dir: &Path, base: &str, store: &Store) -> Result<String> {
    let known: Vec<String> = store.batches()?.into_iter().map(|b| b.path).collect();
    for n in 1.. {
        let name = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        let taken = [
            name.clone(),
            format!("{name}.zip"),
            format!("{name}.zip.age"),
            format!(".{name}.partial"),
            format!(".{name}.zip.partial"),
            format!(".{name}.zip.age.partial"),
        ]
        .iter()
        .any(|candidate| {
            let path = out_dir.join(candidate);
            path.exists() || known.iter().any(|k| Path::new(k) == path)
        });
        if !taken {
            return Ok(name);
        }
    }
    unreachable!("some suffix is free")
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = create_private_file(path)?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| BatchError::io(path, e))
}

/// Streams the three data files from one read snapshot. Returns their manifest entries and,
/// per kind, the count and version sum written (the fingerprint the marking step compares).
fn write_data_files(
    store: &Store,
    dir: &Path,
    device_id: &str,
    total: u64,
    services_expected: u64,
    crash: &CrashAt,
    progress: &mut dyn FnMut(ExportStep),
) -> Result<(Vec<FileEntry>, [KindTally; RecordKind::COUNT])> {
    let snapshot = store.conn().unchecked_transaction()?;
    let mut done = 0u64;
    let mut entries = Vec::new();
    let mut tallies = [KindTally::default(); RecordKind::COUNT];
    for kind in RecordKind::EVERY {
        let path = dir.join(kind.file_name());
        let file = create_private_file(&path)?;
        let mut out = BufWriter::with_capacity(1 << 20, HashingWriter::new(file));
        let mut tally = KindTally::default();
        let sql = match kind {
            RecordKind::Worker => tables::worker::EXPORT_SQL.pending.as_str(),
            RecordKind::Event => tables::event::EXPORT_SQL.pending.as_str(),
            RecordKind::Service => tables::service::EXPORT_SQL.pending.as_str(),
            aid => super::export_aid::pending_sql(aid),
        };
        let io = |e: std::io::Error| BatchError::io(&path, e);
        for_each_row(&snapshot, sql, |row| -> Result<()> {
            // An erased record travels as uid, version and reason code only.
            let erasure = match kind {
                RecordKind::Worker | RecordKind::Service => export_row::erasure(row)?,
                _ => None,
            };
            let version = match kind {
                _ if erasure.is_some() => {
                    let record = erasure.expect("checked");
                    serde_json::to_writer(&mut out, &record).map_err(|e| io(e.into()))?;
                    record.version
                }
                RecordKind::Worker => {
                    let record = tables::worker::exported_from_row(row, device_id)?;
                    serde_json::to_writer(&mut out, &record).map_err(|e| io(e.into()))?;
                    record.header.version
                }
                RecordKind::Event => {
                    let record = tables::event::exported_from_row(row, device_id)?;
                    serde_json::to_writer(&mut out, &record).map_err(|e| io(e.into()))?;
                    record.header.version
                }
                RecordKind::Service => {
                    let record = tables::service::exported_from_row(row, device_id)?;
                    serde_json::to_writer(&mut out, &record).map_err(|e| io(e.into()))?;
                    record.header.version
                }
                aid => super::export_aid::write_line(row, aid, device_id, &mut out, &path)?,
            };
            out.write_all(b"\n").map_err(io)?;
            tally.count += 1;
            tally.version_sum += version;
            done += 1;
            if done.is_multiple_of(4096) {
                progress(ExportStep::Records { done, total });
            }
            match kind {
                RecordKind::Worker if tally.count == 1 => crash.here("mid-workers"),
                RecordKind::Service if tally.count as u64 == services_expected.div_ceil(2) => {
                    crash.here("mid-services")
                }
                _ => {}
            }
            Ok(())
        })?;
        let hashing = out.into_inner().map_err(|e| io(e.into_error()))?;
        let (file, bytes, sha256) = hashing.finish();
        file.sync_all().map_err(io)?;
        entries.push(FileEntry {
            name: kind.file_name().into(),
            records: tally.count as u64,
            bytes,
            sha256,
        });
        tallies[kind as usize] = tally;
    }
    snapshot.commit()?;
    progress(ExportStep::Records {
        done,
        total: total.max(done),
    });
    Ok((entries, tallies))
}

/// A withdrawal made before reasons were recorded (format 1 days) still needs one in format 2.
pub use crate::store::tables::export_row::REASON_NOT_RECORDED;
pub use recovery::recover_unfinished;

fn remove_any(path: &Path) -> Result<()> {
    let result = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    result.map_err(|e| BatchError::io(path, e))
}
