//! Export, verify and round trip, as issue 5's "Must show" states them.

use crate::support::batch::*;
use crate::support::bin::jingong;
use jingong::store::Store;
use std::path::Path;

#[test]
fn round_trip_demo_export_verify_import_gives_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_db(dir.path(), "laptop.db", 120, 7);
    let out = dir.path().join("out");
    let batch = export(&source, &out, &[]);
    jingong(&source)
        .arg("verify")
        .arg(&batch)
        .assert()
        .success();

    let target = dir.path().join("district.db");
    jingong(&target)
        .arg("import")
        .arg("batch")
        .arg(&batch)
        .assert()
        .success();
    let before = dump(&source);
    assert_eq!(
        before.len(),
        120 + 360 + 1,
        "workers, services and one event"
    );
    assert_eq!(before, dump(&target), "same records, fields and versions");

    // Merged rows keep their origin, and arrive already exported.
    let source_device = Store::open(&source).unwrap().device_id().unwrap();
    let conn = rusqlite::Connection::open(&target).unwrap();
    let foreign: i64 = conn
        .query_row(
            "SELECT count(*) FROM worker WHERE origin_device = ?1 AND exported_version = version",
            [&source_device],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(foreign, 120);
    jingong(&target)
        .args(["export", "--out"])
        .arg(dir.path().join("out2"))
        .assert()
        .success()
        .stderr(predicates::str::contains("nothing new"));
}

#[test]
fn nothing_new_writes_nothing_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 5, 1);
    let out = dir.path().join("out");
    export(&db, &out, &[]);
    let output = jingong(&db)
        .arg("export")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(stdout_text(&output).is_empty());
    assert!(stderr_text(&output).contains("nothing new"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn after_editing_one_worker_and_deleting_one_service_the_next_batch_holds_exactly_those() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 30, 3);
    let out = dir.path().join("out");
    let first = export(&db, &out, &[]);
    let worker_uid = records(&first, "workers.jsonl")[4]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let service_uid = records(&first, "services.jsonl")[10]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    {
        let mut store = Store::open(&db).unwrap();
        let mut input = store.worker_by_uid(&worker_uid).unwrap().unwrap().input;
        input.employer = "新单位".into();
        store.update_worker(&worker_uid, &input, Some(1)).unwrap();
        store
            .withdraw_service(&service_uid, "录入有误", None)
            .unwrap();
    }
    let second = export(&db, &out, &[]);
    assert_ne!(first, second);
    let workers = records(&second, "workers.jsonl");
    let services = records(&second, "services.jsonl");
    assert!(records(&second, "events.jsonl").is_empty());
    assert_eq!(workers.len(), 1);
    assert_eq!(workers[0]["uid"], worker_uid.as_str());
    assert_eq!(workers[0]["version"], 2);
    assert_eq!(workers[0]["op"], "upsert");
    assert_eq!(workers[0]["employer"], "新单位");
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["uid"], service_uid.as_str());
    assert_eq!(services[0]["version"], 2);
    assert_eq!(services[0]["op"], "delete");
    assert!(services[0]["deleted_at"].is_string());

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(second.join("manifest.json")).unwrap()).unwrap();
    let first_manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(first.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["previous_batch_uid"], first_manifest["batch_uid"]);
    assert!(first_manifest["previous_batch_uid"].is_null());
    // The service's worker went out in the first batch: verify finds it there.
    jingong(&db).arg("verify").arg(&second).assert().success();
}

#[test]
fn manifest_carries_the_format_fields_and_the_records_carry_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 10, 2);
    let batch = export(&db, &dir.path().join("out"), &[]);
    let name = batch.file_name().unwrap().to_string_lossy().into_owned();
    let device = Store::open(&db).unwrap().device_id().unwrap();
    let tag: String = device.replace('-', "")[24..].to_string();
    assert!(
        name.starts_with(&format!("jingong-120101-{tag}-")),
        "{name}"
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(batch.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["format"], "jingong-batch");
    assert_eq!(m["format_version"], 3);
    assert_eq!(m["device_id"], device.as_str());
    assert_eq!(m["officer"]["name"], "李明");
    assert_eq!(m["officer"]["district_code"], "120101");
    assert!(m["created_at"].as_str().unwrap().ends_with("+08:00"));
    assert_eq!(m["schema_version"], jingong::store::schema::LATEST);
    let files = m["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    assert_eq!(files[0]["records"], 10);
    assert_eq!(files[0]["sha256"].as_str().unwrap().len(), 64);
    let w = &records(&batch, "workers.jsonl")[0];
    assert_eq!(w["origin_device_id"], device.as_str());
    assert_eq!(w["officer"]["organisation"], "和平区总工会");
    assert_eq!(w["id_number"].as_str().unwrap().len(), 18);
    let services = records(&batch, "services.jsonl");
    assert!(services.iter().all(|s| s["worker_uid"].is_string()));
    assert!(services.iter().all(|s| s["amount_fen"].is_i64()));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn batch_files_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 10, 4);
    let out = dir.path().join("out");
    let folder = export(&db, &out, &["--csv", "--xlsx"]);
    assert_eq!(mode(&out), 0o700);
    assert_eq!(mode(&folder), 0o700);
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 12, "{names:?}");
    for name in names {
        assert_eq!(mode(&folder.join(&name)), 0o600, "{name}");
    }
    {
        let mut store = Store::open(&db).unwrap();
        let first = &records(&folder, "workers.jsonl")[0];
        store
            .withdraw_worker(first["uid"].as_str().unwrap(), "录入有误", None)
            .unwrap();
    }
    let zip = export(&db, &out, &["--zip"]);
    assert!(zip.extension().is_some_and(|e| e == "zip"));
    assert_eq!(mode(&zip), 0o600);
    jingong(&db).arg("verify").arg(&zip).assert().success();
}

#[test]
fn csv_copies_start_with_a_byte_order_mark_and_keep_chinese_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 8, 5);
    let batch = export(&db, &dir.path().join("out"), &["--csv", "--xlsx"]);
    let csv = std::fs::read(batch.join("workers.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(csv).unwrap();
    assert!(text.contains("姓名 name"));
    assert_eq!(text.lines().count(), 9);
    assert!(batch.join("review.xlsx").exists());
    jingong(&db).arg("verify").arg(&batch).assert().success();
}

#[test]
fn batches_lists_every_batch_with_counts_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 6, 6);
    let batch = export(&db, &dir.path().join("out"), &[]);
    let output = jingong(&db).args(["batches", "--json"]).output().unwrap();
    assert!(output.status.success());
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "complete");
    assert_eq!(list[0]["direction"], "exported");
    assert_eq!(list[0]["workers"], 6);
    assert_eq!(list[0]["services"], 18);
    assert_eq!(list[0]["path"], batch.to_string_lossy().as_ref());
}

#[test]
fn without_a_database_verify_follows_the_chain_of_earlier_batches_beside_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "a.db", 5, 8);
    let out = dir.path().join("out");
    let first = export(&db, &out, &[]);
    let service_uid = records(&first, "services.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    Store::open(&db)
        .unwrap()
        .withdraw_service(&service_uid, "录入有误", None)
        .unwrap();
    let second = export(&db, &out, &["--zip"]);
    // A database path that does not exist: only the batches beside it can resolve.
    let nowhere = dir.path().join("none.db");
    jingong(&nowhere)
        .arg("verify")
        .arg(&second)
        .assert()
        .success();
    std::fs::rename(&first, dir.path().join("moved-away")).unwrap();
    jingong(&nowhere)
        .arg("verify")
        .arg(&second)
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "services.jsonl:1: field worker_uid refers to",
        ));
}
