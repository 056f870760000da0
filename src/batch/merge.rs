//! `import batch`: merging batches from other officers' laptops into this database (the
//! district office).
//!
//! Rules:
//! - a batch is verified first and refused whole when anything is wrong;
//! - a batch already here (same batch uid, imported or exported) changes nothing;
//! - per record uid the higher version wins; an equal version with a different `updated_at`
//!   means two copies were changed independently: the later one shows, whichever came first,
//!   and the other is kept as a `diverged` conflict (the full rule, which the city applies
//!   too, is "Merge rule" in docs/batch-format.md);
//! - except over a local edit not yet exported: a higher incoming version of it is kept as a
//!   `local_edit` conflict, and the local edit stays, renumbered just above the incoming
//!   version so that it is not dropped as older wherever it is sent next;
//! - an ID number arriving under a worker uid other than the worker (live or withdrawn)
//!   holding it here is the same person registered on another laptop: the records are linked, the person shown
//!   by a rule that does not depend on the order of the batches, every service counted, and
//!   each disagreeing record listed once as a `same_person` conflict (see `person`). A known
//!   record whose new version takes an ID number another live worker holds stays an
//!   `id_number` conflict;
//! - merged records keep their origin device and officer, and arrive already exported (their
//!   own laptop sends them to the city; this database must not send them a second time);
//! - a batch whose `previous_batch_uid` is not here is imported, and the gap is reported;
//! - one transaction per batch.
//!
//! Here: reading a batch in and the per-batch bookkeeping; merging one worker or service in
//! `records`, erasure lines in `erasures`, what the command says about each batch in `report`.

use super::export::lock_database;
use super::format::{
    EventRecord, MAX_LINE_BYTES, Manifest, OfficerFields, RecordHeader, RecordKind, ServiceRecord,
    WorkerRecord,
};
use super::fsio::sha256_hex;
use super::source::{BatchSource, BoundedLines};
use super::verify::{Known, VerifyOptions, verify_source};
use super::{BatchError, Result};
use crate::store::Store;
use crate::store::batch_queries::{self as q, LocalVersion, MergedHeader, NewBatch};
use crate::store::merge_apply::{
    BulkChoice, MergeTransaction, officer_of_record, record_batch_item,
};
use crate::store::tables;
use crate::store::workers::audit;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod erasures;
mod records;
mod report;

use erasures::{apply_erasure, erasure_line, unparsed_line};
use records::{merge_service, merge_worker};
pub(super) use records::{write_event_record, write_service_record, write_worker_row};
pub use report::{outcome_lines, refused_line};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub path: PathBuf,
    pub batch_uid: String,
    pub device_id: String,
    /// Versions written, per kind (`RecordKind::EVERY` order).
    pub applied: [u64; RecordKind::COUNT],
    /// Versions not newer than what is here, per kind.
    pub unchanged: [u64; RecordKind::COUNT],
    /// Records kept aside in the conflict table.
    pub conflicts: u64,
    /// The previous batch of that laptop, when it has not been imported here.
    pub chain_gap: Option<String>,
    /// Erasure lines that erased something here.
    pub erasures: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(ImportSummary),
    AlreadyHere { path: PathBuf, batch_uid: String },
}

/// Imports each batch in turn, oldest first per laptop, so a chain given in one command is
/// imported in order. One result per path; a refused batch does not stop the others.
pub fn import_batches(
    store: &mut Store,
    paths: &[PathBuf],
) -> Result<Vec<(PathBuf, Result<ImportOutcome>)>> {
    let _lock = lock_database(store)?;
    let mut ordered: Vec<(Option<(String, String)>, PathBuf)> = paths
        .iter()
        .map(|p| {
            let key = read_manifest(p)
                .ok()
                .map(|m| (m.device_id.clone(), m.created_at.clone()));
            (key, p.clone())
        })
        .collect();
    // Unreadable ones last: they will be refused with their problems listed.
    ordered.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Ok(ordered
        .into_iter()
        .map(|(_, path)| {
            let outcome = import_one(store, &path);
            (path, outcome)
        })
        .collect())
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    let mut source = BatchSource::open(path)?;
    let bytes = source.read_manifest_bytes()?;
    serde_json::from_slice(&bytes).map_err(|_| BatchError::NotABatch {
        path: path.to_path_buf(),
    })
}

fn import_one(store: &mut Store, path: &Path) -> Result<ImportOutcome> {
    let mut source = BatchSource::open(path)?;
    import_source(store, &mut source, path)
}

/// Verifies and merges a batch already opened (a folder, a zip, or files in memory for the
/// fuzz target); `path` names it in messages and in the batch table.
pub fn import_source(
    store: &mut Store,
    source: &mut BatchSource,
    path: &Path,
) -> Result<ImportOutcome> {
    let today = store.clock().today();
    let report = {
        let conn = store.conn();
        let mut known = |kind: RecordKind, uid: &str| -> Result<Known> {
            if kind == RecordKind::Worker
                && let Some(born) = q::birth_date_of_worker(conn, uid)?
            {
                return Ok(Known::WorkerBorn(born));
            }
            Ok((q::rowid_of(conn, kind.table(), uid)?.is_some()
                || (kind == RecordKind::Worker
                    && (q::link_of(conn, uid)?.is_some()
                        || q::worker_held_in_conflict(conn, uid)?.is_some())))
            .into())
        };
        verify_source(
            source,
            VerifyOptions {
                today,
                references: Some(&mut known),
            },
        )?
    };
    if !report.is_valid() {
        return Err(BatchError::Invalid {
            path: path.to_path_buf(),
            problems: report.problems,
        });
    }
    let manifest = report.manifest.expect("a valid batch has a manifest");
    let manifest_sha = sha256_hex(&source.read_manifest_bytes()?);
    if let Some(here) = store.batch_by_uid(&manifest.batch_uid)? {
        // Same uid, same manifest (so the same files, by their hashes): already here. A
        // different manifest under a used uid is another batch; saying "already imported"
        // would drop it without anyone noticing. Rows from before manifests were hashed
        // have no hash to compare.
        if !here.manifest_sha256.is_empty() && here.manifest_sha256 != manifest_sha {
            return Err(BatchError::BatchUidReused {
                path: path.to_path_buf(),
                batch_uid: manifest.batch_uid,
            });
        }
        return Ok(ImportOutcome::AlreadyHere {
            path: path.to_path_buf(),
            batch_uid: manifest.batch_uid,
        });
    }
    let incoming: u64 = manifest.files.iter().map(|f| f.records).sum();
    let transaction = MergeTransaction::begin(store.conn(), BulkChoice::from_env(), incoming)?;
    let bulk = transaction.is_bulk();
    let result = apply(store, source, path, &manifest, &manifest_sha);
    match result {
        Ok(summary) => {
            transaction.commit(store.conn())?;
            if summary.erasures > 0 {
                // The erased values must not stay in the log (secure_delete clears the file).
                store.truncate_wal();
            }
            tracing::info!(
                applied = summary.applied.iter().sum::<u64>(),
                conflicts = summary.conflicts,
                gap = summary.chain_gap.is_some(),
                bulk,
                "batch imported"
            );
            Ok(ImportOutcome::Imported(summary))
        }
        Err(e) => {
            transaction.rollback(store.conn());
            Err(e)
        }
    }
}

/// Officer row ids of the batch, made on first sight.
pub(super) struct Officers<'s> {
    store: &'s Store,
    device_id: &'s str,
    ids: HashMap<(String, String, String), i64>,
}

impl Officers<'_> {
    pub(super) fn id(&mut self, officer: &OfficerFields) -> Result<i64> {
        let key = (
            officer.name.to_string(),
            officer.organisation.to_string(),
            officer.district_code.to_string(),
        );
        if let Some(id) = self.ids.get(&key) {
            return Ok(*id);
        }
        // The officer wrote this version on the laptop that exported the batch.
        let id = self
            .store
            .foreign_officer_id(self.device_id, &officer.to_officer())?;
        self.ids.insert(key, id);
        Ok(id)
    }
}

pub(super) enum Decision {
    Write(Option<i64>),
    Unchanged,
    /// The same version with another `updated_at`: two copies of one record. `replace` when
    /// the incoming copy is the later one and the row holds no edit waiting here, so that the
    /// copy shown does not depend on the order the batches came in.
    Diverged {
        id: i64,
        replace: bool,
    },
    /// A higher version arrived for a record edited here and not exported yet: the local
    /// edit (row id) stays.
    LocalEdit(i64),
}

pub(super) fn decide(local: Option<LocalVersion>, header: &RecordHeader) -> Decision {
    match local {
        None => Decision::Write(None),
        // Higher wins only over a version that has been sent: overwriting an edit still
        // waiting here would lose it without anyone seeing.
        Some(l) if l.version < header.version && l.unexported() => Decision::LocalEdit(l.id),
        Some(l) if l.version < header.version => Decision::Write(Some(l.id)),
        Some(l) if l.version == header.version && l.updated_at != header.updated_at => {
            Decision::Diverged {
                id: l.id,
                replace: *l.updated_at < *header.updated_at && !l.unexported(),
            }
        }
        Some(_) => Decision::Unchanged,
    }
}

/// Record `uid` of `table` as it is here, as a batch line (the conflicts view shows it beside
/// the other copy); `None` when there is no such row.
pub fn record_line(store: &Store, table: &str, uid: &str) -> Result<Option<String>> {
    let Some(kind) = RecordKind::EVERY.into_iter().find(|k| k.table() == table) else {
        return Ok(None);
    };
    match q::rowid_of(store.conn(), table, uid)? {
        Some(id) => Ok(Some(local_line(store, kind, id)?)),
        None => Ok(None),
    }
}

/// A record of this database as a batch line: the copy a diverged conflict keeps listed when
/// the later copy replaces it.
pub(super) fn local_line(store: &Store, kind: RecordKind, id: i64) -> Result<String> {
    let this_device = store.device_id()?;
    let conn = store.conn();
    let line = conn
        .prepare_cached(match kind {
            RecordKind::Worker => tables::worker::EXPORT_SQL.by_id.as_str(),
            RecordKind::Event => tables::event::EXPORT_SQL.by_id.as_str(),
            RecordKind::Service => tables::service::EXPORT_SQL.by_id.as_str(),
            aid => tables::record_by_id_sql(aid.table()),
        })?
        .query_row([id], |row| {
            let json = match kind {
                RecordKind::Worker => {
                    serde_json::to_string(&tables::worker::exported_from_row(row, &this_device)?)
                }
                RecordKind::Event => {
                    serde_json::to_string(&tables::event::exported_from_row(row, &this_device)?)
                }
                RecordKind::Service => {
                    serde_json::to_string(&tables::service::exported_from_row(row, &this_device)?)
                }
                aid => return super::export_aid::line_of_row(row, aid, &this_device),
            };
            json.map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
        })?;
    Ok(line)
}

pub(super) fn merged_header<'a>(h: &'a RecordHeader, officer_id: i64) -> MergedHeader<'a> {
    MergedHeader {
        uid: &h.uid,
        version: h.version,
        officer_id,
        origin_device: &h.origin_device_id,
        created_at: &h.created_at,
        updated_at: &h.updated_at,
        deleted_at: h.deleted_at.as_deref(),
        reason: h.reason.as_deref().unwrap_or(""),
    }
}

fn apply(
    store: &Store,
    source: &mut BatchSource,
    path: &Path,
    manifest: &Manifest,
    manifest_sha: &str,
) -> Result<ImportSummary> {
    let conn = store.conn();
    let now = store.clock().stamp();
    let mut officers = Officers {
        store,
        device_id: &manifest.device_id,
        ids: HashMap::new(),
    };
    let batch_officer = officers.id(&manifest.officer)?;
    let path_text = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned();
    let batch_id = q::insert_batch(
        conn,
        &NewBatch {
            uid: &manifest.batch_uid,
            previous_batch_uid: manifest.previous_batch_uid.as_deref(),
            device_id: &manifest.device_id,
            officer_id: Some(batch_officer),
            created_at: &manifest.created_at,
            path: &path_text,
            direction: "imported",
            status: "writing",
        },
    )?;
    let mut summary = ImportSummary {
        path: path.to_path_buf(),
        batch_uid: manifest.batch_uid.clone(),
        device_id: manifest.device_id.clone(),
        chain_gap: match &manifest.previous_batch_uid {
            Some(previous) if store.batch_by_uid(previous)?.is_none() => Some(previous.clone()),
            _ => None,
        },
        ..ImportSummary::default()
    };
    let conflict =
        |reason: &str, table: &str, id_number: &str, kept: &str, uid: &str, line: &str| {
            q::insert_conflict(
                conn,
                &now,
                reason,
                table,
                id_number,
                kept,
                uid,
                &manifest.batch_uid,
                line,
            )
        };
    let mut counts = [0i64; RecordKind::COUNT];
    for kind in RecordKind::EVERY {
        let table = kind.table();
        let file_path = path.join(kind.file_name());
        let Some(listed) = manifest.files.iter().find(|f| f.name == kind.file_name()) else {
            continue;
        };
        let reader = source.open_file(kind.file_name(), listed.bytes.saturating_add(1))?;
        let mut lines = BoundedLines::new(reader, file_path.clone(), MAX_LINE_BYTES);
        while let Some((line_no, text)) = lines.next_line()? {
            // Owned, as `lines()` gave it before: the merge below borrows it as `&line`.
            let line = text.to_string();
            let bad = |e: serde_json::Error| unparsed_line(&file_path, kind, line_no, &line, e);
            counts[kind as usize] += 1;
            if let Some(erasure) = erasure_line(&line) {
                let changed = apply_erasure(conn, kind, &erasure, &now, batch_officer)?;
                if changed {
                    summary.applied[kind as usize] += 1;
                    summary.erasures += 1;
                } else {
                    summary.unchanged[kind as usize] += 1;
                }
                record_batch_item(conn, batch_id, table, &erasure.uid, erasure.version)?;
                continue;
            }
            let (header, outcome) = match kind {
                RecordKind::Worker => {
                    let w: WorkerRecord = serde_json::from_str(&line).map_err(bad)?;
                    let (outcome, added) =
                        merge_worker(store, &mut officers, &w, &line, manifest, &conflict)?;
                    summary.conflicts += added;
                    (w.header, outcome)
                }
                RecordKind::Event => {
                    let e: EventRecord = serde_json::from_str(&line).map_err(bad)?;
                    let local = q::local_version(conn, table, &e.header.uid)?;
                    let outcome = match decide(local, &e.header) {
                        Decision::Write(existing) => {
                            let officer_id = officers.id(&e.header.officer)?;
                            write_event_record(conn, existing, &e, officer_id)?;
                            Outcome::Applied(officer_id)
                        }
                        Decision::Diverged { id, replace } => {
                            if replace {
                                let before = local_line(store, kind, id)?;
                                conflict(
                                    "diverged",
                                    table,
                                    "",
                                    &e.header.uid,
                                    &e.header.uid,
                                    &before,
                                )?;
                                let officer_id = officers.id(&e.header.officer)?;
                                write_event_record(conn, Some(id), &e, officer_id)?;
                            } else {
                                conflict(
                                    "diverged",
                                    table,
                                    "",
                                    &e.header.uid,
                                    &e.header.uid,
                                    &line,
                                )?;
                            }
                            Outcome::Conflict
                        }
                        Decision::LocalEdit(id) => {
                            conflict("local_edit", table, "", &e.header.uid, &e.header.uid, &line)?;
                            keep_local_edit(conn, &now, table, id, &e.header)?;
                            Outcome::Conflict
                        }
                        Decision::Unchanged => Outcome::Unchanged,
                    };
                    (e.header, outcome)
                }
                RecordKind::Service => {
                    let s: ServiceRecord = serde_json::from_str(&line).map_err(bad)?;
                    let outcome = merge_service(store, &mut officers, &s, &line, &conflict)?;
                    (s.header, outcome)
                }
                aid => super::merge_aid::merge(store, &mut officers, aid, &line, &conflict, &bad)?,
            };
            match outcome {
                Outcome::Applied(officer_id) => {
                    summary.applied[kind as usize] += 1;
                    audit(
                        conn,
                        &now,
                        officer_id,
                        table,
                        &header.uid,
                        header.version,
                        "import",
                        "",
                    )?;
                }
                Outcome::Unchanged => summary.unchanged[kind as usize] += 1,
                Outcome::Conflict => summary.conflicts += 1,
            }
            record_batch_item(conn, batch_id, table, &header.uid, header.version)?;
        }
        // The files are read a second time here; one changed since it was verified is
        // refused (the transaction is rolled back by the caller).
        let actual = lines.sha256();
        if actual != listed.sha256 {
            let mut problems = super::verify::Problems::default();
            problems.push(super::verify::Problem::new(
                kind.file_name(),
                None,
                super::verify::ProblemKind::HashMismatch {
                    manifest: listed.sha256.clone(),
                    actual,
                },
            ));
            return Err(BatchError::Invalid {
                path: path.to_path_buf(),
                problems,
            });
        }
    }
    crate::store::tables::need::settle_needs_of_people(conn, batch_id)?;
    q::complete_batch(conn, batch_id, &counts, manifest_sha)?;
    Ok(summary)
}

/// Keeps the local edit of row `id` over the incoming `header`: the incoming copy is in the
/// conflict table already; the local one moves above it (see `renumber_local_edit`) and the
/// audit says so.
pub(super) fn keep_local_edit(
    conn: &rusqlite::Connection,
    now: &str,
    table: &str,
    id: i64,
    incoming: &RecordHeader,
) -> Result<()> {
    let version = crate::store::version::next_version(incoming.version)?;
    q::renumber_local_edit(conn, table, id, version, now)?;
    let officer_id = officer_of_record(conn, table, id)?;
    audit(
        conn,
        now,
        officer_id,
        table,
        &incoming.uid,
        version,
        "keep_local",
        "",
    )?;
    Ok(())
}

pub(super) enum Outcome {
    Applied(i64),
    Unchanged,
    Conflict,
}

type ConflictFn<'a> = dyn Fn(&str, &str, &str, &str, &str, &str) -> crate::store::Result<()> + 'a;
