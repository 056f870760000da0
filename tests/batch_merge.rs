//! Merging batches from several laptops at the district office.

mod common;

use common::*;
use jingong::store::Store;
use std::path::Path;

fn import(db: &Path, batches: &[&Path]) -> std::process::Output {
    let mut cmd = jingong(db);
    cmd.args(["import", "batch"]);
    for b in batches {
        cmd.arg(b);
    }
    cmd.output().unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn importing_the_same_batch_twice_changes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 20, 1);
    let batch = export(&laptop, &dir.path().join("out"), &["--zip"]);
    let district = dir.path().join("district.db");
    assert!(import(&district, &[&batch]).status.success());
    let before = dump(&district);
    let audit_before = count(&district, "SELECT count(*) FROM audit");
    let output = import(&district, &[&batch]);
    assert!(output.status.success());
    assert!(
        stdout_of(&output).contains("imported before; nothing changed"),
        "{}",
        stdout_of(&output)
    );
    assert_eq!(dump(&district), before);
    assert_eq!(count(&district, "SELECT count(*) FROM audit"), audit_before);
    assert_eq!(count(&district, "SELECT count(*) FROM batch"), 1);
}

#[test]
fn the_higher_version_wins_whatever_the_order_and_a_chain_gap_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 10, 2);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let uid = records(&first, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    {
        let mut store = Store::open(&laptop).unwrap();
        let mut input = store.worker_by_uid(&uid).unwrap().unwrap().input;
        input.employer = "后来的单位".into();
        store.update_worker(&uid, &input, None).unwrap();
    }
    let second = export(&laptop, &out, &[]);

    // Newer batch first: imported, with the missing earlier batch reported.
    let district = dir.path().join("district.db");
    let output = import(&district, &[&second]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains("has not been imported (gap in the chain)"),
        "{}",
        stdout_of(&output)
    );
    let batches: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["batches", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(batches[0]["chain_gap"], true);

    // Then the older one: its version 1 of that worker does not overwrite version 2.
    let output = import(&district, &[&first]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let store = Store::open(&district).unwrap();
    let worker = store.worker_by_uid(&uid).unwrap().unwrap();
    assert_eq!(worker.version, 2);
    assert_eq!(worker.input.employer, "后来的单位");
    assert_eq!(store.live_worker_count().unwrap(), 10);
    let batches: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["batches", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(batches[0]["chain_gap"], false, "gap filled");

    // And in the other order, into another database, the same end state.
    let other = dir.path().join("other.db");
    assert!(import(&other, &[&second, &first]).status.success());
    assert_eq!(dump(&other), dump(&district));
    assert_eq!(dump(&other), dump(&laptop));
}

#[test]
fn one_id_number_under_two_worker_uids_is_kept_as_a_listed_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let id_number = "11010519491231002X";
    let laptop_a = demo_db(dir.path(), "a.db", 3, 3);
    jingong(&laptop_a)
        .args([
            "worker",
            "add",
            "--name",
            "王强",
            "--id-number",
            id_number,
            "--phone",
            "13800138000",
        ])
        .assert()
        .success();
    let laptop_b = dir.path().join("b.db");
    jingong(&laptop_b)
        .args([
            "officer",
            "set",
            "--name",
            "赵敏",
            "--org",
            "河西区总工会",
            "--district",
            "120103",
        ])
        .assert()
        .success();
    jingong(&laptop_b)
        .args([
            "worker",
            "add",
            "--name",
            "王强",
            "--id-number",
            id_number,
            "--phone",
            "13900139000",
        ])
        .assert()
        .success();
    jingong(&laptop_b)
        .args(["service", "add", "--worker", id_number, "--kind", "job"])
        .assert()
        .success();
    let batch_a = export(&laptop_a, &dir.path().join("out-a"), &[]);
    let batch_b = export(&laptop_b, &dir.path().join("out-b"), &[]);
    let uid_a = Store::open(&laptop_a)
        .unwrap()
        .resolve_worker(id_number)
        .unwrap()
        .uid;
    let uid_b = Store::open(&laptop_b)
        .unwrap()
        .resolve_worker(id_number)
        .unwrap()
        .uid;

    let district = dir.path().join("district.db");
    assert!(import(&district, &[&batch_a]).status.success());
    let output = import(&district, &[&batch_b]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains("conflicts 2"),
        "{}",
        stdout_of(&output)
    );

    // The worker already here stays; nothing was overwritten.
    let store = Store::open(&district).unwrap();
    assert_eq!(store.resolve_worker(id_number).unwrap().uid, uid_a);
    assert_eq!(
        store.resolve_worker(id_number).unwrap().input.phone,
        "13800138000"
    );

    let output = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["reason"], "id_number");
    assert_eq!(list[0]["id_number"], id_number);
    assert_eq!(list[0]["kept_uid"], uid_a.as_str());
    assert_eq!(list[0]["incoming_uid"], uid_b.as_str());
    assert_eq!(list[0]["incoming"]["phone"], "13900139000");
    assert_eq!(list[0]["incoming"]["officer"]["name"], "赵敏");
    assert_eq!(list[1]["reason"], "worker_in_conflict");
    assert_eq!(list[1]["table"], "service");
    assert_eq!(list[1]["incoming"]["worker_uid"], uid_b.as_str());

    let text = jingong(&district).arg("conflicts").output().unwrap();
    assert!(stdout_of(&text).contains("one ID number, two workers"));
    // The listing masks the ID number; --json is for the one who resolves it.
    assert!(!stdout_of(&text).contains(id_number));
}

#[test]
fn a_damaged_batch_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 10, 4);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let path = batch.join("workers.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"version\":1", "\"version\":0", 1)).unwrap();
    let district = dir.path().join("district.db");
    let output = import(&district, &[&batch]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr_of(&output);
    assert!(err.contains("refused whole"), "{err}");
    assert!(
        err.contains("workers.jsonl:1: field version must be a positive integer"),
        "{err}"
    );
    assert_eq!(count(&district, "SELECT count(*) FROM worker"), 0);
    assert_eq!(count(&district, "SELECT count(*) FROM batch"), 0);
}

#[test]
fn merged_records_keep_their_origin_device_and_officer() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 4, 5);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let district = dir.path().join("district.db");
    jingong(&district)
        .args([
            "officer",
            "set",
            "--name",
            "孙丽",
            "--org",
            "天津市总工会",
            "--district",
            "120101",
        ])
        .assert()
        .success();
    assert!(import(&district, &[&batch]).status.success());
    let laptop_device = Store::open(&laptop).unwrap().device_id().unwrap();
    let conn = rusqlite::Connection::open(&district).unwrap();
    let (origin, officer, officer_device): (String, String, String) = conn
        .query_row(
            "SELECT w.origin_device, o.name, o.device_id FROM worker w
             JOIN officer o ON o.id = w.officer_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(origin, laptop_device);
    assert_eq!(officer, "李明");
    assert_eq!(officer_device, laptop_device);
}

/// Changes the employer of worker `uid` in `db` (one new version).
fn set_employer(db: &Path, uid: &str, employer: &str) {
    let mut store = Store::open(db).unwrap();
    let mut input = store.worker_by_uid(uid).unwrap().unwrap().input;
    input.employer = employer.into();
    store.update_worker(uid, &input, None).unwrap();
}

#[test]
fn a_newer_copy_of_a_record_edited_here_and_not_yet_exported_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 3, 6);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let workers = records(&first, "workers.jsonl");
    let edited = workers[0]["uid"].as_str().unwrap().to_string();
    let untouched = workers[1]["uid"].as_str().unwrap().to_string();

    // The district office merges the laptop's first batch, then its officer corrects one
    // worker; that edit waits for the office's next export.
    let district = dir.path().join("district.db");
    jingong(&district)
        .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    assert!(import(&district, &[&first]).status.success());
    set_employer(&district, &edited, "区办核实的单位");

    // Meanwhile the laptop changes the same worker twice (version 3) and another one once.
    set_employer(&laptop, &edited, "笔记本改的单位");
    set_employer(&laptop, &edited, "笔记本再改的单位");
    set_employer(&laptop, &untouched, "别的单位");
    let second = export(&laptop, &out, &[]);

    let output = import(&district, &[&second]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains("conflicts 1"),
        "{}",
        stdout_of(&output)
    );

    // The local edit is kept, and still waits for export; the worker not edited here took
    // the laptop's newer version as before.
    let store = Store::open(&district).unwrap();
    let kept = store.worker_by_uid(&edited).unwrap().unwrap();
    assert_eq!(kept.input.employer, "区办核实的单位");
    assert_eq!(
        store
            .worker_by_uid(&untouched)
            .unwrap()
            .unwrap()
            .input
            .employer,
        "别的单位"
    );
    let (version, exported) = versions(&district)[&("worker".to_string(), edited.clone())];
    assert_eq!(version, 4, "renumbered above the incoming version 3");
    assert!(exported < version, "still waiting for export");
    drop(store);

    let listed = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["reason"], "local_edit");
    assert_eq!(list[0]["table"], "worker");
    assert_eq!(list[0]["kept_uid"], edited.as_str());
    assert_eq!(list[0]["incoming_uid"], edited.as_str());
    assert_eq!(list[0]["incoming"]["version"], 3);
    assert_eq!(list[0]["incoming"]["employer"], "笔记本再改的单位");
    let text = jingong(&district).arg("conflicts").output().unwrap();
    assert!(
        stdout_of(&text).contains("unexported local edit"),
        "{}",
        stdout_of(&text)
    );

    // Importing the same batch again changes nothing and adds no second conflict.
    assert!(import(&district, &[&second]).status.success());
    assert_eq!(count(&district, "SELECT count(*) FROM conflict"), 1);

    // The office's next batch carries its edit; the laptop, whose version 3 went out,
    // takes it, so both end on the copy the office kept.
    let from_district = export(&district, &dir.path().join("out-district"), &[]);
    let sent = records(&from_district, "workers.jsonl");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["uid"], edited.as_str());
    assert_eq!(sent[0]["version"], 4);
    let output = import(&laptop, &[&from_district]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(stdout_of(&output).contains("conflicts 0"));
    let laptop_store = Store::open(&laptop).unwrap();
    assert_eq!(
        laptop_store
            .worker_by_uid(&edited)
            .unwrap()
            .unwrap()
            .input
            .employer,
        "区办核实的单位"
    );
}

#[test]
fn a_local_edit_already_exported_is_overwritten_by_a_newer_copy() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 2, 7);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let uid = records(&first, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let district = dir.path().join("district.db");
    jingong(&district)
        .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    assert!(import(&district, &[&first]).status.success());
    set_employer(&district, &uid, "区办的单位");
    // The office's edit went out in its own batch: nothing of it can be lost any more.
    export(&district, &dir.path().join("out-district"), &[]);
    set_employer(&laptop, &uid, "笔记本改的单位");
    set_employer(&laptop, &uid, "笔记本再改的单位");
    let second = export(&laptop, &out, &[]);
    let output = import(&district, &[&second]);
    assert!(
        stdout_of(&output).contains("conflicts 0"),
        "{}",
        stdout_of(&output)
    );
    let store = Store::open(&district).unwrap();
    let worker = store.worker_by_uid(&uid).unwrap().unwrap();
    assert_eq!(worker.input.employer, "笔记本再改的单位");
    assert_eq!(worker.version, 3);
}
