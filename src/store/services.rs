//! Services delivered to workers, with their health-check or legal-aid details.

use super::tables::Columns;
use super::tables::service::{SERVICE_COLUMNS, SERVICE_FROM, ServiceRow, service_from_row};
use super::workers::{RecordRef, audit, live_worker_by_uid};
use super::{Result, Store, StoreError};
use crate::domain::refdata::{self, KindForm};
use crate::domain::{Field, FieldError, HealthCheck, LegalAid, Rule, Service, ServiceInput};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, params, params_from_iter};
use std::sync::LazyLock;

impl Store {
    /// Logs a service for a live worker, in one transaction with its details and audit row.
    pub fn add_service(&mut self, worker_uid: &str, input: &ServiceInput) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.conn.transaction()?;
        let worker = live_worker_by_uid(&tx, worker_uid)?;
        let uid = uuid::Uuid::now_v7().to_string();
        let id = insert_service(&tx, &uid, worker.id, input, today, officer, &now)?;
        audit(&tx, &now, officer, "service", &uid, 1, "create", "")?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid,
            version: 1,
        })
    }

    pub fn service_by_uid(&self, uid: &str) -> Result<Option<Service>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {SERVICE_COLUMNS} FROM {SERVICE_FROM} WHERE s.uid = ?1"),
                [uid],
                service_from_row,
            )
            .optional()?)
    }

    /// A worker's live services, newest first (by date, then by entry).
    pub fn services_of_worker(&self, worker_uid: &str) -> Result<Vec<Service>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SERVICE_COLUMNS} FROM {SERVICE_FROM}
             WHERE s.worker_id = (SELECT id FROM worker WHERE uid = ?1)
               AND s.deleted_at IS NULL
             ORDER BY s.served_on DESC, s.id DESC"
        ))?;
        let rows = stmt
            .query_map([worker_uid], service_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Legal-aid visits of this worker whose case is still open: the latest visit of each
    /// thread, so a follow-up continues the case where it stands.
    pub fn open_legal_cases(&self, worker_uid: &str) -> Result<Vec<Service>> {
        let visits: Vec<Service> = self
            .services_of_worker(worker_uid)?
            .into_iter()
            .filter(|s| s.legal.is_some())
            .collect();
        let continued: std::collections::HashSet<&str> = visits
            .iter()
            .filter_map(|s| s.legal.as_ref()?.follows_uid.as_deref())
            .collect();
        Ok(visits
            .iter()
            .filter(|s| !continued.contains(s.uid.as_str()))
            .filter(|s| {
                s.legal
                    .as_ref()
                    .is_some_and(|l| refdata::legal_aid_status_is_open(&l.status))
            })
            .cloned()
            .collect())
    }

    /// Services recorded in an event, newest first.
    pub fn services_of_event(&self, event_uid: &str) -> Result<Vec<Service>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SERVICE_COLUMNS} FROM {SERVICE_FROM}
             WHERE s.event_id = (SELECT id FROM event WHERE uid = ?1)
               AND s.deleted_at IS NULL
             ORDER BY s.id DESC"
        ))?;
        let rows = stmt
            .query_map([event_uid], service_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Inserts a service with its details. Shared by the form, the CLI, events and demo data.
pub(crate) fn insert_service(
    tx: &Transaction,
    uid: &str,
    worker_id: i64,
    input: &ServiceInput,
    today: NaiveDate,
    officer: i64,
    now: &str,
) -> Result<i64> {
    let kind = refdata::service_kind(&input.kind).ok_or_else(|| {
        FieldError::new(
            Field::Kind,
            Rule::UnknownCode {
                code: input.kind.clone(),
            },
        )
    })?;
    let event_id = match &input.event_uid {
        Some(event_uid) => Some(event_rowid(tx, event_uid)?),
        None => None,
    };
    if kind.form == KindForm::HealthCheck && input.health.is_none() {
        return Err(FieldError::new(Field::Consent, Rule::ConsentRequired).into());
    }
    if kind.form == KindForm::LegalAid && input.legal.is_none() {
        return Err(FieldError::new(Field::Category, Rule::Required).into());
    }
    if let Some(follows) = input.legal.as_ref().and_then(|l| l.follows_uid.as_deref()) {
        let same_worker: Option<i64> = tx
            .prepare_cached(
                "SELECT s.worker_id FROM service s JOIN legal_aid l ON l.service_id = s.id
                 WHERE s.uid = ?1 AND s.deleted_at IS NULL",
            )?
            .query_row([follows], |r| r.get(0))
            .optional()?;
        if same_worker != Some(worker_id) {
            return Err(FieldError::new(
                Field::Follows,
                Rule::NotFound {
                    what: follows.to_string(),
                },
            )
            .into());
        }
    }
    let served_on = input.served_on.unwrap_or(today);
    static SQL: LazyLock<String> = LazyLock::new(|| ServiceRow::insert_new_sql("service"));
    let served_on_text = served_on.format("%Y-%m-%d").to_string();
    let row = ServiceRow {
        worker_id,
        kind: &input.kind,
        event_id,
        served_on: &served_on_text,
        place: &input.place,
        quantity: input.quantity,
        amount_fen: input.amount_fen,
        note: &input.note,
    };
    let head: [&dyn ToSql; 3] = [&uid, &now, &officer];
    tx.prepare_cached(&SQL)?
        .execute(params_from_iter(head.into_iter().chain(row.values())))?;
    let id = tx.last_insert_rowid();
    if kind.form == KindForm::HealthCheck
        && let Some(h) = &input.health
    {
        insert_health_check(tx, id, h)?;
    }
    if kind.form == KindForm::LegalAid
        && let Some(l) = &input.legal
    {
        insert_legal_aid(tx, id, l)?;
    }
    // Whatever door the service came through (form, event, roster), it answers what the
    // worker asked for, in the same transaction.
    super::needs::answer_open_needs(tx, worker_id, uid, &input.kind, served_on, officer, now)?;
    Ok(id)
}

pub(crate) fn insert_health_check(tx: &Connection, service_id: i64, h: &HealthCheck) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO health_check(service_id, provider, blood_pressure, glucose_tenths, findings,
            referral, follow_up_on, consent_by, consent_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        service_id,
        h.provider,
        h.blood_pressure,
        h.glucose_tenths,
        h.findings,
        h.referral,
        h.follow_up_on.map(|d| d.format("%Y-%m-%d").to_string()),
        h.consent_by,
        h.consent_at,
    ])?;
    Ok(())
}

pub(crate) fn insert_legal_aid(tx: &Connection, service_id: i64, l: &LegalAid) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO legal_aid(service_id, category, description, status, claimed_fen,
            recovered_fen, follows_uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        service_id,
        l.category,
        l.description,
        l.status,
        l.claimed_fen,
        l.recovered_fen,
        l.follows_uid,
    ])?;
    Ok(())
}

fn event_rowid(conn: &Connection, event_uid: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM event WHERE uid = ?1 AND deleted_at IS NULL")?
        .query_row([event_uid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: event_uid.to_string(),
        })
}
