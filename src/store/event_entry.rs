//! What quick entry at an event needs besides recording: take back a record of this sitting
//! (and put it back), list attendees.

use super::need_entry::take_back_raised_needs;
use super::need_reevaluation::reevaluate_needs;
use super::needs::answer_open_needs;
use super::workers::audit;
use super::{Result, Store};
use chrono::NaiveDate;
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

/// What became of an undo or a redo of one service; each names the worker for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeBack {
    /// Done: the service was tombstoned (undo) or made live again (redo), with `needs` of
    /// the needs raised with it.
    Done { worker_name: String, needs: usize },
    /// The version to change has already left in a batch: changing it is a withdrawal, not
    /// an undo, so nothing was changed.
    Exported { worker_name: String },
    /// Undo of a service no longer live, or redo of one already live: nothing to do.
    Unchanged { worker_name: String },
    /// Redo of a worker the event has served again since the undo: a redo would count them
    /// twice, so nothing was changed.
    ServedAgain { worker_name: String },
}

impl TakeBack {
    pub fn worker_name(&self) -> &str {
        match self {
            TakeBack::Done { worker_name, .. }
            | TakeBack::Exported { worker_name }
            | TakeBack::Unchanged { worker_name }
            | TakeBack::ServedAgain { worker_name } => worker_name,
        }
    }
}

/// The service as undo and redo need it.
struct ServiceState {
    id: i64,
    version: i64,
    exported_version: i64,
    deleted: bool,
    event_id: Option<i64>,
    worker_id: i64,
    worker_name: String,
    kind: String,
    served_on: String,
}

impl Store {
    fn service_state(tx: &rusqlite::Connection, service_uid: &str) -> Result<Option<ServiceState>> {
        Ok(tx
            .query_row(
                // A version the city returned is set back to "not exported" but has left in
                // a batch all the same: counted as exported here.
                "SELECT s.id, s.version,
                        CASE WHEN EXISTS (SELECT 1 FROM returned_record rr
                                           WHERE rr.record_uid = s.uid)
                             THEN max(s.exported_version, 1) ELSE s.exported_version END,
                        s.deleted_at IS NOT NULL,
                        s.event_id, s.worker_id, w.name, s.kind, s.served_on
                 FROM service s JOIN worker w ON w.id = s.worker_id
                 WHERE s.uid = ?1",
                [service_uid],
                |r| {
                    Ok(ServiceState {
                        id: r.get(0)?,
                        version: r.get(1)?,
                        exported_version: r.get(2)?,
                        deleted: r.get(3)?,
                        event_id: r.get(4)?,
                        worker_id: r.get(5)?,
                        worker_name: r.get(6)?,
                        kind: r.get(7)?,
                        served_on: r.get(8)?,
                    })
                },
            )
            .optional()?)
    }

    /// Tombstones this one service, named by the caller (quick entry passes the records of
    /// its own sitting, newest first), unless any version of it has been exported: a record
    /// that left in a batch is withdrawn, never undone. The needs raised with it
    /// (`raised_needs`) go with it where they are still as raised. `None` when no such
    /// service exists.
    pub fn undo_event_service(
        &mut self,
        service_uid: &str,
        raised_needs: &[String],
    ) -> Result<Option<TakeBack>> {
        self.set_service_deleted(service_uid, raised_needs, true)
    }

    /// Makes a service that `undo_event_service` tombstoned live again, as a new version,
    /// with the needs the undo took, unless the tombstone has been exported or the event has
    /// served the worker again since.
    pub fn redo_event_service(
        &mut self,
        service_uid: &str,
        raised_needs: &[String],
    ) -> Result<Option<TakeBack>> {
        self.set_service_deleted(service_uid, raised_needs, false)
    }

    fn set_service_deleted(
        &mut self,
        service_uid: &str,
        raised_needs: &[String],
        delete: bool,
    ) -> Result<Option<TakeBack>> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let Some(state) = Self::service_state(&tx, service_uid)? else {
            return Ok(None);
        };
        let worker_name = state.worker_name.clone();
        if state.deleted == delete {
            return Ok(Some(TakeBack::Unchanged { worker_name }));
        }
        if state.exported_version > 0 {
            return Ok(Some(TakeBack::Exported { worker_name }));
        }
        if !delete {
            let served_again: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM service
                     WHERE event_id IS ?1 AND worker_id = ?2 AND deleted_at IS NULL)",
                params![state.event_id, state.worker_id],
                |r| r.get(0),
            )?;
            if served_again && state.event_id.is_some() {
                return Ok(Some(TakeBack::ServedAgain { worker_name }));
            }
        }
        let version = super::version::next_version(state.version)?;
        tx.execute(
            "UPDATE service SET deleted_at = ?1, updated_at = ?2, version = ?3, officer_id = ?4
             WHERE id = ?5",
            params![delete.then_some(&now), now, version, officer, state.id],
        )?;
        // The needs raised with the record go and come back with it; the others it answered
        // follow the service as on a withdrawal: they open again (or go to another answering
        // service), and a redo answers what is open again.
        let needs = take_back_raised_needs(&tx, raised_needs, service_uid, delete, officer, &now)?;
        if delete {
            reevaluate_needs(&tx, service_uid, None, officer, &now)?;
        } else if let Ok(served_on) = NaiveDate::parse_from_str(&state.served_on, "%Y-%m-%d") {
            answer_open_needs(
                &tx,
                state.worker_id,
                service_uid,
                &state.kind,
                served_on,
                officer,
                &now,
            )?;
        }
        // A redo is an ordinary update of the tombstone field, so `audit` shows it as such.
        let (action, fields) = if delete {
            ("delete", "")
        } else {
            ("update", "deleted_at")
        };
        audit(
            &tx,
            &now,
            officer,
            "service",
            service_uid,
            version,
            action,
            fields,
        )?;
        tx.commit()?;
        Ok(Some(TakeBack::Done { worker_name, needs }))
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
    use super::TakeBack;
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

    fn done(name: &str) -> Option<TakeBack> {
        Some(TakeBack::Done {
            worker_name: name.to_string(),
            needs: 0,
        })
    }

    #[test]
    fn undo_tombstones_exactly_the_service_named_and_redo_puts_it_back() {
        let mut store = store_with_officer("李明");
        let first = add_worker(&mut store, "毛洋", "620102199708155206");
        let second = add_worker(&mut store, "武春军", "120111200007156699");
        let event = add_event(&mut store);
        let older = store.record_event_service(&event, &first).expect("record");
        let last = store.record_event_service(&event, &second).expect("record");

        // The older record is named, not "the latest of the event": the latest stays.
        assert_eq!(
            store.undo_event_service(&older.uid, &[]).expect("undo"),
            done("毛洋")
        );
        let service = store
            .service_by_uid(&older.uid)
            .expect("read")
            .expect("kept");
        assert!(service.deleted, "a tombstone, not a hard delete");
        assert_eq!(service.version, 2);
        assert!(!store.served_in_event(&event, &first).expect("served"));
        assert!(store.served_in_event(&event, &second).expect("served"));
        assert!(
            !store
                .service_by_uid(&last.uid)
                .expect("read")
                .expect("kept")
                .deleted,
            "the newer record is untouched"
        );
        assert_eq!(
            store.undo_event_service(&older.uid, &[]).expect("undo"),
            Some(TakeBack::Unchanged {
                worker_name: "毛洋".into()
            })
        );

        assert_eq!(
            store.redo_event_service(&older.uid, &[]).expect("redo"),
            done("毛洋")
        );
        let service = store
            .service_by_uid(&older.uid)
            .expect("read")
            .expect("kept");
        assert!(!service.deleted);
        assert_eq!(service.version, 3, "a redo is a new version");
        assert!(store.served_in_event(&event, &first).expect("served"));
        assert_eq!(
            store.undo_event_service("no-such-uid", &[]).expect("undo"),
            None
        );
    }

    #[test]
    fn a_service_of_a_returned_batch_is_still_never_undone() {
        let mut store = store_with_officer("李明");
        let worker = add_worker(&mut store, "毛洋", "620102199708155206");
        let event = add_event(&mut store);
        let record = store.record_event_service(&event, &worker).expect("record");
        let dir = tempfile::tempdir().expect("temp dir");
        let options = crate::batch::export::ExportOptions {
            out_dir: dir.path().to_path_buf(),
            ..Default::default()
        };
        crate::batch::export::export(&mut store, &options, &mut |_| {}).expect("export");
        let batch_uid = store.batches().expect("batches")[0].uid.clone();
        // Returned whole: the service is "not exported" again, version 1 back to 0.
        let outcome = store
            .record_returned_receipt(&batch_uid, "[]", &[], true)
            .expect("returned");
        assert!(outcome.to_resend >= 3, "worker, event and service go again");
        let service = store
            .service_by_uid(&record.uid)
            .expect("read")
            .expect("kept");
        assert_eq!(service.version, 1);
        assert_eq!(
            store.undo_event_service(&record.uid, &[]).expect("undo"),
            Some(TakeBack::Exported {
                worker_name: "毛洋".into()
            })
        );
    }

    #[test]
    fn an_exported_service_is_never_undone() {
        let mut store = store_with_officer("李明");
        let worker = add_worker(&mut store, "毛洋", "620102199708155206");
        let event = add_event(&mut store);
        let record = store.record_event_service(&event, &worker).expect("record");
        store
            .conn
            .execute(
                "UPDATE service SET exported_version = version WHERE uid = ?1",
                [&record.uid],
            )
            .expect("mark exported");

        assert_eq!(
            store.undo_event_service(&record.uid, &[]).expect("undo"),
            Some(TakeBack::Exported {
                worker_name: "毛洋".into()
            })
        );
        let service = store
            .service_by_uid(&record.uid)
            .expect("read")
            .expect("kept");
        assert!(!service.deleted);
        assert_eq!(service.version, 1, "nothing written");
    }

    #[test]
    fn redo_refuses_when_the_worker_was_served_again_meanwhile() {
        let mut store = store_with_officer("李明");
        let worker = add_worker(&mut store, "毛洋", "620102199708155206");
        let event = add_event(&mut store);
        let record = store.record_event_service(&event, &worker).expect("record");
        store.undo_event_service(&record.uid, &[]).expect("undo");
        store.record_event_service(&event, &worker).expect("again");

        assert_eq!(
            store.redo_event_service(&record.uid, &[]).expect("redo"),
            Some(TakeBack::ServedAgain {
                worker_name: "毛洋".into()
            })
        );
        assert!(
            store
                .service_by_uid(&record.uid)
                .expect("read")
                .expect("kept")
                .deleted
        );
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

        store
            .undo_event_service(&page[0].service_uid, &[])
            .expect("undo");
        assert_eq!(store.event_attendees(&event, 0, 10).expect("list").len(), 1);
    }
}
