//! Merging batches from several laptops at the district office.

use crate::support::batch::*;
use crate::support::bin::jingong;
use jingong::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

fn import(db: &Path, batches: &[&Path]) -> std::process::Output {
    let mut cmd = jingong(db);
    cmd.args(["import", "batch"]);
    for b in batches {
        cmd.arg(b);
    }
    cmd.output().unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn importing_the_same_batch_twice_changes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 20, 1);
    let batch = export(&laptop, &dir.path().join("out"), &["--zip"]);
    let district = dir.path().join("district.db");
    assert!(import(&district, &[&batch]).status.success());
    let before = dump(&district);
    let audit_before = count(&district, "SELECT count(*) FROM audit");
    let output = import(&district, &[&batch]);
    assert!(output.status.success());
    assert!(
        stdout_text(&output).contains("imported before; nothing changed"),
        "{}",
        stdout_text(&output)
    );
    assert_eq!(dump(&district), before);
    assert_eq!(count(&district, "SELECT count(*) FROM audit"), audit_before);
    assert_eq!(count(&district, "SELECT count(*) FROM batch"), 1);
}

#[test]
fn the_higher_version_wins_whatever_the_order_and_a_chain_gap_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 10, 2);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let uid = records(&first, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    {
        let mut store = Store::open(&laptop).unwrap();
        let mut input = store.worker_by_uid(&uid).unwrap().unwrap().input;
        input.employer = "后来的单位".into();
        store.update_worker(&uid, &input, None).unwrap();
    }
    let second = export(&laptop, &out, &[]);

    // Newer batch first: imported, with the missing earlier batch reported.
    let district = dir.path().join("district.db");
    let output = import(&district, &[&second]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    assert!(
        stdout_text(&output).contains("has not been imported (gap in the chain)"),
        "{}",
        stdout_text(&output)
    );
    let batches: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["batches", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(batches[0]["chain_gap"], true);

    // Then the older one: its version 1 of that worker does not overwrite version 2.
    let output = import(&district, &[&first]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    let store = Store::open(&district).unwrap();
    let worker = store.worker_by_uid(&uid).unwrap().unwrap();
    assert_eq!(worker.version, 2);
    assert_eq!(worker.input.employer, "后来的单位");
    assert_eq!(store.live_worker_count().unwrap(), 10);
    let batches: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["batches", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(batches[0]["chain_gap"], false, "gap filled");

    // And in the other order, into another database, the same end state.
    let other = dir.path().join("other.db");
    assert!(import(&other, &[&second, &first]).status.success());
    assert_eq!(dump(&other), dump(&district));
    assert_eq!(dump(&other), dump(&laptop));
}

#[test]
fn one_id_number_under_two_worker_uids_is_one_person_with_one_listed_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let id_number = "11010519491231002X";
    let laptop_a = demo_db(dir.path(), "a.db", 3, 3);
    jingong(&laptop_a)
        .args([
            "worker",
            "add",
            "--name",
            "王强",
            "--id-number",
            id_number,
            "--phone",
            "13800138000",
        ])
        .assert()
        .success();
    let laptop_b = dir.path().join("b.db");
    jingong(&laptop_b)
        .args([
            "officer",
            "set",
            "--name",
            "赵敏",
            "--org",
            "河西区总工会",
            "--district",
            "120103",
        ])
        .assert()
        .success();
    jingong(&laptop_b)
        .args([
            "worker",
            "add",
            "--name",
            "王强",
            "--id-number",
            id_number,
            "--phone",
            "13900139000",
        ])
        .assert()
        .success();
    jingong(&laptop_b)
        .args(["service", "add", "--worker", id_number, "--kind", "job"])
        .assert()
        .success();
    let batch_a = export(&laptop_a, &dir.path().join("out-a"), &[]);
    let batch_b = export(&laptop_b, &dir.path().join("out-b"), &[]);
    let uid_a = Store::open(&laptop_a)
        .unwrap()
        .resolve_worker(id_number)
        .unwrap()
        .uid;
    let uid_b = Store::open(&laptop_b)
        .unwrap()
        .resolve_worker(id_number)
        .unwrap()
        .uid;

    let district = dir.path().join("district.db");
    assert!(import(&district, &[&batch_a]).status.success());
    let output = import(&district, &[&batch_b]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    assert!(
        stdout_text(&output).contains("conflicts 1"),
        "{}",
        stdout_text(&output)
    );

    // One person: the later record (laptop B's) shows, laptop A's is linked, and B's service
    // counts for the person.
    let store = Store::open(&district).unwrap();
    let person = store.resolve_worker(id_number).unwrap();
    assert_eq!(person.uid, uid_b);
    assert_eq!(person.input.phone, "13900139000");
    assert_eq!(
        count(
            &district,
            &format!(
                "SELECT count(*) FROM service WHERE worker_id = {} AND deleted_at IS NULL",
                person.id
            )
        ),
        1
    );
    drop(store);

    let output = jingong(&district)
        .args(["conflicts", "--json", "--reveal"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["reason"], "same_person");
    assert_eq!(list[0]["id_number"], id_number);
    assert_eq!(list[0]["kept_uid"], uid_b.as_str());
    assert_eq!(list[0]["incoming_uid"], uid_a.as_str());
    assert_eq!(list[0]["fields"], serde_json::json!(["phone"]));
    assert_eq!(list[0]["incoming"]["phone"], "13800138000");
    assert_eq!(list[0]["incoming"]["officer"]["name"], "李明");

    // Masked unless revealed, in text and JSON alike.
    let masked = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    let masked_text = stdout_text(&masked);
    assert!(!masked_text.contains(id_number), "{masked_text}");
    assert!(!masked_text.contains("13800138000"), "{masked_text}");
    let masked: serde_json::Value = serde_json::from_str(&masked_text).unwrap();
    assert_eq!(masked[0]["incoming"]["phone"], "138****8000");
    let text = jingong(&district).arg("conflicts").output().unwrap();
    assert!(stdout_text(&text).contains("one person on two laptops"));
    assert!(stdout_text(&text).contains("differ: phone"));
    assert!(!stdout_text(&text).contains(id_number));
    let revealed = jingong(&district)
        .args(["conflicts", "--reveal"])
        .output()
        .unwrap();
    assert!(stdout_text(&revealed).contains(id_number));

    // The other order gives the same district.
    let other = dir.path().join("other.db");
    assert!(import(&other, &[&batch_b]).status.success());
    assert!(import(&other, &[&batch_a]).status.success());
    assert_eq!(dump(&other), dump(&district));
    let other_list: serde_json::Value = serde_json::from_slice(
        &jingong(&other)
            .args(["conflicts", "--json", "--reveal"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(other_list[0]["fields"], list[0]["fields"]);
    assert_eq!(other_list[0]["kept_uid"], list[0]["kept_uid"]);
    assert_eq!(other_list[0]["incoming"], list[0]["incoming"]);
}

#[test]
fn resolving_a_conflict_keeps_either_side_as_a_new_version_sent_next() {
    let dir = tempfile::tempdir().unwrap();
    let id_number = "11010519491231002X";
    let mut batches = Vec::new();
    let mut uids = Vec::new();
    for (name, phone) in [("a", "13800138000"), ("b", "13900139000")] {
        let db = demo_db(dir.path(), &format!("{name}.db"), 0, 0);
        jingong(&db)
            .args(["worker", "add", "--name", "王强", "--id-number", id_number])
            .args(["--phone", phone])
            .assert()
            .success();
        uids.push(
            Store::open(&db)
                .unwrap()
                .resolve_worker(id_number)
                .unwrap()
                .uid,
        );
        batches.push(export(&db, &dir.path().join(format!("out-{name}")), &[]));
    }
    let district = dir.path().join("district.db");
    jingong(&district)
        .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    for b in &batches {
        assert!(import(&district, &[b]).status.success());
    }
    let before = versions(&district);
    let list: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["conflicts", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let id = list[0]["id"].as_i64().unwrap().to_string();
    // Laptop B's record shows (registered later); keep laptop A's, the one not shown.
    assert_eq!(list[0]["kept_uid"], uids[1].as_str());

    // Neither side: refused, nothing changed.
    let wrong = jingong(&district)
        .args([
            "conflicts",
            "resolve",
            &id,
            "--keep",
            "0190f0f0-0000-7000-8000-000000000000",
        ])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        stderr_text(&wrong).contains("neither side"),
        "{}",
        stderr_text(&wrong)
    );
    assert_eq!(versions(&district), before);

    let done = jingong(&district)
        .args(["conflicts", "resolve", &id, "--keep", &uids[0]])
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", stderr_text(&done));
    let store = Store::open(&district).unwrap();
    let person = store.resolve_worker(id_number).unwrap();
    assert_eq!(person.uid, uids[0]);
    assert_eq!(person.input.phone, "13800138000");
    assert_eq!(person.version, 2);
    drop(store);
    let open = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    assert_eq!(stdout_text(&open).trim(), "[]");
    let all: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["conflicts", "--json", "--all"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert!(all[0]["resolved_at"].is_string());
    assert_eq!(
        count(
            &district,
            &format!(
                "SELECT count(*) FROM audit WHERE action = 'resolve' AND record_uid = '{}'",
                uids[0]
            )
        ),
        1
    );
    // Resolved once: a second try is refused.
    let again = jingong(&district)
        .args(["conflicts", "resolve", &id, "--keep", &uids[1]])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));

    // The choice is the only thing the office sends; re-importing the laptops' batches
    // changes nothing and lists nothing again.
    let sent = export(&district, &dir.path().join("out-district"), &[]);
    let workers = records(&sent, "workers.jsonl");
    assert_eq!(workers.len(), 1);
    assert_eq!(workers[0]["uid"], uids[0].as_str());
    assert_eq!(workers[0]["version"], 2);
    assert_eq!(records(&sent, "services.jsonl").len(), 0);
    for b in &batches {
        assert!(import(&district, &[b]).status.success());
    }
    let open = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    assert_eq!(stdout_text(&open).trim(), "[]");

    // Laptop B takes the office's batch: it now holds A's record as the person, its own linked.
    let laptop_b = dir.path().join("b.db");
    let output = import(&laptop_b, &[&sent]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    let store = Store::open(&laptop_b).unwrap();
    assert_eq!(
        store.resolve_worker(id_number).unwrap().input.phone,
        "13800138000"
    );
}

#[test]
fn a_damaged_batch_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 10, 4);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let path = batch.join("workers.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"version\":1", "\"version\":0", 1)).unwrap();
    let district = dir.path().join("district.db");
    let output = import(&district, &[&batch]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr_text(&output);
    assert!(err.contains("refused whole"), "{err}");
    assert!(
        err.contains("workers.jsonl:1: field version must be a positive integer"),
        "{err}"
    );
    assert_eq!(count(&district, "SELECT count(*) FROM worker"), 0);
    assert_eq!(count(&district, "SELECT count(*) FROM batch"), 0);
}

#[test]
fn merged_records_keep_their_origin_device_and_officer() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 4, 5);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let district = dir.path().join("district.db");
    jingong(&district)
        .args([
            "officer",
            "set",
            "--name",
            "孙丽",
            "--org",
            "天津市总工会",
            "--district",
            "120101",
        ])
        .assert()
        .success();
    assert!(import(&district, &[&batch]).status.success());
    let laptop_device = Store::open(&laptop).unwrap().device_id().unwrap();
    let conn = rusqlite::Connection::open(&district).unwrap();
    let (origin, officer, officer_device): (String, String, String) = conn
        .query_row(
            "SELECT w.origin_device, o.name, o.device_id FROM worker w
             JOIN officer o ON o.id = w.officer_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(origin, laptop_device);
    assert_eq!(officer, "李明");
    assert_eq!(officer_device, laptop_device);
}

/// Changes the employer of worker `uid` in `db` (one new version).
fn set_employer(db: &Path, uid: &str, employer: &str) {
    let mut store = Store::open(db).unwrap();
    let mut input = store.worker_by_uid(uid).unwrap().unwrap().input;
    input.employer = employer.into();
    store.update_worker(uid, &input, None).unwrap();
}

#[test]
fn a_newer_copy_of_a_record_edited_here_and_not_yet_exported_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 3, 6);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let workers = records(&first, "workers.jsonl");
    let edited = workers[0]["uid"].as_str().unwrap().to_string();
    let untouched = workers[1]["uid"].as_str().unwrap().to_string();

    // The district office merges the laptop's first batch, then its officer corrects one
    // worker; that edit waits for the office's next export.
    let district = dir.path().join("district.db");
    jingong(&district)
        .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    assert!(import(&district, &[&first]).status.success());
    set_employer(&district, &edited, "区办核实的单位");

    // Meanwhile the laptop changes the same worker twice (version 3) and another one once.
    set_employer(&laptop, &edited, "笔记本改的单位");
    set_employer(&laptop, &edited, "笔记本再改的单位");
    set_employer(&laptop, &untouched, "别的单位");
    let second = export(&laptop, &out, &[]);

    let output = import(&district, &[&second]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    assert!(
        stdout_text(&output).contains("conflicts 1"),
        "{}",
        stdout_text(&output)
    );

    // The local edit is kept, and still waits for export; the worker not edited here took
    // the laptop's newer version as before.
    let store = Store::open(&district).unwrap();
    let kept = store.worker_by_uid(&edited).unwrap().unwrap();
    assert_eq!(kept.input.employer, "区办核实的单位");
    assert_eq!(
        store
            .worker_by_uid(&untouched)
            .unwrap()
            .unwrap()
            .input
            .employer,
        "别的单位"
    );
    let (version, exported) = versions(&district)[&("worker".to_string(), edited.clone())];
    assert_eq!(version, 4, "renumbered above the incoming version 3");
    assert!(exported < version, "still waiting for export");
    drop(store);

    let listed = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["reason"], "local_edit");
    assert_eq!(list[0]["table"], "worker");
    assert_eq!(list[0]["kept_uid"], edited.as_str());
    assert_eq!(list[0]["incoming_uid"], edited.as_str());
    assert_eq!(list[0]["incoming"]["version"], 3);
    assert_eq!(list[0]["incoming"]["employer"], "笔记本再改的单位");
    let text = jingong(&district).arg("conflicts").output().unwrap();
    assert!(
        stdout_text(&text).contains("unexported local edit"),
        "{}",
        stdout_text(&text)
    );

    // Importing the same batch again changes nothing and adds no second conflict.
    assert!(import(&district, &[&second]).status.success());
    assert_eq!(count(&district, "SELECT count(*) FROM conflict"), 1);

    // The office's next batch carries its edit; the laptop, whose version 3 went out,
    // takes it, so both end on the copy the office kept.
    let from_district = export(&district, &dir.path().join("out-district"), &[]);
    let sent = records(&from_district, "workers.jsonl");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["uid"], edited.as_str());
    assert_eq!(sent[0]["version"], 4);
    let output = import(&laptop, &[&from_district]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    assert!(stdout_text(&output).contains("conflicts 0"));
    let laptop_store = Store::open(&laptop).unwrap();
    assert_eq!(
        laptop_store
            .worker_by_uid(&edited)
            .unwrap()
            .unwrap()
            .input
            .employer,
        "区办核实的单位"
    );
}

#[test]
fn a_local_edit_already_exported_is_overwritten_by_a_newer_copy() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 2, 7);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let uid = records(&first, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let district = dir.path().join("district.db");
    jingong(&district)
        .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    assert!(import(&district, &[&first]).status.success());
    set_employer(&district, &uid, "区办的单位");
    // The office's edit went out in its own batch: nothing of it can be lost any more.
    export(&district, &dir.path().join("out-district"), &[]);
    set_employer(&laptop, &uid, "笔记本改的单位");
    set_employer(&laptop, &uid, "笔记本再改的单位");
    let second = export(&laptop, &out, &[]);
    let output = import(&district, &[&second]);
    assert!(
        stdout_text(&output).contains("conflicts 0"),
        "{}",
        stdout_text(&output)
    );
    let store = Store::open(&district).unwrap();
    let worker = store.worker_by_uid(&uid).unwrap().unwrap();
    assert_eq!(worker.input.employer, "笔记本再改的单位");
    assert_eq!(worker.version, 3);
}

// ---------------------------------------------------------------------------------------------
// A district office merging five laptops that registered the same people.

const LAPTOPS: usize = 5;
const SHARED: usize = 10;
const RELIEF_FEN: i64 = 30_000;
const OFFICERS: [&str; LAPTOPS] = ["李明", "赵敏", "孙丽", "周强", "吴芳"];

fn at(text: &str) -> jingong::store::clock::Clock {
    jingong::store::clock::Clock::fixed(chrono::DateTime::parse_from_rfc3339(text).unwrap())
}

/// The two laptops that register shared person `i`: ten distinct pairs of five laptops.
fn laptops_of(i: usize) -> [usize; 2] {
    let first = i % LAPTOPS;
    let step = if i < LAPTOPS { 1 } else { 2 };
    [first, (first + step) % LAPTOPS]
}

fn shared_id_number(i: usize) -> String {
    jingong::domain::idcard::with_check_digit(&format!("12010119{:02}0315{:03}", 80 + i, 100 + i))
}

fn own_id_number(laptop: usize, n: usize) -> String {
    jingong::domain::idcard::with_check_digit(&format!("12010219{:02}0610{:03}", 70 + laptop, n))
}

fn worker_input(name: &str, id_number: &str, phone: &str) -> jingong::domain::WorkerInput {
    jingong::domain::WorkerInput {
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.into(),
        employer: "海河建设集团".into(),
        district_code: "120101".into(),
        ..Default::default()
    }
}

fn service(kind: &str, amount_fen: i64, on: &str) -> jingong::domain::ServiceInput {
    jingong::domain::ServiceInput {
        kind: kind.into(),
        served_on: Some(chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap()),
        quantity: 1,
        amount_fen,
        ..Default::default()
    }
}

/// Five laptops, each with its officer and device, two batches each. Every shared person is
/// registered on two laptops at the same instant (so the uid decides which record shows), with
/// a phone of that laptop's; in the second batch one or both laptops correct the person's
/// employer (a later `updated_at` decides) and pay ¥300 of winter relief.
pub(crate) fn five_laptops(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut batches = Vec::new();
    for (laptop, officer) in OFFICERS.iter().enumerate() {
        let db = dir.join(format!("laptop-{laptop}.db"));
        let shared: Vec<usize> = (0..SHARED)
            .filter(|i| laptops_of(*i).contains(&laptop))
            .collect();
        let mut uids = std::collections::HashMap::new();
        {
            let mut store = Store::open(&db).unwrap();
            store.set_clock(at("2026-11-20T09:00:00+08:00"));
            store
                .set_officer(&jingong::domain::Officer {
                    name: (*officer).into(),
                    organisation: "和平区总工会".into(),
                    district_code: "120101".into(),
                })
                .unwrap();
            for &i in &shared {
                store.set_clock(at(&format!("2026-11-20T09:{i:02}:00+08:00")));
                let phone = format!("1380000{laptop}{i:03}");
                let r = store
                    .add_worker(&worker_input(
                        &format!("共享{}", "甲乙丙丁戊己庚辛壬癸".chars().nth(i).unwrap()),
                        &shared_id_number(i),
                        &phone,
                    ))
                    .unwrap();
                store
                    .add_service(&r.uid, &service("job", 0, "2026-11-20"))
                    .unwrap();
                uids.insert(i, r.uid);
            }
            for n in 0..2 {
                store.set_clock(at(&format!("2026-11-20T10:{laptop}{n}:00+08:00")));
                let r = store
                    .add_worker(&worker_input(
                        "本机职工",
                        &own_id_number(laptop, n),
                        &format!("1390000{laptop}{n}00"),
                    ))
                    .unwrap();
                store
                    .add_service(&r.uid, &service("skills", 0, "2026-11-20"))
                    .unwrap();
            }
        }
        batches.push(export(&db, &dir.join(format!("out-{laptop}")), &[]));
        {
            let mut store = Store::open(&db).unwrap();
            for &i in &shared {
                if (i + laptop) % 2 != 0 {
                    continue;
                }
                store.set_clock(at(&format!(
                    "2026-11-25T10:{laptop}{}:{i:02}+08:00",
                    i % 10
                )));
                let uid = &uids[&i];
                let mut input = store.worker_by_uid(uid).unwrap().unwrap().input;
                input.employer = format!("{officer}核实的单位");
                store.update_worker(uid, &input, None).unwrap();
                store
                    .add_service(uid, &service("relief_money", RELIEF_FEN, "2026-11-25"))
                    .unwrap();
            }
            store.set_clock(at(&format!("2026-11-25T11:0{laptop}:00+08:00")));
            let r = store
                .add_worker(&worker_input(
                    "新来职工",
                    &own_id_number(laptop, 9),
                    &format!("1390000{laptop}900"),
                ))
                .unwrap();
            store
                .add_service(&r.uid, &service("relief_money", RELIEF_FEN, "2026-11-25"))
                .unwrap();
        }
        batches.push(export(&db, &dir.join(format!("out-{laptop}")), &[]));
    }
    batches
}

/// Everything a merge decides, by uid: live records (through `dump`), linked records and
/// conflicts (their date and batch aside, which say when, not what).
/// Live records by (table, uid), linked records, conflicts.
pub(crate) type MergedState = (BTreeMap<(String, String), String>, Vec<String>, Vec<String>);

pub(crate) fn merged_state(db: &Path) -> MergedState {
    let conn = rusqlite::Connection::open(db).unwrap();
    let strings = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.sort();
        rows
    };
    let links = strings(
        "SELECT l.uid || '|' || w.uid || '|' || l.version || '|' || l.record_json
         FROM worker_link l JOIN worker w ON w.id = l.worker_id",
    );
    let conflicts = strings(
        "SELECT reason || '|' || record_table || '|' || id_number || '|' || kept_uid || '|'
             || incoming_uid || '|' || fields || '|' || incoming_json || '|'
             || coalesce(resolved_at, '')
         FROM conflict",
    );
    (dump(db), links, conflicts)
}

fn money(db: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*), coalesce(sum(s.amount_fen), 0) FROM service s
         JOIN worker w ON w.id = s.worker_id
         WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn stats_json(db: &Path) -> serde_json::Value {
    let output = jingong(db)
        .env("JINGONG_NOW", "2026-11-30T12:00:00+08:00")
        .args([
            "stats",
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-30",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_text(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A fixed-seed Fisher–Yates shuffle (xorshift), so the "random" order is the same each run.
fn shuffled<T: Clone>(items: &[T], mut seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    for i in (1..out.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    out
}

#[test]
fn merges_of_five_laptops_in_any_order_give_one_district_and_lose_no_payment() {
    let dir = tempfile::tempdir().unwrap();
    let batches = five_laptops(dir.path());
    assert_eq!(batches.len(), 10);

    // What the laptops hold between them: every service is someone's, once.
    let (laptop_services, laptop_fen) = (0..LAPTOPS)
        .map(|l| money(&dir.path().join(format!("laptop-{l}.db"))))
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let relief_on_shared: i64 = (0..LAPTOPS)
        .map(|l| {
            (0..SHARED)
                .filter(|i| laptops_of(*i).contains(&l) && (i + l) % 2 == 0)
                .count() as i64
        })
        .sum();
    assert!(
        relief_on_shared >= 5,
        "the scenario pays relief to shared people"
    );
    assert_eq!(laptop_fen, (relief_on_shared + LAPTOPS as i64) * RELIEF_FEN);

    let forward = batches.clone();
    let reversed: Vec<_> = batches.iter().rev().cloned().collect();
    let mixed = shuffled(&batches, 0x5eed_2026);
    assert_ne!(mixed, forward);
    assert_ne!(mixed, reversed);

    let mut results = Vec::new();
    for (name, order) in [
        ("forward", &forward),
        ("reversed", &reversed),
        ("shuffled", &mixed),
    ] {
        let district = dir.path().join(format!("district-{name}.db"));
        // One batch per run, so the order given is the order applied.
        for batch in order {
            let output = import(&district, &[batch]);
            assert!(output.status.success(), "{name}: {}", stderr_text(&output));
        }
        let (services, fen) = money(&district);
        assert_eq!(services, laptop_services, "{name}: every service counted");
        assert_eq!(fen, laptop_fen, "{name}: every payment counted");
        assert_eq!(
            count(
                &district,
                "SELECT count(*) FROM worker WHERE deleted_at IS NULL"
            ),
            (LAPTOPS * 3) as i64 + SHARED as i64,
            "{name}: one live row per person"
        );
        assert_eq!(
            count(&district, "SELECT count(*) FROM worker_link"),
            SHARED as i64,
            "{name}: the second record of each shared person is linked"
        );
        assert_eq!(
            count(
                &district,
                "SELECT count(*) FROM conflict WHERE reason <> 'same_person'"
            ),
            0,
            "{name}: no service parked behind its worker"
        );
        // Each shared person's records disagree (phones at least): one conflict each.
        assert_eq!(
            count(
                &district,
                "SELECT count(DISTINCT id_number) FROM conflict WHERE reason = 'same_person'"
            ),
            SHARED as i64
        );
        assert_eq!(
            count(&district, "SELECT count(*) FROM conflict"),
            SHARED as i64,
            "{name}: each conflict listed once"
        );
        let stats = stats_json(&district);
        assert_eq!(stats["services"], laptop_services, "{name}");
        assert_eq!(
            stats["reach"]["served"],
            (LAPTOPS * 3 + SHARED) as i64,
            "{name}: reach counts a person once"
        );
        results.push((name, merged_state(&district), stats));
    }
    for (name, state, stats) in &results[1..] {
        assert_eq!(
            state.0, results[0].1.0,
            "{name}: live records differ from forward"
        );
        assert_eq!(
            state.1, results[0].1.1,
            "{name}: linked records differ from forward"
        );
        assert_eq!(
            state.2, results[0].1.2,
            "{name}: conflicts differ from forward"
        );
        assert_eq!(stats, &results[0].2, "{name}: stats differ from forward");
    }

    // The shown record is the one the rule picks: a corrected record (later updated_at) over
    // an untouched one; between two untouched ones registered at the same instant, the
    // greater uid.
    let district = dir.path().join("district-forward.db");
    let store = Store::open(&district).unwrap();
    for i in 0..SHARED {
        let [a, b] = laptops_of(i);
        let shown = store.resolve_worker(&shared_id_number(i)).unwrap();
        let edited: Vec<usize> = [a, b].into_iter().filter(|l| (i + l) % 2 == 0).collect();
        match edited.as_slice() {
            [one] => assert_eq!(
                shown.input.employer,
                format!("{}核实的单位", OFFICERS[*one])
            ),
            // Both corrected: the later edit is the one of the higher-numbered laptop.
            [_, _] => assert_eq!(
                shown.input.employer,
                format!("{}核实的单位", OFFICERS[a.max(b)])
            ),
            _ => {
                let link_uid: String = jingong::testing::connection(&store)
                    .query_row(
                        "SELECT uid FROM worker_link WHERE worker_id = ?1",
                        [shown.id],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert!(
                    shown.uid > link_uid,
                    "tie on updated_at goes to the greater uid"
                );
            }
        }
    }
}

#[test]
fn a_record_withdrawn_on_one_laptop_and_live_on_another_is_one_live_person_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let id_number = "11010519491231002X";
    let mut batches = Vec::new();
    for (name, withdraw) in [("a", true), ("b", false)] {
        let db = demo_db(dir.path(), &format!("{name}.db"), 0, 0);
        jingong(&db)
            .args(["worker", "add", "--name", "王强", "--id-number", id_number])
            .args(["--phone", "13800138000"])
            .assert()
            .success();
        if withdraw {
            let mut store = Store::open(&db).unwrap();
            let uid = store.resolve_worker(id_number).unwrap().uid;
            store.withdraw_worker(&uid, "录入有误", None).unwrap();
        }
        batches.push(export(&db, &dir.path().join(format!("out-{name}")), &[]));
    }
    let forward = dir.path().join("forward.db");
    let backward = dir.path().join("backward.db");
    for b in &batches {
        assert!(import(&forward, &[b]).status.success());
    }
    for b in batches.iter().rev() {
        assert!(import(&backward, &[b]).status.success());
    }
    assert_eq!(merged_state(&forward), merged_state(&backward));
    assert_eq!(
        count(
            &forward,
            "SELECT count(*) FROM worker WHERE deleted_at IS NULL"
        ),
        1
    );
    assert_eq!(count(&forward, "SELECT count(*) FROM worker"), 1);
    assert_eq!(
        count(
            &forward,
            "SELECT count(*) FROM worker_link WHERE deleted = 1"
        ),
        1
    );
    // Withdrawn on one laptop, live on the other: that difference is listed once.
    assert_eq!(
        count(
            &forward,
            "SELECT count(*) FROM conflict WHERE reason = 'same_person' AND fields LIKE '%withdrawn%'"
        ),
        1
    );
}

#[test]
fn a_local_edit_conflict_is_resolved_for_the_incoming_copy_as_a_version_above_both() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 2, 8);
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    let uid = records(&first, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let district = dir.path().join("district.db");
    jingong(&district)
        .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    assert!(import(&district, &[&first]).status.success());
    set_employer(&district, &uid, "区办核实的单位");
    set_employer(&laptop, &uid, "笔记本改的单位");
    set_employer(&laptop, &uid, "笔记本再改的单位");
    let second = export(&laptop, &out, &[]);
    assert!(import(&district, &[&second]).status.success());
    let list: serde_json::Value = serde_json::from_slice(
        &jingong(&district)
            .args(["conflicts", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(list[0]["reason"], "local_edit");
    let id = list[0]["id"].as_i64().unwrap().to_string();

    // Both copies carry one uid: the uid does not say which; the message says what does.
    let before = versions(&district);
    let ambiguous = jingong(&district)
        .args(["conflicts", "resolve", &id, "--keep", &uid])
        .output()
        .unwrap();
    assert_eq!(ambiguous.status.code(), Some(1));
    assert!(
        stderr_text(&ambiguous).contains("choose here or incoming"),
        "{}",
        stderr_text(&ambiguous)
    );
    assert_eq!(versions(&district), before);

    let done = jingong(&district)
        .args(["conflicts", "resolve", &id, "--keep", "incoming"])
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", stderr_text(&done));
    let store = Store::open(&district).unwrap();
    let worker = store.worker_by_uid(&uid).unwrap().unwrap();
    assert_eq!(worker.input.employer, "笔记本再改的单位");
    // Above the office's renumbered edit (4) and the laptop's copy (3).
    assert_eq!(worker.version, 5);
    drop(store);
    assert_eq!(
        count(
            &district,
            &format!(
                "SELECT count(*) FROM audit WHERE action = 'resolve' AND record_uid = '{uid}'"
            )
        ),
        1
    );
    let open = jingong(&district)
        .args(["conflicts", "--json"])
        .output()
        .unwrap();
    assert_eq!(stdout_text(&open).trim(), "[]");
    let sent = export(&district, &dir.path().join("out-district"), &[]);
    let workers = records(&sent, "workers.jsonl");
    assert_eq!(workers.len(), 1);
    assert_eq!(workers[0]["uid"], uid.as_str());
    assert_eq!(workers[0]["version"], 5);
    assert_eq!(workers[0]["employer"], "笔记本再改的单位");
}

#[test]
fn two_copies_of_one_version_show_the_later_one_in_any_order_and_list_the_other_once() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 2, 9);
    let first = export(&laptop, &dir.path().join("out"), &[]);
    let worker_uid = records(&first, "workers.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let service_uid = records(&first, "services.jsonl")[0]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    // Two offices merge the laptop's batch, and each corrects the same worker and service
    // (so each makes version 2 of them, office B the later one), then exports.
    let mut office_batches = Vec::new();
    for (office, day) in [("a", "01"), ("b", "02")] {
        let db = dir.path().join(format!("office-{office}.db"));
        jingong(&db)
            .args(["officer", "set", "--name", "孙丽", "--org", "天津市总工会"])
            .args(["--district", "120101"])
            .assert()
            .success();
        assert!(import(&db, &[&first]).status.success());
        set_employer(&db, &worker_uid, &format!("{office} 办核实的单位"));
        // Services have no edit command yet: the office's correction is made as one would be.
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute(
                "UPDATE service SET version = 2, note = ?2, updated_at = ?3 WHERE uid = ?1",
                rusqlite::params![
                    service_uid,
                    format!("{office} 办更正"),
                    format!("2026-11-{day}T10:00:00.000+08:00")
                ],
            )
            .unwrap();
        office_batches.push(export(&db, &dir.path().join(format!("out-{office}")), &[]));
    }
    let mut states = Vec::new();
    for (name, order) in [("ab", [0, 1]), ("ba", [1, 0])] {
        let district = dir.path().join(format!("district-{name}.db"));
        assert!(import(&district, &[&first]).status.success());
        for i in order {
            let output = import(&district, &[&office_batches[i]]);
            assert!(output.status.success(), "{}", stderr_text(&output));
        }
        let store = Store::open(&district).unwrap();
        let worker = store.worker_by_uid(&worker_uid).unwrap().unwrap();
        assert_eq!(
            worker.input.employer, "b 办核实的单位",
            "{name}: the later copy"
        );
        drop(store);
        assert_eq!(
            count(
                &district,
                &format!(
                    "SELECT count(*) FROM service WHERE uid = '{service_uid}' AND note = 'b 办更正'"
                )
            ),
            1,
            "{name}"
        );
        // One conflict per record, holding office A's copy.
        let list: serde_json::Value = serde_json::from_slice(
            &jingong(&district)
                .args(["conflicts", "--json", "--reveal"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 2, "{name}: {list:?}");
        assert!(list.iter().all(|c| c["reason"] == "diverged"));
        assert!(
            list.iter()
                .any(|c| c["incoming"]["employer"] == "a 办核实的单位"),
            "{name}: {list:?}"
        );
        assert!(
            list.iter().any(|c| c["incoming"]["note"] == "a 办更正"),
            "{name}: {list:?}"
        );
        states.push(merged_state(&district));
    }
    assert_eq!(states[0], states[1]);
}
