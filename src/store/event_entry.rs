//! What quick entry at an event needs besides recording: undo the last record, list attendees.

use super::workers::audit;
use super::{Result, Store};
use rusqlite::{OptionalExtension, params};

/// One worker served in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventAttendee {
    pub service_uid: String,
    pub worker_uid: String,
    pub worker_name: String,
    /// The full number: the screen masks it with `domain::mask_id_number` unless revealed.
    pub id_number: String,
    /// When the service was recorded (RFC 3339).
    pub recorded_at: String,
}

impl Store {
    /// Tombstones the most recent live service of this event recorded by the current officer,
    /// and returns its uid and the worker's name for the confirmation line; `None` when there
    /// is nothing left to undo.
    pub fn undo_last_event_service(&mut self, event_uid: &str) -> Result<Option<(String, String)>> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let last: Option<(i64, String, i64, String)> = tx
            .query_row(
                "SELECT s.id, s.uid, s.version, w.name
                 FROM service s JOIN worker w ON w.id = s.worker_id
                 WHERE s.event_id = (SELECT id FROM event WHERE uid = ?1)
                   AND s.officer_id = ?2 AND s.deleted_at IS NULL
                 ORDER BY s.id DESC LIMIT 1",
                params![event_uid, officer],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((id, uid, version, worker_name)) = last else {
            return Ok(None);
        };
        let version = version + 1;
        tx.execute(
            "UPDATE service SET deleted_at = ?1, updated_at = ?1, version = ?2, officer_id = ?3
             WHERE id = ?4",
            params![now, version, officer, id],
        )?;
        audit(&tx, &now, officer, "service", &uid, version, "delete", "")?;
        tx.commit()?;
        Ok(Some((uid, worker_name)))
    }

    /// Workers served in this event (live services only), the latest recorded first.
    pub fn event_attendees(
        &self,
        event_uid: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<EventAttendee>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.uid, w.uid, w.name, w.id_number, s.created_at
             FROM service s JOIN worker w ON w.id = s.worker_id
             WHERE s.event_id = (SELECT id FROM event WHERE uid = ?1) AND s.deleted_at IS NULL
             ORDER BY s.id DESC LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt
            .query_map(params![event_uid, limit as i64, offset as i64], |r| {
                Ok(EventAttendee {
                    service_uid: r.get(0)?,
                    worker_uid: r.get(1)?,
                    worker_name: r.get(2)?,
                    id_number: r.get(3)?,
                    recorded_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
