//! `jingong restore` (issue 21): a laptop that lost its database comes back from an old backup
//! plus the batches it sent since, continues its chain, and the district sees nothing twice.

use crate::support::batch::{dump, records, stderr_text, stdout_text, versions};
use crate::support::bin::jingong;
use jingong::domain::idcard::with_check_digit;
use jingong::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn id_number(n: usize) -> String {
    with_check_digit(&format!("12010219850612{n:03}"))
}

/// A valid name for worker `n` (names take letters only).
fn name_of(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let tens = if n >= 10 { DIGITS[n / 10] } else { "" };
    format!("工人{tens}{}", DIGITS[n % 10])
}

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    let output = jingong(db).args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        stderr_text(&output)
    );
    output
}

fn register(db: &Path, n: usize) {
    let id = id_number(n);
    run(
        db,
        &[
            "worker",
            "add",
            "--name",
            &name_of(n),
            "--id-number",
            &id,
            "--phone",
            &format!("13900{n:06}"),
        ],
    );
    run(db, &["service", "add", "--worker", &id, "--kind", "job"]);
}

/// Exports into the batches folder beside the database and returns the batch path.
fn export(db: &Path) -> PathBuf {
    export_with(db, &[])
}

fn export_with(db: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["export"];
    args.extend_from_slice(extra);
    let output = run(db, &args);
    PathBuf::from(stdout_text(&output).trim())
}

fn manifest(batch: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(batch.join("manifest.json")).unwrap()).unwrap()
}

fn set_officer(db: &Path) {
    run(
        db,
        &[
            "officer",
            "set",
            "--name",
            "李明",
            "--org",
            "和平区总工会",
            "--district",
            "120101",
        ],
    );
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// The laptop of the scenario: two workers with services and one batch, a backup, then
/// three exports with work between and one more worker never exported. Returns the backup,
/// the four batches, and a copy of the database just before it was lost.
struct Laptop {
    db: PathBuf,
    backup: PathBuf,
    batches: Vec<PathBuf>,
    before_loss: PathBuf,
}

fn laptop_that_lost_its_database(root: &Path) -> Laptop {
    let db = root.join("laptop").join("jingong.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    set_officer(&db);
    register(&db, 1);
    register(&db, 2);
    let mut batches = vec![export(&db)];
    // A correction still waiting when the backup is taken: the backup has it unexported.
    run(
        &db,
        &["worker", "edit", &id_number(1), "--employer", "天津建工"],
    );
    let backup = root.join("backup.db");
    run(&db, &["backup", backup.to_str().unwrap()]);

    register(&db, 3);
    batches.push(export(&db));
    run(
        &db,
        &["worker", "edit", &id_number(2), "--employer", "天津港集团"],
    );
    register(&db, 4);
    // One of them packed as a zip: restore reads those too.
    batches.push(export_with(&db, &["--zip"]));
    run(
        &db,
        &["worker", "edit", &id_number(1), "--employer", "天津地铁"],
    );
    register(&db, 5);
    batches.push(export(&db));
    // Made after the last batch: this one is lost with the database.
    register(&db, 6);

    let before_loss = root.join("before-loss.db");
    run(&db, &["backup", before_loss.to_str().unwrap()]);
    remove_db(&db);
    Laptop {
        db,
        backup,
        batches,
        before_loss,
    }
}

/// Records as they were just before the loss, only those that were sent.
fn sent_records(before_loss: &Path) -> BTreeMap<(String, String), String> {
    let sent = versions(before_loss);
    dump(before_loss)
        .into_iter()
        .filter(|(key, _)| sent[key].0 == sent[key].1)
        .collect()
}

#[test]
fn restore_from_an_old_backup_and_the_batches_continues_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop_that_lost_its_database(dir.path());
    let district = dir.path().join("district.db");
    for batch in &laptop.batches {
        let output = run(&district, &["import", "batch", batch.to_str().unwrap()]);
        assert!(stdout_text(&output).contains("conflicts 0"));
    }

    let output = run(&laptop.db, &["restore", laptop.backup.to_str().unwrap()]);
    let said = stdout_text(&output);
    let last = &laptop.batches[3];
    let last_uid = manifest(last)["batch_uid"].as_str().unwrap().to_string();
    assert!(
        said.contains(&format!("last batch sent: {last_uid}")),
        "{said}"
    );
    assert!(said.contains("may be lost"), "{said}");
    // Batches 1–3 bring workers 3–5 with a service each and two corrections; the first
    // correction was in the backup already (waiting then, marked sent now).
    assert!(said.contains("records restored from batches: 8"), "{said}");

    // Every version sent is back, fields and all, and marked exported; the unsent one is not.
    let expected = sent_records(&laptop.before_loss);
    let restored = dump(&laptop.db);
    let unsent = dump(&laptop.before_loss).len() - expected.len();
    assert_eq!(unsent, 2, "worker 6 and its service were never sent");
    assert_eq!(restored, expected);
    for (key, (version, exported)) in versions(&laptop.db) {
        assert_eq!(version, exported, "{key:?} waits for export again");
    }
    let before = Store::open(&laptop.before_loss)
        .unwrap()
        .device_id()
        .unwrap();
    assert_eq!(
        Store::open(&laptop.db).unwrap().device_id().unwrap(),
        before
    );

    let output = run(&laptop.db, &["export"]);
    assert!(stderr_text(&output).contains("nothing new"));
    assert!(stdout_text(&output).trim().is_empty());

    // The next record goes into a batch chained to the last one sent.
    register(&laptop.db, 7);
    let next = export(&laptop.db);
    assert_eq!(manifest(&next)["previous_batch_uid"], last_uid.as_str());
    let workers = records(&next, "workers.jsonl");
    assert_eq!(workers.len(), 1, "only the new worker: {workers:?}");
    assert_eq!(workers[0]["version"], 1);
    assert_eq!(records(&next, "services.jsonl").len(), 1);

    // The district that merged the earlier batches takes it with no gap, no conflict and no
    // version it had already.
    let output = run(&district, &["import", "batch", next.to_str().unwrap()]);
    let said = stdout_text(&output);
    assert!(
        said.contains("imported 1 workers, 0 events, 1 services, 0 needs, 0 claims; unchanged (same or newer here) 0; conflicts 0"),
        "{said}"
    );
    assert!(!said.contains("gap"), "{said}");
}

#[test]
fn a_new_laptop_continues_as_the_same_device_and_ignores_other_laptops_batches() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop_that_lost_its_database(dir.path());
    // Another officer's batch was copied onto the same stick.
    let other = dir.path().join("other").join("jingong.db");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    set_officer(&other);
    register(&other, 40);
    let other_batch = export(&other);
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    for batch in laptop.batches.iter().chain([&other_batch]) {
        let to = stick.join(batch.file_name().unwrap());
        if batch.is_file() {
            std::fs::copy(batch, &to).unwrap();
            continue;
        }
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(batch).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
        }
    }

    let new_machine = dir.path().join("new").join("jingong.db");
    let output = run(
        &new_machine,
        &[
            "restore",
            laptop.backup.to_str().unwrap(),
            "--batches",
            stick.to_str().unwrap(),
        ],
    );
    assert!(stdout_text(&output).contains("records restored from batches: 8"));
    let said = stderr_text(&output);
    assert!(
        said.contains("1 batch(es) of other laptops ignored"),
        "{said}"
    );
    assert!(said.contains(other_batch.file_name().unwrap().to_str().unwrap()));
    assert_eq!(dump(&new_machine), sent_records(&laptop.before_loss));
    let device = Store::open(&laptop.before_loss)
        .unwrap()
        .device_id()
        .unwrap();
    assert_eq!(
        Store::open(&new_machine).unwrap().device_id().unwrap(),
        device
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&new_machine)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_database_already_there_is_kept_aside_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jingong.db");
    set_officer(&db);
    register(&db, 1);
    let backup = dir.path().join("backup.db");
    run(&db, &["backup", backup.to_str().unwrap()]);
    register(&db, 2);
    let before = dump(&db);

    run(&db, &["restore", backup.to_str().unwrap()]);
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("jingong.db.before-restore-")
                && !name.ends_with("-wal")
                && !name.ends_with("-shm")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(dump(&aside[0]), before, "the set-aside database is whole");
    assert_eq!(dump(&db).len(), 2, "the backup's worker and service");
}

#[test]
fn a_damaged_or_missing_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jingong.db");
    set_officer(&db);
    register(&db, 1);
    let before = dump(&db);
    let bogus = dir.path().join("not-a-backup.db");
    std::fs::write(&bogus, b"this is not a database at all, just some bytes").unwrap();
    // A backup from a newer jingong: this one cannot know its tables.
    let newer = dir.path().join("newer.db");
    run(&db, &["backup", newer.to_str().unwrap()]);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 9999)
        .unwrap();
    for backup in [bogus, newer, dir.path().join("missing.db")] {
        let output = jingong(&db)
            .args(["restore", backup.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!output.status.success());
        let said = stderr_text(&output);
        assert!(said.contains(backup.to_str().unwrap()), "{said}");
        assert_eq!(dump(&db), before);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.contains("before-restore")),
            "{names:?}"
        );
    }
    // In Chinese, as every message.
    let output = crate::support::bin::jingong_in(&db, "zh")
        .args(["restore", dir.path().join("missing.db").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(stderr_text(&output).contains("备份文件不存在；未作任何改动"));
}

#[test]
fn a_missing_batch_in_the_chain_refuses_the_restore_until_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop_that_lost_its_database(dir.path());
    // The second batch after the backup (the zip) is not in the batches folder any more; the
    // district office sends a copy back.
    let returned = dir.path().join("from-district");
    std::fs::create_dir(&returned).unwrap();
    let middle = &laptop.batches[2];
    std::fs::rename(middle, returned.join(middle.file_name().unwrap())).unwrap();

    let output = jingong(&laptop.db)
        .args(["restore", laptop.backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = stderr_text(&output);
    assert!(said.contains("do not continue the chain"), "{said}");
    assert!(said.contains(laptop.batches[3].to_str().unwrap()), "{said}");
    assert!(said.contains("nothing was changed"), "{said}");
    assert!(!laptop.db.exists(), "nothing was put in place");

    let output = run(
        &laptop.db,
        &[
            "restore",
            laptop.backup.to_str().unwrap(),
            "--batches",
            returned.to_str().unwrap(),
        ],
    );
    assert!(stdout_text(&output).contains("records restored from batches: 8"));
    assert_eq!(dump(&laptop.db), sent_records(&laptop.before_loss));
}

#[test]
fn a_damaged_batch_is_not_merged_and_the_restore_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop_that_lost_its_database(dir.path());
    let last = &laptop.batches[3];
    let workers = last.join("workers.jsonl");
    let mut text = std::fs::read_to_string(&workers).unwrap();
    text = text.replacen("天津地铁", "天津公交", 1);
    std::fs::write(&workers, text).unwrap();

    let output = jingong(&laptop.db)
        .args(["restore", laptop.backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = stderr_text(&output);
    assert!(
        said.contains(&format!("not merged: {}", last.display())),
        "{said}"
    );
    assert!(said.contains("some batches were not merged"), "{said}");
    // The two batches before it are in (2 + 3 records), not its own.
    let said = stdout_text(&output);
    assert!(said.contains("records restored from batches: 5"), "{said}");
    let conn = rusqlite::Connection::open(&laptop.db).unwrap();
    let employer: String = conn
        .query_row(
            "SELECT employer FROM worker WHERE id_number = ?1",
            [id_number(1)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        employer, "天津建工",
        "the damaged batch's correction is not taken"
    );
}
