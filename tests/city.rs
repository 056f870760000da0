//! The city side on a real PostgreSQL (`JINGONG_TEST_PG`, e.g. from `scripts/pg-dev`). Each
//! test makes its own database, so they run in parallel. Without `JINGONG_TEST_PG` they skip
//! with a note, except under `CI=true`, where they fail: CI must run them.
//!
//! Laptop batches are made by the real binary (`demo`, `worker add`, `export`), and ingested
//! by the real binary (`city ingest`).

mod common;

use common::*;
use jingong::store::Store;
use rusqlite::OptionalExtension;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A database of its own on the test cluster, dropped at the end.
struct CityDb {
    admin: String,
    name: String,
    conninfo: String,
}

impl CityDb {
    fn new() -> Option<CityDb> {
        let Ok(admin) = std::env::var("JINGONG_TEST_PG") else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("JINGONG_TEST_PG is not set: under CI the PostgreSQL tests must run");
            }
            eprintln!("note: JINGONG_TEST_PG is not set; PostgreSQL test skipped");
            return None;
        };
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "jingong_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst),
            uuid::Uuid::now_v7().simple()
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let conninfo = with_dbname(&admin, &name);
        Some(CityDb {
            admin,
            name,
            conninfo,
        })
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.conninfo, postgres::NoTls).expect("connect")
    }

    fn city(&self, dir: &Path, args: &[&str]) -> std::process::Output {
        let mut cmd = jingong(&dir.join("unused.db"));
        cmd.arg("city").arg(args[0]).arg("--pg").arg(&self.conninfo);
        cmd.args(&args[1..]);
        cmd.output().expect("runs")
    }

    fn init(&self, dir: &Path) {
        let out = self.city(dir, &["init"]);
        assert!(out.status.success(), "{}", stderr_of(&out));
    }

    fn ingest(&self, dir: &Path, batches: &[&Path]) -> std::process::Output {
        let mut args = vec!["ingest"];
        let paths: Vec<String> = batches.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(|s| s.as_str()));
        self.city(dir, &args)
    }

    fn count(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).expect(sql).get(0)
    }

    /// Everything the merge decides, as comparable text: records (uid, version, content,
    /// person), persons (shown record) and conflicts. Arrival times and batch uids are left
    /// out: they depend on the order.
    fn dump(&self) -> Vec<String> {
        let mut client = self.client();
        let queries = [
            "SELECT 'worker ' || w.uid || ' v' || w.version || ' ' || w.content_md5 || ' '
                    || coalesce(w.deleted_at, 'live') || ' ' || p.id_number
               FROM workers w JOIN persons p ON p.id = w.person_id ORDER BY w.uid",
            "SELECT 'event ' || uid || ' v' || version || ' ' || content_md5 FROM events ORDER BY uid",
            "SELECT 'service ' || uid || ' v' || version || ' ' || content_md5 || ' '
                    || coalesce(deleted_at, 'live') FROM services ORDER BY uid",
            "SELECT 'person ' || id_number || ' ' || coalesce(shown_uid::text, '-') || ' '
                    || records || ' ' || withdrawn FROM persons ORDER BY id_number",
            "SELECT 'conflict ' || kind || ' ' || pair_key || ' kept ' || kept_uid || ' '
                    || array_to_string(fields, ',') FROM conflicts ORDER BY pair_key",
        ];
        let mut out = Vec::new();
        for sql in queries {
            for row in client.query(sql, &[]).expect(sql) {
                out.push(row.get(0));
            }
        }
        out
    }
}

impl Drop for CityDb {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The same connection naming another database: key-value form gets a later `dbname`, a URL
/// its path replaced.
fn with_dbname(conninfo: &str, name: &str) -> String {
    match conninfo.split_once("://") {
        Some((scheme, rest)) => {
            let (authority_path, query) = match rest.split_once('?') {
                Some((a, q)) => (a, format!("?{q}")),
                None => (rest, String::new()),
            };
            let authority = authority_path.split('/').next().unwrap_or("");
            format!("{scheme}://{authority}/{name}{query}")
        }
        None => format!("{conninfo} dbname={name}"),
    }
}

fn set_officer(db: &Path, name: &str, district: &str) {
    jingong(db)
        .args([
            "officer",
            "set",
            "--name",
            name,
            "--org",
            "区总工会",
            "--district",
            district,
        ])
        .assert()
        .success();
}

fn add_worker(db: &Path, id_number: &str, phone: &str) -> String {
    jingong(db)
        .args([
            "worker",
            "add",
            "--name",
            "王强",
            "--id-number",
            id_number,
            "--phone",
            phone,
        ])
        .assert()
        .success();
    Store::open(db)
        .unwrap()
        .resolve_worker(id_number)
        .unwrap()
        .uid
}

fn uid_of(batch: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(batch.join("manifest.json")).unwrap()).unwrap();
    manifest["batch_uid"].as_str().unwrap().to_string()
}

/// Two laptops, two batches each: A's second changes a worker and withdraws a service, B's
/// second registers someone new.
struct TwoLaptops {
    a1: PathBuf,
    a2: PathBuf,
    b1: PathBuf,
    b2: PathBuf,
    changed_worker: String,
    withdrawn_service: String,
}

fn two_laptops(dir: &Path) -> TwoLaptops {
    let a = demo_db(dir, "a.db", 6, 1);
    let b = dir.join("b.db");
    set_officer(&b, "赵敏", "120103");
    jingong(&b)
        .args(["demo", "--workers", "5", "--seed", "7"])
        .assert()
        .success();
    let a1 = export(&a, &dir.join("out-a"), &[]);
    let b1 = export(&b, &dir.join("out-b"), &["--zip"]);
    let changed_worker = records(&a1, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let withdrawn_service = records(&a1, "services.jsonl")[1]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    {
        let mut store = Store::open(&a).unwrap();
        let mut input = store.worker_by_uid(&changed_worker).unwrap().unwrap().input;
        input.employer = "后来的单位".into();
        store.update_worker(&changed_worker, &input, None).unwrap();
        store.delete_service(&withdrawn_service).unwrap();
    }
    let a2 = export(&a, &dir.join("out-a"), &[]);
    add_worker(&b, "11010519491231002X", "13800138000");
    let b2 = export(&b, &dir.join("out-b"), &["--zip"]);
    TwoLaptops {
        a1,
        a2,
        b1,
        b2,
        changed_worker,
        withdrawn_service,
    }
}

#[test]
fn init_is_repeatable_and_a_newer_schema_is_refused() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    db.init(dir.path());
    let again = db.city(dir.path(), &["init"]);
    assert!(again.status.success());
    assert!(
        stdout_of(&again).contains("up to date"),
        "{}",
        stdout_of(&again)
    );

    // Before init, ingest says what to do.
    let other = CityDb::new().unwrap();
    let out = other.city(dir.path(), &["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("city init"), "{}", stderr_of(&out));

    db.client()
        .batch_execute("INSERT INTO schema_migrations (version) VALUES (99)")
        .unwrap();
    for args in [&["status"][..], &["init"][..]] {
        let out = db.city(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr_of(&out).contains("newer than this program"),
            "{}",
            stderr_of(&out)
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
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert!(stdout_of(&out).contains(": applied"), "{}", stdout_of(&out));
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
            assert!(out.status.success(), "{}", stderr_of(&out));
            let text = stdout_of(&out);
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
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(db.dump(), expected);
}

fn db_has(db: &CityDb, batch: &Path) -> bool {
    db.count(&format!(
        "SELECT count(*) FROM batches WHERE batch_uid = '{}' AND status = 'applied'",
        uid_of(batch)
    )) == 1
}

fn status_json(db: &CityDb, dir: &Path) -> Vec<serde_json::Value> {
    let out = db.city(dir, &["status", "--json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
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
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).contains("received before; nothing changed"),
        "{}",
        stdout_of(&out)
    );
    assert_eq!(db.dump(), before);
    assert_eq!(db.count("SELECT count(*) FROM batches"), 1);
    assert_eq!(
        db.count("SELECT count(*) FROM arrivals WHERE outcome = 'duplicate'"),
        1
    );
    assert_eq!(db.count("SELECT times_received::bigint FROM batches"), 2);
}

/// Recomputes the manifest's sizes and hashes after a test changed a data file: the batch is
/// then whole, and only what the change means can refuse it.
fn rehash(batch: &Path) {
    use sha2::{Digest, Sha256};
    let path = batch.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for file in manifest["files"].as_array_mut().unwrap() {
        let bytes = std::fs::read(batch.join(file["name"].as_str().unwrap())).unwrap();
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        file["bytes"] = bytes.len().into();
        file["sha256"] = hex.into();
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

fn copy_batch(batch: &Path, to: &Path) -> PathBuf {
    let target = to.join(batch.file_name().unwrap());
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(batch).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
    }
    target
}

#[test]
fn a_hostile_batch_is_refused_whole_and_the_chain_goes_on_behind_it() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 4, 5);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    jingong(&laptop)
        .args(["demo", "--workers", "3", "--seed", "6"])
        .assert()
        .success();
    let second = export(&laptop, &out, &[]);
    jingong(&laptop)
        .args(["demo", "--workers", "2", "--seed", "8"])
        .assert()
        .success();
    let third = export(&laptop, &out, &[]);
    db.init(dir.path());
    assert!(db.ingest(dir.path(), &[&first]).status.success());
    let before = db.dump();

    // A changed byte: the hash no longer matches. Refused, nothing written.
    let tampered = copy_batch(&second, &dir.path().join("tampered"));
    let text = std::fs::read_to_string(tampered.join("workers.jsonl")).unwrap();
    std::fs::write(
        tampered.join("workers.jsonl"),
        text.replacen("\"version\":1", "\"version\":9", 1),
    )
    .unwrap();
    let output = db.ingest(dir.path(), &[&tampered]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
    assert!(
        stdout_of(&output).contains("refused whole") && stdout_of(&output).contains("SHA-256"),
        "{}",
        stdout_of(&output)
    );
    assert_eq!(db.dump(), before);
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE status = 'refused'"),
        1
    );

    // The batch after it is not held behind it for ever.
    let output = db.ingest(dir.path(), &[&third]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains(": applied"),
        "{}",
        stdout_of(&output)
    );
    assert_eq!(db.count("SELECT count(*) FROM workers"), 4 + 2);
}

#[test]
fn a_batch_naming_a_worker_found_nowhere_is_refused_with_nothing_applied() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 3, 9);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let forged = copy_batch(&batch, &dir.path().join("forged"));
    let services = std::fs::read_to_string(forged.join("services.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(services.lines().next().unwrap()).unwrap();
    let worker = first["worker_uid"].as_str().unwrap();
    let stranger = "0190f000-0000-7000-8000-000000000001";
    std::fs::write(
        forged.join("services.jsonl"),
        services.replacen(worker, stranger, 1),
    )
    .unwrap();
    rehash(&forged);
    assert!(is_complete_batch(&forged), "only the reference is wrong");

    db.init(dir.path());
    let output = db.ingest(dir.path(), &[&forged]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout_of(&output);
    assert!(
        text.contains("services.jsonl:1") && text.contains(stranger),
        "{text}"
    );
    for table in ["workers", "events", "services", "persons"] {
        assert_eq!(
            db.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
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
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains("unchanged 1;"),
        "{}",
        stdout_of(&output)
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
        stdout_of(&out).contains("conflicts 1"),
        "{}",
        stdout_of(&out)
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
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).matches(": applied").count(), 2);
    assert_eq!(db.count("SELECT count(*) FROM workers"), 5);
    assert!(first.exists());
}

fn receipt_status(laptop: &Path, batch_uid: &str) -> Option<String> {
    rusqlite::Connection::open(laptop)
        .unwrap()
        .query_row(
            "SELECT status FROM batch_receipt WHERE batch_uid = ?1",
            [batch_uid],
            |r| r.get(0),
        )
        .optional()
        .unwrap()
}

fn keygen_output(dir: &Path, file: &Path) -> std::process::Output {
    jingong(&dir.join("unused.db"))
        .args(["city", "keygen", "--out"])
        .arg(file)
        .output()
        .unwrap()
}

fn keygen(dir: &Path, file: &Path) -> String {
    let out = keygen_output(dir, file);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let public = stdout_of(&out).trim().to_string();
    assert_eq!(public.len(), 64, "{public}");
    public
}

#[test]
fn receipts_are_signed_and_the_laptop_accepts_only_its_own_from_the_city_key() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    db.init(d);
    let key_file = d.join("city.key");
    let public = keygen(d, &key_file);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never over an existing key.
    let again = keygen_output(d, &key_file);
    assert_eq!(again.status.code(), Some(1));

    let laptop = demo_db(d, "a.db", 3, 21);
    let out = d.join("out");
    let first = export(&laptop, &out, &[]);
    jingong(&laptop)
        .args(["demo", "--workers", "2", "--seed", "22"])
        .assert()
        .success();
    let second = export(&laptop, &out, &[]);
    let damaged = copy_batch(&second, &d.join("damaged"));
    let text = std::fs::read_to_string(damaged.join("workers.jsonl")).unwrap();
    std::fs::write(
        damaged.join("workers.jsonl"),
        text.replacen("\"version\":1", "\"version\":7", 1),
    )
    .unwrap();

    let receipts = d.join("receipts");
    let ingest = |batch: &Path, key: &Path| {
        db.city(
            d,
            &[
                "ingest",
                "--receipts",
                &receipts.display().to_string(),
                "--key",
                &key.display().to_string(),
                &batch.display().to_string(),
            ],
        )
    };
    assert!(ingest(&first, &key_file).status.success());
    assert_eq!(ingest(&damaged, &key_file).status.code(), Some(1));
    let receipt_of = |batch: &Path| receipts.join(format!("receipt-{}.json", uid_of(batch)));

    // Without the city key set, nothing is accepted.
    let import = |files: &[&Path]| {
        let mut cmd = jingong(&laptop);
        cmd.args(["import", "receipt"]);
        for f in files {
            cmd.arg(f);
        }
        cmd.output().unwrap()
    };
    let output = import(&[&receipt_of(&first)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("no city key"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(receipt_status(&laptop, &uid_of(&first)), None);

    jingong(&laptop)
        .args(["officer", "set", "--city-key", &public])
        .assert()
        .success();
    let output = import(&[&receipt_of(&first), &receipt_of(&damaged)]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let text = stdout_of(&output);
    assert!(text.contains("received (applied 3 workers"), "{text}");
    assert!(
        text.contains("returned") && text.contains("SHA-256"),
        "{text}"
    );
    assert_eq!(
        receipt_status(&laptop, &uid_of(&first)).as_deref(),
        Some("received")
    );
    assert_eq!(
        receipt_status(&laptop, &uid_of(&second)).as_deref(),
        Some("returned")
    );

    // A forged count breaks the signature; the batch keeps its status.
    let forged = d.join("forged.json");
    let body = std::fs::read_to_string(receipt_of(&first)).unwrap();
    assert!(body.contains("\"workers\": 3"));
    std::fs::write(
        &forged,
        body.replacen("\"workers\": 3", "\"workers\": 30", 1),
    )
    .unwrap();
    let output = import(&[&forged]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("signature does not match"),
        "{}",
        stderr_of(&output)
    );

    // Signed by another key: refused, even for a real batch.
    let other_key = d.join("other.key");
    keygen(d, &other_key);
    let other_receipts = d.join("other");
    let out = db.city(
        d,
        &[
            "ingest",
            "--receipts",
            &other_receipts.display().to_string(),
            "--key",
            &other_key.display().to_string(),
            &first.display().to_string(),
        ],
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    let output = import(&[&other_receipts.join(format!("receipt-{}.json", uid_of(&first)))]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("not a city key"),
        "{}",
        stderr_of(&output)
    );

    // A true receipt for another laptop's batch: refused here.
    let stranger = demo_db(d, "b.db", 2, 23);
    let theirs = export(&stranger, &d.join("out-b"), &[]);
    assert!(ingest(&theirs, &key_file).status.success());
    let output = import(&[&receipt_of(&theirs)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("did not export"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(
        receipt_status(&laptop, &uid_of(&first)).as_deref(),
        Some("received")
    );
}

#[test]
fn four_ingesters_at_once_apply_every_version_once_as_one_ingester_does() {
    let Some(parallel) = CityDb::new() else {
        return;
    };
    let serial = CityDb::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Laptops 0 and 1 share their demo people (same seed): the persons are locked across
    // devices while both write.
    let mut chains = Vec::new();
    for (i, seed) in [31, 31, 32, 33].into_iter().enumerate() {
        let laptop = demo_db(d, &format!("l{i}.db"), 30, seed);
        let out = d.join(format!("out{i}"));
        let first = export(&laptop, &out, &[]);
        jingong(&laptop)
            .args([
                "demo",
                "--workers",
                "10",
                "--seed",
                &(seed + 100).to_string(),
            ])
            .assert()
            .success();
        let second = export(&laptop, &out, &[]);
        chains.push((first, second));
    }
    serial.init(d);
    for (first, second) in &chains {
        assert!(serial.ingest(d, &[first, second]).status.success());
    }
    parallel.init(d);
    let children: Vec<std::process::Child> = chains
        .iter()
        .map(|(first, second)| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("jingong"));
            cmd.env("JINGONG_DATA_DIR", d.join("data"))
                .args(["--lang", "en", "city", "ingest", "--pg", &parallel.conninfo])
                // Newest first in every process: each holds, then releases.
                .arg(second)
                .arg(first)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        assert_eq!(
            stdout_of(&out).matches(": applied").count(),
            2,
            "{}",
            stdout_of(&out)
        );
    }
    assert_eq!(parallel.dump(), serial.dump());
    assert_eq!(parallel.count("SELECT count(*) FROM workers"), 4 * 40);
    assert!(parallel.count("SELECT count(*) FROM persons WHERE records = 2") >= 30);
}

fn laptop_stats(db: &Path) -> serde_json::Value {
    let out = jingong(db)
        .args([
            "stats",
            "--json",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The figures `city stats` shares with `jingong stats`, by JSON path.
const SHARED_FIGURES: &[&str] = &[
    "/workers",
    "/members",
    "/joined_here",
    "/hardship",
    "/services",
    "/health/checks",
    "/health/referred",
    "/legal/open_cases",
    "/legal/cases_in_period",
    "/legal/claimed_fen",
    "/legal/recovered_fen",
    "/reach/served",
    "/reach/registered",
];

#[test]
fn city_stats_are_the_sums_of_the_laptops_and_count_a_shared_person_once() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = demo_db(d, "a.db", 40, 51);
    let b = dir.path().join("b.db");
    set_officer(&b, "赵敏", "120103");
    jingong(&b)
        .args(["demo", "--workers", "30", "--seed", "52"])
        .assert()
        .success();
    // A withdrawn worker and a withdrawn service count nowhere.
    let first_a = export(&a, &d.join("out-a"), &[]);
    {
        let mut store = Store::open(&a).unwrap();
        let worker = records(&first_a, "workers.jsonl")[3]["uid"]
            .as_str()
            .unwrap()
            .to_string();
        store.delete_worker(&worker).unwrap();
        let service = records(&first_a, "services.jsonl")[10]["uid"]
            .as_str()
            .unwrap()
            .to_string();
        store.delete_service(&service).unwrap();
    }
    let second_a = export(&a, &d.join("out-a"), &[]);
    let batch_b = export(&b, &d.join("out-b"), &[]);
    db.init(d);
    assert!(
        db.ingest(d, &[&first_a, &second_a, &batch_b])
            .status
            .success()
    );

    let city_stats = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "stats",
            "--json",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
        ];
        args.extend_from_slice(extra);
        let out = db.city(d, &args);
        assert!(out.status.success(), "{}", stderr_of(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (sa, sb, city) = (laptop_stats(&a), laptop_stats(&b), city_stats(&[]));
    assert!(sa["services"].as_i64().unwrap() > 0);
    for path in SHARED_FIGURES {
        let sum = sa.pointer(path).unwrap().as_i64().unwrap()
            + sb.pointer(path).unwrap().as_i64().unwrap();
        assert_eq!(city.pointer(path).unwrap().as_i64(), Some(sum), "{path}");
    }
    for (kind, count) in city["services_by_kind"].as_object().unwrap() {
        let sum = sa["services_by_kind"][kind].as_i64().unwrap_or(0)
            + sb["services_by_kind"][kind].as_i64().unwrap_or(0);
        assert_eq!(count.as_i64(), Some(sum), "{kind}");
    }
    assert_eq!(city["merged_records"], 0);

    // One district (that of laptop B's first worker): the same sums for that district.
    let district = records(&batch_b, "workers.jsonl")[0]["district_code"]
        .as_str()
        .unwrap()
        .to_string();
    let by_district = |db_path: &Path| -> serde_json::Value {
        let out = jingong(db_path)
            .args([
                "stats",
                "--json",
                "--from",
                "2000-01-01",
                "--to",
                "2099-12-31",
                "--district",
                &district,
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (da, dbb) = (by_district(&a), by_district(&b));
    let city_d = city_stats(&["--district", &district]);
    assert!(city_d["workers"].as_i64().unwrap() > 0);
    assert!(city_d["workers"].as_i64() < city["workers"].as_i64());
    for path in SHARED_FIGURES {
        let sum = da.pointer(path).unwrap().as_i64().unwrap()
            + dbb.pointer(path).unwrap().as_i64().unwrap();
        assert_eq!(
            city_d.pointer(path).unwrap().as_i64(),
            Some(sum),
            "{district} {path}"
        );
    }

    // A third laptop registering laptop A's people again: each is one person, their services
    // all count, and the figure says how many records were merged.
    let c = demo_db(d, "c.db", 40, 51);
    let batch_c = export(&c, &d.join("out-c"), &[]);
    assert!(db.ingest(d, &[&batch_c]).status.success());
    let sc = laptop_stats(&c);
    let merged = city_stats(&[]);
    // The person laptop A withdrew is live again through C's record, with the services of
    // both records (merge rule, step 4).
    assert_eq!(
        merged["workers"].as_i64().unwrap(),
        city["workers"].as_i64().unwrap() + 1
    );
    let of_withdrawn_record = db.count(
        "SELECT count(*) FROM services s JOIN workers w ON w.uid = s.worker_uid
          WHERE w.deleted_at IS NOT NULL AND s.deleted_at IS NULL",
    );
    assert!(of_withdrawn_record > 0);
    assert_eq!(
        merged["services"].as_i64().unwrap(),
        city["services"].as_i64().unwrap() + sc["services"].as_i64().unwrap() + of_withdrawn_record
    );
    // Laptop A withdrew one of these people; C's record keeps them live and is not merged.
    assert_eq!(
        merged["merged_records"].as_i64().unwrap(),
        sc["workers"].as_i64().unwrap() - 1
    );
}

#[test]
fn a_value_the_database_cannot_hold_refuses_the_batch_with_nothing_applied() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 3, 61);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    // A NUL character (valid JSON, refused by PostgreSQL's text) in the last worker's note.
    let hostile = copy_batch(&batch, &dir.path().join("hostile"));
    let text = std::fs::read_to_string(hostile.join("workers.jsonl")).unwrap();
    let at = text.rfind("\"note\":\"").unwrap() + "\"note\":\"".len();
    let text = format!("{}\\u0000{}", &text[..at], &text[at..]);
    std::fs::write(hostile.join("workers.jsonl"), text).unwrap();
    rehash(&hostile);
    assert!(is_complete_batch(&hostile));

    db.init(dir.path());
    let output = db.ingest(dir.path(), &[&hostile]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
    assert!(
        stdout_of(&output).contains("refused whole"),
        "{}",
        stdout_of(&output)
    );
    for table in ["workers", "events", "services", "persons", "conflicts"] {
        assert_eq!(
            db.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE status = 'refused'"),
        1
    );
}

/// Batches, records, persons and conflicts at once: what a killed ingester may leave.
fn settled(db: &CityDb) -> (i64, i64, i64, i64, i64) {
    (
        db.count("SELECT count(*) FROM batches"),
        db.count("SELECT count(*) FROM workers"),
        db.count("SELECT count(*) FROM services"),
        db.count("SELECT count(*) FROM persons"),
        db.count("SELECT count(*) FROM devices"),
    )
}

#[test]
fn an_ingester_killed_at_any_moment_leaves_the_batch_unapplied_or_whole() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let laptop = demo_db(d, "a.db", 1500, 71);
    let batch = export(&laptop, &d.join("out"), &[]);
    db.init(d);
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("jingong"))
            .env("JINGONG_DATA_DIR", d.join("data"))
            .args(["--lang", "en", "city", "ingest", "--pg", &db.conninfo])
            .arg(&batch)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let reset = || {
        db.client()
            .batch_execute(
                "TRUNCATE receipts, conflicts, arrivals, batches, services, events, workers,
                          persons, devices",
            )
            .unwrap();
    };
    let started = std::time::Instant::now();
    assert!(spawn().wait().unwrap().success());
    let whole = settled(&db);
    assert_eq!(whole, (1, 1500, 4500, 1500, 1));
    let span = started.elapsed().as_millis() as u64 + 1;
    reset();

    // 30 kills spread over one and a half runs (a run's length varies with the machine's
    // load), each shifted by a fixed pseudo-random jitter.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut before, mut after) = (0, 0);
    for i in 0..30u64 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = span * i / 20 + (seed >> 33) % (span / 20 + 1);
        let mut child = spawn();
        std::thread::sleep(std::time::Duration::from_millis(at));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let state = settled(&db);
        if state == whole {
            after += 1;
            reset();
        } else {
            assert_eq!(state, (0, 0, 0, 0, 0), "kill {i} at {at} ms left a part");
            before += 1;
        }
    }
    // The batch still goes in whole after all that.
    assert!(spawn().wait().unwrap().success());
    assert_eq!(settled(&db), whole);
    eprintln!("killed 30 times: {before} left nothing, {after} left the batch whole");
}
