//! The store's write rules: versions, audit, tombstones, drafts, stale edits, officer.

use crate::support::fixture::{NOW, store_with_officer};
use jingong::domain::validate::{ServiceDraft, validate_service};
use jingong::domain::{Membership, WorkerInput};
use jingong::store::{Store, StoreError};

fn store() -> Store {
    store_with_officer(None, NOW)
}

fn worker(name: &str, id: &str) -> WorkerInput {
    WorkerInput {
        name: name.into(),
        id_number: id.into(),
        phone: "13812345678".into(),
        employer: "中建八局天津分公司".into(),
        membership: Membership::JoinedHere,
        ..Default::default()
    }
}

fn audit_rows(store: &Store, uid: &str) -> Vec<(i64, String, String)> {
    let mut stmt = jingong::testing::connection(store)
        .prepare("SELECT version, action, fields FROM audit WHERE record_uid = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_write_bumps_the_version_and_appends_an_audit_row_naming_fields_not_values() {
    let mut store = store();
    let created = store
        .add_worker(&worker("张三", "620102199708155206"))
        .unwrap();
    assert_eq!(created.version, 1);
    let mut changed = worker("张三", "620102199708155206");
    changed.phone = "13912345678".into();
    changed.trade = "电工".into();
    let updated = store
        .update_worker(&created.uid, &changed, Some(1))
        .unwrap();
    assert_eq!(updated.version, 2);
    // Saving the same values again is not a change.
    let same = store
        .update_worker(&created.uid, &changed, Some(2))
        .unwrap();
    assert_eq!(same.version, 2);
    let version = store
        .withdraw_worker(&created.uid, "录入有误", None)
        .unwrap();
    assert_eq!(version, 3);
    let rows = audit_rows(&store, &created.uid);
    assert_eq!(
        rows,
        vec![
            (1, "create".into(), "".into()),
            (2, "update".into(), "phone,trade".into()),
            (3, "withdraw".into(), "".into()),
        ]
    );
    let w = store.worker_by_uid(&created.uid).unwrap().unwrap();
    assert!(w.deleted);
    assert_eq!(w.version, 3);
}

#[test]
fn a_stale_edit_is_refused_instead_of_overwriting() {
    let mut store = store();
    let created = store
        .add_worker(&worker("张三", "620102199708155206"))
        .unwrap();
    let mut edit = worker("张三", "620102199708155206");
    edit.note = "第一次修改".into();
    store.update_worker(&created.uid, &edit, Some(1)).unwrap();
    edit.note = "过期的修改".into();
    let err = store
        .update_worker(&created.uid, &edit, Some(1))
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::StaleVersion {
            expected: 1,
            found: 2
        }
    ));
    let w = store.worker_by_uid(&created.uid).unwrap().unwrap();
    assert_eq!(w.input.note, "第一次修改");
}

#[test]
fn a_deleted_workers_id_number_can_be_registered_again_and_search_follows_renames() {
    let mut store = store();
    let first = store
        .add_worker(&worker("张三", "620102199708155206"))
        .unwrap();
    assert!(
        store
            .add_worker(&worker("张叁", "620102199708155206"))
            .is_err()
    );
    store.withdraw_worker(&first.uid, "录入有误", None).unwrap();
    let second = store
        .add_worker(&worker("张叁", "620102199708155206"))
        .unwrap();
    assert_ne!(first.uid, second.uid);
    let mut renamed = worker("欧阳娜娜", "620102199708155206");
    renamed.phone = "13812345678".into();
    store.update_worker(&second.uid, &renamed, None).unwrap();
    assert!(store.search("zs", 0, 10).unwrap().hits.is_empty());
    let hits = store.search("oynn", 0, 10).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].uid, second.uid);
    // The given name starts after the compound surname.
    assert_eq!(store.search("娜", 0, 10).unwrap().hits.len(), 1);
}

#[test]
fn pending_counts_follow_versions_not_yet_exported() {
    let mut store = store();
    let w = store
        .add_worker(&worker("张三", "620102199708155206"))
        .unwrap();
    let input = validate_service(
        &ServiceDraft {
            kind: "summer_cooling".into(),
            ..Default::default()
        },
        store.clock().today(),
        "李明",
        &store.clock().stamp(),
    )
    .unwrap();
    store.add_service(&w.uid, &input).unwrap();
    let pending = store.pending_counts().unwrap();
    assert_eq!(
        (pending.workers, pending.services, pending.total()),
        (1, 1, 2)
    );
    jingong::testing::connection(&store)
        .execute_batch("UPDATE worker SET exported_version = version")
        .unwrap();
    assert_eq!(store.pending_counts().unwrap().workers, 0);
    let mut edit = worker("张三", "620102199708155206");
    edit.note = "改过".into();
    store.update_worker(&w.uid, &edit, None).unwrap();
    assert_eq!(store.pending_counts().unwrap().workers, 1);
}

#[test]
fn drafts_round_trip_and_clear() {
    let store = store();
    assert_eq!(store.load_draft("worker:new").unwrap(), None);
    store.save_draft("worker:new", r#"{"name":"张"}"#).unwrap();
    store
        .save_draft("worker:new", r#"{"name":"张三"}"#)
        .unwrap();
    assert_eq!(
        store.load_draft("worker:new").unwrap().as_deref(),
        Some(r#"{"name":"张三"}"#)
    );
    store.clear_draft("worker:new").unwrap();
    assert_eq!(store.load_draft("worker:new").unwrap(), None);
}

#[test]
fn writes_need_an_officer_and_the_error_says_how_to_set_one() {
    let mut store = Store::open_in_memory().unwrap();
    let err = store
        .add_worker(&worker("张三", "620102199708155206"))
        .unwrap_err();
    assert!(matches!(err, StoreError::NoOfficer));
    assert!(
        err.message(jingong::text::Lang::Zh)
            .contains("jingong officer set")
    );
}

#[test]
fn open_legal_cases_are_the_latest_open_visit_of_each_thread() {
    let mut store = store();
    let w = store
        .add_worker(&worker("张三", "620102199708155206"))
        .unwrap();
    let today = store.clock().today();
    let stamp = store.clock().stamp();
    let visit = |status: &str, follows: &str| {
        validate_service(
            &ServiceDraft {
                kind: "legal_aid".into(),
                category: "wage_arrears".into(),
                status: status.into(),
                claimed: "12000".into(),
                follows_uid: follows.into(),
                ..Default::default()
            },
            today,
            "李明",
            &stamp,
        )
        .unwrap()
    };
    let first = store.add_service(&w.uid, &visit("open", "")).unwrap();
    assert_eq!(store.open_legal_cases(&w.uid).unwrap().len(), 1);
    let second = store
        .add_service(&w.uid, &visit("mediating", &first.uid))
        .unwrap();
    let open = store.open_legal_cases(&w.uid).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].uid, second.uid);
    store
        .add_service(&w.uid, &visit("resolved", &second.uid))
        .unwrap();
    assert!(store.open_legal_cases(&w.uid).unwrap().is_empty());
    // A follow-up must continue a visit of the same worker.
    let other = store
        .add_worker(&worker("李四", "120111200007156699"))
        .unwrap();
    assert!(
        store
            .add_service(&other.uid, &visit("open", &first.uid))
            .is_err()
    );
}

#[test]
fn trade_completion_lists_each_live_trade_once_in_order() {
    let mut store = store();
    let mut rng = jingong::demo::Rng::new(8);
    let trades = ["电焊工", "电工", "电焊工", "木工", "", "电气安装工", "电工"];
    let mut uids = Vec::new();
    for (i, trade) in trades.iter().enumerate() {
        let mut input = worker("张三", &jingong::demo::synthetic_id_number(&mut rng));
        input.trade = (*trade).into();
        input.phone = format!("1381234{:04}", i);
        uids.push(store.add_worker(&input).unwrap().uid);
    }
    // The only 电气安装工 leaves: a deleted worker's trade is not offered.
    store.withdraw_worker(&uids[5], "录入有误", None).unwrap();
    assert_eq!(store.trades_starting("电", 10).unwrap(), ["电工", "电焊工"]);
    assert_eq!(store.trades_starting("电工", 10).unwrap(), ["电工"]);
    assert_eq!(
        store.trades_starting("", 10).unwrap(),
        ["木工", "电工", "电焊工"]
    );
    assert_eq!(store.trades_starting("", 2).unwrap(), ["木工", "电工"]);
    assert!(store.trades_starting("瓦", 10).unwrap().is_empty());
}

#[test]
fn migration_7_keeps_the_conflicts_and_accepts_local_edit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jingong.db");
    {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        jingong::store::schema::migrate_to(&mut conn, 5).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(
            "INSERT INTO conflict(detected_at, id_number, kept_uid, incoming_uid, incoming_batch,
                incoming_json, reason, record_table)
             VALUES ('t', '11010519491231002X', 'a', 'b', 'batch', '{}', 'diverged', 'worker');",
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&db).unwrap();
    let open = store.open_conflicts().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].reason, "diverged");
    assert_eq!(open[0].id_number, "11010519491231002X");
    jingong::testing::connection(&store)
        .execute(
            "INSERT INTO conflict(detected_at, id_number, kept_uid, incoming_uid, incoming_batch,
                incoming_json, reason, record_table)
             VALUES ('t', '', 'c', 'c', 'batch', '{}', 'local_edit', 'service')",
            [],
        )
        .unwrap();
    let refused = jingong::testing::connection(&store).execute(
        "INSERT INTO conflict(detected_at, id_number, kept_uid, incoming_uid, incoming_batch,
            incoming_json, reason) VALUES ('t', '', 'c', 'c', 'b', '{}', 'whatever')",
        [],
    );
    assert!(refused.is_err(), "the reasons are still checked");
    // The open-conflicts index came back with the table.
    let index: i64 = jingong::testing::connection(&store)
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'conflict_open'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
}

#[test]
fn the_worker_row_names_every_column_of_a_worker_it_does_not_leave_to_the_header() {
    // Registration, editing, roster import and merging write a worker's own columns only
    // through WorkerRow: a column added to the table must be added there too.
    let store = store();
    let mut stmt = jingong::testing::connection(&store)
        .prepare("PRAGMA table_info(worker)")
        .unwrap();
    let columns: Vec<String> = stmt
        .query_map([], |r| r.get(1))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let header = [
        "id",
        "uid",
        "version",
        "exported_version",
        "created_at",
        "updated_at",
        "officer_id",
        "deleted_at",
        // Written with deleted_at by a withdrawal, like the tombstone itself.
        "withdraw_reason",
        // Written by an erasure, which blanks the row's personal columns at the same time.
        "erase_reason",
        "origin_device",
        // The member card's protection period, written with a mutual-aid claim
        // (store/claims.rs), not by the forms that write WorkerRow.
        "protection_start",
        "protection_end",
    ];
    let row = jingong::store::tables::worker::WorkerRow::COLUMNS;
    for column in &columns {
        assert!(
            header.contains(&column.as_str()) || row.contains(&column.as_str()),
            "worker.{column} is written by no one"
        );
    }
    for column in row {
        assert!(
            columns.iter().any(|c| c == column),
            "{column} is not a column"
        );
    }
}
