//! `city stats` against the laptops' own `stats`.

use super::cluster::*;
use crate::support::batch::*;
use crate::support::bin::jingong;
use jingong::store::Store;
use std::path::Path;

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
    assert!(out.status.success(), "{}", stderr_text(&out));
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
        store.withdraw_worker(&worker, "录入有误", None).unwrap();
        let service = records(&first_a, "services.jsonl")[10]["uid"]
            .as_str()
            .unwrap()
            .to_string();
        store.withdraw_service(&service, "录入有误", None).unwrap();
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
        assert!(out.status.success(), "{}", stderr_text(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    db.assert_rollups_match();
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
    db.assert_rollups_match();
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
fn a_city_database_of_schema_1_gets_its_rollups_filled_from_its_records_by_init() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = demo_db(d, "a.db", 30, 61);
    let batch = export(&a, &d.join("out"), &[]);
    db.init(d);
    assert!(db.ingest(d, &[&batch]).status.success());
    let year = |db: &CityDb| -> serde_json::Value {
        let out = db.city(
            d,
            &[
                "stats",
                "--json",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
            ],
        );
        assert!(out.status.success(), "{}", stderr_text(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let before = year(&db);
    assert!(before["services"].as_i64().unwrap() > 0);
    // Back to schema 1: the data without the rollups.
    db.client()
        .batch_execute(
            "DROP TABLE stat_persons, stat_service_day, stat_reach;
             DROP INDEX services_follows;
             DELETE FROM schema_migrations WHERE version = 2;",
        )
        .unwrap();
    assert!(!db.city(d, &["stats"]).status.success());
    db.init(d);
    assert_eq!(year(&db), before);
    db.assert_rollups_match();
}
