//! Mutual-aid claims of card-holding members. A claim is checked here, inside the transaction
//! that writes it, against what the database knows of the member at that moment; the member
//! card's protection period typed with a claim is kept on the worker.

use super::version::next_version;
use super::workers::{RecordRef, audit, live_worker_by_uid};
use super::{Result, Store, StoreError};
use crate::domain::claims::{
    ClaimDates, ClaimDraft, ClaimProgress, ClaimStatus, ClaimStepDraft, ClaimWarning, Member,
    apply_step, claim_type, duplicate_warning, validate_claim,
};
use crate::domain::{Field, FieldError, Rule, Worker};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A stored claim.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    pub uid: String,
    pub version: i64,
    pub worker_uid: String,
    pub claim_type: String,
    pub dates: ClaimDates,
    pub amount_fen: i64,
    pub progress: ClaimProgress,
    pub note: String,
    pub created_at: String,
    pub officer_name: String,
}

/// A claim in a list of many members' claims (the caller masks the ID number).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimRow {
    pub claim: Claim,
    pub worker_name: String,
    pub id_number: String,
}

/// A claim saved, and what the officer should look at again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimSaved {
    pub record: RecordRef,
    pub warning: Option<ClaimWarning>,
}

/// Which claims to list: one worker's or everyone's, of one status or all, one page.
#[derive(Debug, Clone, Default)]
pub struct ClaimQuery {
    pub worker_uid: Option<String>,
    pub status: Option<ClaimStatus>,
    pub offset: usize,
    pub limit: usize,
}

const CLAIM_COLUMNS: &str = "c.uid, c.version, w.uid, c.claim_type, c.diagnosed_on,
    c.accident_on, c.died_on, c.fire_on, c.amount_fen, c.documents, c.status, c.reason,
    c.paid_fen, c.paid_on, c.note, c.created_at, o.name";

const CLAIM_FROM: &str = "claim c JOIN worker w ON w.id = c.worker_id
    JOIN officer o ON o.id = c.officer_id";

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn claim_from_row(r: &Row) -> rusqlite::Result<Claim> {
    let documents: String = r.get(9)?;
    Ok(Claim {
        uid: r.get(0)?,
        version: r.get(1)?,
        worker_uid: r.get(2)?,
        claim_type: r.get(3)?,
        dates: ClaimDates {
            diagnosed_on: date(r.get(4)?),
            accident_on: date(r.get(5)?),
            died_on: date(r.get(6)?),
            fire_on: date(r.get(7)?),
        },
        amount_fen: r.get(8)?,
        progress: ClaimProgress {
            status: ClaimStatus::from_code(&r.get::<_, String>(10)?)
                .unwrap_or(ClaimStatus::Collecting),
            documents: documents
                .split(',')
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            reason: r.get(11)?,
            paid_fen: r.get(12)?,
            paid_on: date(r.get(13)?),
        },
        note: r.get(14)?,
        created_at: r.get(15)?,
        officer_name: r.get(16)?,
    })
}

/// Every refusal of a claim, one as `Invalid` (the form shows it under its field).
fn refused(mut errors: Vec<FieldError>) -> StoreError {
    if errors.len() == 1 {
        StoreError::Invalid(errors.remove(0))
    } else {
        StoreError::InvalidMany(errors)
    }
}

/// What the claim rules need of a worker: membership, card, gender, protection period.
fn member_of(conn: &Connection, worker: &Worker) -> Result<Member> {
    let (start, end): (Option<String>, Option<String>) = conn.query_row(
        "SELECT protection_start, protection_end FROM worker WHERE id = ?1",
        [worker.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Member {
        membership: worker.input.membership,
        card_no: worker.input.card_no.clone(),
        gender: worker.gender,
        protection: date(start).zip(date(end)),
    })
}

impl Store {
    /// What the claim rules know of a live worker, for a form to check as the officer types.
    pub fn claim_member(&self, worker_uid: &str) -> Result<Member> {
        let worker = live_worker_by_uid(&self.conn, worker_uid)?;
        member_of(&self.conn, &worker)
    }

    /// Checks and records a new claim for a live worker. A protection period typed with it
    /// becomes the worker's (a new worker version); a second claim of the same type is saved
    /// with a warning.
    pub fn add_claim(&mut self, worker_uid: &str, draft: &ClaimDraft) -> Result<ClaimSaved> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.conn.transaction()?;
        let worker = live_worker_by_uid(&tx, worker_uid)?;
        let member = member_of(&tx, &worker)?;
        let input = validate_claim(draft, &member, today).map_err(refused)?;
        if input.protection != member.protection
            && let Some((start, end)) = input.protection
        {
            let version = next_version(worker.version)?;
            tx.execute(
                "UPDATE worker SET protection_start = ?2, protection_end = ?3, version = ?4,
                    updated_at = ?5, officer_id = ?6
                 WHERE id = ?1",
                params![
                    worker.id,
                    date_text(Some(start)),
                    date_text(Some(end)),
                    version,
                    now,
                    officer
                ],
            )?;
            let fields = "protection_start,protection_end";
            audit(
                &tx, &now, officer, "worker", worker_uid, version, "update", fields,
            )?;
        }
        let others: Vec<(String, ClaimStatus)> = tx
            .prepare_cached(
                "SELECT claim_type, status FROM claim WHERE worker_id = ?1 AND deleted_at IS NULL",
            )?
            .query_map([worker.id], |r| {
                let status: String = r.get(1)?;
                Ok((
                    r.get(0)?,
                    ClaimStatus::from_code(&status).unwrap_or(ClaimStatus::Collecting),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let warning = duplicate_warning(&input.claim_type, &others);
        let uid = uuid::Uuid::now_v7().to_string();
        tx.prepare_cached(
            "INSERT INTO claim(uid, created_at, updated_at, officer_id, worker_id, claim_type,
                diagnosed_on, accident_on, died_on, fire_on, amount_fen, documents, note)
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            uid,
            now,
            officer,
            worker.id,
            input.claim_type,
            date_text(input.dates.diagnosed_on),
            date_text(input.dates.accident_on),
            date_text(input.dates.died_on),
            date_text(input.dates.fire_on),
            input.amount_fen,
            input.documents.join(","),
            input.note,
        ])?;
        let id = tx.last_insert_rowid();
        audit(&tx, &now, officer, "claim", &uid, 1, "create", "")?;
        tx.commit()?;
        Ok(ClaimSaved {
            record: RecordRef {
                id,
                uid,
                version: 1,
            },
            warning,
        })
    }

    pub fn claim_by_uid(&self, uid: &str) -> Result<Option<Claim>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM}
                     WHERE c.uid = ?1 AND c.deleted_at IS NULL"
                ),
                [uid],
                claim_from_row,
            )
            .optional()?)
    }

    /// A member's claims, newest first (a member has a handful).
    pub fn claims_of_worker(&self, worker_uid: &str) -> Result<Vec<Claim>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM}
             WHERE w.uid = ?1 AND c.deleted_at IS NULL
             ORDER BY c.id DESC"
        ))?;
        let rows = stmt
            .query_map([worker_uid], claim_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One page of claims of live workers, oldest first.
    pub fn list_claims(&self, query: &ClaimQuery) -> Result<Vec<ClaimRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CLAIM_COLUMNS}, w.name, w.id_number FROM {CLAIM_FROM}
             WHERE c.deleted_at IS NULL AND w.deleted_at IS NULL
               AND (?1 IS NULL OR c.worker_id = (SELECT id FROM worker WHERE uid = ?1))
               AND (?2 IS NULL OR c.status = ?2)
             ORDER BY c.id
             LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt
            .query_map(
                params![
                    query.worker_uid,
                    query.status.map(|s| s.code()),
                    query.limit as i64,
                    query.offset as i64
                ],
                |r| {
                    Ok(ClaimRow {
                        claim: claim_from_row(r)?,
                        worker_name: r.get(17)?,
                        id_number: r.get(18)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Takes a claim one step: status, checklist, reason, payment. Returns the new version
    /// (unchanged when the step changed nothing).
    pub fn update_claim(
        &mut self,
        uid: &str,
        step: &ClaimStepDraft,
        expected_version: Option<i64>,
    ) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.conn.transaction()?;
        let current = tx
            .query_row(
                &format!(
                    "SELECT {CLAIM_COLUMNS}, c.id FROM {CLAIM_FROM}
                     WHERE c.uid = ?1 AND c.deleted_at IS NULL AND w.deleted_at IS NULL"
                ),
                [uid],
                |r| Ok((claim_from_row(r)?, r.get::<_, i64>(17)?)),
            )
            .optional()?;
        let Some((claim, id)) = current else {
            return Err(StoreError::NotFound {
                what: uid.to_string(),
            });
        };
        if let Some(expected) = expected_version
            && expected != claim.version
        {
            return Err(StoreError::StaleVersion {
                expected,
                found: claim.version,
            });
        }
        let kind = claim_type(&claim.claim_type).ok_or_else(|| {
            FieldError::new(
                Field::ClaimType,
                Rule::UnknownCode {
                    code: claim.claim_type.clone(),
                },
            )
        })?;
        let next =
            apply_step(kind, claim.amount_fen, &claim.progress, step, today).map_err(refused)?;
        let before = &claim.progress;
        let changed: Vec<&str> = [
            ("status", before.status != next.status),
            ("documents", before.documents != next.documents),
            ("reason", before.reason != next.reason),
            ("paid_fen", before.paid_fen != next.paid_fen),
            ("paid_on", before.paid_on != next.paid_on),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect();
        if changed.is_empty() {
            return Ok(RecordRef {
                id,
                uid: uid.to_string(),
                version: claim.version,
            });
        }
        let version = next_version(claim.version)?;
        tx.execute(
            "UPDATE claim SET status = ?2, documents = ?3, reason = ?4, paid_fen = ?5,
                paid_on = ?6, version = ?7, updated_at = ?8, officer_id = ?9
             WHERE id = ?1",
            params![
                id,
                next.status.code(),
                next.documents.join(","),
                next.reason,
                next.paid_fen,
                date_text(next.paid_on),
                version,
                now,
                officer
            ],
        )?;
        audit(
            &tx,
            &now,
            officer,
            "claim",
            uid,
            version,
            "update",
            &changed.join(","),
        )?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid: uid.to_string(),
            version,
        })
    }
}
