//! Correcting a record: an edit writes a new version; a withdrawal keeps the record as a
//! tombstone carrying the officer's reason. Nothing here deletes a record from the file, and
//! every change is one transaction with its audit rows.

use super::need_reevaluation::reevaluate_needs;
use super::tables::Columns;
use super::tables::event::EventRow;
use super::tables::service::{SERVICE_COLUMNS, SERVICE_FROM, service_from_row};
use super::workers::{RecordRef, audit, live_worker_by_uid};
use super::{Result, Store, StoreError};
use crate::domain::name::validate_text;
use crate::domain::refdata;
use crate::domain::validate::LONG_TEXT;
use crate::domain::{EventInput, Field, FieldError, Rule, Service, ServiceInput};
use rusqlite::{Connection, OptionalExtension, ToSql, params, params_from_iter};
use std::sync::LazyLock;

/// What to do with the live services of an event's attendees when the event is withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendeeServices {
    /// Refuse while any attendee's service is live: the officer decides about them first.
    Refuse,
    /// Withdraw them too, in the same transaction and with the same reason.
    WithdrawToo,
}

/// The outcome of withdrawing an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventWithdrawal {
    pub version: i64,
    pub services_withdrawn: usize,
}

/// A withdrawal reason: required, then checked like a note (length, no invisible characters).
pub fn validate_reason(raw: &str) -> Result<String, FieldError> {
    let reason = validate_text(Field::Reason, raw, LONG_TEXT)?;
    if reason.is_empty() {
        return Err(FieldError::new(Field::Reason, Rule::Required));
    }
    Ok(reason)
}

fn stale_check(expected: Option<i64>, found: i64) -> Result<()> {
    match expected {
        Some(expected) if expected != found => Err(StoreError::StaleVersion { expected, found }),
        _ => Ok(()),
    }
}

/// Withdraws one record: checks that it is still the version the caller read, tombstones the
/// row as the next version with who, when and why, and audits it. Every withdrawal of a worker,
/// a service or an event goes through here; returns the tombstone's version.
pub(super) fn withdraw_row(
    tx: &Connection,
    table: &'static str,
    row: LiveRow,
    expected_version: Option<i64>,
    by: &Withdrawing,
) -> Result<i64> {
    stale_check(expected_version, row.version)?;
    let version = super::version::next_version(row.version)?;
    tx.execute(
        &format!(
            "UPDATE {table} SET deleted_at = ?2, updated_at = ?2, version = ?3, officer_id = ?4,
                withdraw_reason = ?5
             WHERE id = ?1"
        ),
        params![row.id, by.now, version, by.officer, by.reason],
    )?;
    tx.prepare_cached(
        "INSERT INTO audit(at, officer_id, table_name, record_uid, version, action, fields, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, 'withdraw', '', ?6)",
    )?
    .execute(params![
        by.now, by.officer, table, row.uid, version, by.reason
    ])?;
    Ok(version)
}

/// The live record a withdrawal starts from: its row, uid and current version.
pub(super) struct LiveRow<'a> {
    pub(super) id: i64,
    pub(super) uid: &'a str,
    pub(super) version: i64,
}

/// Who withdraws, when and why.
pub(super) struct Withdrawing<'a> {
    pub(super) officer: i64,
    pub(super) now: &'a str,
    pub(super) reason: &'a str,
}

fn live_service(conn: &Connection, uid: &str) -> Result<Service> {
    conn.query_row(
        &format!("SELECT {SERVICE_COLUMNS} FROM {SERVICE_FROM} WHERE s.uid = ?1"),
        [uid],
        service_from_row,
    )
    .optional()?
    .filter(|s| !s.deleted)
    .ok_or_else(|| StoreError::NotFound {
        what: uid.to_string(),
    })
}

/// Names of the service fields an edit changes (for the audit trail; never the values).
fn changed_service_fields(before: &Service, after: &ServiceInput) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name: &'static str, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    check("kind", before.kind != after.kind);
    check(
        "served_on",
        after.served_on.is_some_and(|d| d != before.served_on),
    );
    check("place", before.place != after.place);
    check("quantity", before.quantity != after.quantity);
    check("amount_fen", before.amount_fen != after.amount_fen);
    check("note", before.note != after.note);
    if let (Some(b), Some(a)) = (&before.health, &after.health) {
        check("provider", b.provider != a.provider);
        check("blood_pressure", b.blood_pressure != a.blood_pressure);
        check("glucose", b.glucose_tenths != a.glucose_tenths);
        check("findings", b.findings != a.findings);
        check("referral", b.referral != a.referral);
        check("follow_up_on", b.follow_up_on != a.follow_up_on);
    }
    if let (Some(b), Some(a)) = (&before.legal, &after.legal) {
        check("category", b.category != a.category);
        check("description", b.description != a.description);
        check("status", b.status != a.status);
        check("claimed_fen", b.claimed_fen != a.claimed_fen);
        check("recovered_fen", b.recovered_fen != a.recovered_fen);
    }
    changed
}

fn changed_event_fields(before: &EventInput, after: &EventInput) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name: &'static str, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    check("name", before.name != after.name);
    check("kind", before.kind != after.kind);
    check(
        "held_on",
        after.held_on.is_some() && after.held_on != before.held_on,
    );
    check("place", before.place != after.place);
    check("district_code", before.district_code != after.district_code);
    check(
        "default_quantity",
        before.default_quantity != after.default_quantity,
    );
    check(
        "default_amount_fen",
        before.default_amount_fen != after.default_amount_fen,
    );
    changed
}

impl Store {
    /// Saves an edit of a service and its health-check or legal-aid details as a new version.
    /// The worker, the event, the health-data consent and the case link stay as recorded; the
    /// kind may change only to one with the same form. Returns the version (unchanged when
    /// nothing differed).
    pub fn update_service(
        &mut self,
        uid: &str,
        input: &ServiceInput,
        expected_version: Option<i64>,
    ) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let current = live_service(&tx, uid)?;
        stale_check(expected_version, current.version)?;
        let form_of = |code: &str| refdata::service_kind(code).map(|k| k.form);
        let new_form = form_of(&input.kind).ok_or_else(|| {
            FieldError::new(
                Field::Kind,
                Rule::UnknownCode {
                    code: input.kind.clone(),
                },
            )
        })?;
        if Some(new_form) != form_of(&current.kind) {
            return Err(StoreError::KindChangesForm {
                from: current.kind.clone(),
                to: input.kind.clone(),
            });
        }
        let changed = changed_service_fields(&current, input);
        if changed.is_empty() {
            return Ok(RecordRef {
                id: current.id,
                uid: current.uid,
                version: current.version,
            });
        }
        let version = super::version::next_version(current.version)?;
        let served_on = input.served_on.unwrap_or(current.served_on);
        tx.execute(
            "UPDATE service SET version = ?2, updated_at = ?3, officer_id = ?4, kind = ?5,
                served_on = ?6, place = ?7, quantity = ?8, amount_fen = ?9, note = ?10
             WHERE id = ?1",
            params![
                current.id,
                version,
                now,
                officer,
                input.kind,
                served_on.format("%Y-%m-%d").to_string(),
                input.place,
                input.quantity,
                input.amount_fen,
                input.note,
            ],
        )?;
        if let (Some(_), Some(h)) = (&current.health, &input.health) {
            tx.execute(
                "UPDATE health_check SET provider = ?2, blood_pressure = ?3, glucose_tenths = ?4,
                    findings = ?5, referral = ?6, follow_up_on = ?7
                 WHERE service_id = ?1",
                params![
                    current.id,
                    h.provider,
                    h.blood_pressure,
                    h.glucose_tenths,
                    h.findings,
                    h.referral,
                    h.follow_up_on.map(|d| d.format("%Y-%m-%d").to_string()),
                ],
            )?;
        }
        if let (Some(_), Some(l)) = (&current.legal, &input.legal) {
            tx.execute(
                "UPDATE legal_aid SET category = ?2, description = ?3, status = ?4,
                    claimed_fen = ?5, recovered_fen = ?6
                 WHERE service_id = ?1",
                params![
                    current.id,
                    l.category,
                    l.description,
                    l.status,
                    l.claimed_fen,
                    l.recovered_fen,
                ],
            )?;
        }
        audit(
            &tx,
            &now,
            officer,
            "service",
            uid,
            version,
            "update",
            &changed.join(","),
        )?;
        if changed.iter().any(|f| matches!(*f, "kind" | "served_on")) {
            let answering = Some((input.kind.as_str(), served_on));
            reevaluate_needs(&tx, uid, answering, officer, &now)?;
        }
        tx.commit()?;
        Ok(RecordRef {
            id: current.id,
            uid: uid.to_string(),
            version,
        })
    }

    /// Saves an edit of an event as a new version. Services already recorded in it keep their
    /// own date, kind and amount: each is a record of what was given, corrected on its own.
    pub fn update_event(
        &mut self,
        uid: &str,
        input: &EventInput,
        expected_version: Option<i64>,
    ) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let current = self
            .event_by_uid(uid)?
            .filter(|e| !e.deleted)
            .ok_or_else(|| StoreError::NotFound {
                what: uid.to_string(),
            })?;
        stale_check(expected_version, current.version)?;
        let changed = changed_event_fields(&current.input, input);
        if changed.is_empty() {
            return Ok(RecordRef {
                id: current.id,
                uid: current.uid,
                version: current.version,
            });
        }
        let held_on = input.held_on.unwrap_or(current.held_on);
        let version = super::version::next_version(current.version)?;
        let tx = self.conn.transaction()?;
        // Guarded by version, so a change made between the read above and this write is not
        // overwritten.
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "UPDATE event SET version = ?2, updated_at = ?3, officer_id = ?4, {}
                 WHERE id = ?1 AND version = ?{} AND deleted_at IS NULL",
                EventRow::assignments(5),
                5 + EventRow::COLUMNS.len()
            )
        });
        let held_on = held_on.format("%Y-%m-%d").to_string();
        let row = EventRow::from_input(input, &held_on);
        let head: [&dyn ToSql; 4] = [&current.id, &version, &now, &officer];
        let written = tx.prepare_cached(&SQL)?.execute(params_from_iter(
            head.into_iter()
                .chain(row.values())
                .chain([&current.version as &dyn ToSql]),
        ))?;
        if written == 0 {
            return Err(StoreError::StaleVersion {
                expected: current.version,
                found: current.version + 1,
            });
        }
        audit(
            &tx,
            &now,
            officer,
            "event",
            uid,
            version,
            "update",
            &changed.join(","),
        )?;
        tx.commit()?;
        Ok(RecordRef {
            id: current.id,
            uid: uid.to_string(),
            version,
        })
    }

    /// Withdraws a service (also a health check or a legal-aid visit): a tombstone with the
    /// reason, exported once like any new version. Returns the tombstone's version.
    pub fn withdraw_service(
        &mut self,
        uid: &str,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let reason = validate_reason(reason)?;
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let current = live_service(&tx, uid)?;
        let by = Withdrawing {
            officer,
            now: &now,
            reason: &reason,
        };
        let row = LiveRow {
            id: current.id,
            uid,
            version: current.version,
        };
        let version = withdraw_row(&tx, "service", row, expected_version, &by)?;
        reevaluate_needs(&tx, uid, None, officer, &now)?;
        tx.commit()?;
        Ok(version)
    }

    /// Withdraws a worker with a reason. Their services stay as recorded (they were given);
    /// the worker's search keys go, so the worker no longer turns up in search.
    pub fn withdraw_worker(
        &mut self,
        uid: &str,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let reason = validate_reason(reason)?;
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let current = live_worker_by_uid(&tx, uid)?;
        let by = Withdrawing {
            officer,
            now: &now,
            reason: &reason,
        };
        let row = LiveRow {
            id: current.id,
            uid,
            version: current.version,
        };
        let version = withdraw_row(&tx, "worker", row, expected_version, &by)?;
        tx.execute("DELETE FROM search_term WHERE worker_id = ?1", [current.id])?;
        tx.commit()?;
        Ok(version)
    }

    /// How many live services were recorded in this event (what a withdrawal would touch).
    pub fn live_services_in_event(&self, event_uid: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM service
             WHERE event_id = (SELECT id FROM event WHERE uid = ?1) AND deleted_at IS NULL",
            [event_uid],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// Withdraws an event. With live attendee services, `attendees` decides: refuse (nothing
    /// changes) or withdraw them too in the same transaction, each with its own audit row.
    pub fn withdraw_event(
        &mut self,
        uid: &str,
        reason: &str,
        attendees: AttendeeServices,
        expected_version: Option<i64>,
    ) -> Result<EventWithdrawal> {
        let reason = validate_reason(reason)?;
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let (id, current_version): (i64, i64) = tx
            .query_row(
                "SELECT id, version FROM event WHERE uid = ?1 AND deleted_at IS NULL",
                [uid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: uid.to_string(),
            })?;
        stale_check(expected_version, current_version)?;
        let live: i64 = tx.query_row(
            "SELECT count(*) FROM service WHERE event_id = ?1 AND deleted_at IS NULL",
            [id],
            |r| r.get(0),
        )?;
        if live > 0 && attendees == AttendeeServices::Refuse {
            return Err(StoreError::EventHasServices {
                count: live as usize,
            });
        }
        // Each service grows by one version below, in SQL: checked here first, as every
        // version in the store is.
        let highest: Option<i64> = tx.query_row(
            "SELECT max(version) FROM service WHERE event_id = ?1 AND deleted_at IS NULL",
            [id],
            |r| r.get(0),
        )?;
        if let Some(highest) = highest {
            super::version::next_version(highest)?;
        }
        // Audit rows first: they read each service's version before the update bumps it.
        tx.execute(
            "INSERT INTO audit(at, officer_id, table_name, record_uid, version, action, fields,
                reason)
             SELECT ?1, ?2, 'service', uid, version + 1, 'withdraw', '', ?3
             FROM service WHERE event_id = ?4 AND deleted_at IS NULL ORDER BY id",
            params![now, officer, reason, id],
        )?;
        let withdrawn_uids: Vec<String> = tx
            .prepare("SELECT uid FROM service WHERE event_id = ?1 AND deleted_at IS NULL")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let services_withdrawn = tx.execute(
            "UPDATE service SET deleted_at = ?1, updated_at = ?1, version = version + 1,
                officer_id = ?2, withdraw_reason = ?3
             WHERE event_id = ?4 AND deleted_at IS NULL",
            params![now, officer, reason, id],
        )?;
        let by = Withdrawing {
            officer,
            now: &now,
            reason: &reason,
        };
        let row = LiveRow {
            id,
            uid,
            version: current_version,
        };
        let version = withdraw_row(&tx, "event", row, expected_version, &by)?;
        for service_uid in &withdrawn_uids {
            reevaluate_needs(&tx, service_uid, None, officer, &now)?;
        }
        tx.commit()?;
        Ok(EventWithdrawal {
            version,
            services_withdrawn,
        })
    }

    /// The reason a record was withdrawn, if it was. `table` is worker, event, service, need
    /// or claim.
    pub fn withdraw_reason(&self, table: &str, uid: &str) -> Result<Option<String>> {
        let sql = match table {
            "worker" => {
                "SELECT withdraw_reason FROM worker WHERE uid = ?1 AND deleted_at IS NOT NULL"
            }
            "event" => {
                "SELECT withdraw_reason FROM event WHERE uid = ?1 AND deleted_at IS NOT NULL"
            }
            "service" => {
                "SELECT withdraw_reason FROM service WHERE uid = ?1 AND deleted_at IS NOT NULL"
            }
            "need" => "SELECT withdraw_reason FROM need WHERE uid = ?1 AND deleted_at IS NOT NULL",
            "claim" => {
                "SELECT withdraw_reason FROM claim WHERE uid = ?1 AND deleted_at IS NOT NULL"
            }
            _ => return Ok(None),
        };
        Ok(self
            .conn
            .query_row(sql, [uid], |r| r.get::<_, String>(0))
            .optional()?)
    }
}

#[cfg(test)]
#[path = "corrections_tests.rs"]
mod tests;
