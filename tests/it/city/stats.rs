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
    "/new_workers/workers",
    "/new_workers/members",
    "/new_workers/joined_here",
    "/new_workers/hardship",
    "/money/total_fen",
    "/hardship_unserved/total",
];

/// Each month of the series at `path` (the twelve months ending today) is the laptops' sum.
fn assert_series_sums(
    city: &serde_json::Value,
    laptops: &[&serde_json::Value],
    path: &str,
    field: &str,
) {
    let series = city.pointer(path).unwrap().as_array().unwrap();
    assert_eq!(series.len(), 12, "{path}");
    for (i, month) in series.iter().enumerate() {
        let sum: i64 = laptops
            .iter()
            .map(|l| {
                let theirs = &l.pointer(path).unwrap()[i];
                assert_eq!(theirs["month"], month["month"], "{path}");
                theirs[field].as_i64().unwrap()
            })
            .sum();
        assert_eq!(
            month[field].as_i64(),
            Some(sum),
            "{path} {}",
            month["month"]
        );
    }
}

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
    assert_eq!(city["records"], city["workers"]);
    assert_series_sums(&city, &[&sa, &sb], "/services_by_month", "count");
    assert_series_sums(&city, &[&sa, &sb], "/new_workers_by_month", "count");
    assert_series_sums(&city, &[&sa, &sb], "/money/by_month", "amount_fen");
    assert!(
        city["services_by_month"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["count"].as_i64() > Some(0)),
        "the series has services to compare"
    );
    assert!(city["money"]["total_fen"].as_i64().unwrap() > 0);
    let kinds_with_money = city["money"]["by_kind_fen"].as_object().unwrap();
    let laptop_kinds = |s: &serde_json::Value| {
        s["money"]["by_kind_fen"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    for kind in laptop_kinds(&sa).iter().chain(laptop_kinds(&sb).iter()) {
        let sum = sa["money"]["by_kind_fen"][kind].as_i64().unwrap_or(0)
            + sb["money"]["by_kind_fen"][kind].as_i64().unwrap_or(0);
        assert_eq!(kinds_with_money[kind].as_i64(), Some(sum), "money {kind}");
    }
    assert_eq!(
        kinds_with_money
            .values()
            .map(|v| v.as_i64().unwrap())
            .sum::<i64>(),
        city["money"]["total_fen"].as_i64().unwrap()
    );
    // The districts add up to the whole.
    let districts = city["by_district"].as_array().unwrap();
    for (figure, total) in [
        ("workers", "/workers"),
        ("services", "/services"),
        ("amount_fen", "/money/total_fen"),
    ] {
        let sum: i64 = districts.iter().map(|d| d[figure].as_i64().unwrap()).sum();
        assert_eq!(Some(sum), city.pointer(total).unwrap().as_i64(), "{figure}");
    }

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
    let row = districts
        .iter()
        .find(|d| d["district_code"] == district.as_str())
        .unwrap();
    assert_eq!(row["workers"], city_d["workers"]);
    assert_eq!(row["services"], city_d["services"]);
    assert_eq!(row["amount_fen"], city_d["money"]["total_fen"]);
    assert_series_sums(&city_d, &[&da, &dbb], "/services_by_month", "count");
    assert_series_sums(&city_d, &[&da, &dbb], "/money/by_month", "amount_fen");
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
    // People vs records: every live record counts as a record, each person once.
    assert_eq!(
        merged["records"].as_i64().unwrap(),
        sa["workers"].as_i64().unwrap()
            + sb["workers"].as_i64().unwrap()
            + sc["workers"].as_i64().unwrap()
    );
    // The table says the same.
    let out = db.city(d, &["stats", "--from", "2000-01-01", "--to", "2099-12-31"]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    let table = stdout_text(&out);
    let line = |label: &str| {
        table
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label} in {table}"))
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        line("records merged into a person"),
        merged["merged_records"].to_string()
    );
    assert_eq!(line("worker records"), merged["records"].to_string());
    assert_eq!(line("workers (persons)"), merged["workers"].to_string());
}

/// Back to an older schema (the rollups of the versions after it dropped), `city stats`
/// refuses it, and `init` fills the rollups from the records: the same year as before.
fn init_refills_rollups_from(older: &str) {
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
    assert!(before["new_workers"]["workers"].as_i64().unwrap() > 0);
    assert!(before["money"]["total_fen"].as_i64().unwrap() > 0);
    db.client().batch_execute(older).unwrap();
    assert!(!db.city(d, &["stats"]).status.success());
    db.init(d);
    assert_eq!(year(&db), before);
    db.assert_rollups_match();
}

#[test]
fn a_city_database_of_schema_3_gets_its_rollups_filled_from_its_records_by_init() {
    init_refills_rollups_from(
        "DROP TABLE stat_persons, stat_service_month, stat_reach, stat_registered;
         DROP INDEX services_follows, workers_erased;
         CREATE INDEX workers_id_number ON workers (id_number);
         DELETE FROM schema_migrations WHERE version IN (4, 5, 6, 7);",
    );
}

#[test]
fn a_city_database_of_schema_4_gets_the_series_rollups_filled_by_init() {
    init_refills_rollups_from(&format!(
        "DROP TABLE stat_registered, stat_service_month;
             {SERVICE_DAY_OF_SCHEMA_4}
             ALTER TABLE stat_reach DROP COLUMN hardship_persons;
             TRUNCATE stat_persons, stat_reach;
             DROP INDEX workers_erased;
             CREATE INDEX workers_id_number ON workers (id_number);
             DELETE FROM schema_migrations WHERE version IN (5, 6, 7);"
    ));
}

/// The services rollup as migration 4 made it (by day), empty.
const SERVICE_DAY_OF_SCHEMA_4: &str = "CREATE TABLE stat_service_day (
    served_on date NOT NULL, kind text NOT NULL, district_code text NOT NULL,
    services bigint NOT NULL, referred bigint NOT NULL, legal_cases bigint NOT NULL,
    open_cases bigint NOT NULL, claimed_fen bigint NOT NULL, recovered_fen bigint NOT NULL,
    PRIMARY KEY (served_on, kind, district_code));";

#[test]
fn a_city_database_of_schema_6_gets_its_services_rollup_by_month_filled_by_init() {
    // Migration 7 replaced the services by day with services by month: init drops the one
    // (whatever it held) and fills the other from the records.
    init_refills_rollups_from(&format!(
        "DROP TABLE stat_service_month;
         {SERVICE_DAY_OF_SCHEMA_4}
         ALTER TABLE stat_service_day ADD COLUMN amount_fen bigint NOT NULL DEFAULT 0;
         INSERT INTO stat_service_day VALUES ('2026-01-05', 'health_check', '120101',
                                             7, 1, 0, 0, 0, 0, 0);
         DELETE FROM schema_migrations WHERE version = 7;"
    ));
}

#[test]
fn registrations_over_several_months_read_from_the_rollups_as_from_the_records() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Two laptops registering on days that sit on the edges of the periods compared
    // (`assert_rollups_match` compares 2026-03-15..2026-11-20 and 2026-11-02..2026-11-29 too).
    let laptops = [
        ("a.db", "120101", "2026-03-15T09:00:00.000+08:00", 20, "7"),
        ("b.db", "120103", "2026-11-02T23:59:59.000+08:00", 12, "8"),
    ];
    let mut batches = Vec::new();
    for (name, district, now, workers, seed) in laptops {
        let laptop = d.join(name);
        set_officer(&laptop, "赵敏", district);
        jingong(&laptop)
            .env("JINGONG_NOW", now)
            .args(["demo", "--workers", &workers.to_string(), "--seed", seed])
            .assert()
            .success();
        batches.push(export(&laptop, &d.join(format!("out-{name}")), &[]));
    }
    db.init(d);
    let paths: Vec<&Path> = batches.iter().map(|b| b.as_path()).collect();
    assert!(db.ingest(d, &paths).status.success());
    db.assert_rollups_match();

    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut client = db.client();
    let stats = |client: &mut postgres::Client, from: &str, to: &str, district: Option<&str>| {
        jingong::city::stats::compute(client, day(from), day(to), district, day("2026-11-29"))
            .unwrap()
    };
    let march = stats(&mut client, "2026-03-01", "2026-03-31", None);
    assert_eq!(march.new_workers.workers, 20);
    let from_the_15th = stats(&mut client, "2026-03-15", "2026-11-02", None);
    assert_eq!(from_the_15th.new_workers.workers, 32);
    let to_the_14th = stats(&mut client, "2026-01-01", "2026-03-14", None);
    assert_eq!(to_the_14th.new_workers.workers, 0);
    let year = stats(&mut client, "2026-01-01", "2026-12-31", None);
    assert_eq!(year.new_workers.workers, 32);
    let by_month: std::collections::HashMap<_, _> = year
        .new_workers_by_month
        .iter()
        .map(|m| (m.month.as_str(), m.count))
        .collect();
    assert_eq!(by_month["2026-11"], 12);
    assert_eq!(by_month["2026-03"], 20);
    assert_eq!(by_month["2026-04"], 0);
}

/// A legal-aid case counts once, by its latest visit: a follow-up in the same batch as the
/// first visit (a district's batch of new workers, whose figures the ingest reads from the
/// staged rows) and a follow-up in a later batch give the laptop's figures at every step.
#[test]
fn legal_aid_follow_ups_in_the_same_batch_or_a_later_one_count_each_case_once() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let laptop = demo_db(d, "a.db", 2, 91);
    let visit = |worker: &str, on: &str, status: &str, money: &[&str], follows: &str| {
        let out = jingong(&laptop)
            .args(["service", "add", "--worker", worker, "--kind", "legal_aid"])
            .args(["--on", on, "--category", "wage_arrears", "--status", status])
            .args(money)
            .args(["--follows", follows])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_text(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let settled = jingong::domain::idcard::with_check_digit("12010319880302013");
    let pending = jingong::domain::idcard::with_check_digit("12010319900415022");
    let settled = add_worker(&laptop, &settled, "13800138001");
    let pending = add_worker(&laptop, &pending, "13800138002");
    let opened = visit(&settled, "2026-03-01", "open", &["--claimed", "1000"], "");
    visit(
        &settled,
        "2026-03-10",
        "resolved",
        &["--recovered", "800"],
        &opened,
    );
    let waiting = visit(&pending, "2026-04-01", "open", &["--claimed", "500"], "");
    let first = export(&laptop, &d.join("out"), &[]);
    visit(
        &pending,
        "2026-04-20",
        "mediating",
        &["--claimed", "500"],
        &waiting,
    );
    let second = export(&laptop, &d.join("out"), &[]);

    db.init(d);
    let legal = |json: &serde_json::Value| {
        [
            "/legal/open_cases",
            "/legal/cases_in_period",
            "/legal/claimed_fen",
            "/legal/recovered_fen",
        ]
        .map(|path| json.pointer(path).and_then(|v| v.as_i64()))
    };
    let city_legal = || {
        let out = db.city(
            d,
            &[
                "stats",
                "--json",
                "--from",
                "2000-01-01",
                "--to",
                "2099-12-31",
            ],
        );
        assert!(out.status.success(), "{}", stderr_text(&out));
        legal(&serde_json::from_slice(&out.stdout).unwrap())
    };
    assert!(db.ingest(d, &[&first]).status.success());
    db.assert_rollups_match();
    let after_first = city_legal();
    assert!(after_first[1].unwrap() >= 2, "{after_first:?}");
    assert!(db.ingest(d, &[&second]).status.success());
    db.assert_rollups_match();
    assert_eq!(city_legal(), legal(&laptop_stats(&laptop)));
    // The second batch only followed a case up: no case more, the same one now mediating.
    assert_eq!(city_legal()[1], after_first[1]);
}
