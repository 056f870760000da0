//! Merging one record: a worker (with the same person registered on another laptop), a
//! service, and the writes of an event, service or worker version that `resolve` shares.

use super::{
    ConflictFn, Decision, Officers, Outcome, decide, keep_local_edit, local_line, merged_header,
};
use crate::batch::format::{EventRecord, Manifest, RecordKind, ServiceRecord, WorkerRecord};
use crate::batch::{Result, person};
use crate::domain::{HealthCheck, LegalAid};
use crate::store::Store;
use crate::store::batch_queries::{
    self as q, LocalVersion, MergedEvent, MergedService, MergedWorker,
};
use chrono::NaiveDate;

/// A worker record: by uid the higher version wins as for every record; a new uid whose ID
/// number a live worker here already holds is another record of that person (see
/// `person`). Returns the outcome and the `same_person` conflicts added.
pub(super) fn merge_worker(
    store: &Store,
    officers: &mut Officers,
    w: &WorkerRecord,
    line: &str,
    manifest: &Manifest,
    conflict: &ConflictFn,
) -> Result<(Outcome, u64)> {
    let conn = store.conn();
    let table = "worker";
    let linked = q::link_of(conn, &w.header.uid)?;
    let local = match &linked {
        // A record shown through another: its own latest version is in the link.
        Some(link) => Some(LocalVersion {
            id: link.worker_id,
            version: link.version,
            exported_version: link.version,
            updated_at: link.updated_at.clone(),
        }),
        None => q::local_version(conn, table, &w.header.uid)?,
    };
    let mut added = 0;
    let outcome = match decide(local, &w.header) {
        Decision::Write(existing) => {
            let officer_id = officers.id(&w.header.officer)?;
            if let Some(link) = linked {
                let added = person::link(
                    store,
                    link.worker_id,
                    w,
                    line,
                    &manifest.device_id,
                    &manifest.batch_uid,
                )?;
                return Ok((Outcome::Applied(officer_id), added));
            }
            let Some(existing) = existing else {
                // A new uid: another record of a person already here (live or withdrawn), or
                // a new person.
                if let Some(person) = q::person_holding(conn, &w.id_number, &w.header.uid)? {
                    let added = person::link(
                        store,
                        person,
                        w,
                        line,
                        &manifest.device_id,
                        &manifest.batch_uid,
                    )?;
                    return Ok((Outcome::Applied(officer_id), added));
                }
                write_worker_row(conn, None, w, officer_id)?;
                return Ok((Outcome::Applied(officer_id), 0));
            };
            // A known record whose new version carries an ID number another live worker
            // holds: two people claim one number, which only an officer can settle.
            let other = if w.header.deleted_at.is_none() {
                q::live_holder_of_id_number(conn, &w.id_number, &w.header.uid)?
            } else {
                None
            };
            if let Some(kept) = other {
                conflict("id_number", table, &w.id_number, &kept, &w.header.uid, line)?;
                Outcome::Conflict
            } else {
                let id = write_worker_row(conn, Some(existing), w, officer_id)?;
                // The shown record of a person changed: the rule may now prefer another.
                let added = person::settle(store, id, &manifest.batch_uid)?;
                return Ok((Outcome::Applied(officer_id), added));
            }
        }
        Decision::Diverged { id, replace } => {
            let uid = &w.header.uid;
            if !replace {
                conflict("diverged", table, &w.id_number, uid, uid, line)?;
            } else if let Some(link) = &linked {
                conflict("diverged", table, &w.id_number, uid, uid, &link.record_json)?;
                added = person::link(
                    store,
                    link.worker_id,
                    w,
                    line,
                    &manifest.device_id,
                    &manifest.batch_uid,
                )?;
            } else {
                let before = local_line(store, RecordKind::Worker, id)?;
                conflict("diverged", table, &w.id_number, uid, uid, &before)?;
                let officer_id = officers.id(&w.header.officer)?;
                write_worker_row(conn, Some(id), w, officer_id)?;
                added = person::settle(store, id, &manifest.batch_uid)?;
            }
            Outcome::Conflict
        }
        Decision::LocalEdit(id) => {
            conflict(
                "local_edit",
                table,
                &w.id_number,
                &w.header.uid,
                &w.header.uid,
                line,
            )?;
            keep_local_edit(conn, &store.clock().stamp(), table, id, &w.header)?;
            Outcome::Conflict
        }
        Decision::Unchanged => Outcome::Unchanged,
    };
    Ok((outcome, added))
}

pub(in crate::batch) fn write_event_record(
    conn: &rusqlite::Connection,
    existing: Option<i64>,
    e: &EventRecord,
    officer_id: i64,
) -> Result<()> {
    q::write_merged_event(
        conn,
        existing,
        &MergedEvent {
            header: merged_header(&e.header, officer_id),
            name: &e.name,
            kind: &e.kind,
            held_on: &e.held_on,
            place: &e.place,
            district_code: &e.district_code,
            default_quantity: e.default_quantity,
            default_amount_fen: e.default_amount_fen,
        },
    )?;
    Ok(())
}

/// Writes a service version; `worker_id` is the row of its worker's person.
pub(in crate::batch) fn write_service_record(
    conn: &rusqlite::Connection,
    existing: Option<i64>,
    s: &ServiceRecord,
    worker_id: i64,
    event_id: Option<i64>,
    officer_id: i64,
) -> Result<()> {
    let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    q::write_merged_service(
        conn,
        existing,
        &MergedService {
            header: merged_header(&s.header, officer_id),
            worker_id,
            event_id,
            kind: &s.kind,
            served_on: &s.served_on,
            place: &s.place,
            quantity: s.quantity,
            amount_fen: s.amount_fen,
            note: &s.note,
            health: s.health_check.as_ref().map(|h| HealthCheck {
                provider: h.provider.to_string(),
                blood_pressure: h.blood_pressure.to_string(),
                glucose_tenths: h.glucose_tenths,
                findings: h.findings.to_string(),
                referral: h.referral,
                follow_up_on: h.follow_up_on.as_deref().and_then(date),
                consent_by: h.consent_by.to_string(),
                consent_at: h.consent_at.to_string(),
            }),
            legal: s.legal_aid.as_ref().map(|l| LegalAid {
                category: l.category.to_string(),
                description: l.description.to_string(),
                status: l.status.to_string(),
                claimed_fen: l.claimed_fen,
                recovered_fen: l.recovered_fen,
                follows_uid: l.follows_uid.as_deref().map(str::to_string),
            }),
        },
    )?;
    Ok(())
}

pub(in crate::batch) fn write_worker_row(
    conn: &rusqlite::Connection,
    existing: Option<i64>,
    w: &WorkerRecord,
    officer_id: i64,
) -> Result<i64> {
    Ok(q::write_merged_worker(
        conn,
        existing,
        &MergedWorker {
            header: merged_header(&w.header, officer_id),
            row: person::worker_row(w),
        },
    )?)
}

pub(super) fn merge_service(
    store: &Store,
    officers: &mut Officers,
    s: &ServiceRecord,
    line: &str,
    conflict: &ConflictFn,
) -> Result<Outcome> {
    let conn = store.conn();
    let Some(worker_id) = q::person_row_of(conn, &s.worker_uid)? else {
        // Verification resolved the worker, so it is held in a conflict: keep the service
        // beside it rather than attach it to someone else.
        let id_number = q::worker_held_in_conflict(conn, &s.worker_uid)?.unwrap_or_default();
        let kept =
            q::live_holder_of_id_number(conn, &id_number, &s.worker_uid)?.unwrap_or_default();
        conflict(
            "worker_in_conflict",
            "service",
            &id_number,
            &kept,
            &s.header.uid,
            line,
        )?;
        return Ok(Outcome::Conflict);
    };
    let event_id = match &s.event_uid {
        Some(uid) => q::rowid_of(conn, "event", uid)?,
        None => None,
    };
    let local = q::local_version(conn, "service", &s.header.uid)?;
    match decide(local, &s.header) {
        Decision::Unchanged => Ok(Outcome::Unchanged),
        Decision::Diverged { id, replace } => {
            let uid = &s.header.uid;
            if replace {
                let before = local_line(store, RecordKind::Service, id)?;
                conflict("diverged", "service", "", uid, uid, &before)?;
                let officer_id = officers.id(&s.header.officer)?;
                write_service_record(conn, Some(id), s, worker_id, event_id, officer_id)?;
            } else {
                conflict("diverged", "service", "", uid, uid, line)?;
            }
            Ok(Outcome::Conflict)
        }
        Decision::LocalEdit(id) => {
            conflict(
                "local_edit",
                "service",
                "",
                &s.header.uid,
                &s.header.uid,
                line,
            )?;
            keep_local_edit(conn, &store.clock().stamp(), "service", id, &s.header)?;
            Ok(Outcome::Conflict)
        }
        Decision::Write(existing) => {
            let officer_id = officers.id(&s.header.officer)?;
            write_service_record(conn, existing, s, worker_id, event_id, officer_id)?;
            Ok(Outcome::Applied(officer_id))
        }
    }
}
