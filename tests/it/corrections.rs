//! Correcting records with the real binary: edit, withdraw, events for scripts, closing a
//! legal-aid case.

use crate::support::bin::stdout_of;
use crate::support::fixture::TestDb;
use predicates::prelude::*;
use serde_json::Value;

const ID_A: &str = "620102199708155206";
const ID_B: &str = "120111200007156699";

fn json_of(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.output().expect("run jingong");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn first_line(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("run jingong");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn add_service(t: &TestDb, worker: &str, args: &[&str]) -> String {
    first_line(
        t.cmd()
            .args(["service", "add", "--worker", worker])
            .args(args),
    )
}

fn service_json(t: &TestDb, worker: &str, uid: &str) -> Option<Value> {
    let shown = json_of(t.cmd().args(["worker", "show", worker, "--json"]));
    shown["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["uid"] == uid)
        .cloned()
}

fn audit_json(t: &TestDb) -> Vec<Value> {
    json_of(t.cmd().args(["audit", "--json", "--limit", "500"]))
        .as_array()
        .expect("entries")
        .clone()
}

#[test]
fn service_edit_makes_a_new_version_and_changes_only_the_fields_given() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let uid = add_service(
        &t,
        ID_A,
        &[
            "--kind",
            "relief_money",
            "--amount",
            "300",
            "--place",
            "河西区",
        ],
    );
    let line = first_line(t.cmd().args(["service", "edit", &uid, "--amount", "500"]));
    assert_eq!(line, format!("{uid} v2"));
    let s = service_json(&t, ID_A, &uid).expect("still live");
    assert_eq!(s["amount_fen"], 50_000);
    assert_eq!(s["place"], "河西区", "a field not given is kept");
    let audit = audit_json(&t);
    let update = audit
        .iter()
        .find(|e| e["record_uid"] == uid.as_str() && e["action"] == "update")
        .expect("audited");
    assert_eq!(update["version"], 2);
    assert_eq!(update["fields"], "amount_fen");
}

#[test]
fn a_refused_edit_names_the_field_and_changes_nothing() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let uid = add_service(&t, ID_A, &["--kind", "relief_money", "--amount", "300"]);
    t.cmd()
        .args(["service", "edit", &uid, "--amount=-5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("金额"));
    t.cmd()
        .args([
            "--lang",
            "en",
            "service",
            "edit",
            &uid,
            "--on",
            "2099-01-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("date"));
    t.cmd()
        .args(["worker", "edit", ID_A, "--phone", "12345"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("手机号"));
    let s = service_json(&t, ID_A, &uid).expect("live");
    assert_eq!(
        (s["amount_fen"].as_i64(), s["served_on"].as_str()),
        (Some(30_000), Some("2026-11-29"))
    );
    let w = json_of(t.cmd().args(["worker", "show", ID_A, "--json", "--reveal"]));
    assert_eq!(
        (w["version"].as_i64(), w["phone"].as_str()),
        (Some(1), Some("13812345678"))
    );
}

#[test]
fn service_withdraw_keeps_the_row_with_its_reason_and_audit_lists_it_once() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let uid = add_service(&t, ID_A, &["--kind", "relief_money", "--amount", "300"]);
    // No reason, no withdrawal.
    t.cmd()
        .args(["service", "withdraw", &uid, "--reason", " "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("撤回原因"));
    let line = first_line(
        t.cmd()
            .args(["service", "withdraw", &uid, "--reason", "重复登记"]),
    );
    assert_eq!(line, format!("{uid} v2"));
    assert!(
        service_json(&t, ID_A, &uid).is_none(),
        "no longer in the history"
    );

    // The row stays in the file, as a tombstone with the reason.
    let conn = rusqlite::Connection::open(&t.db).expect("open");
    let (deleted, reason, version): (bool, String, i64) = conn
        .query_row(
            "SELECT deleted_at IS NOT NULL, withdraw_reason, version FROM service WHERE uid = ?1",
            [&uid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row kept");
    assert_eq!((deleted, reason.as_str(), version), (true, "重复登记", 2));

    let withdrawals: Vec<Value> = audit_json(&t)
        .into_iter()
        .filter(|e| e["record_uid"] == uid.as_str() && e["action"] == "withdraw")
        .collect();
    assert_eq!(withdrawals.len(), 1, "{withdrawals:?}");
    assert_eq!(withdrawals[0]["reason"], "重复登记");
    assert_eq!(withdrawals[0]["officer"], "李明");
    let text = stdout_of(t.cmd().args(["audit"]));
    assert_eq!(text.matches("原因：重复登记").count(), 1, "{text}");
    assert!(text.contains("撤回"), "{text}");

    // Withdrawing twice is refused: the record is no longer live.
    t.cmd()
        .args(["service", "withdraw", &uid, "--reason", "again"])
        .assert()
        .code(1);
}

#[test]
fn a_withdrawn_service_goes_out_in_the_next_batch_once() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let uid = add_service(&t, ID_A, &["--kind", "relief_money", "--amount", "300"]);
    let out = t.path().join("out");
    t.cmd()
        .args(["export", "--out"])
        .arg(&out)
        .assert()
        .success();
    t.cmd()
        .args(["service", "withdraw", &uid, "--reason", "重复登记"])
        .assert()
        .success();
    t.cmd()
        .args(["export", "--out"])
        .arg(&out)
        .assert()
        .success();
    t.cmd()
        .args(["export", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut tombstones = 0;
    for batch in std::fs::read_dir(&out).expect("batches") {
        let path = batch.expect("entry").path().join("services.jsonl");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let record: Value = serde_json::from_str(line).expect("json line");
            if record["uid"] == uid.as_str() && record["version"] == 2 {
                tombstones += 1;
                assert_eq!(record["op"], "delete");
            }
        }
    }
    assert_eq!(tombstones, 1);
}

#[test]
fn worker_edit_and_withdraw_by_id_number() {
    let t = TestDb::with_officer();
    let uid = t.add_worker("张三", ID_A, "13812345678");
    let line = first_line(
        t.cmd()
            .args(["worker", "edit", ID_A, "--employer", "天津建工"]),
    );
    assert_eq!(line, format!("{uid} v2"));
    let w = json_of(t.cmd().args(["worker", "show", &uid, "--json"]));
    assert_eq!(
        (w["employer"].as_str(), w["version"].as_i64()),
        (Some("天津建工"), Some(2))
    );
    t.cmd()
        .args(["worker", "withdraw", ID_A, "--reason", "误登记"])
        .assert()
        .success();
    t.cmd().args(["worker", "show", ID_A]).assert().code(1);
    let entry = audit_json(&t)
        .into_iter()
        .find(|e| e["action"] == "withdraw")
        .expect("withdrawal audited");
    assert_eq!(
        (entry["record_uid"].as_str(), entry["reason"].as_str()),
        (Some(uid.as_str()), Some("误登记"))
    );
}

#[test]
fn event_add_list_show_attendees_with_json_and_masking() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let uid = first_line(t.cmd().args([
        "event",
        "add",
        "--name",
        "冬送温暖·河西",
        "--kind",
        "winter_warmth",
        "--on",
        "2026-11-20",
        "--place",
        "河西区工地",
        "--amount",
        "300",
    ]));
    assert_eq!(uid.len(), 36, "a UUID: {uid}");
    let listed = json_of(t.cmd().args(["event", "list", "--json"]));
    assert_eq!(listed["total"], 1);
    let e = &listed["events"][0];
    assert_eq!(
        (e["uid"].as_str(), e["name"].as_str()),
        (Some(uid.as_str()), Some("冬送温暖·河西"))
    );
    assert_eq!(
        (
            e["default_amount_fen"].as_i64(),
            e["district_code"].as_str()
        ),
        (Some(30_000), Some("120101"))
    );
    let shown = json_of(t.cmd().args(["event", "show", &uid, "--json"]));
    assert_eq!(
        (shown["held_on"].as_str(), shown["kind"].as_str()),
        (Some("2026-11-20"), Some("winter_warmth"))
    );

    add_service(&t, ID_A, &["--kind", "winter_warmth", "--event", &uid]);
    let attendees = json_of(t.cmd().args(["event", "attendees", &uid, "--json"]));
    assert_eq!(attendees["attendees"][0]["name"], "张三");
    assert_eq!(attendees["attendees"][0]["id_number"], "620102********5206");
    let revealed = stdout_of(t.cmd().args(["event", "attendees", &uid, "--reveal"]));
    assert!(revealed.contains(ID_A), "{revealed}");
    let masked = stdout_of(t.cmd().args(["event", "attendees", &uid]));
    assert!(!masked.contains(ID_A), "{masked}");
}

#[test]
fn event_add_refuses_bad_input_naming_the_field() {
    let t = TestDb::with_officer();
    t.cmd()
        .args(["event", "add", "--name", "活动", "--kind", "fireworks"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("服务类别").and(predicate::str::contains("fireworks")));
    t.cmd()
        .args([
            "--lang", "en", "event", "add", "--name", "x", "--kind", "warmth",
        ])
        .args(["--district", "999999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("district"));
    let listed = json_of(t.cmd().args(["event", "list", "--json"]));
    assert_eq!(listed["total"], 0, "nothing written");
}

#[test]
fn event_withdraw_with_attendees_is_refused_unless_with_services() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    t.add_worker("李四", ID_B, "13912345678");
    let event = first_line(t.cmd().args([
        "event",
        "add",
        "--name",
        "夏送清凉",
        "--kind",
        "summer_cooling",
    ]));
    let edited = first_line(t.cmd().args(["event", "edit", &event, "--place", "南开区"]));
    assert_eq!(edited, format!("{event} v2"));
    let a = add_service(&t, ID_A, &["--kind", "summer_cooling", "--event", &event]);
    add_service(&t, ID_B, &["--kind", "summer_cooling", "--event", &event]);
    t.cmd()
        .args(["event", "withdraw", &event, "--reason", "活动取消"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 条").and(predicate::str::contains("--with-services")));
    assert_eq!(
        json_of(t.cmd().args(["event", "list", "--json"]))["total"],
        1
    );
    t.cmd()
        .args([
            "event",
            "withdraw",
            &event,
            "--reason",
            "活动取消",
            "--with-services",
        ])
        .assert()
        .success();
    let shown = json_of(t.cmd().args(["event", "show", &event, "--json"]));
    assert_eq!(
        (
            shown["withdrawn"].as_bool(),
            shown["withdraw_reason"].as_str()
        ),
        (Some(true), Some("活动取消"))
    );
    assert!(service_json(&t, ID_A, &a).is_none());
    let withdrawals = audit_json(&t)
        .into_iter()
        .filter(|e| e["action"] == "withdraw")
        .count();
    assert_eq!(withdrawals, 3, "the event and its two services");
}

#[test]
fn legal_close_ends_the_case_and_worker_show_gives_its_amounts() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_A, "13812345678");
    let first = add_service(
        &t,
        ID_A,
        &[
            "--kind",
            "legal_aid",
            "--category",
            "wage_arrears",
            "--claimed",
            "8000",
            "--on",
            "2026-10-01",
        ],
    );
    t.cmd()
        .args(["legal", "close", &first, "--outcome", "won"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("结案结果").and(predicate::str::contains("won")));
    let closing = first_line(t.cmd().args([
        "legal",
        "close",
        &first,
        "--outcome",
        "mediated",
        "--recovered",
        "6000",
    ]));
    assert_eq!(closing.len(), 36);
    let w = json_of(t.cmd().args(["worker", "show", ID_A, "--json"]));
    let case = &w["legal_cases"][0];
    assert_eq!(w["legal_cases"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (case["open"].as_bool(), case["outcome"].as_str()),
        (Some(false), Some("mediated"))
    );
    assert_eq!(
        (case["claimed_fen"].as_i64(), case["recovered_fen"].as_i64()),
        (Some(800_000), Some(600_000))
    );
    let text = stdout_of(t.cmd().args(["worker", "show", ID_A]));
    assert!(text.contains("已结案·调解结案"), "{text}");
    assert!(text.contains("追回 ¥6000.00"), "{text}");
    t.cmd()
        .args(["legal", "close", &first, "--outcome", "mediated"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("已结案"));
    // The statistics count the case once, closed, with its latest visit's amounts.
    let stats = json_of(t.cmd().args(["stats", "--json"]));
    let legal = &stats["legal"];
    assert_eq!(
        (
            legal["open_cases"].as_i64(),
            legal["cases_in_period"].as_i64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(legal["closed_in_period"], 1);
    assert_eq!(
        (
            legal["claimed_fen"].as_i64(),
            legal["recovered_fen"].as_i64()
        ),
        (Some(800_000), Some(600_000))
    );
}
