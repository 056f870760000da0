//! What the printed paperwork of an event needs: its live services joined with the workers
//! served, in the order they were recorded, one page at a time.

use super::{Result, Store};
use rusqlite::params;

/// One line of a sign-in or payout sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLine {
    /// Row id of the service: the key to resume after, in recording order.
    pub service_id: i64,
    pub worker_name: String,
    /// The full number; the sheet masks it unless revealed.
    pub id_number: String,
    pub phone: String,
    pub employer: String,
    pub quantity: i64,
    pub amount_fen: i64,
    pub note: String,
    /// When the service was recorded (RFC 3339 with offset).
    pub recorded_at: String,
}

impl Store {
    /// Live services of the event recorded after the service `after_service_id` (0 for the
    /// start), oldest first, at most `limit`. Withdrawn services are left out.
    pub fn event_sheet_lines(
        &self,
        event_uid: &str,
        after_service_id: i64,
        limit: usize,
    ) -> Result<Vec<SheetLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, w.name, w.id_number, w.phone, w.employer, s.quantity, s.amount_fen,
                    s.note, s.created_at
             FROM service s JOIN worker w ON w.id = s.worker_id
             WHERE s.event_id = (SELECT id FROM event WHERE uid = ?1)
               AND s.deleted_at IS NULL AND s.id > ?2
             ORDER BY s.id LIMIT ?3",
        )?;
        let lines = stmt
            .query_map(params![event_uid, after_service_id, limit as i64], |r| {
                Ok(SheetLine {
                    service_id: r.get(0)?,
                    worker_name: r.get(1)?,
                    id_number: r.get(2)?,
                    phone: r.get(3)?,
                    employer: r.get(4)?,
                    quantity: r.get(5)?,
                    amount_fen: r.get(6)?,
                    note: r.get(7)?,
                    recorded_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{EventInput, Officer, WorkerInput, parse_id_number};
    use crate::store::Store;

    fn store() -> Store {
        let mut store = Store::open_in_memory().expect("store");
        store
            .set_officer(&Officer {
                name: "李明".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .expect("officer");
        store
    }

    fn worker(store: &mut Store, name: &str, id_number: &str, employer: &str) -> String {
        let id = parse_id_number(id_number, store.clock().today()).expect("valid id");
        store
            .add_worker(&WorkerInput {
                name: name.into(),
                id_number: id.number,
                phone: "13812345678".into(),
                employer: employer.into(),
                ..WorkerInput::default()
            })
            .expect("worker")
            .uid
    }

    fn event(store: &mut Store, amount_fen: i64) -> String {
        store
            .add_event(&EventInput {
                name: "冬送温暖".into(),
                kind: "winter_warmth".into(),
                held_on: None,
                place: "和平区工人文化宫".into(),
                district_code: "120101".into(),
                default_quantity: 2,
                default_amount_fen: amount_fen,
            })
            .expect("event")
            .uid
    }

    #[test]
    fn lines_come_in_recording_order_page_by_page_without_withdrawn_services() {
        let mut store = store();
        let first = worker(&mut store, "毛洋", "620102199708155206", "中建六局");
        let second = worker(&mut store, "武春军", "120111200007156699", "");
        let third = worker(&mut store, "张伟", "11010519491231002X", "天津港");
        let warmth = event(&mut store, 50_000);
        let other = event(&mut store, 100);
        store.record_event_service(&warmth, &first).expect("record");
        store.record_event_service(&other, &first).expect("record");
        let withdrawn = store
            .record_event_service(&warmth, &second)
            .expect("record");
        store.record_event_service(&warmth, &third).expect("record");
        store
            .withdraw_service(&withdrawn.uid, "录入有误", None)
            .expect("withdraw");

        let page = store.event_sheet_lines(&warmth, 0, 1).expect("page");
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].worker_name, "毛洋");
        assert_eq!(page[0].employer, "中建六局");
        assert_eq!(page[0].id_number, "620102199708155206");
        assert_eq!((page[0].quantity, page[0].amount_fen), (2, 50_000));

        let rest = store
            .event_sheet_lines(&warmth, page[0].service_id, 10)
            .expect("page");
        let names: Vec<&str> = rest.iter().map(|l| l.worker_name.as_str()).collect();
        assert_eq!(
            names,
            ["张伟"],
            "the withdrawn service and the other event are left out"
        );
        let after_last = store
            .event_sheet_lines(&warmth, rest[0].service_id, 10)
            .expect("page");
        assert!(after_last.is_empty());
        assert!(
            store
                .event_sheet_lines("no-such-event", 0, 10)
                .expect("page")
                .is_empty()
        );
    }
}
