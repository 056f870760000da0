//! Hostile batches refused whole, several ingesters at once, an ingester killed at any moment.

use super::cluster::*;
use crate::support::batch::*;
use crate::support::bin::jingong;

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
    assert_eq!(output.status.code(), Some(1), "{}", stdout_text(&output));
    assert!(
        stdout_text(&output).contains("refused whole") && stdout_text(&output).contains("SHA-256"),
        "{}",
        stdout_text(&output)
    );
    assert_eq!(db.dump(), before);
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE status = 'refused'"),
        1
    );

    // The batch after it is not held behind it for ever.
    let output = db.ingest(dir.path(), &[&third]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    assert!(
        stdout_text(&output).contains(": applied"),
        "{}",
        stdout_text(&output)
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
    let text = stdout_text(&output);
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
            // Newest first in every process: each holds, then releases.
            parallel.spawn_ingester(d, &[second, first], std::process::Stdio::piped)
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr_text(&out));
        assert_eq!(
            stdout_text(&out).matches(": applied").count(),
            2,
            "{}",
            stdout_text(&out)
        );
    }
    assert_eq!(parallel.dump(), serial.dump());
    assert_eq!(parallel.count("SELECT count(*) FROM workers"), 4 * 40);
    assert!(parallel.count("SELECT count(*) FROM persons WHERE records = 2") >= 30);
}

/// A batch none of whose uids the city holds is written by a plain `INSERT`; when another
/// ingester inserts one of them meanwhile (here: a transaction holding an older copy of one
/// service, committed while the ingester waits on it), the merge rule still decides: the
/// batch's higher version is written, nothing fails and every figure is right.
#[test]
fn a_copy_another_ingester_writes_meanwhile_is_merged_by_version() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let laptop = demo_db(d, "a.db", 8, 41);
    let batch = export(&laptop, &d.join("out"), &[]);
    db.init(d);
    let line = &records(&batch, "services.jsonl")[0];
    let uid = line["uid"].as_str().unwrap().to_string();
    let mut other = db.client();
    let mut meanwhile = other.transaction().unwrap();
    meanwhile
        .execute(
            "INSERT INTO services (uid, version, op, origin_device_id, officer, created_at,
                                   updated_at, worker_uid, kind, served_on, place, quantity,
                                   amount_fen, note, content_md5, batch_uid)
             SELECT uid, 0, op, origin_device_id, officer, created_at, updated_at, worker_uid,
                    kind, served_on, place, quantity, amount_fen, note, 'older copy',
                    gen_random_uuid()
               FROM jsonb_populate_record(NULL::services, $1::text::jsonb)",
            &[&line.to_string()],
        )
        .unwrap();
    let ingester = db.spawn_ingester(d, &[&batch], std::process::Stdio::piped);
    let started = std::time::Instant::now();
    while db.count(
        "SELECT count(*) FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND datname = current_database()",
    ) == 0
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the ingester never waited on the copy written meanwhile"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    meanwhile.commit().unwrap();
    let out = ingester.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert!(
        stdout_text(&out).contains(": applied"),
        "{}",
        stdout_text(&out)
    );
    let row = db
        .client()
        .query_one(
            "SELECT version, content_md5 FROM services WHERE uid = $1::text::uuid",
            &[&uid],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), line["version"].as_i64().unwrap());
    assert_ne!(row.get::<_, String>(1), "older copy");
    assert_eq!(
        db.count("SELECT count(*) FROM services"),
        records(&batch, "services.jsonl").len() as i64
    );
    db.assert_rollups_match();
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
    assert_eq!(output.status.code(), Some(1), "{}", stdout_text(&output));
    assert!(
        stdout_text(&output).contains("refused whole"),
        "{}",
        stdout_text(&output)
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
    let spawn = || db.spawn_ingester(d, &[&batch], std::process::Stdio::null);
    let reset = || {
        db.client()
            .batch_execute(
                "TRUNCATE receipts, conflicts, arrivals, batches, services, events, workers,
                          persons, devices, stat_persons, stat_service_month, stat_reach,
                          stat_registered",
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
    db.assert_rollups_match();
    eprintln!("killed 30 times: {before} left nothing, {after} left the batch whole");
}

#[test]
fn a_record_no_form_would_accept_is_refused_at_the_city_with_its_field_and_rule() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 3, 71);
    // Born 2004-03-02: a service the day before is a date every form accepts on its own.
    let young = jingong::domain::idcard::with_check_digit("12010320040302013");
    let young_uid = add_worker(&laptop, &young, "13800138000");
    let out = dir.path().join("out");
    let first = export(&laptop, &out, &[]);
    jingong(&laptop)
        .args(["demo", "--workers", "2", "--seed", "72"])
        .assert()
        .success();
    jingong(&laptop)
        .args([
            "need",
            "add",
            "--worker",
            &young_uid,
            "--kind",
            "wage_arrears",
        ])
        .args(["--on", "2026-01-05"])
        .assert()
        .success();
    let second = export(&laptop, &out, &[]);
    db.init(dir.path());
    assert!(db.ingest(dir.path(), &[&first]).status.success());
    let before = db.dump();
    // Refused whole, naming each of `named`, with the city as it was.
    let refused = |batch: &std::path::Path, named: &[&str]| {
        let output = db.ingest(dir.path(), &[batch]);
        let shown = stdout_text(&output);
        assert_eq!(output.status.code(), Some(1), "{shown}");
        assert!(shown.contains("refused whole"), "{shown}");
        for name in named {
            assert!(shown.contains(name), "{name}: {shown}");
        }
        assert_eq!(db.dump(), before);
    };

    // A phone number no form takes, in a batch whose hashes are all in order.
    let bad_phone = copy_batch(&second, &dir.path().join("phone"));
    let text = std::fs::read_to_string(bad_phone.join("workers.jsonl")).unwrap();
    let at = text.find("\"phone\":\"").unwrap() + "\"phone\":\"".len();
    let end = at + text[at..].find('"').unwrap();
    std::fs::write(
        bad_phone.join("workers.jsonl"),
        format!("{}12345{}", &text[..at], &text[end..]),
    )
    .unwrap();
    rehash(&bad_phone);
    refused(&bad_phone, &["phone"]);

    // A service for a worker the city already holds, dated the day before their birth: the
    // verifier cannot see the birth (the worker is not in the batch); the city checks it.
    let early = copy_batch(&second, &dir.path().join("early"));
    let lines: Vec<String> = std::fs::read_to_string(early.join("services.jsonl"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut service: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    service["worker_uid"] = young_uid.clone().into();
    service["served_on"] = "2004-03-01".into();
    let mut text = serde_json::to_string(&service).unwrap();
    text.push('\n');
    for line in &lines[1..] {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(early.join("services.jsonl"), text).unwrap();
    rehash(&early);
    refused(&early, &["served_on", "services.jsonl:1"]);

    // The same for a need: raised the day before the birth of a worker the city holds.
    let early_need = copy_batch(&second, &dir.path().join("early-need"));
    let text = std::fs::read_to_string(early_need.join("needs.jsonl")).unwrap();
    let mut need: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
    need["raised_on"] = "2004-03-01".into();
    std::fs::write(
        early_need.join("needs.jsonl"),
        format!("{}\n", serde_json::to_string(&need).unwrap()),
    )
    .unwrap();
    rehash(&early_need);
    refused(&early_need, &["needs.jsonl:1", "raised_on"]);

    // The good copy still goes in behind them.
    assert!(db.ingest(dir.path(), &[&second]).status.success());
    assert_eq!(db.count("SELECT count(*) FROM workers"), 3 + 1 + 2);
    db.assert_rollups_match();
}

/// The database stages a batch while the verifier reads it in another thread: what it meets
/// first must not decide the answer. Each of these is refused for the verifier's reason, with
/// nothing applied.
#[test]
fn a_hostile_batch_staged_before_the_verdict_is_refused_for_the_verifiers_reason() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 3, 81);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    db.init(dir.path());

    // The manifest no longer lists the services (the file is still there, hashes in order).
    let unlisted = copy_batch(&batch, &dir.path().join("unlisted"));
    rehash(&unlisted);
    let path = unlisted.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["name"] != "services.jsonl");
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();

    // A worker line longer than any a batch may hold, listed with its true size and hash.
    let long = copy_batch(&batch, &dir.path().join("long"));
    let text = std::fs::read_to_string(long.join("workers.jsonl")).unwrap();
    let at = text.find("\"note\":\"").unwrap() + "\"note\":\"".len();
    let padding = "x".repeat(jingong::batch::format::MAX_LINE_BYTES);
    std::fs::write(
        long.join("workers.jsonl"),
        format!("{}{padding}{}", &text[..at], &text[at..]),
    )
    .unwrap();
    rehash(&long);

    for (hostile, reason) in [
        (&unlisted, "services.jsonl: data file not listed"),
        (&long, "workers.jsonl:1"),
    ] {
        let output = db.ingest(dir.path(), &[hostile]);
        let shown = stdout_text(&output);
        assert_eq!(output.status.code(), Some(1), "{shown}");
        assert!(
            shown.contains("refused whole") && shown.contains(reason),
            "{reason}: {shown}"
        );
        for table in ["workers", "events", "services", "persons"] {
            assert_eq!(
                db.count(&format!("SELECT count(*) FROM {table}")),
                0,
                "{table}"
            );
        }
    }
    // The sound copy of the same batch still goes in after them.
    assert!(db.ingest(dir.path(), &[&batch]).status.success());
    assert_eq!(db.count("SELECT count(*) FROM workers"), 3);
}
