//! Withdrawals travel with their reason (batch format 2), and erasure on request (PIPL art.
//! 47) leaves none of the person's data in the database file, its WAL, the search keys, the
//! audit, the drafts or the next batch, here and on a laptop that imports the erasure.

use crate::support::fixture::TestDb;
use jingong::store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NAME: &str = "欧阳翠花";
const ID_NUMBER: &str = "620102199708155206";
const PHONE: &str = "13987654321";
const CASE_TEXT: &str = "拖欠工资八万元未付清";
const FINDINGS: &str = "左肺结节建议复查";
const WITHDRAW_TEXT: &str = "与欧阳翠花另一条重复";

fn ok_stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("run jingong");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn first_line(cmd: &mut assert_cmd::Command) -> String {
    ok_stdout(cmd)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn export(t: &TestDb) -> PathBuf {
    export_with(t, &[])
}

fn export_with(t: &TestDb, extra: &[&str]) -> PathBuf {
    let out = t.path().join("out");
    PathBuf::from(ok_stdout(t.cmd().arg("export").arg("--out").arg(&out).args(extra)).trim())
}

fn import(t: &TestDb, batch: &Path) {
    ok_stdout(t.cmd().args(["import", "batch"]).arg(batch));
}

fn lines(batch: &Path, file: &str) -> Vec<Value> {
    std::fs::read_to_string(batch.join(file))
        .expect("data file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn audit(t: &TestDb) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok_stdout(
        t.cmd().args(["audit", "--json", "--limit", "500"]),
    ))
    .expect("json")
    .as_array()
    .expect("entries")
    .clone()
}

/// Which of the needles occur in `bytes` (raw UTF-8 search).
fn found_in(bytes: &[u8], needles: &[&str]) -> Vec<String> {
    needles
        .iter()
        .filter(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
        .map(|n| n.to_string())
        .collect()
}

/// Every file of a database (main, -wal, -shm, -journal) and which needles each holds.
fn leaks_in_database(db: &Path, needles: &[&str]) -> Vec<(PathBuf, Vec<String>)> {
    let mut leaks = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let path = PathBuf::from(name);
        if let Ok(bytes) = std::fs::read(&path) {
            let found = found_in(&bytes, needles);
            if !found.is_empty() {
                leaks.push((path, found));
            }
        }
    }
    leaks
}

fn leaks_in_batch(batch: &Path, needles: &[&str]) -> Vec<(PathBuf, Vec<String>)> {
    let mut leaks = Vec::new();
    for entry in std::fs::read_dir(batch).expect("batch folder") {
        let path = entry.expect("entry").path();
        let found = found_in(&std::fs::read(&path).expect("read"), needles);
        if !found.is_empty() {
            leaks.push((path, found));
        }
    }
    leaks
}

fn add_cases(t: &TestDb) -> (String, String, String) {
    let legal = first_line(
        t.cmd()
            .args(["service", "add", "--worker", ID_NUMBER])
            .args([
                "--kind",
                "legal_aid",
                "--category",
                "wage_arrears",
                "--status",
                "open",
                "--claimed",
                "80000",
                "--description",
                CASE_TEXT,
            ]),
    );
    let health = first_line(
        t.cmd()
            .args(["service", "add", "--worker", ID_NUMBER])
            .args([
                "--kind",
                "health_check",
                "--provider",
                "天津市职工医院",
                "--bp",
                "150/95",
                "--glucose",
                "7.2",
                "--findings",
                FINDINGS,
                "--consent",
            ]),
    );
    let relief = first_line(
        t.cmd()
            .args(["service", "add", "--worker", ID_NUMBER])
            .args(["--kind", "relief_money", "--amount", "300"]),
    );
    (legal, health, relief)
}

#[test]
fn a_withdrawal_is_audited_once_and_sent_once_with_its_reason_and_the_receiver_keeps_it() {
    let t = TestDb::with_officer();
    t.add_worker("张三", ID_NUMBER, "13812345678");
    let uid = first_line(
        t.cmd()
            .args(["service", "add", "--worker", ID_NUMBER])
            .args(["--kind", "relief_money", "--amount", "300"]),
    );
    let first = export(&t);
    let receiver = TestDb::with_officer();
    import(&receiver, &first);

    ok_stdout(
        t.cmd()
            .args(["service", "withdraw", &uid, "--reason", "重复发放"]),
    );
    let second = export(&t);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(second.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format_version"], 3);
    let sent: Vec<Value> = lines(&second, "services.jsonl")
        .into_iter()
        .filter(|l| l["uid"] == uid.as_str())
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["op"], "delete");
    assert_eq!(sent[0]["reason"], "重复发放");
    assert_eq!(sent[0]["version"], 2);
    let withdrawals: Vec<Value> = audit(&t)
        .into_iter()
        .filter(|e| e["record_uid"] == uid.as_str() && e["action"] == "withdraw")
        .collect();
    assert_eq!(withdrawals.len(), 1, "{withdrawals:?}");
    assert_eq!(withdrawals[0]["reason"], "重复发放");

    // Sent once: the next export has nothing of it.
    let again = t
        .cmd()
        .arg("export")
        .arg("--out")
        .arg(t.path().join("out"))
        .output()
        .unwrap();
    assert!(again.status.success());
    let third = String::from_utf8(again.stdout).unwrap();
    if !third.trim().is_empty() && Path::new(third.trim()).is_dir() {
        let repeated = lines(Path::new(third.trim()), "services.jsonl")
            .into_iter()
            .filter(|l| l["uid"] == uid.as_str())
            .count();
        assert_eq!(repeated, 0);
    }

    import(&receiver, &second);
    let store = Store::open(&receiver.db).unwrap();
    assert_eq!(
        store.withdraw_reason("service", &uid).unwrap().as_deref(),
        Some("重复发放")
    );
}

#[test]
fn erasure_needs_yes_and_a_known_reason_and_changes_nothing_without_them() {
    let t = TestDb::with_officer();
    let uid = t.add_worker(NAME, ID_NUMBER, PHONE);
    let refused = t
        .cmd()
        .args([
            "--lang", "en", "worker", "erase", ID_NUMBER, "--reason", "request",
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--yes"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let bad = t
        .cmd()
        .args([
            "--lang", "en", "worker", "erase", ID_NUMBER, "--reason", "because", "--yes",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(
        message.contains("erasure reason code") && message.contains("consent_withdrawn"),
        "{message}"
    );
    let store = Store::open(&t.db).unwrap();
    let worker = store.worker_by_uid(&uid).unwrap().expect("still there");
    assert_eq!(worker.input.name, NAME);
    assert!(!worker.deleted);
}

#[test]
fn erasure_leaves_no_personal_data_here_in_the_next_batch_or_at_the_receiver() {
    let needles = [NAME, ID_NUMBER, PHONE, CASE_TEXT, FINDINGS, WITHDRAW_TEXT];
    let t = TestDb::with_officer();
    let worker_uid = t.add_worker(NAME, ID_NUMBER, PHONE);
    let (legal, health, relief) = add_cases(&t);
    ok_stdout(
        t.cmd()
            .args(["service", "withdraw", &relief, "--reason", WITHDRAW_TEXT]),
    );
    {
        // Drafts as the forms leave them: a new-worker form with the name and number typed,
        // an edit form of the worker, and an unrelated one that must stay.
        let store = Store::open(&t.db).unwrap();
        store
            .save_draft(
                "worker:new",
                &format!(r#"{{"name":"{NAME}","id_number":"{ID_NUMBER}"}}"#),
            )
            .unwrap();
        store
            .save_draft(&format!("worker:{worker_uid}"), r#"{"note":"x"}"#)
            .unwrap();
        store
            .save_draft("service:new", r#"{"note":"王五的慰问品"}"#)
            .unwrap();
    }
    let first = export(&t);
    assert!(
        !leaks_in_batch(&first, &needles).is_empty(),
        "the first batch holds the person"
    );

    let receiver = TestDb::with_officer();
    import(&receiver, &first);
    assert!(
        !leaks_in_database(&receiver.db, &[NAME]).is_empty(),
        "the receiver holds the person before the erasure"
    );

    // A second connection stays open (as the TUI's reader does), so the WAL is not removed
    // when the command closes the database: the erasure itself must empty it.
    let watcher = rusqlite::Connection::open(&t.db).unwrap();
    let _: i64 = watcher
        .query_row("SELECT count(*) FROM worker", [], |r| r.get(0))
        .unwrap();
    let printed = first_line(
        t.cmd()
            .args(["worker", "erase", ID_NUMBER, "--reason", "request", "--yes"]),
    );
    assert!(printed.starts_with(&worker_uid), "{printed}");
    // With the CSV review copies, which repeat the data files for people to read.
    let second = export_with(&t, &["--csv"]);
    assert!(second.join("workers.csv").exists());

    // Nothing of the person in this laptop's files.
    assert_eq!(leaks_in_database(&t.db, &needles), vec![]);
    assert_eq!(leaks_in_batch(&second, &needles), vec![]);
    drop(watcher);

    // The batch carries erasure lines only: uid, version, op and reason.
    let workers = lines(&second, "workers.jsonl");
    assert_eq!(workers.len(), 1);
    let keys: Vec<&String> = workers[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(workers[0]["uid"], worker_uid.as_str());
    assert_eq!(workers[0]["op"], "erase");
    assert_eq!(workers[0]["reason"], "request");
    let services = lines(&second, "services.jsonl");
    let mut erased: Vec<&str> = services
        .iter()
        .map(|s| s["uid"].as_str().unwrap())
        .collect();
    erased.sort();
    let mut expected = vec![legal.as_str(), health.as_str(), relief.as_str()];
    expected.sort();
    assert_eq!(erased, expected);
    assert!(
        services
            .iter()
            .all(|s| s["op"] == "erase" && s.as_object().unwrap().len() == 4)
    );

    // Search keys, audit and drafts, read through SQL as well as in raw bytes above.
    let conn = rusqlite::Connection::open(&t.db).unwrap();
    let terms: i64 = conn
        .query_row(
            "SELECT count(*) FROM search_term WHERE worker_id = (SELECT id FROM worker WHERE uid = ?1)",
            [&worker_uid],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(terms, 0);
    let audit_text: Vec<String> = conn
        .prepare("SELECT reason, fields FROM audit")
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        audit_text
            .iter()
            .all(|a| found_in(a.as_bytes(), &needles).is_empty()),
        "{audit_text:?}"
    );
    let drafts: Vec<String> = conn
        .prepare("SELECT form_key FROM draft ORDER BY form_key")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(drafts, vec!["service:new".to_string()]);
    let erasures: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'erase' AND reason = 'request'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(erasures, 4, "the worker and three services, each audited");
    drop(conn);
    let audit_text = ok_stdout(t.cmd().args(["--lang", "en", "audit"]));
    assert_eq!(audit_text.matches("erased").count(), 4, "{audit_text}");
    assert!(audit_text.contains("reason: request"), "{audit_text}");

    // Erasing again is refused with a clear message.
    let again = t
        .cmd()
        .args([
            "--lang",
            "en",
            "worker",
            "erase",
            &worker_uid,
            "--reason",
            "request",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("erased already"));

    // The second laptop applies it, and a repeat of the same batch changes nothing.
    import(&receiver, &second);
    assert_eq!(leaks_in_database(&receiver.db, &needles), vec![]);
    import(&receiver, &second);
    let store = Store::open(&receiver.db).unwrap();
    let worker = store
        .worker_by_uid(&worker_uid)
        .unwrap()
        .expect("kept as a tombstone");
    assert!(worker.deleted);
    assert_eq!(worker.input.name, "");
    assert_eq!(leaks_in_database(&receiver.db, &needles), vec![]);
}

#[test]
fn a_person_registered_on_two_laptops_is_erased_whole_at_the_receiver_in_either_order() {
    const OTHER_PHONE: &str = "13711112222";
    let needles = [NAME, ID_NUMBER, PHONE, OTHER_PHONE, CASE_TEXT];
    for erased_first_laptop_imported_first in [true, false] {
        let a = TestDb::with_officer();
        let b = TestDb::with_officer();
        let uid_a = a.add_worker(NAME, ID_NUMBER, PHONE);
        b.add_worker(NAME, ID_NUMBER, OTHER_PHONE);
        first_line(
            b.cmd()
                .args(["service", "add", "--worker", ID_NUMBER])
                .args([
                    "--kind",
                    "legal_aid",
                    "--category",
                    "wage_arrears",
                    "--status",
                    "open",
                    "--description",
                    CASE_TEXT,
                ]),
        );
        let batch_a = export(&a);
        let batch_b = export(&b);
        let receiver = TestDb::with_officer();
        let order = if erased_first_laptop_imported_first {
            [&batch_a, &batch_b]
        } else {
            [&batch_b, &batch_a]
        };
        for batch in order {
            import(&receiver, batch);
        }
        assert!(!leaks_in_database(&receiver.db, &[OTHER_PHONE]).is_empty());

        ok_stdout(a.cmd().args([
            "worker",
            "erase",
            &uid_a,
            "--reason",
            "consent_withdrawn",
            "--yes",
        ]));
        let erasure = export(&a);
        import(&receiver, &erasure);
        assert_eq!(
            leaks_in_database(&receiver.db, &needles),
            vec![],
            "order: laptop A first = {erased_first_laptop_imported_first}"
        );
        let store = Store::open(&receiver.db).unwrap();
        assert!(store.worker_by_id_number(ID_NUMBER).unwrap().is_none());
    }
}

#[test]
fn the_worker_page_erases_after_the_reason_code_is_typed_and_confirmed() {
    use jingong::text::Lang;
    let (_dir, db, mut store) = crate::support::tui::database_with_officer();
    let uid = store
        .add_worker(&jingong::domain::WorkerInput {
            name: NAME.into(),
            id_number: ID_NUMBER.into(),
            phone: PHONE.into(),
            ..Default::default()
        })
        .unwrap()
        .uid;
    drop(store);
    let mut app = crate::support::tui::open_app(&db, Lang::Zh);
    crate::support::tui::type_text(&mut app, "oych");
    crate::support::tui::keys(&mut app, "enter");
    let screen = |app: &jingong::tui::app::App| crate::support::tui::screen_at(app, 120, 32);
    assert!(
        screen(&app).contains(&format!("职工：{NAME}")),
        "{}",
        screen(&app)
    );

    crate::support::tui::keys(&mut app, "X");
    let asked = screen(&app);
    assert!(
        asked.contains(&format!("删除 {NAME} 的个人信息")),
        "{asked}"
    );
    assert!(asked.contains("无法撤销"), "{asked}");
    crate::support::tui::assert_borders_intact(&asked);
    // Free text is not a reason code: refused in the popup, nothing changes.
    crate::support::tui::type_text(&mut app, "她说的");
    crate::support::tui::keys(&mut app, "enter");
    assert!(screen(&app).contains("不在可选范围内"), "{}", screen(&app));
    // Esc cancels.
    crate::support::tui::keys(&mut app, "esc");
    let check = Store::open(&db).unwrap();
    assert_eq!(check.worker_by_uid(&uid).unwrap().unwrap().input.name, NAME);
    drop(check);

    crate::support::tui::keys(&mut app, "X");
    crate::support::tui::type_text(&mut app, "request");
    crate::support::tui::keys(&mut app, "enter");
    assert!(screen(&app).contains("已删除个人信息"), "{}", screen(&app));
    let check = Store::open(&db).unwrap();
    let erased = check.worker_by_uid(&uid).unwrap().unwrap();
    assert!(erased.deleted);
    assert_eq!(
        (erased.input.name.as_str(), erased.input.phone.as_str()),
        ("", "")
    );
}

#[test]
fn a_withdrawn_record_keeps_its_reason_when_another_record_of_the_person_shows() {
    let a = TestDb::with_officer();
    let b = TestDb::with_officer();
    let uid_a = a.add_worker(NAME, ID_NUMBER, PHONE);
    let a1 = export(&a);
    b.add_worker(NAME, ID_NUMBER, "13711112222");
    let b1 = export(&b);
    ok_stdout(
        a.cmd()
            .args(["worker", "withdraw", &uid_a, "--reason", "另一台电脑已登记"]),
    );
    let a2 = export(&a);

    let receiver = TestDb::with_officer();
    // A's withdrawn record shows first; B's live one then takes its place and A's moves
    // into the person's linked records, reason included.
    for batch in [&a1, &a2, &b1] {
        import(&receiver, batch);
    }
    let conn = rusqlite::Connection::open(&receiver.db).unwrap();
    let linked: String = conn
        .query_row(
            "SELECT record_json FROM worker_link WHERE uid = ?1",
            [&uid_a],
            |r| r.get(0),
        )
        .unwrap();
    let record: Value = serde_json::from_str(&linked).unwrap();
    assert_eq!(record["op"], "delete");
    assert_eq!(record["reason"], "另一台电脑已登记");
}
