//! What workers ask for (诉求), through the real binary: a need answered by a service of a
//! kind that answers it, one closed by hand, and what is refused.

use crate::support::fixture::TestDb;
use serde_json::Value;

const ID_A: &str = "620102199708155206";
const ID_B: &str = "120111200007156699";

fn run_ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("run jingong");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn first_line(cmd: &mut assert_cmd::Command) -> String {
    run_ok(cmd).lines().next().unwrap_or_default().to_string()
}

/// Runs a command that must be refused; returns (exit code, stderr).
fn refused(cmd: &mut assert_cmd::Command) -> (i32, String) {
    let out = cmd.output().expect("run jingong");
    assert!(!out.status.success(), "should be refused");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn needs(t: &TestDb, args: &[&str]) -> Vec<Value> {
    let out = run_ok(t.cmd().args(["need", "list", "--json"]).args(args));
    serde_json::from_str::<Value>(&out)
        .expect("json")
        .as_array()
        .expect("rows")
        .clone()
}

fn add_need(t: &TestDb, worker: &str, kind: &str, on: &str) -> String {
    first_line(
        t.cmd()
            .args(["need", "add", "--worker", worker, "--kind", kind])
            .args(["--on", on, "--note", "工友反映"]),
    )
}

#[test]
fn a_service_of_an_answering_kind_answers_the_open_need_from_the_day_it_was_raised() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let health = add_need(&t, ID_A, "health", "2026-11-10");
    let job = add_need(&t, ID_A, "job", "2026-11-10");
    // Delivered before the worker asked: it answered something else.
    first_line(t.cmd().args([
        "service",
        "add",
        "--worker",
        ID_A,
        "--kind",
        "health_check",
        "--on",
        "2026-11-09",
        "--consent",
    ]));
    assert_eq!(needs(&t, &["--open"]).len(), 2);
    let check = first_line(t.cmd().args([
        "service",
        "add",
        "--worker",
        ID_A,
        "--kind",
        "health_check",
        "--on",
        "2026-11-20",
        "--consent",
    ]));
    let open = needs(&t, &["--open"]);
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["uid"], job.as_str());
    let all = needs(&t, &["--worker", &worker]);
    let answered = all.iter().find(|n| n["uid"] == health.as_str()).unwrap();
    assert_eq!(answered["state"], "answered");
    assert_eq!(answered["answered_by"], check.as_str());
    assert_eq!(answered["settled_on"], "2026-11-20");
    assert_eq!(answered["version"], 2);
    // The answer is written with the service: the audit names it.
    let audit = run_ok(
        t.cmd()
            .args(["audit", "--worker", ID_A, "--json", "--limit", "50"]),
    );
    let audit: Vec<Value> = serde_json::from_str(&audit).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e["record_uid"] == health.as_str() && e["action"] == "answer"),
        "{audit:?}"
    );
    // A job referral answers the other one.
    first_line(
        t.cmd()
            .args(["service", "add", "--worker", ID_A, "--kind", "spring_jobs"]),
    );
    assert!(needs(&t, &["--open"]).is_empty());
}

#[test]
fn a_need_closed_by_hand_stays_closed_and_cannot_be_closed_twice() {
    let t = TestDb::with_officer();
    t.add_worker("张伟", ID_B, "13900139000");
    let housing = add_need(&t, ID_B, "housing", "");
    let closed = first_line(
        t.cmd()
            .args(["need", "close", &housing, "--note", "已自行解决"]),
    );
    assert_eq!(closed, format!("{housing} v2"));
    let rows = needs(&t, &[]);
    assert_eq!(rows[0]["state"], "closed");
    assert_eq!(rows[0]["close_note"], "已自行解决");
    assert_eq!(rows[0]["settled_on"], "2026-11-29");
    // A service that would have answered it later leaves it as closed.
    first_line(
        t.cmd()
            .args(["service", "add", "--worker", ID_B, "--kind", "relief_money"]),
    );
    assert_eq!(needs(&t, &[])[0]["state"], "closed");
    assert_eq!(needs(&t, &[])[0]["version"], 2);
    let (code, zh) = refused(t.cmd().args(["need", "close", &housing]));
    assert_eq!(code, 2);
    assert!(
        zh.contains("诉求类别：只能关闭待解决的诉求，此诉求已关闭"),
        "{zh}"
    );
    let (_, en) = refused(t.cmd().args(["--lang", "en", "need", "close", &housing]));
    assert!(
        en.contains("need: only an open need can be closed; this one is closed"),
        "{en}"
    );
}

#[test]
fn a_need_of_an_unknown_kind_or_a_future_day_is_refused_and_nothing_is_written() {
    let t = TestDb::with_officer();
    t.add_worker("毛洋", ID_A, "13800138000");
    let (code, zh) = refused(t.cmd().args([
        "need",
        "add",
        "--worker",
        ID_A,
        "--kind",
        "yacht",
        "--on",
        "2026-11-30",
    ]));
    assert_eq!(code, 2);
    assert!(zh.contains("诉求类别：「yacht」不在可选范围内"), "{zh}");
    assert!(zh.contains("日期：不能晚于今天"), "{zh}");
    let (_, en) = refused(t.cmd().args([
        "--lang", "en", "need", "add", "--worker", ID_A, "--kind", "yacht",
    ]));
    assert!(
        en.contains("need: 'yacht' is not one of the known codes"),
        "{en}"
    );
    assert!(needs(&t, &[]).is_empty());
}

#[test]
fn the_list_masks_id_numbers_unless_revealed_and_pages() {
    let t = TestDb::with_officer();
    t.add_worker("毛洋", ID_A, "13800138000");
    for (kind, on) in [
        ("job", "2026-11-01"),
        ("culture", "2026-11-02"),
        ("schooling", "2026-11-03"),
    ] {
        add_need(&t, ID_A, kind, on);
    }
    let text = run_ok(t.cmd().args(["need", "list"]));
    assert!(!text.contains(ID_A), "{text}");
    assert!(
        text.contains("就业岗位") && text.contains("子女入学"),
        "{text}"
    );
    let revealed = run_ok(t.cmd().args(["need", "list", "--reveal"]));
    assert!(revealed.contains(ID_A));
    let page = needs(&t, &["--offset", "1", "--limit", "1"]);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["kind"], "culture", "oldest raised first");
    assert_ne!(page[0]["id_number"], ID_A);
}

#[test]
fn a_worker_served_at_an_event_has_the_need_answered_in_the_same_write() {
    use jingong::domain::EventInput;
    use jingong::domain::needs::{NeedInput, NeedState};
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let need = store
        .add_need(
            &worker,
            &NeedInput {
                kind: "hardship".into(),
                raised_on: day("2026-11-01").unwrap(),
                note: String::new(),
            },
        )
        .unwrap();
    let event = store
        .add_event(&EventInput {
            name: "冬送温暖".into(),
            kind: "winter_warmth".into(),
            held_on: day("2026-11-28"),
            place: "工地食堂".into(),
            district_code: "120101".into(),
            default_quantity: 1,
            default_amount_fen: 50_000,
        })
        .unwrap();
    let service = store.record_event_service(&event.uid, &worker).unwrap();
    let answered = store.need_by_uid(&need.uid).unwrap().unwrap();
    assert_eq!(answered.state, NeedState::Answered);
    assert_eq!(answered.answered_by.as_deref(), Some(service.uid.as_str()));
    assert_eq!(answered.settled_on, day("2026-11-28"));
}
