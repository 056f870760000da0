//! Service events: one event, many workers served.

use super::services::insert_service;
use super::tables::Columns;
use super::tables::event::{EVENT_COLUMNS, EventRow, event_from_row};
use super::workers::{RecordRef, audit, live_worker_by_uid};
use super::{Result, Store, StoreError};
use crate::domain::{Event, EventInput};
use rusqlite::{OptionalExtension, ToSql, params, params_from_iter};
use std::sync::LazyLock;

impl Store {
    pub fn add_event(&mut self, input: &EventInput) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let held_on = input.held_on.unwrap_or_else(|| self.clock.today());
        let tx = self.conn.transaction()?;
        let uid = uuid::Uuid::now_v7().to_string();
        static SQL: LazyLock<String> = LazyLock::new(|| EventRow::insert_new_sql("event"));
        let held_on = held_on.format("%Y-%m-%d").to_string();
        let row = EventRow::from_input(input, &held_on);
        let head: [&dyn ToSql; 3] = [&uid, &now, &officer];
        tx.prepare_cached(&SQL)?
            .execute(params_from_iter(head.into_iter().chain(row.values())))?;
        let id = tx.last_insert_rowid();
        audit(&tx, &now, officer, "event", &uid, 1, "create", "")?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid,
            version: 1,
        })
    }

    pub fn event_by_uid(&self, uid: &str) -> Result<Option<Event>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {EVENT_COLUMNS} FROM event e WHERE e.uid = ?1"),
                [uid],
                event_from_row,
            )
            .optional()?)
    }

    /// Live events, newest first, one page at a time.
    pub fn events(&self, offset: usize, limit: usize) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM event e WHERE e.deleted_at IS NULL
             ORDER BY e.held_on DESC, e.id DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = stmt
            .query_map(params![limit as i64, offset as i64], event_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How many live events there are, so a list can page through them.
    pub fn live_event_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM event WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// Whether this worker already has a live service in this event.
    pub fn served_in_event(&self, event_uid: &str, worker_uid: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM service s
                 WHERE s.event_id = (SELECT id FROM event WHERE uid = ?1)
                   AND s.worker_id = (SELECT id FROM worker WHERE uid = ?2)
                   AND s.deleted_at IS NULL
                 LIMIT 1",
                [event_uid, worker_uid],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Which of these workers (by uid) already have a live service in this event: one query
    /// for a whole list of matches, so quick entry can mark them before the officer chooses.
    pub fn served_among(
        &self,
        event_uid: &str,
        worker_uids: &[&str],
    ) -> Result<std::collections::HashSet<String>> {
        if worker_uids.is_empty() {
            return Ok(Default::default());
        }
        let placeholders = vec!["?"; worker_uids.len()].join(",");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT DISTINCT w.uid FROM service s JOIN worker w ON w.id = s.worker_id
             WHERE s.event_id = (SELECT id FROM event WHERE uid = ?)
               AND s.deleted_at IS NULL AND w.uid IN ({placeholders})"
        ))?;
        let params = std::iter::once(&event_uid).chain(worker_uids.iter());
        let served = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(served)
    }

    /// Records the event's service (its kind, date, place and default quantity and amount)
    /// for one worker.
    pub fn record_event_service(&mut self, event_uid: &str, worker_uid: &str) -> Result<RecordRef> {
        let event = self
            .event_by_uid(event_uid)?
            .filter(|e| !e.deleted)
            .ok_or_else(|| StoreError::NotFound {
                what: event_uid.to_string(),
            })?;
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.conn.transaction()?;
        let worker = live_worker_by_uid(&tx, worker_uid)?;
        let input = event.service_input();
        let uid = uuid::Uuid::now_v7().to_string();
        let id = insert_service(&tx, &uid, worker.id, &input, today, officer, &now)?;
        audit(&tx, &now, officer, "service", &uid, 1, "create", "")?;
        tx.commit()?;
        Ok(RecordRef {
            id,
            uid,
            version: 1,
        })
    }
}
