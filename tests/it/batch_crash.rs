//! Kills the exporting process at many points, then proves that every record version is in
//! exactly one complete batch, that a version marked exported is always in a complete batch
//! on disk, and that nothing left behind looks like a batch.
//!
//! Two kinds of death: `JINGONG_EXPORT_CRASH_AT` aborts at each named step (deterministic),
//! and SIGKILL after a varying delay (wherever the process happens to be). Between runs the
//! test changes records, so later batches carry new versions.

use crate::support::batch::*;
use jingong::batch::export::CRASH_POINTS;
use jingong::domain::idcard::with_check_digit;
use jingong::domain::{Membership, WorkerInput};
use jingong::store::Store;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// A small deterministic generator, so a failure replays the same way.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn change_some_records(db: &Path, round: u64, rng: &mut Lcg) {
    let mut store = Store::open(db).unwrap();
    let input = WorkerInput {
        name: "张伟".into(),
        id_number: with_check_digit(&format!("11010519900101{:03}", round)),
        phone: String::new(),
        employer: "测试建筑公司".into(),
        membership: Membership::JoinedHere,
        ..WorkerInput::default()
    };
    store.add_worker(&input).unwrap();
    let uids: Vec<String> = jingong::testing::connection(&store)
        .prepare("SELECT uid FROM worker WHERE deleted_at IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let uid = &uids[rng.below(uids.len() as u64) as usize];
    let mut edited = store.worker_by_uid(uid).unwrap().unwrap().input;
    edited.employer = format!("单位{round}");
    store.update_worker(uid, &edited, None).unwrap();
    if round.is_multiple_of(3) {
        let service: Option<String> = jingong::testing::connection(&store)
            .query_row(
                "SELECT uid FROM service WHERE deleted_at IS NULL ORDER BY id LIMIT 1 OFFSET ?1",
                [round as i64 % 20],
                |r| r.get(0),
            )
            .ok();
        if let Some(service) = service {
            store.withdraw_service(&service, "录入有误", None).unwrap();
        }
    }
}

/// Every non-hidden entry of the batch folder, with the (table, uid, version) it holds.
fn batches_on_disk(out: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut complete = Vec::new();
    let mut hidden = Vec::new();
    let Ok(items) = std::fs::read_dir(out) else {
        return (complete, hidden);
    };
    for item in items {
        let path = item.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            hidden.push(path);
        } else {
            assert!(name.starts_with("jingong-"), "stray entry {name}");
            assert!(
                is_complete_batch(&path),
                "{name} looks like a batch but is not complete"
            );
            complete.push(path);
        }
    }
    (complete, hidden)
}

fn versions_in(batch: &Path) -> Vec<(String, String, i64)> {
    let mut source = jingong::batch::source::BatchSource::open(batch).unwrap();
    let mut out = Vec::new();
    for (table, file) in [
        ("worker", "workers.jsonl"),
        ("event", "events.jsonl"),
        ("service", "services.jsonl"),
    ] {
        let bytes = {
            let mut r = source.open_file(file, u64::MAX).unwrap();
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut r, &mut v).unwrap();
            v
        };
        for line in String::from_utf8(bytes).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push((
                table.to_string(),
                v["uid"].as_str().unwrap().to_string(),
                v["version"].as_i64().unwrap(),
            ));
        }
    }
    out
}

/// A version marked exported must be in a complete batch on disk, and no version may be
/// in two batches.
fn check_invariants(db: &Path, out: &Path) -> (usize, usize) {
    let (complete, hidden) = batches_on_disk(out);
    let mut seen: HashMap<(String, String, i64), PathBuf> = HashMap::new();
    for batch in &complete {
        for (table, uid, version) in versions_in(batch) {
            if let Some(other) = seen.insert((table.clone(), uid.clone(), version), batch.clone()) {
                panic!(
                    "{table} {uid} v{version} is in two batches: {} and {}",
                    other.display(),
                    batch.display()
                );
            }
        }
    }
    for ((table, uid), (_, exported)) in versions(db) {
        if exported > 0 {
            assert!(
                seen.contains_key(&(table.clone(), uid.clone(), exported)),
                "{table} {uid} v{exported} is marked exported but in no complete batch"
            );
        }
    }
    (complete.len(), hidden.len())
}

fn export_command(db: &Path, out: &Path, zip: bool) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("jingong"));
    cmd.env("JINGONG_DATA_DIR", db.parent().unwrap().join("data"))
        .env_remove("JINGONG_EXPORT_CRASH_AT")
        .arg("--db")
        .arg(db)
        .arg("export")
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if zip {
        cmd.arg("--zip");
    }
    cmd
}

#[test]
fn killing_export_anywhere_never_loses_or_repeats_a_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path(), "crash.db", 40, 11);
    let out = dir.path().join("batches");
    let mut rng = Lcg(2026);
    let named_runs = CRASH_POINTS.len() * 3;
    let timed_runs = 40;
    let mut aborted = 0;
    for round in 0..(named_runs + timed_runs) as u64 {
        change_some_records(&db, round, &mut rng);
        let zip = round % 4 == 1;
        let mut cmd = export_command(&db, &out, zip);
        if (round as usize) < named_runs {
            cmd.env(
                "JINGONG_EXPORT_CRASH_AT",
                CRASH_POINTS[round as usize % CRASH_POINTS.len()],
            );
            let status = cmd.status().unwrap();
            if !status.success() {
                aborted += 1;
            }
        } else {
            let mut child = cmd.spawn().unwrap();
            std::thread::sleep(Duration::from_millis(rng.below(40)));
            // SIGKILL on Unix: no handler, no cleanup.
            let _ = child.kill();
            if !child.wait().unwrap().success() {
                aborted += 1;
            }
        }
        check_invariants(&db, &out);
    }
    assert!(aborted >= named_runs, "every named crash point must abort");

    // A clean export settles whatever the last death left.
    export_command(&db, &out, false).status().unwrap();
    let (complete, hidden) = check_invariants(&db, &out);
    assert_eq!(hidden, 0, "temporary folders left behind");

    // Everything is exported, each record's current version exactly once.
    let all: Vec<(String, String, i64)> = batches_on_disk(&out)
        .0
        .iter()
        .flat_map(|b| versions_in(b))
        .collect();
    let set: HashSet<_> = all.iter().cloned().collect();
    assert_eq!(set.len(), all.len(), "a version went out twice");
    for ((table, uid), (version, exported)) in versions(&db) {
        assert_eq!(version, exported, "{table} {uid} still waiting");
        assert!(set.contains(&(table.clone(), uid.clone(), version)));
    }

    // The database knows each batch on disk, complete, chained one after another.
    let store = Store::open(&db).unwrap();
    let rows = store.batches().unwrap();
    assert_eq!(rows.len(), complete);
    let mut previous: Option<String> = None;
    let mut per_uid: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in &rows {
        assert_eq!(row.status, "complete");
        assert_eq!(
            row.previous_batch_uid, previous,
            "chain broken at {}",
            row.path
        );
        previous = Some(row.uid.clone());
        // Versions of a record only grow from one batch to the next.
        for (table, uid, version) in versions_in(Path::new(&row.path)) {
            let last = per_uid.insert((table.clone(), uid.clone()), version);
            assert!(last.is_none_or(|l| l < version), "{table} {uid} went back");
        }
    }
}
