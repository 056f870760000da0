//! The test cluster's databases, laptops made with the real binary, and batch surgery.

use crate::support::batch::*;
use crate::support::bin::jingong;
use jingong::store::Store;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A database of its own on the test cluster, dropped at the end.
pub(crate) struct CityDb {
    admin: String,
    name: String,
    pub(crate) conninfo: String,
}

impl CityDb {
    pub(crate) fn new() -> Option<CityDb> {
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

    pub(crate) fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.conninfo, postgres::NoTls).expect("connect")
    }

    pub(crate) fn city(&self, dir: &Path, args: &[&str]) -> std::process::Output {
        let mut cmd = jingong(&dir.join("unused.db"));
        cmd.arg("city").arg(args[0]).arg("--pg").arg(&self.conninfo);
        cmd.args(&args[1..]);
        cmd.output().expect("runs")
    }

    pub(crate) fn init(&self, dir: &Path) {
        let out = self.city(dir, &["init"]);
        assert!(out.status.success(), "{}", stderr_text(&out));
    }

    /// `city ingest` of `batches` as a child process, its output piped or dropped: for tests
    /// that run ingesters at once, or kill or hold one.
    pub(crate) fn spawn_ingester(
        &self,
        dir: &Path,
        batches: &[&Path],
        output: fn() -> std::process::Stdio,
    ) -> std::process::Child {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("jingong"))
            .env("JINGONG_DATA_DIR", dir.join("data"))
            .args(["--lang", "en", "city", "ingest", "--pg", &self.conninfo])
            .args(batches)
            .stdout(output())
            .stderr(output())
            .spawn()
            .expect("ingester starts")
    }

    pub(crate) fn ingest(&self, dir: &Path, batches: &[&Path]) -> std::process::Output {
        let mut args = vec!["ingest"];
        let paths: Vec<String> = batches.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(|s| s.as_str()));
        self.city(dir, &args)
    }

    pub(crate) fn count(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).expect(sql).get(0)
    }

    /// Everything the merge decides, as comparable text: records (uid, version, content,
    /// person), persons (shown record) and conflicts. Arrival times and batch uids are left
    /// out: they depend on the order.
    pub(crate) fn dump(&self) -> Vec<String> {
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
        self.assert_rollups_match();
        out
    }

    /// The rollups `city stats` reads give the figures counted from the records themselves:
    /// whole months (read from the rollups alone) and odd periods (their odd days at either
    /// end read from the records), the city and its two largest
    /// districts. (`dump` checks it, so every test comparing cities checks it too.)
    pub(crate) fn assert_rollups_match(&self) {
        use jingong::city::stats::{compute, compute_by_scan};
        let mut client = self.client();
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let periods = [
            ("2000-01-01", "2099-12-31"),
            ("2026-01-01", "2026-12-31"),
            ("2026-11-01", "2026-11-30"),
            ("2025-06-01", "2026-02-28"),
            ("2026-03-15", "2026-11-20"),
            ("2026-11-02", "2026-11-29"),
            ("2026-10-31", "2026-12-01"),
        ];
        let mut districts: Vec<Option<String>> = vec![None];
        for row in client
            .query(
                "SELECT district_code FROM workers GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2",
                &[],
            )
            .unwrap()
        {
            districts.push(Some(row.get(0)));
        }
        for (from, to) in periods {
            for district in &districts {
                let (from, to) = (day(from), day(to));
                let today = day("2026-11-29");
                let fast = compute(&mut client, from, to, district.as_deref(), today).unwrap();
                let scan =
                    compute_by_scan(&mut client, from, to, district.as_deref(), today).unwrap();
                assert_eq!(fast, scan, "{from}..{to} {district:?}");
            }
        }
        // A rollup row the batches brought down to nothing is removed, not kept as zeros.
        for (table, count) in [
            ("stat_persons", "workers"),
            ("stat_service_month", "services"),
            ("stat_reach", "persons"),
        ] {
            let sql = format!("SELECT count(*) FROM {table} WHERE {count} = 0");
            let zero: i64 = client.query_one(&sql, &[]).unwrap().get(0);
            assert_eq!(zero, 0, "{table}");
        }
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
pub(crate) fn with_dbname(conninfo: &str, name: &str) -> String {
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

pub(crate) fn set_officer(db: &Path, name: &str, district: &str) {
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

pub(crate) fn add_worker(db: &Path, id_number: &str, phone: &str) -> String {
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

pub(crate) fn uid_of(batch: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(batch.join("manifest.json")).unwrap()).unwrap();
    manifest["batch_uid"].as_str().unwrap().to_string()
}

/// Two laptops, two batches each: A's second changes a worker and withdraws a service, B's
/// second registers someone new.
pub(crate) struct TwoLaptops {
    pub(crate) a1: PathBuf,
    pub(crate) a2: PathBuf,
    pub(crate) b1: PathBuf,
    pub(crate) b2: PathBuf,
    pub(crate) changed_worker: String,
    pub(crate) withdrawn_service: String,
}

pub(crate) fn two_laptops(dir: &Path) -> TwoLaptops {
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
        store
            .withdraw_service(&withdrawn_service, "录入有误", None)
            .unwrap();
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

pub(crate) fn db_has(db: &CityDb, batch: &Path) -> bool {
    db.count(&format!(
        "SELECT count(*) FROM batches WHERE batch_uid = '{}' AND status = 'applied'",
        uid_of(batch)
    )) == 1
}

pub(crate) fn status_json(db: &CityDb, dir: &Path) -> Vec<serde_json::Value> {
    let out = db.city(dir, &["status", "--json"]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Recomputes the manifest's sizes and hashes after a test changed a data file: the batch is
/// then whole, and only what the change means can refuse it.
pub(crate) fn rehash(batch: &Path) {
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

pub(crate) fn copy_batch(batch: &Path, to: &Path) -> PathBuf {
    let target = to.join(batch.file_name().unwrap());
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(batch).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
    }
    target
}
