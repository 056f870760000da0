//! Resolving a conflict found by a merge, the same call for `jingong conflicts resolve` and
//! the conflicts view. Whatever is kept becomes a new version made here by this officer:
//! audited (`resolve`), waiting for the next export, and with the latest `updated_at`, so every
//! receiver applying the merge rule (docs/batch-format.md) ends on the same copy.
//!
//! - `same_person` (two records of one person): keep either record by its uid (see
//!   `person::keep_person_record`);
//! - `diverged` and `local_edit` (two copies of one record, so one uid): keep `here` (the copy
//!   in this database) or `incoming` (the copy the batch brought).

use super::export::lock_database;
use super::format::{EventRecord, ServiceRecord, WorkerRecord};
use super::merge::{write_event_record, write_service_record, write_worker_row};
use super::{BatchError, Result, person};
use crate::store::batch_queries::{self as q, ConflictRow};
use crate::store::workers::audit;
use crate::store::{Store, StoreError};
use std::borrow::Cow;

/// `--keep` for the copy in this database, when both sides carry one uid.
pub const KEEP_HERE: &str = "here";
/// `--keep` for the copy a batch brought, when both sides carry one uid.
pub const KEEP_INCOMING: &str = "incoming";

/// What `resolve_conflict` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub conflict_id: i64,
    pub kept_uid: String,
    /// The new version of the kept record, waiting for the next export.
    pub version: i64,
}

/// Why a resolution was refused; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveRefusal {
    NoSuchConflict(i64),
    AlreadyResolved(i64),
    /// `--keep` named neither side; what it may name is listed.
    NotASide {
        keep: String,
        sides: [String; 2],
    },
    /// Conflicts kept from before people were merged (`id_number`, `worker_in_conflict`), or a
    /// copy of a record shown through another: corrected on the laptop that made it.
    NotHere {
        reason: String,
    },
}

/// Settles conflict `id`, keeping `keep` (see the module comment). Nothing changes when it is
/// refused.
pub fn resolve_conflict(
    store: &mut Store,
    id: i64,
    keep: &str,
) -> Result<std::result::Result<Resolution, ResolveRefusal>> {
    let Some(conflict) = store.conflict_by_id(id)? else {
        return Ok(Err(ResolveRefusal::NoSuchConflict(id)));
    };
    if conflict.resolved_at.is_some() {
        return Ok(Err(ResolveRefusal::AlreadyResolved(id)));
    }
    let same_record = matches!(conflict.reason.as_str(), "diverged" | "local_edit");
    let sides = if same_record {
        [KEEP_HERE.to_string(), KEEP_INCOMING.to_string()]
    } else {
        [conflict.kept_uid.clone(), conflict.incoming_uid.clone()]
    };
    if !sides.iter().any(|s| s == keep) {
        return Ok(Err(ResolveRefusal::NotASide {
            keep: keep.to_string(),
            sides,
        }));
    }
    let linked = conflict.record_table == "worker"
        && q::link_of(store.conn(), &conflict.kept_uid)?.is_some();
    if !(conflict.reason == "same_person" || same_record) || (same_record && linked) {
        return Ok(Err(ResolveRefusal::NotHere {
            reason: conflict.reason,
        }));
    }
    let _lock = lock_database(store)?;
    let officer_id = store.officer_id()?;
    let now = store.clock().stamp();
    let tx = store.conn().unchecked_transaction()?;
    let (kept_uid, version) = if same_record {
        let version = keep_copy(store, &conflict, keep == KEEP_INCOMING, officer_id, &now)?;
        q::mark_conflict_resolved(store.conn(), id, &now, None)?;
        (conflict.kept_uid.clone(), version)
    } else {
        let version = person::keep_person_record(store, &conflict, keep, officer_id, &now)?;
        (keep.to_string(), version)
    };
    audit(
        store.conn(),
        &now,
        officer_id,
        &conflict.record_table,
        &kept_uid,
        version,
        "resolve",
        &conflict.fields,
    )?;
    tx.commit()?;
    Ok(Ok(Resolution {
        conflict_id: id,
        kept_uid,
        version,
    }))
}

/// Keeps one copy of a record held twice (`diverged`, `local_edit`) as a new version above
/// both; returns it.
fn keep_copy(
    store: &Store,
    conflict: &ConflictRow,
    incoming: bool,
    officer_id: i64,
    now: &str,
) -> Result<i64> {
    let conn = store.conn();
    let table = conflict.record_table.as_str();
    let missing = || {
        BatchError::Store(StoreError::NotFound {
            what: format!("{table} {}", conflict.kept_uid),
        })
    };
    let local = q::local_version(conn, table, &conflict.kept_uid)?.ok_or_else(missing)?;
    let bad = |e: serde_json::Error| {
        BatchError::Store(StoreError::NotFound {
            what: format!("a readable copy in conflict {} ({e})", conflict.id),
        })
    };
    let json = conflict.incoming_json.as_str();
    let incoming_version = serde_json::from_str::<serde_json::Value>(json)
        .map_err(bad)?
        .get("version")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    let version = crate::store::version::next_version(local.version.max(incoming_version))?;
    if incoming {
        let stamp = |h: &mut super::format::RecordHeader| {
            h.version = version;
            h.updated_at = Cow::Owned(now.to_string());
        };
        match table {
            "worker" => {
                let mut w: WorkerRecord = serde_json::from_str(json).map_err(bad)?;
                stamp(&mut w.header);
                write_worker_row(conn, Some(local.id), &w, officer_id)?;
                person::settle(store, local.id, &conflict.incoming_batch)?;
            }
            "need" | "claim" => {
                super::merge_aid::write_resolved_copy(
                    conn, table, local.id, json, officer_id, stamp,
                )?;
            }
            "event" => {
                let mut e: EventRecord = serde_json::from_str(json).map_err(bad)?;
                stamp(&mut e.header);
                write_event_record(conn, Some(local.id), &e, officer_id)?;
            }
            _ => {
                let mut s: ServiceRecord = serde_json::from_str(json).map_err(bad)?;
                stamp(&mut s.header);
                let worker_id = q::person_row_of(conn, &s.worker_uid)?.ok_or_else(missing)?;
                let event_id = match &s.event_uid {
                    Some(uid) => q::rowid_of(conn, "event", uid)?,
                    None => None,
                };
                write_service_record(conn, Some(local.id), &s, worker_id, event_id, officer_id)?;
            }
        }
    } else {
        q::restamp_local_copy(conn, table, local.id, version, now, officer_id)?;
    }
    // Made here: it waits for the next export (the writes above mark merged copies exported).
    q::set_exported_version(
        conn,
        table,
        local.id,
        local.exported_version.min(version - 1),
    )?;
    Ok(version)
}
