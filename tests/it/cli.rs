//! The scriptable CLI as an office script meets it: outputs, exit codes and messages.

use crate::support::bin::stdout_of;
use crate::support::fixture::TestDb;
use predicates::prelude::*;

// Valid synthetic numbers from tests/fixtures/id-numbers-valid.txt.
const ID_A: &str = "620102199708155206"; // 1997-08-15 female
const ID_B: &str = "120111200007156699"; // 2000-07-15 male

#[test]
fn officer_set_rejects_an_unknown_district_naming_the_field() {
    let t = TestDb::new();
    t.cmd()
        .args(["officer", "set", "--name", "李明", "--org", "和平区总工会"])
        .args(["--district", "999999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("所属区").and(predicate::str::contains("999999")));
    t.cmd()
        .args(["officer", "show"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("officer set"));
}

#[test]
fn writing_without_an_officer_says_how_to_set_one() {
    let t = TestDb::new();
    t.cmd()
        .args(["--lang", "en", "worker", "add", "--name", "张三"])
        .args(["--id-number", ID_A, "--phone", "13812345678"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("jingong officer set --name"));
}

#[test]
fn worker_add_prints_a_uid_and_show_masks_personal_data() {
    let t = TestDb::with_officer();
    let uid = t.add_worker("买买提·艾力", ID_A, "+86 138-1234-5678");
    assert_eq!(uid.len(), 36, "a UUID: {uid}");

    let shown = stdout_of(t.cmd().args(["worker", "show", ID_A]));
    assert!(shown.contains("买买提·艾力"), "{shown}");
    assert!(shown.contains("620102********5206"), "{shown}");
    assert!(shown.contains("138****5678"), "{shown}");
    assert!(!shown.contains(ID_A), "ID number must be masked: {shown}");
    assert!(
        shown.contains("女 29岁"),
        "gender and age at 2026-11-29: {shown}"
    );

    let revealed = stdout_of(t.cmd().args(["worker", "show", &uid, "--reveal"]));
    assert!(revealed.contains(ID_A), "{revealed}");
    assert!(revealed.contains("13812345678"), "{revealed}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(t.cmd().args(["worker", "show", &uid, "--json"])))
            .expect("json");
    assert_eq!(json["uid"], uid.as_str());
    assert_eq!(json["id_number"], "620102********5206");
    assert_eq!(json["gender"], "female");
    assert_eq!(json["birth_date"], "1997-08-15");
    assert_eq!(json["hometown_code"], "620102");
}

#[test]
fn a_registered_id_number_is_refused_naming_the_existing_worker() {
    let t = TestDb::with_officer();
    let uid = t.add_worker("张三", ID_A, "13812345678");
    // Lower-case, spaced spelling of the same number is the same person.
    t.cmd()
        .args(["worker", "add", "--name", "张叁", "--id-number"])
        .arg(" 6201 0219 9708 1552 06 ")
        .args(["--phone", "13912345678"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("张三").and(predicate::str::contains(uid.as_str())));
}

#[test]
fn invalid_input_exits_2_and_names_field_and_rule_in_both_languages() {
    let t = TestDb::with_officer();
    t.cmd()
        .args([
            "worker",
            "add",
            "--name",
            "张三",
            "--id-number",
            "620102199708155207",
        ])
        .args(["--phone", "13812345678"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("身份证号").and(predicate::str::contains("校验位")));
    t.cmd()
        .args(["--lang", "en", "worker", "add", "--name", "张3"])
        .args(["--id-number", ID_A, "--phone", "12812345678"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("name: only Chinese or Latin letters")
                .and(predicate::str::contains("phone: must be an 11-digit")),
        );
}

#[test]
fn an_old_15_digit_number_is_upgraded_with_a_notice() {
    let t = TestDb::with_officer();
    t.cmd()
        .args([
            "worker",
            "add",
            "--name",
            "王建国",
            "--id-number",
            "120101660919668",
        ])
        .args(["--phone", "13812345678"])
        .assert()
        .success()
        .stderr(predicate::str::contains("15 位"));
    let shown = stdout_of(
        t.cmd()
            .args(["worker", "show", "120101660919668", "--reveal"]),
    );
    assert!(shown.contains("12010119660919668"), "{shown}");
}

#[test]
fn usage_errors_exit_2_and_unknown_workers_exit_1() {
    let t = TestDb::with_officer();
    t.cmd().args(["worker", "add"]).assert().code(2);
    t.cmd().args(["no-such-command"]).assert().code(2);
    t.cmd()
        .args(["worker", "show", ID_B])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到"));
}

#[test]
fn service_add_logs_each_kind_with_its_own_rules() {
    let t = TestDb::with_officer();
    t.add_worker("曾盛", ID_B, "13812345678");
    // Health data needs the worker's separate consent.
    t.cmd()
        .args(["service", "add", "--worker", ID_B, "--kind", "health_check"])
        .args(["--bp", "120/80", "--glucose", "5.6"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("健康信息授权"));
    t.cmd()
        .args(["service", "add", "--worker", ID_B, "--kind", "health_check"])
        .args([
            "--bp",
            "120/80",
            "--glucose",
            "5.6",
            "--consent",
            "--referral",
        ])
        .args([
            "--provider",
            "天津市职工医院",
            "--follow-up-on",
            "2026-12-20",
        ])
        .assert()
        .success();
    let visit = stdout_of(
        t.cmd()
            .args(["service", "add", "--worker", ID_B, "--kind", "legal_aid"])
            .args(["--category", "wage_arrears", "--status", "mediating"])
            .args(["--claimed", "12000", "--description", "欠薪三个月"]),
    );
    let visit = visit.trim();
    t.cmd()
        .args(["service", "add", "--worker", ID_B, "--kind", "legal_aid"])
        .args(["--category", "wage_arrears", "--status", "resolved"])
        .args(["--recovered", "8000.5", "--follows", visit])
        .assert()
        .success();
    t.cmd()
        .args([
            "service",
            "add",
            "--worker",
            ID_B,
            "--kind",
            "winter_warmth",
        ])
        .args([
            "--amount",
            "500",
            "--on",
            "2026-11-20",
            "--place",
            "工地生活区",
        ])
        .assert()
        .success();
    t.cmd()
        .args(["service", "add", "--worker", ID_B, "--kind", "no_such_kind"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no_such_kind"));
    t.cmd()
        .args([
            "service",
            "add",
            "--worker",
            ID_B,
            "--kind",
            "job",
            "--on",
            "2027-01-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("不能晚于今天"));

    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        t.cmd().args(["worker", "show", ID_B, "--json", "--reveal"]),
    ))
    .expect("json");
    let services = json["services"].as_array().expect("services");
    assert_eq!(services.len(), 4);
    let kinds: Vec<&str> = services
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "legal_aid").count(), 2);
    let follow_up = services
        .iter()
        .find(|s| s["legal_aid"]["status"] == "resolved")
        .expect("follow-up visit");
    assert_eq!(follow_up["legal_aid"]["follows_uid"], visit);
    assert_eq!(follow_up["legal_aid"]["recovered_fen"], 800050);
    let check = services
        .iter()
        .find(|s| s["kind"] == "health_check")
        .unwrap();
    assert_eq!(check["health_check"]["glucose_tenths"], 56);
    assert_eq!(check["health_check"]["consent_by"], "李明");
    let relief = services
        .iter()
        .find(|s| s["kind"] == "winter_warmth")
        .unwrap();
    assert_eq!(relief["amount_fen"], 50000);
}

#[test]
fn search_masks_unless_revealed_and_exits_1_when_nothing_matches() {
    let t = TestDb::with_officer();
    t.add_worker("曾盛", ID_B, "13812345678");
    let out = stdout_of(t.cmd().args(["search", "zs"]));
    assert!(
        out.contains("曾盛") && out.contains("120111********6699"),
        "{out}"
    );
    assert!(out.contains("138****5678"), "{out}");
    let out = stdout_of(t.cmd().args(["search", "cs", "--reveal"]));
    assert!(out.contains(ID_B) && out.contains("13812345678"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(t.cmd().args(["search", "6699", "--json"]))).expect("json");
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["id_number"], "120111********6699");
    t.cmd().args(["search", "王五"]).assert().code(1);
}

#[test]
fn stats_counts_workers_and_services_by_kind() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    t.add_worker("李四", ID_B, "13912345678");
    for kind in ["job", "job", "culture"] {
        t.cmd()
            .args(["service", "add", "--worker", ID_A, "--kind", kind])
            .assert()
            .success();
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(t.cmd().args(["stats", "--json"]))).expect("json");
    assert_eq!(json["workers"], 2);
    assert_eq!(json["services"], 3);
    assert_eq!(json["services_by_kind"]["job"], 2);
    assert_eq!(json["services_by_kind"]["culture"], 1);
    assert_eq!(json["services_by_kind"]["legal_aid"], 0);
}

#[test]
fn demo_is_deterministic_for_a_seed() {
    let a = TestDb::with_officer();
    let b = TestDb::with_officer();
    for t in [&a, &b] {
        t.cmd()
            .args([
                "demo",
                "--workers",
                "300",
                "--services-per-worker",
                "2",
                "--seed",
                "7",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("300"));
    }
    let list = |t: &TestDb| {
        let names = |q: &str| stdout_of(t.cmd().args(["search", q, "--reveal", "--limit", "500"]));
        format!("{}{}", names("1"), names("6"))
    };
    assert_eq!(list(&a), list(&b));
    let json: serde_json::Value = serde_json::from_str(&stdout_of(a.cmd().args([
        "stats",
        "--json",
        "--from",
        "2000-01-01",
    ])))
    .expect("json");
    assert_eq!(json["workers"], 300);
    assert_eq!(json["services"], 600);
}

#[cfg(unix)]
#[test]
fn database_and_backup_are_owner_only_and_backup_is_complete() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&t.db), 0o600);
    let wal = t.db.with_extension("db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    let copy = t.path().join("copy.db");
    t.cmd().arg("backup").arg(&copy).assert().success();
    assert_eq!(mode(&copy), 0o600);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let names: i64 = conn
        .query_row(
            "SELECT count(*) FROM worker WHERE name = '张三'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(names, 1);
}

#[test]
fn a_migration_1_database_is_upgraded_on_open_keeping_its_rows() {
    use jingong::store::schema::LATEST;
    let t = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(&t.db).unwrap();
        jingong::store::schema::migrate_to(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO meta VALUES ('device_id', 'dev-1');
             INSERT INTO officer VALUES (1, '李明', '和平区总工会', '120101', 'dev-1', 'x');
             INSERT INTO meta VALUES ('officer_id', '1');
             INSERT INTO worker(uid, created_at, updated_at, officer_id, id_number, id_number_rev,
                name, name_pinyin, name_initials, gender, birth_date, hometown_code)
             VALUES ('u-1', 'x', 'x', 1, '620102199708155206', '602551807991201026',
                '毛洋', 'maoyang', 'my', 'female', '1997-08-15', '620102');",
        )
        .unwrap();
    }
    let upgrade = format!("upgrading the database from schema 1 to {LATEST}");
    t.cmd()
        .args(["--lang", "en", "worker", "show", "u-1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("毛洋"))
        .stderr(predicate::str::contains(upgrade.as_str()));
    // Once upgraded, nothing more is said.
    t.cmd()
        .args(["--lang", "en", "worker", "show", "u-1"])
        .assert()
        .success()
        .stderr(predicate::str::contains("upgrading").not());
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, jingong::store::schema::LATEST);
    let origin: String = conn
        .query_row(
            "SELECT origin_device FROM worker WHERE uid = 'u-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(origin, "", "migration 2 added the column with its default");
}

#[test]
fn a_newer_database_or_a_non_database_is_refused_with_a_message() {
    let t = TestDb::with_officer();
    {
        let conn = rusqlite::Connection::open(&t.db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    t.cmd()
        .args(["--lang", "en", "stats"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("schema 99").and(predicate::str::contains("upgrade")));

    let junk = TestDb::new();
    std::fs::write(&junk.db, vec![b'x'; 8192]).unwrap();
    // Junk cannot be told from an encrypted file without the key: a build with encryption
    // asks for the key, and says the file may be damaged.
    #[cfg(not(feature = "encryption"))]
    junk.cmd()
        .arg("stats")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不是 jingong 数据库"));
    #[cfg(feature = "encryption")]
    junk.cmd()
        .arg("stats")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("已加密（或已损坏）"));
}

#[test]
fn audit_shows_who_changed_which_fields_of_a_worker_and_their_services() {
    let t = TestDb::with_officer();
    let uid = t.add_worker("张三", ID_A, "13812345678");
    t.add_worker("李四", ID_B, "13912345678");
    t.cmd()
        .args(["service", "add", "--worker", ID_A, "--kind", "job"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        t.cmd().args(["audit", "--worker", ID_A, "--json"]),
    ))
    .expect("json");
    let entries = json.as_array().expect("entries");
    assert_eq!(
        entries.len(),
        2,
        "the worker and the service, not 李四: {json}"
    );
    assert_eq!(entries[0]["table"], "service");
    assert_eq!(entries[1]["record_uid"], uid.as_str());
    assert!(entries.iter().all(|e| e["officer"] == "李明"));
    let text = stdout_of(t.cmd().args(["audit"]));
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        !text.contains(ID_A) && !text.contains("13812345678"),
        "no personal data: {text}"
    );
}

#[cfg(unix)]
#[test]
fn printing_into_a_closed_pipe_ends_quietly() {
    let t = TestDb::with_officer();
    t.cmd()
        .args(["demo", "--workers", "200"])
        .assert()
        .success();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "JINGONG_NOW=2026-11-29T10:00:00+08:00 '{}' --db '{}' search 1 --limit 1000 | head -1",
            env!("CARGO_BIN_EXE_jingong"),
            t.db.display()
        ))
        .env("JINGONG_DATA_DIR", t.path().join("data"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}
