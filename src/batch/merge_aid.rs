//! Format 3 in the merge: needs and claims follow the rules of every record (per uid the
//! higher version wins, tombstones are versions, an equal version with another `updated_at`
//! is a `diverged` conflict, a local edit not yet sent is kept as `local_edit`), and name
//! their worker by uid like a service: any record of the person attaches them to the person.

use super::Result;
use super::merge::{
    Decision, Officers, Outcome, decide, keep_local_edit, local_line, merged_header,
};
use crate::batch::format::{ClaimRecord, NeedRecord, RecordHeader, RecordKind};
use crate::store::Store;
use crate::store::batch_queries as q;
use crate::store::tables::claim::{MergedClaim, write_merged_claim};
use crate::store::tables::need::{MergedNeed, write_merged_need};
use rusqlite::Connection;

/// How the merge lists a conflict (reason, table, ID number, kept uid, incoming uid, line).
type ConflictFn<'a> = dyn Fn(&str, &str, &str, &str, &str, &str) -> crate::store::Result<()> + 'a;

/// A need or claim line, parsed.
enum AidLine<'l> {
    Need(NeedRecord<'l>),
    Claim(ClaimRecord<'l>),
}

impl<'l> AidLine<'l> {
    fn parse(kind: RecordKind, line: &'l str) -> serde_json::Result<AidLine<'l>> {
        Ok(match kind {
            RecordKind::Need => AidLine::Need(serde_json::from_str(line)?),
            _ => AidLine::Claim(serde_json::from_str(line)?),
        })
    }

    fn header(&self) -> &RecordHeader<'l> {
        match self {
            AidLine::Need(n) => &n.header,
            AidLine::Claim(c) => &c.header,
        }
    }

    fn into_header(self) -> RecordHeader<'l> {
        match self {
            AidLine::Need(n) => n.header,
            AidLine::Claim(c) => c.header,
        }
    }

    fn worker_uid(&self) -> &str {
        match self {
            AidLine::Need(n) => &n.worker_uid,
            AidLine::Claim(c) => &c.worker_uid,
        }
    }

    /// Writes this version over row `existing` (or as a new row) for person row `worker_id`.
    fn write(
        &self,
        conn: &Connection,
        existing: Option<i64>,
        worker_id: i64,
        officer_id: i64,
    ) -> Result<()> {
        match self {
            AidLine::Need(n) => write_merged_need(
                conn,
                existing,
                &MergedNeed {
                    header: merged_header(&n.header, officer_id),
                    worker_id,
                    kind: &n.kind,
                    raised_on: &n.raised_on,
                    note: &n.note,
                    state: &n.state,
                    answered_by: n.answered_by.as_deref(),
                    settled_on: n.settled_on.as_deref(),
                    close_note: &n.close_note,
                },
            )?,
            AidLine::Claim(c) => write_merged_claim(
                conn,
                existing,
                &MergedClaim {
                    header: merged_header(&c.header, officer_id),
                    worker_id,
                    claim_type: &c.claim_type,
                    diagnosed_on: c.diagnosed_on.as_deref(),
                    accident_on: c.accident_on.as_deref(),
                    died_on: c.died_on.as_deref(),
                    fire_on: c.fire_on.as_deref(),
                    amount_fen: c.amount_fen,
                    documents: &c.documents.join(","),
                    status: &c.status,
                    reject_reason: &c.reject_reason,
                    paid_fen: c.paid_fen,
                    paid_on: c.paid_on.as_deref(),
                    note: &c.note,
                },
            )?,
        }
        Ok(())
    }
}

/// Merges one verified need or claim line (a data file format 1 and 2 do not have); returns
/// its header and what happened.
pub(super) fn merge<'l>(
    store: &Store,
    officers: &mut Officers,
    kind: RecordKind,
    line: &'l str,
    conflict: &ConflictFn,
    bad: &dyn Fn(serde_json::Error) -> super::BatchError,
) -> Result<(RecordHeader<'l>, Outcome)> {
    let conn = store.conn();
    let table = kind.table();
    let record = AidLine::parse(kind, line).map_err(bad)?;
    let uid = record.header().uid.to_string();
    let Some(worker_id) = q::person_row_of(conn, record.worker_uid())? else {
        // Verification resolved the worker, so it is held in a conflict: keep the record
        // beside it rather than attach it to someone else.
        let id_number = q::worker_held_in_conflict(conn, record.worker_uid())?.unwrap_or_default();
        let kept =
            q::live_holder_of_id_number(conn, &id_number, record.worker_uid())?.unwrap_or_default();
        conflict("worker_in_conflict", table, &id_number, &kept, &uid, line)?;
        return Ok((record.into_header(), Outcome::Conflict));
    };
    let local = q::local_version(conn, table, &uid)?;
    let outcome = match decide(local, record.header()) {
        Decision::Unchanged => Outcome::Unchanged,
        Decision::Diverged { id, replace } => {
            if replace {
                let before = local_line(store, kind, id)?;
                conflict("diverged", table, "", &uid, &uid, &before)?;
                let officer_id = officers.id(&record.header().officer)?;
                record.write(conn, Some(id), worker_id, officer_id)?;
            } else {
                conflict("diverged", table, "", &uid, &uid, line)?;
            }
            Outcome::Conflict
        }
        Decision::LocalEdit(id) => {
            conflict("local_edit", table, "", &uid, &uid, line)?;
            keep_local_edit(conn, &store.clock().stamp(), table, id, record.header())?;
            Outcome::Conflict
        }
        Decision::Write(existing) => {
            let officer_id = officers.id(&record.header().officer)?;
            record.write(conn, existing, worker_id, officer_id)?;
            Outcome::Applied(officer_id)
        }
    };
    Ok((record.into_header(), outcome))
}

/// Resolving a conflict of a need or claim for the incoming copy: writes `json` (a batch line
/// of `table`) over row `existing`, with the header `stamp` gives it.
pub(crate) fn write_resolved_copy(
    conn: &Connection,
    table: &str,
    existing: i64,
    json: &str,
    officer_id: i64,
    stamp: impl Fn(&mut RecordHeader),
) -> Result<bool> {
    let kind = match table {
        "need" => RecordKind::Need,
        "claim" => RecordKind::Claim,
        _ => return Ok(false),
    };
    let mut record =
        AidLine::parse(kind, json).map_err(|e| super::BatchError::Store(json_error(e)))?;
    match &mut record {
        AidLine::Need(n) => stamp(&mut n.header),
        AidLine::Claim(c) => stamp(&mut c.header),
    }
    let worker_id = q::person_row_of(conn, record.worker_uid())?.ok_or_else(|| {
        super::BatchError::Store(crate::store::StoreError::NotFound {
            what: format!("worker {}", record.worker_uid()),
        })
    })?;
    record.write(conn, Some(existing), worker_id, officer_id)?;
    Ok(true)
}

fn json_error(e: serde_json::Error) -> crate::store::StoreError {
    crate::store::StoreError::NotFound {
        what: format!("a readable record ({e})"),
    }
}
