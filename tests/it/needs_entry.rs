//! Needs (诉求) raised by the fast doors and kept true when records are corrected: a roster's
//! need column, withdrawn needs and claims, and the re-evaluation of the needs a service
//! answered when the service's kind or date is corrected or it is withdrawn.

use crate::support::fixture::{TestDb, check_digit};
use jingong::domain::ServiceInput;
use jingong::domain::needs::{NeedInput, NeedState};
use jingong::store::Store;
use std::path::{Path, PathBuf};

const ID_A: &str = "620102199708155206";

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn id(first17: &str) -> String {
    format!("{first17}{}", check_digit(first17))
}

fn plain_service(kind: &str, on: &str) -> ServiceInput {
    ServiceInput {
        kind: kind.into(),
        served_on: Some(day(on)),
        place: String::new(),
        quantity: 1,
        amount_fen: 0,
        note: String::new(),
        event_uid: None,
        health: None,
        legal: None,
    }
}

fn need(store: &mut Store, worker: &str, kind: &str, on: &str) -> String {
    store
        .add_need(
            worker,
            &NeedInput {
                kind: kind.into(),
                raised_on: day(on),
                note: String::new(),
            },
        )
        .expect("need")
        .uid
}

/// An event in 河北区 on 2026-11-20 serving one of `kind` a person.
fn event_on_the_20th(
    store: &mut Store,
    name: &str,
    kind: &str,
) -> jingong::store::workers::RecordRef {
    store
        .add_event(&jingong::domain::EventInput {
            name: name.into(),
            kind: kind.into(),
            held_on: Some(day("2026-11-20")),
            place: "河北区".into(),
            district_code: "120105".into(),
            default_quantity: 1,
            default_amount_fen: 0,
        })
        .unwrap()
}

fn state(store: &Store, uid: &str) -> (NeedState, Option<String>) {
    let n = store.need_by_uid(uid).unwrap().expect("live need");
    (n.state, n.answered_by)
}

fn audit_actions(store: &Store, worker: &str, record: &str) -> Vec<String> {
    store
        .audit_entries(Some(worker), 100)
        .unwrap()
        .into_iter()
        .filter(|a| a.record_uid == record)
        .map(|a| a.action)
        .collect()
}

#[test]
fn a_service_whose_kind_is_corrected_no_longer_answers_and_the_need_opens_again() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let job = need(&mut store, &worker, "job", "2026-11-10");
    let fair = store
        .add_service(&worker, &plain_service("job", "2026-11-20"))
        .unwrap();
    assert_eq!(
        state(&store, &job),
        (NeedState::Answered, Some(fair.uid.clone()))
    );
    let mut corrected = plain_service("skills", "2026-11-20");
    corrected.quantity = 1;
    store
        .update_service(&fair.uid, &corrected, Some(fair.version))
        .unwrap();
    assert_eq!(state(&store, &job), (NeedState::Open, None));
    assert_eq!(
        audit_actions(&store, &worker, &job),
        ["reopen", "answer", "create"]
    );
    // Corrected back: the service answers the open need again, in the same write.
    store
        .update_service(&fair.uid, &plain_service("job", "2026-11-20"), None)
        .unwrap();
    assert_eq!(state(&store, &job), (NeedState::Answered, Some(fair.uid)));
}

#[test]
fn a_service_dated_before_the_need_was_raised_no_longer_answers_it() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let job = need(&mut store, &worker, "job", "2026-11-10");
    let fair = store
        .add_service(&worker, &plain_service("job", "2026-11-20"))
        .unwrap();
    // Still on or after the day raised: answered, on the corrected day.
    store
        .update_service(&fair.uid, &plain_service("job", "2026-11-12"), None)
        .unwrap();
    let n = store.need_by_uid(&job).unwrap().unwrap();
    assert_eq!(n.state, NeedState::Answered);
    assert_eq!(n.settled_on, Some(day("2026-11-12")));
    store
        .update_service(&fair.uid, &plain_service("job", "2026-11-09"), None)
        .unwrap();
    assert_eq!(state(&store, &job), (NeedState::Open, None));
}

#[test]
fn a_withdrawn_service_hands_its_need_to_another_answering_service_else_it_reopens() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let job = need(&mut store, &worker, "job", "2026-11-10");
    // Health: closed by hand before any service; it must stay closed whatever happens.
    let health = need(&mut store, &worker, "health", "2026-11-10");
    store.close_need(&health, "已去医院", None).unwrap();
    let first = store
        .add_service(&worker, &plain_service("job", "2026-11-15"))
        .unwrap();
    let second = store
        .add_service(&worker, &plain_service("spring_jobs", "2026-11-20"))
        .unwrap();
    // Before the need: it cannot take the need over.
    store
        .add_service(&worker, &plain_service("job", "2026-11-01"))
        .unwrap();
    assert_eq!(
        state(&store, &job),
        (NeedState::Answered, Some(first.uid.clone()))
    );
    store.withdraw_service(&first.uid, "录错了", None).unwrap();
    let n = store.need_by_uid(&job).unwrap().unwrap();
    assert_eq!(
        (n.state, n.answered_by.as_deref(), n.settled_on),
        (
            NeedState::Answered,
            Some(second.uid.as_str()),
            Some(day("2026-11-20"))
        )
    );
    store.withdraw_service(&second.uid, "录错了", None).unwrap();
    assert_eq!(state(&store, &job), (NeedState::Open, None));
    assert_eq!(state(&store, &health), (NeedState::Closed, None));
    assert_eq!(
        audit_actions(&store, &worker, &job),
        ["reopen", "answer", "answer", "create"]
    );
}

#[test]
fn a_withdrawn_need_and_claim_leave_the_lists_with_their_reason_from_the_cli() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let job = need(&mut store, &worker, "job", "2026-11-10");
    drop(store);
    let refused = t
        .cmd()
        .args(["need", "withdraw", &job, "--reason", " "])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let text = String::from_utf8_lossy(&refused.stderr).to_string();
    assert!(text.contains("原因"), "{text}");
    assert!(
        t.store().need_by_uid(&job).unwrap().is_some(),
        "nothing changed"
    );
    let out = t
        .cmd()
        .args(["need", "withdraw", &job, "--reason", "登记错了人"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("{job} v2")
    );
    let store = t.store();
    assert!(store.need_by_uid(&job).unwrap().is_none());
    assert!(store.needs_of_worker(&worker).unwrap().is_empty());
    assert_eq!(
        store.withdraw_reason("need", &job).unwrap().as_deref(),
        Some("登记错了人")
    );
    let again = t
        .cmd()
        .args(["need", "withdraw", &job, "--reason", "再来一次"])
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "a tombstone is not withdrawn twice"
    );
}

#[test]
fn a_claim_recorded_by_mistake_is_withdrawn_from_the_cli() {
    let t = TestDb::with_officer();
    let member = t
        .cmd()
        .args(["worker", "add", "--name", "毛洋", "--id-number", ID_A])
        .args(["--phone", "13800138000", "--membership", "member"])
        .args(["--card-no", "6217000012345678"])
        .output()
        .unwrap();
    assert!(member.status.success());
    let added = t
        .cmd()
        .args([
            "claim",
            "add",
            "--worker",
            ID_A,
            "--type",
            "critical_illness",
        ])
        .args(["--diagnosed-on", "2026-03-01"])
        .args([
            "--protection-start",
            "2025-07-01",
            "--protection-end",
            "2026-06-30",
        ])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let claim = String::from_utf8_lossy(&added.stdout).trim().to_string();
    let out = t
        .cmd()
        .args(["--lang", "en", "claim", "withdraw", &claim, "--reason", ""])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("reason"));
    assert!(
        t.store().claim_by_uid(&claim).unwrap().is_some(),
        "nothing changed"
    );
    let out = t
        .cmd()
        .args([
            "claim",
            "withdraw",
            &claim,
            "--reason",
            "同一份申请录了两次",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = t.store();
    assert!(store.claim_by_uid(&claim).unwrap().is_none());
    assert_eq!(
        store.withdraw_reason("claim", &claim).unwrap().as_deref(),
        Some("同一份申请录了两次")
    );
    let list = t.cmd().args(["claim", "list", "--json"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&list.stdout).trim(), "[]");
}

fn write_roster(dir: &Path, name: &str, text: &str, gbk: bool) -> PathBuf {
    let path = dir.join(name);
    let bytes = if gbk {
        encoding_rs::GBK.encode(text).0.into_owned()
    } else {
        text.as_bytes().to_vec()
    };
    std::fs::write(&path, bytes).unwrap();
    path
}

fn import(t: &TestDb, file: &Path, extra: &[&str]) -> (bool, String, String) {
    let out = t
        .cmd()
        .args(["import", "roster"])
        .arg(file)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn open_kinds(store: &Store, id_number: &str) -> Vec<String> {
    let worker = store.resolve_worker(id_number).unwrap();
    let mut kinds: Vec<String> = store
        .needs_of_worker(&worker.uid)
        .unwrap()
        .into_iter()
        .filter(|n| n.state == NeedState::Open)
        .map(|n| n.kind)
        .collect();
    kinds.sort();
    kinds
}

#[test]
fn a_gbk_roster_with_a_chinese_need_column_raises_open_needs_and_refuses_unknown_ones() {
    let t = TestDb::with_officer();
    let good = id("34010220040816913");
    let twice = id("41010219930627917");
    let bad = id("12011120000715669");
    let text = format!(
        "姓名,身份证号,手机号,诉求\n\
         程英,{good},18436336395,欠薪维权、技能培训\n\
         杨英明,{twice},19217743668,\"job；就业岗位\"\n\
         武春军,{bad},13912345678,游艇\n"
    );
    let file = write_roster(t.path(), "诉求名单.csv", &text, true);
    let (dry_ok, dry_out, _) = import(&t, &file, &["--dry-run"]);
    assert!(dry_ok);
    assert!(dry_out.contains("新登记诉求：3"), "{dry_out}");
    assert!(
        t.store()
            .list_needs(&Default::default())
            .unwrap()
            .is_empty()
    );
    let (ok, out, err) = import(&t, &file, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("新登记诉求：3"), "{out}");
    let store = t.store();
    assert_eq!(
        open_kinds(&store, &good),
        ["skills_training", "wage_arrears"]
    );
    assert_eq!(
        open_kinds(&store, &twice),
        ["job"],
        "one open need per kind"
    );
    assert!(
        store.resolve_worker(&bad).is_err(),
        "the bad row is refused"
    );
    let rejects = std::fs::read_to_string(format!("{}.rejects.csv", file.display())).unwrap();
    let refused = rejects.lines().find(|l| l.contains("武春军")).unwrap();
    assert!(
        refused.contains("诉求类别") && refused.contains("游艇"),
        "{refused}"
    );
    // The same roster again raises nothing: those needs are open already.
    let (_, again, _) = import(&t, &file, &[]);
    assert!(!again.contains("新登记诉求"), "{again}");
}

#[test]
fn an_english_roster_names_needs_in_english_and_the_refusal_is_in_english() {
    let t = TestDb::with_officer();
    let good = id("34010220040816913");
    let bad = id("41010219930627917");
    let text = format!(
        "name,id_number,phone,needs\n\
         Cheng Ying,{good},18436336395,\"Unpaid wages, housing\"\n\
         Yang Yingming,{bad},19217743668,yacht\n"
    );
    let file = write_roster(t.path(), "needs.csv", &text, false);
    let (ok, out, err) = t
        .cmd()
        .args(["--lang", "en", "import", "roster"])
        .arg(&file)
        .output()
        .map(|o| {
            (
                o.status.success(),
                String::from_utf8_lossy(&o.stdout).to_string(),
                String::from_utf8_lossy(&o.stderr).to_string(),
            )
        })
        .unwrap();
    assert!(ok, "{err}");
    assert!(out.contains("needs raised: 2"), "{out}");
    assert_eq!(open_kinds(&t.store(), &good), ["housing", "wage_arrears"]);
    let rejects = std::fs::read_to_string(format!("{}.rejects.csv", file.display())).unwrap();
    let refused = rejects.lines().find(|l| l.contains("Yang")).unwrap();
    assert!(
        refused.contains("need") && refused.contains("yacht"),
        "{refused}"
    );
}

#[test]
fn withdrawing_an_event_with_its_services_reopens_the_needs_they_answered() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let job = need(&mut store, &worker, "job", "2026-11-10");
    let fair = event_on_the_20th(&mut store, "春风行动招聘会", "spring_jobs");
    let served = store.record_event_service(&fair.uid, &worker).unwrap();
    assert_eq!(state(&store, &job), (NeedState::Answered, Some(served.uid)));
    store
        .withdraw_event(
            &fair.uid,
            "活动取消",
            jingong::store::corrections::AttendeeServices::WithdrawToo,
            None,
        )
        .unwrap();
    assert_eq!(state(&store, &job), (NeedState::Open, None));
}

#[test]
fn undoing_a_quick_entry_service_reopens_the_need_it_answered_and_redo_answers_it_again() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let other = t.add_worker("武春军", "120111200007156699", "13800138001");
    let mut store = t.store();
    let job = need(&mut store, &worker, "job", "2026-11-10");
    let other_job = need(&mut store, &other, "job", "2026-11-10");
    let fair = event_on_the_20th(&mut store, "春风行动招聘会", "spring_jobs");
    let served = store.record_event_service(&fair.uid, &worker).unwrap();
    let served_other = store.record_event_service(&fair.uid, &other).unwrap();
    assert_eq!(
        state(&store, &job),
        (NeedState::Answered, Some(served.uid.clone()))
    );

    store.undo_event_service(&served.uid, &[]).unwrap();
    assert_eq!(state(&store, &job), (NeedState::Open, None));
    assert_eq!(
        state(&store, &other_job),
        (NeedState::Answered, Some(served_other.uid)),
        "only the need of the service taken back"
    );
    store.redo_event_service(&served.uid, &[]).unwrap();
    assert_eq!(state(&store, &job), (NeedState::Answered, Some(served.uid)));
    let actions = audit_actions(&store, &worker, &job);
    assert_eq!(
        actions.first().map(String::as_str),
        Some("answer"),
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "answer").count(),
        2,
        "{actions:?}"
    );
}

#[test]
fn undo_takes_back_only_the_raised_needs_still_as_raised_and_redo_keeps_one_open_need_a_kind() {
    let t = TestDb::with_officer();
    let worker = t.add_worker("毛洋", ID_A, "13800138000");
    let mut store = t.store();
    let fair = event_on_the_20th(&mut store, "夏送清凉", "summer_cooling");
    let kinds = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Exported before the undo: it left in a batch, so it stays (withdrawn by hand if wrong).
    let exported = store
        .raise_needs(&worker, &kinds(&["legal_advice"]))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    crate::batch_needs::export_to(&mut store, out.path());
    let raised = store
        .raise_needs(&worker, &kinds(&["job", "wage_arrears", "schooling"]))
        .unwrap();
    assert_eq!(raised.len(), 3);
    let served = store.record_event_service(&fair.uid, &worker).unwrap();
    // Closed by hand after it was raised: the officer's later word stands.
    store.close_need(&raised[1], "已解决", None).unwrap();
    // Answered by another service since: that record depends on it.
    let school = store
        .add_service(&worker, &plain_service("school_aid", "2026-11-29"))
        .unwrap();
    let with_it: Vec<String> = exported.iter().chain(&raised).cloned().collect();

    store.undo_event_service(&served.uid, &with_it).unwrap();
    assert!(
        store.need_by_uid(&raised[0]).unwrap().is_none(),
        "taken back"
    );
    assert_eq!(
        store.need_by_uid(&raised[1]).unwrap().unwrap().state,
        NeedState::Closed
    );
    assert_eq!(
        state(&store, &raised[2]),
        (NeedState::Answered, Some(school.uid))
    );
    assert!(store.need_by_uid(&exported[0]).unwrap().is_some());
    assert_eq!(audit_actions(&store, &worker, &raised[0])[0], "delete");

    // Raised again by hand meanwhile: redo leaves the taken-back one a tombstone.
    let again = store.raise_needs(&worker, &kinds(&["job"])).unwrap();
    store.redo_event_service(&served.uid, &with_it).unwrap();
    assert!(store.need_by_uid(&raised[0]).unwrap().is_none());
    let open_jobs = store
        .needs_of_worker(&worker)
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == "job" && n.state == NeedState::Open)
        .map(|n| n.uid)
        .collect::<Vec<_>>();
    assert_eq!(open_jobs, again);
}
