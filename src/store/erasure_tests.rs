//! Unit tests of erasure (src/store/erasure.rs).

use super::*;
use crate::domain::{Officer, ServiceInput, WorkerInput};

fn store_with_worker() -> (Store, String, String) {
    let mut store = Store::open_in_memory().expect("store");
    store
        .set_officer(&Officer {
            name: "李明".into(),
            organisation: "和平区总工会".into(),
            district_code: "120101".into(),
        })
        .expect("officer");
    let worker = store
        .add_worker(&WorkerInput {
            name: "欧阳翠花".into(),
            id_number: "620102199708155206".into(),
            phone: "13987654321".into(),
            note: "夜班".into(),
            ..WorkerInput::default()
        })
        .expect("worker")
        .uid;
    let service = store
        .add_service(
            &worker,
            &ServiceInput {
                kind: "relief_money".into(),
                quantity: 1,
                amount_fen: 30_000,
                note: "家中困难".into(),
                ..ServiceInput::default()
            },
        )
        .expect("service")
        .uid;
    (store, worker, service)
}

fn stamp<'a>(now: &'a str, officer_id: i64) -> ErasureStamp<'a> {
    ErasureStamp {
        now,
        officer_id,
        reason: "request",
    }
}

#[test]
fn a_refused_reason_names_the_field_and_changes_nothing() {
    let (mut store, worker, _) = store_with_worker();
    let err = store.erase_worker(&worker, "she asked").unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e.field == Field::ErasureReason));
    let kept = store.worker_by_uid(&worker).unwrap().unwrap();
    assert_eq!(kept.input.name, "欧阳翠花");
    assert!(!kept.deleted);
}

#[test]
fn erasing_blanks_the_row_waits_for_export_and_is_refused_a_second_time() {
    let (mut store, worker, service) = store_with_worker();
    let erasure = store.erase_worker("620102199708155206", "request").unwrap();
    assert_eq!((erasure.version, erasure.services), (2, 1));
    let (id_number, name, phone, note, reason, pending): (
        String,
        String,
        String,
        String,
        String,
        bool,
    ) = store
        .conn()
        .query_row(
            "SELECT id_number, name, phone, note, erase_reason, version > exported_version
                 FROM worker WHERE uid = ?1",
            [&worker],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(id_number, format!("{ERASED_ID_PREFIX}{worker}"));
    assert_eq!((name.as_str(), phone.as_str(), note.as_str()), ("", "", ""));
    assert_eq!(reason, "request");
    assert!(pending);
    let (note, amount): (String, i64) = store
        .conn()
        .query_row(
            "SELECT note, amount_fen FROM service WHERE uid = ?1",
            [&service],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((note.as_str(), amount), ("", 30_000));
    assert!(matches!(
        store.erase_worker(&worker, "request"),
        Err(StoreError::AlreadyErased { .. })
    ));
}

#[test]
fn an_incoming_erasure_is_applied_once_and_an_older_or_equal_one_changes_nothing() {
    let (store, worker, service) = store_with_worker();
    let officer = store.officer_id.unwrap();
    let now = "2026-11-30T10:00:00.000+08:00";
    let conn = store.conn();
    assert!(apply_worker_erasure(conn, &worker, 5, stamp(now, officer)).unwrap());
    let (version, exported): (i64, i64) = conn
        .query_row(
            "SELECT version, exported_version FROM worker WHERE uid = ?1",
            [&worker],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The erasing laptop sends it on; this one does not.
    assert_eq!((version, exported), (5, 5));
    let audits = |conn: &Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM audit WHERE action = 'erase'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let after_first = audits(conn);
    assert!(!apply_worker_erasure(conn, &worker, 5, stamp(now, officer)).unwrap());
    assert!(!apply_worker_erasure(conn, &worker, 3, stamp(now, officer)).unwrap());
    // The service was erased with its worker, one version up; its own line at that
    // version changes nothing more.
    assert!(!apply_service_erasure(conn, &service, 2, stamp(now, officer)).unwrap());
    assert_eq!(audits(conn), after_first);
    assert!(
        !apply_worker_erasure(
            conn,
            "0190e6a0-0000-7000-8000-000000000000",
            1,
            stamp(now, officer)
        )
        .unwrap()
    );
}
