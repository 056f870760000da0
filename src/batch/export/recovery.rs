//! Finishing or undoing an export that died: a batch whose folder is whole and ours is
//! marked exported; anything else is forgotten so its versions go into the next batch.

use super::marking::mark_exported;
use super::{CrashAt, Recovery, device_tag, lock_database, remove_any};
use crate::batch::Result;
use crate::batch::format::BATCH_NAME_PREFIX;
use crate::batch::fsio::sha256_hex;
use crate::batch::source::BatchSource;
use crate::batch::verify::{VerifyOptions, verify_path};
use crate::store::Store;
use crate::store::batch_queries::discard_batch;
use std::path::{Path, PathBuf};

/// The hidden plain zip `.<name>.zip.partial` an export keeps beside `<name>.zip.age`.
fn plain_beside_sealed(path: &Path) -> Option<PathBuf> {
    if !crate::batch::seal::is_sealed(path) {
        return None;
    }
    let file_name = path.file_name()?.to_str()?;
    let name = file_name.strip_suffix(".zip.age")?;
    Some(path.with_file_name(format!(".{name}.zip.partial")))
}

/// Finishes or undoes exports that died, under the batch lock. Public for the TUI, which
/// may run it at start-up.
pub fn recover_unfinished(store: &mut Store) -> Result<Vec<Recovery>> {
    let _lock = lock_database(store)?;
    recover_unfinished_locked(store, &CrashAt::default())
}

pub(super) fn recover_unfinished_locked(
    store: &mut Store,
    crash: &CrashAt,
) -> Result<Vec<Recovery>> {
    let mut notes = Vec::new();
    let tag = device_tag(&store.device_id()?);
    let today = store.clock().today();
    for row in store.unfinished_exports()? {
        let path = PathBuf::from(&row.path);
        // A sealed batch is read back through the plain zip kept beside it until marking.
        let readable = plain_beside_sealed(&path).unwrap_or_else(|| path.clone());
        let verdict = if path.exists() && readable.exists() {
            let report = verify_path(
                &readable,
                VerifyOptions {
                    today,
                    references: None,
                },
            );
            match report {
                Ok(report) => {
                    let ours = report
                        .manifest
                        .as_ref()
                        .is_some_and(|m| m.batch_uid == row.uid);
                    Some((ours, report))
                }
                Err(_) => None,
            }
        } else {
            None
        };
        match verdict {
            Some((true, report)) if report.is_valid() => {
                let manifest_bytes = BatchSource::open(&readable)?.read_manifest_bytes()?;
                mark_exported(
                    store,
                    row.id,
                    &readable,
                    report.tallies,
                    &sha256_hex(&manifest_bytes),
                    crash,
                )?;
                tracing::info!(batch = row.id, "finished an interrupted export");
                notes.push(Recovery::Completed { path: path.clone() });
            }
            Some((true, _)) => {
                // Our own batch, damaged after the fact: nobody may upload it; its versions
                // go into the next batch instead.
                remove_any(&path)?;
                discard_batch(store.conn(), row.id)?;
                notes.push(Recovery::Discarded { path: path.clone() });
            }
            _ => {
                // Not there, or not ours (never delete a folder we cannot prove we wrote).
                discard_batch(store.conn(), row.id)?;
                notes.push(Recovery::Discarded { path: path.clone() });
            }
        }
        if let Some(parent) = path.parent() {
            notes.extend(remove_leftovers(parent, &tag)?);
        }
    }
    Ok(notes)
}

/// Removes this device's temporary batch folders and zips in `dir`. Called under the batch
/// lock, so none of them belongs to a running export.
pub(super) fn remove_leftovers(dir: &Path, device_tag: &str) -> Result<Vec<Recovery>> {
    let mut removed = Vec::new();
    let Ok(items) = std::fs::read_dir(dir) else {
        return Ok(removed);
    };
    let marker = format!("-{device_tag}-");
    for item in items.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!(".{BATCH_NAME_PREFIX}"))
            && name.ends_with(".partial")
            && name.contains(&marker)
        {
            let path = item.path();
            remove_any(&path)?;
            removed.push(Recovery::RemovedLeftover { path });
        }
    }
    Ok(removed)
}
