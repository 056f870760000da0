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
        let version = super::version::next_version(version)?;
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

#[cfg(test)]
mod tests {
    use crate::domain::{EventInput, Officer, WorkerInput, parse_id_number};
    use crate::store::Store;

    fn store_with_officer(name: &str) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        store
            .set_officer(&Officer {
                name: name.into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .expect("officer");
        store
    }

    fn add_worker(store: &mut Store, name: &str, id_number: &str) -> String {
        let id = parse_id_number(id_number, store.clock().today()).expect("valid id");
        store
            .add_worker(&WorkerInput {
                name: name.into(),
                id_number: id.number,
                phone: "13812345678".into(),
                ..WorkerInput::default()
            })
            .expect("worker")
            .uid
    }

    fn add_event(store: &mut Store) -> String {
        store
            .add_event(&EventInput {
                name: "夏送清凉·南开工地".into(),
                kind: "summer_cooling".into(),
                held_on: None,
                place: "南开区某工地".into(),
                district_code: "120104".into(),
                default_quantity: 1,
                default_amount_fen: 0,
            })
            .expect("event")
            .uid
    }

    #[test]
    fn undo_tombstones_the_latest_service_of_the_event_and_names_the_worker() {
        let mut store = store_with_officer("李明");
        let first = add_worker(&mut store, "毛洋", "620102199708155206");
        let second = add_worker(&mut store, "武春军", "120111200007156699");
        let event = add_event(&mut store);
        store.record_event_service(&event, &first).expect("record");
        let last = store.record_event_service(&event, &second).expect("record");

        let undone = store.undo_last_event_service(&event).expect("undo");
        assert_eq!(undone, Some((last.uid.clone(), "武春军".to_string())));
        let service = store
            .service_by_uid(&last.uid)
            .expect("read")
            .expect("kept");
        assert!(service.deleted, "a tombstone, not a hard delete");
        assert_eq!(service.version, 2);
        assert!(!store.served_in_event(&event, &second).expect("served"));
        assert!(store.served_in_event(&event, &first).expect("served"));

        let undone = store.undo_last_event_service(&event).expect("undo");
        assert_eq!(undone.map(|(_, name)| name), Some("毛洋".to_string()));
        assert_eq!(store.undo_last_event_service(&event).expect("undo"), None);
    }

    #[test]
    fn undo_leaves_services_recorded_by_another_officer_alone() {
        let mut store = store_with_officer("李明");
        let worker = add_worker(&mut store, "毛洋", "620102199708155206");
        let event = add_event(&mut store);
        store.record_event_service(&event, &worker).expect("record");
        store
            .set_officer(&Officer {
                name: "王芳".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .expect("second officer");
        assert_eq!(store.undo_last_event_service(&event).expect("undo"), None);
    }

    #[test]
    fn attendees_are_listed_latest_first_with_paging() {
        let mut store = store_with_officer("李明");
        let first = add_worker(&mut store, "毛洋", "620102199708155206");
        let second = add_worker(&mut store, "武春军", "120111200007156699");
        let event = add_event(&mut store);
        store.record_event_service(&event, &first).expect("record");
        store.record_event_service(&event, &second).expect("record");

        let page = store.event_attendees(&event, 0, 10).expect("attendees");
        let names: Vec<&str> = page.iter().map(|a| a.worker_name.as_str()).collect();
        assert_eq!(names, ["武春军", "毛洋"]);
        assert_eq!(page[0].id_number, "120111200007156699");
        assert_eq!(page[0].worker_uid, second);
        assert!(!page[0].recorded_at.is_empty());

        let second_page = store.event_attendees(&event, 1, 10).expect("attendees");
        assert_eq!(second_page.len(), 1);
        assert_eq!(second_page[0].worker_name, "毛洋");

        store.undo_last_event_service(&event).expect("undo");
        assert_eq!(store.event_attendees(&event, 0, 10).expect("list").len(), 1);
    }
}
