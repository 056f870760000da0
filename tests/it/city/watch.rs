//! `city ingest --inbox DIR --watch`: a long-running ingester that takes each batch once it is
//! completely copied, logs one line per batch without personal data and stops on SIGTERM.

use super::cluster::*;
use crate::support::batch::*;
use crate::support::bin::jingong;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < timeout, "waited {timeout:?} for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn arrivals_of(db: &CityDb, batch_uid: &str) -> i64 {
    db.count(&format!(
        "SELECT count(*) FROM arrivals WHERE batch_uid = '{batch_uid}'"
    ))
}

fn applied_in_status(db: &CityDb, dir: &Path, batch_uid: &str) -> bool {
    status_json(db, dir)
        .iter()
        .any(|d| d["last_batch_uid"].as_str() == Some(batch_uid))
}

fn manifest_uid_of_zip(zip: &Path) -> String {
    let file = std::fs::File::open(zip).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let name = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .find(|n| n.ends_with("manifest.json"))
        .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_reader(archive.by_name(&name).unwrap()).unwrap();
    manifest["batch_uid"].as_str().unwrap().to_string()
}

struct Watcher {
    child: Child,
    log: PathBuf,
}

impl Watcher {
    fn start(db: &CityDb, dir: &Path, inbox: &Path, extra: &[&str]) -> Watcher {
        let log = dir.join("watch.log");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_jingong"))
            .env("JINGONG_DATA_DIR", dir.join("data"))
            .env("JINGONG_CONFIG_DIR", dir.join("config"))
            .env_remove("JINGONG_PG")
            .args(["--lang", "en", "city", "ingest", "--pg", &db.conninfo])
            .arg("--inbox")
            .arg(inbox)
            .args(["--watch", "--every", "1"])
            .args(extra)
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Watcher { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }

    fn assert_running(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the watcher ended early: {}",
            self.log()
        );
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Only when a test failed before its own SIGTERM.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_watcher_takes_each_batch_once_complete_answers_it_and_stops_on_sigterm() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let laptop = demo_db(d, "a.db", 4, 31);
    let first = export(&laptop, &d.join("out"), &[]);
    jingong(&laptop)
        .args(["demo", "--workers", "3", "--seed", "32"])
        .assert()
        .success();
    let second = export(&laptop, &d.join("out"), &["--zip"]);
    let key = d.join("city.key");
    let out = jingong(&d.join("unused.db"))
        .args(["city", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    db.init(d);
    let inbox = d.join("inbox");
    let receipts = d.join("receipts");
    std::fs::create_dir(&inbox).unwrap();
    let key_arg = key.display().to_string();
    let receipts_arg = receipts.display().to_string();
    let mut watcher = Watcher::start(
        &db,
        d,
        &inbox,
        &["--receipts", &receipts_arg, "--key", &key_arg],
    );

    // Started on an empty inbox, it keeps running.
    std::thread::sleep(Duration::from_millis(1500));
    watcher.assert_running();
    assert_eq!(db.count("SELECT count(*) FROM arrivals"), 0);

    // A folder dropped in later is applied.
    let first_uid = uid_of(&first);
    copy_batch(&first, &inbox);
    wait_until("the first batch", Duration::from_secs(60), || {
        applied_in_status(&db, d, &first_uid)
    });

    // A zip copied in slowly, a piece every 200 ms over several polls, is not read before it
    // is whole: read half-written, it would fail verification and be refused.
    let second_uid = manifest_uid_of_zip(&second);
    let bytes = std::fs::read(&second).unwrap();
    let target = inbox.join(second.file_name().unwrap());
    let mut copy = std::fs::File::create(&target).unwrap();
    let pieces = 20;
    let piece = bytes.len().div_ceil(pieces);
    for chunk in bytes.chunks(piece).take(pieces - 1) {
        copy.write_all(chunk).unwrap();
        copy.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(arrivals_of(&db, &second_uid), 0, "read while being copied");
    }
    assert!(
        std::fs::metadata(&target).unwrap().len() < bytes.len() as u64,
        "the copy was still partial up to here"
    );
    copy.write_all(&bytes[piece * (pieces - 1)..]).unwrap();
    drop(copy);
    wait_until("the zipped batch", Duration::from_secs(60), || {
        applied_in_status(&db, d, &second_uid)
    });
    assert_eq!(
        db.count("SELECT count(*) FROM batches WHERE status = 'applied'"),
        2
    );
    assert_eq!(db.count("SELECT count(*) FROM workers"), 7);

    // Batches already taken are not read again on later polls.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(arrivals_of(&db, &first_uid), 1);
    assert_eq!(arrivals_of(&db, &second_uid), 1);
    for uid in [&first_uid, &second_uid] {
        assert!(receipts.join(format!("receipt-{uid}.json")).is_file());
    }

    // SIGTERM: it ends between batches, exit 0.
    watcher.assert_running();
    let pid = watcher.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = watcher.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "still running");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0), "{}", watcher.log());

    // One line per batch, then the stop; no ID number, phone or name in it.
    let log = watcher.log();
    let applied: Vec<&str> = log.lines().filter(|l| l.contains(": applied")).collect();
    assert_eq!(applied.len(), 2, "{log}");
    assert!(applied[0].contains(&first_uid) && applied[1].contains(&second_uid));
    assert!(
        log.lines()
            .last()
            .unwrap()
            .ends_with("stopped watching the inbox")
    );
    // A half-written zip read early leaves no row (it is not a zip yet) but a line: none here.
    let zip_name = second.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        log.lines().filter(|l| l.contains(&zip_name)).count(),
        1,
        "{log}"
    );
    for worker in records(&first, "workers.jsonl") {
        for field in ["id_number", "phone", "name"] {
            let value = worker[field].as_str().unwrap();
            assert!(!log.contains(value), "{field} in the log: {log}");
        }
    }
}

#[test]
fn every_out_of_its_bounds_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let inbox_arg = inbox.display().to_string();
    for (lang, every, says) in [
        ("en", "0", "--every: the time between looks at the inbox"),
        ("en", "3601", "from 1 to 3600; got “3601”"),
        (
            "zh",
            "ten",
            "--every：检查收件夹的间隔应为 1 到 3600 之间的整数秒",
        ),
    ] {
        // No server at this address: the option is checked before connecting.
        let out = crate::support::bin::jingong_in(&dir.path().join("unused.db"), lang)
            .args(["city", "ingest", "--pg", "host=/nonexistent dbname=none"])
            .args(["--inbox", &inbox_arg, "--watch", "--every", every])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{every}");
        assert!(stderr_text(&out).contains(says), "{}", stderr_text(&out));
    }
    // --watch needs an inbox; --every needs --watch.
    for args in [
        &["--watch", "x.zip"][..],
        &["--inbox", &inbox_arg, "--every", "5"],
    ] {
        let out = jingong(&dir.path().join("unused.db"))
            .args(["city", "ingest", "--pg", "host=/nonexistent"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr_text(&out).contains("--watch"),
            "{}",
            stderr_text(&out)
        );
    }
}
