//! Chains in any order, held and released; repeats, late lower versions, one person on two
//! laptops, an inbox.

use super::cluster::*;
use crate::support::batch::*;
use crate::support::bin::jingong;
use jingong::store::Store;

#[test]
fn init_is_repeatable_and_a_newer_schema_is_refused() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    db.init(dir.path());
    let again = db.city(dir.path(), &["init"]);
    assert!(again.status.success());
    assert!(
        stdout_text(&again).contains("up to date"),
        "{}",
        stdout_text(&again)
    );

    // Before init, ingest says what to do.
    let other = CityDb::new().unwrap();
    let out = other.city(dir.path(), &["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_text(&out).contains("city init"),
        "{}",
        stderr_text(&out)
    );

    db.client()
        .batch_execute("INSERT INTO schema_migrations (version) VALUES (99)")
        .unwrap();
    for args in [&["status"][..], &["init"][..]] {
        let out = db.city(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr_text(&out).contains("newer than this program"),
            "{}",
            stderr_text(&out)
        );
    }
}

#[test]
fn chains_in_any_order_give_the_same_city_and_held_batches_are_released() {
    let Some(first) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let l = two_laptops(dir.path());

    // In chain order, one command per batch.
    first.init(dir.path());
    for batch in [&l.a1, &l.a2, &l.b1, &l.b2] {
        let out = first.ingest(dir.path(), &[batch]);
        assert!(out.status.success(), "{}", stderr_text(&out));
        assert!(
            stdout_text(&out).contains(": applied"),
            "{}",
            stdout_text(&out)
        );
    }
    let expected = first.dump();
    assert_eq!(first.count("SELECT count(*) FROM workers"), 12);
    // The change and the tombstone arrived as the higher versions.
    assert_eq!(
        first.count(&format!(
            "SELECT version FROM workers WHERE uid = '{}' AND employer = '后来的单位'",
            l.changed_worker
        )),
        2
    );
    assert_eq!(
        first.count(&format!(
            "SELECT version FROM services WHERE uid = '{}' AND deleted_at IS NOT NULL
                AND op = 'delete'",
            l.withdrawn_service
        )),
        2
    );

    // Second batches first: each is held, waiting for its first, and released by it.
    for order in [
        [&l.a2, &l.b2, &l.a1, &l.b1],
        [&l.b2, &l.a2, &l.b1, &l.a1],
        [&l.b1, &l.a2, &l.b2, &l.a1],
    ] {
        let db = CityDb::new().unwrap();
        db.init(dir.path());
        for batch in order {
            let out = db.ingest(dir.path(), &[batch]);
            assert!(out.status.success(), "{}", stderr_text(&out));
            let text = stdout_text(&out);
            if *batch == l.a2 && !db_has(&db, &l.a1) {
                assert!(
                    text.contains(&format!("held, waiting for {}", uid_of(&l.a1))),
                    "{text}"
                );
                let status = status_json(&db, dir.path());
                let device = status
                    .iter()
                    .find(|d| d["held"].as_array().unwrap().len() == 1)
                    .expect("a device with a held batch");
                assert_eq!(device["gaps"][0], uid_of(&l.a1).as_str());
            }
            if *batch == l.a1 {
                assert!(text.contains("released"), "{text}");
            }
        }
        assert_eq!(db.dump(), expected, "order {order:?}");
        assert_eq!(
            db.count("SELECT count(*) FROM batches WHERE status = 'applied'"),
            4
        );
        let status = status_json(&db, dir.path());
        assert!(
            status
                .iter()
                .all(|d| d["held"].as_array().unwrap().is_empty())
        );
    }

    // All four in one command, newest first: the same again.
    let db = CityDb::new().unwrap();
    db.init(dir.path());
    let out = db.ingest(dir.path(), &[&l.b2, &l.a2, &l.b1, &l.a1]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert_eq!(db.dump(), expected);
}

#[test]
fn a_batch_sent_twice_is_acknowledged_and_changes_nothing() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 4, 3);
    let batch = export(&laptop, &dir.path().join("out"), &["--zip"]);
    db.init(dir.path());
    assert!(db.ingest(dir.path(), &[&batch]).status.success());
    let before = db.dump();
    let out = db.ingest(dir.path(), &[&batch]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert!(
        stdout_text(&out).contains("received before; nothing changed"),
        "{}",
        stdout_text(&out)
    );
    assert_eq!(db.dump(), before);
    assert_eq!(db.count("SELECT count(*) FROM batches"), 1);
    assert_eq!(
        db.count("SELECT count(*) FROM arrivals WHERE outcome = 'duplicate'"),
        1
    );
    assert_eq!(db.count("SELECT times_received::bigint FROM batches"), 2);
}

#[test]
fn a_lower_version_arriving_late_is_counted_unchanged() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 2, 11);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let uid = records(&batch, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    // The district office merges the laptop's batch, corrects the worker and sends it on:
    // the city gets version 2 from the office before version 1 from the laptop.
    let office = dir.path().join("office.db");
    set_officer(&office, "孙丽", "120101");
    jingong(&office)
        .arg("import")
        .arg("batch")
        .arg(&batch)
        .assert()
        .success();
    {
        let mut store = Store::open(&office).unwrap();
        let mut input = store.worker_by_uid(&uid).unwrap().unwrap().input;
        input.worksite = "更正后的工地".into();
        store.update_worker(&uid, &input, None).unwrap();
    }
    let from_office = export(&office, &dir.path().join("out-office"), &[]);

    db.init(dir.path());
    assert!(db.ingest(dir.path(), &[&from_office]).status.success());
    let output = db.ingest(dir.path(), &[&batch]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    assert!(
        stdout_text(&output).contains("unchanged 1;"),
        "{}",
        stdout_text(&output)
    );
    assert_eq!(
        db.count(&format!(
            "SELECT version FROM workers WHERE uid = '{uid}' AND worksite = '更正后的工地'"
        )),
        2
    );
}

#[test]
fn the_same_person_from_two_laptops_is_one_person_in_any_order() {
    let Some(ab) = CityDb::new() else { return };
    let ba = CityDb::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let id_number = "11010519491231002X";
    let a = dir.path().join("a.db");
    set_officer(&a, "李明", "120101");
    let uid_a = add_worker(&a, id_number, "13800138000");
    let b = dir.path().join("b.db");
    set_officer(&b, "赵敏", "120103");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let uid_b = add_worker(&b, id_number, "13900139000");
    jingong(&b)
        .args(["service", "add", "--worker", id_number, "--kind", "job"])
        .assert()
        .success();
    let batch_a = export(&a, &dir.path().join("out-a"), &[]);
    let batch_b = export(&b, &dir.path().join("out-b"), &[]);

    ab.init(dir.path());
    assert!(ab.ingest(dir.path(), &[&batch_a]).status.success());
    let out = ab.ingest(dir.path(), &[&batch_b]);
    assert!(
        stdout_text(&out).contains("conflicts 1"),
        "{}",
        stdout_text(&out)
    );
    ba.init(dir.path());
    assert!(ba.ingest(dir.path(), &[&batch_b]).status.success());
    assert!(ba.ingest(dir.path(), &[&batch_a]).status.success());
    assert_eq!(ab.dump(), ba.dump());

    assert_eq!(ab.count("SELECT count(*) FROM persons"), 1);
    assert_eq!(ab.count("SELECT records::bigint FROM persons"), 2);
    let mut client = ab.client();
    let row = client
        .query_one(
            "SELECT p.shown_uid::text, c.kept_uid::text, c.other_uid::text, c.fields
               FROM persons p JOIN conflicts c ON c.person_id = p.id",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), uid_b, "the later record shows");
    assert_eq!(row.get::<_, String>(1), uid_b);
    assert_eq!(row.get::<_, String>(2), uid_a);
    assert_eq!(row.get::<_, Vec<String>>(3), vec!["phone".to_string()]);
    // B's service belongs to the person, whichever record it names.
    assert_eq!(
        ab.count(
            "SELECT count(*) FROM services s JOIN workers w ON w.uid = s.worker_uid
               JOIN persons p ON p.id = w.person_id"
        ),
        1
    );
}

#[test]
fn an_inbox_is_ingested_in_chain_order() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 3, 12);
    let inbox = dir.path().join("inbox");
    let first = export(&laptop, &inbox, &["--zip"]);
    jingong(&laptop)
        .args(["demo", "--workers", "2", "--seed", "13"])
        .assert()
        .success();
    export(&laptop, &inbox, &["--zip"]);
    std::fs::write(inbox.join("notes.txt"), "not a batch").unwrap();
    db.init(dir.path());
    let out = db.city(
        dir.path(),
        &["ingest", "--inbox", &inbox.display().to_string()],
    );
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert_eq!(stdout_text(&out).matches(": applied").count(), 2);
    assert_eq!(db.count("SELECT count(*) FROM workers"), 5);
    assert!(first.exists());
}

/// A person the city first hears of through a record already withdrawn on the laptop is made
/// withdrawn, as one whose record arrived live and was withdrawn later is: the person is made
/// from the batch's rows before any of them is written (persons::make), and a mistake there
/// would never be looked at again.
#[test]
fn a_worker_withdrawn_before_the_first_batch_is_a_withdrawn_person_at_the_city() {
    let Some(at_once) = CityDb::new() else { return };
    let in_turn = CityDb::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let withdrawn_id = "110105194912310038";
    // Laptop A registers and withdraws before its first batch; laptop B in two batches.
    let mut batches = Vec::new();
    for (name, exports_between) in [("a", false), ("b", true)] {
        let laptop = dir.path().join(format!("{name}.db"));
        set_officer(&laptop, "李明", "120101");
        add_worker(&laptop, "11010519491231002X", "13800138000");
        let uid = add_worker(&laptop, withdrawn_id, "13900139000");
        let out = dir.path().join(format!("out-{name}"));
        let mut sent = Vec::new();
        if exports_between {
            sent.push(export(&laptop, &out, &[]));
        }
        Store::open(&laptop)
            .unwrap()
            .withdraw_worker(&uid, "重复登记", None)
            .unwrap();
        sent.push(export(&laptop, &out, &[]));
        batches.push((uid, sent));
    }
    for (db, (uid, sent)) in [&at_once, &in_turn].into_iter().zip(&batches) {
        db.init(dir.path());
        let sent: Vec<&std::path::Path> = sent.iter().map(|p| p.as_path()).collect();
        assert!(db.ingest(dir.path(), &sent).status.success());
        let row = db
            .client()
            .query_one(
                "SELECT withdrawn, records, shown_uid::text FROM persons WHERE id_number = $1",
                &[&withdrawn_id],
            )
            .unwrap();
        assert!(row.get::<_, bool>(0), "withdrawn");
        assert_eq!(row.get::<_, i32>(1), 1);
        assert_eq!(&row.get::<_, String>(2), uid);
        assert_eq!(
            db.count("SELECT count(*) FROM persons WHERE NOT withdrawn"),
            1
        );
        db.assert_rollups_match();
    }
}
