//! Faults an officer's laptop meets: the process killed mid-write (power cut), two processes
//! on one database, and a hostile environment. Each test prints its figures.
//!
//! The child processes are this test binary itself, re-run with `JINGONG_FAULT_CHILD` set, so
//! no test-only code ships in the product.

use crate::support::fixture::officer;
use chrono::{Duration as Days, NaiveDate};
use jingong::domain::WorkerInput;
use jingong::domain::idcard::check_digit;
use jingong::domain::validate::{ServiceDraft, validate_service};
use jingong::store::Store;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A unique valid ID number for the i-th worker a child writes.
fn nth_id_number(i: u64) -> String {
    let birth = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + Days::days((i / 1000) as i64);
    let first17 = format!("120101{}{:03}", birth.format("%Y%m%d"), i % 1000);
    format!("{first17}{}", check_digit(first17.as_bytes()))
}

/// Child mode: writes workers and services forever, printing an acknowledgement line after
/// each commit returns. Only acknowledged records are promised to survive.
fn child_writer(db: &Path, first: u64, step: u64) {
    let mut store = Store::open(db).expect("child opens the database");
    let mut out = std::io::stdout().lock();
    // The test harness has printed "test fault_child ... " without a newline: end that line
    // so every acknowledgement starts its own.
    writeln!(out).unwrap();
    let stamp = store.clock().stamp();
    let service = validate_service(
        &ServiceDraft {
            kind: "winter_warmth".into(),
            amount: "500".into(),
            ..Default::default()
        },
        store.clock().today(),
        "李明",
        &stamp,
    )
    .expect("service");
    let mut i = first;
    loop {
        let id_number = nth_id_number(i);
        i += step;
        if store.worker_by_id_number(&id_number).unwrap().is_some() {
            continue;
        }
        let input = WorkerInput {
            name: "王建国".into(),
            id_number: id_number.clone(),
            phone: "13812345678".into(),
            ..Default::default()
        };
        let created = store.add_worker(&input).expect("register");
        writeln!(out, "W {id_number}").unwrap();
        out.flush().unwrap();
        let logged = store.add_service(&created.uid, &service).expect("service");
        writeln!(out, "S {}", logged.uid).unwrap();
        out.flush().unwrap();
    }
}

/// Runs `child_writer` in a new process of this test binary.
fn spawn_writer(db: &Path, first: u64, step: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "faults::fault_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("JINGONG_FAULT_CHILD", db)
        .env("JINGONG_FAULT_FIRST", first.to_string())
        .env("JINGONG_FAULT_STEP", step.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn child")
}

/// Not a test of its own: the entry point of the child processes.
#[test]
fn fault_child() {
    if let Ok(db) = std::env::var("JINGONG_FAULT_CHILD") {
        let first = std::env::var("JINGONG_FAULT_FIRST")
            .unwrap()
            .parse()
            .unwrap();
        let step = std::env::var("JINGONG_FAULT_STEP")
            .unwrap()
            .parse()
            .unwrap();
        child_writer(Path::new(&db), first, step);
    }
}

fn acknowledged(lines: &[String], tag: &str) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix(tag).map(|s| s.trim().to_string()))
        .collect()
}

fn integrity_ok(db: &Path) -> bool {
    let conn = rusqlite::Connection::open(db).unwrap();
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    result == "ok"
}

#[test]
fn sigkill_during_writes_loses_no_acknowledged_record_200_kills() {
    const KILLS: usize = 200;
    let t = crate::support::fixture::TestDb::new();
    Store::open(&t.db).unwrap().set_officer(&officer()).unwrap();
    let mut workers_acked: Vec<String> = Vec::new();
    let mut services_acked: Vec<String> = Vec::new();
    let mut rng = jingong::demo::Rng::new(2026);
    let started = Instant::now();
    for run in 0..KILLS {
        let mut child = spawn_writer(&t.db, run as u64 * 10_000, 1);
        let stdout = child.stdout.take().unwrap();
        let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        // A quarter of the kills land at any time from the start (often before the first
        // commit); the rest after the first acknowledgement, so a slow, loaded machine still
        // kills mid-stream instead of only during start-up.
        let mut lines: Vec<String> = Vec::new();
        if run % 4 != 0 {
            while let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(20)) {
                let acked = line.starts_with("W ");
                lines.push(line);
                if acked {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(rng.below(60)));
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        reader.join().unwrap();
        lines.extend(lines_rx.try_iter());
        workers_acked.extend(acknowledged(&lines, "W "));
        services_acked.extend(acknowledged(&lines, "S "));
    }
    assert!(integrity_ok(&t.db), "integrity_check after {KILLS} kills");
    let store = Store::open(&t.db).unwrap();
    let mut lost = 0;
    for id_number in &workers_acked {
        if store.worker_by_id_number(id_number).unwrap().is_none() {
            lost += 1;
        }
    }
    for uid in &services_acked {
        if store.service_by_uid(uid).unwrap().is_none() {
            lost += 1;
        }
    }
    let duplicated: i64 = jingong::testing::connection(&store)
        .query_row(
            "SELECT count(*) FROM (SELECT id_number FROM worker GROUP BY id_number HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    println!(
        "runs: {KILLS}, kills: {KILLS}, workers acknowledged: {}, services acknowledged: {}, \
         records checked: {}, lost: {lost}, duplicated: {duplicated}, {:.1} s",
        workers_acked.len(),
        services_acked.len(),
        workers_acked.len() + services_acked.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        workers_acked.len() > KILLS,
        "the children must get real work done"
    );
    assert_eq!(lost, 0);
    assert_eq!(duplicated, 0);
    let unique: HashSet<&String> = workers_acked.iter().collect();
    assert_eq!(unique.len(), workers_acked.len());
}

#[test]
fn two_writers_and_a_reader_on_one_database_lose_nothing_and_never_see_locked() {
    let t = crate::support::fixture::TestDb::new();
    Store::open(&t.db).unwrap().set_officer(&officer()).unwrap();
    let mut a = spawn_writer(&t.db, 0, 2);
    let mut b = spawn_writer(&t.db, 1, 2);
    let reader_db = t.db.clone();
    let reader = std::thread::spawn(move || {
        let store = Store::open_reader(&reader_db).unwrap();
        let mut searches = 0;
        let until = Instant::now() + Duration::from_millis(1500);
        while Instant::now() < until {
            store.search("wjg", 0, 50).expect("reader never fails");
            store
                .search("1201011970", 0, 50)
                .expect("reader never fails");
            searches += 2;
        }
        searches
    });
    let searches = reader.join().unwrap();
    // A third writer: the CLI, as an office script would run it beside the TUI.
    let cli = t
        .cmd()
        .args([
            "worker",
            "add",
            "--name",
            "李四",
            "--id-number",
            "120111200007156699",
        ])
        .args(["--phone", "13912345678"])
        .output()
        .unwrap();
    for child in [&mut a, &mut b] {
        child.kill().unwrap();
    }
    let mut acked = Vec::new();
    let mut errors = String::new();
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(String::from)
            .collect();
        acked.extend(acknowledged(&lines, "W "));
        errors.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(
        cli.status.success(),
        "CLI writer beside two writers: {}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert!(
        !errors.contains("locked") && !errors.contains("panicked"),
        "{errors}"
    );
    let store = Store::open(&t.db).unwrap();
    let lost = acked
        .iter()
        .filter(|id| store.worker_by_id_number(id).unwrap().is_none())
        .count();
    println!(
        "writers: 2 + CLI, workers acknowledged: {}, reader searches: {searches}, lost: {lost}",
        acked.len()
    );
    assert!(acked.len() > 10);
    assert_eq!(lost, 0);
    assert!(integrity_ok(&t.db));
}

#[test]
fn bad_environments_get_a_clear_message_and_a_nonzero_exit() {
    let t = crate::support::fixture::TestDb::with_officer();
    let tried: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "database in a folder that cannot be written",
            vec![
                "--db".into(),
                "/proc/self/jingong.db".into(),
                "stats".into(),
            ],
            "无法打开或创建数据库",
        ),
        (
            "database path is a folder",
            vec![
                "--db".into(),
                t.path().display().to_string(),
                "stats".into(),
            ],
            "无法打开或创建数据库",
        ),
    ];
    for (what, args, expected) in &tried {
        let out = Command::new(env!("CARGO_BIN_EXE_jingong"))
            .args(args)
            .env("JINGONG_DATA_DIR", t.path().join("data"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        println!("bad environment tried: {what}");
    }
}

#[cfg(unix)]
#[test]
fn a_full_disk_refuses_the_save_with_a_message_and_keeps_earlier_data() {
    let t = crate::support::fixture::TestDb::with_officer();
    t.add_worker("张三", "620102199708155206", "13812345678");
    let size = std::fs::metadata(&t.db).unwrap().len();
    // A file-size limit just above the current database: the next growth fails like a full
    // disk. SIGXFSZ is ignored so the write returns an error instead of killing the process.
    let script = format!(
        "trap '' XFSZ; ulimit -f {}; exec \"$0\" \"$@\"",
        size / 512 + 8
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_jingong"))
        .arg("--db")
        .arg(&t.db)
        .args(["demo", "--workers", "3000"])
        .env("JINGONG_DATA_DIR", t.path().join("data"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!(
        "bad environment tried: disk full (RLIMIT_FSIZE {} blocks): {stderr}",
        size / 512 + 8
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("磁盘"), "{stderr}");
    assert!(integrity_ok(&t.db));
    let store = Store::open(&t.db).unwrap();
    assert!(
        store
            .worker_by_id_number("620102199708155206")
            .unwrap()
            .is_some()
    );
}

/// Whether this process is denied a folder whose mode is 000. Root is not (tests often run
/// as root in CI), so the chmod cases are replaced there by faults that deny root too.
#[cfg(unix)]
fn chmod_denies(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::write(probe.join("f"), "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let denied = std::fs::read(probe.join("f")).is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o700)).unwrap();
    denied
}

/// The screens start only after the keymap is loaded from the config folder. Run without a
/// terminal, a start that got past the keymap ends with "needs a terminal" (exit 1); one
/// stopped by the config folder names the file and the reason (exit 2). Neither panics.
#[cfg(unix)]
#[test]
fn config_folder_faults_fall_back_to_defaults_or_stop_with_the_path_and_reason() {
    use std::os::unix::fs::PermissionsExt;
    let t = crate::support::fixture::TestDb::with_officer();
    let root = t.path().join("configs");
    std::fs::create_dir(&root).unwrap();
    let denies = chmod_denies(&root);

    // Each case: what, the config folder given, the exit code and words expected.
    let mut cases: Vec<(String, std::path::PathBuf, i32, &str)> = Vec::new();
    cases.push((
        "config folder missing (defaults used)".into(),
        root.join("missing/jingong"),
        1,
        "须在终端中运行",
    ));
    let file_instead = root.join("a-file");
    std::fs::write(&file_instead, "not a folder").unwrap();
    cases.push((
        "a file where the config folder should be (defaults used)".into(),
        file_instead,
        1,
        "须在终端中运行",
    ));
    let looped = root.join("loop");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    cases.push((
        "config folder is a symlink to itself (cannot be looked into, even by root)".into(),
        looped.clone(),
        2,
        "cannot read the config folder",
    ));
    let keymap_dir = root.join("keymap-is-a-folder");
    std::fs::create_dir_all(keymap_dir.join("keymap.toml")).unwrap();
    cases.push((
        "keymap.toml is a folder (cannot be read, even by root)".into(),
        keymap_dir,
        2,
        "keymap.toml:0: cannot read",
    ));
    let locked = root.join("locked");
    let locked_keymap = root.join("locked-keymap");
    if denies {
        std::fs::create_dir(&locked).unwrap();
        std::fs::write(locked.join("keymap.toml"), "").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        cases.push((
            "config folder unreadable (chmod 000)".into(),
            locked.clone(),
            2,
            "cannot read the config folder",
        ));
        std::fs::create_dir(&locked_keymap).unwrap();
        std::fs::write(locked_keymap.join("keymap.toml"), "").unwrap();
        std::fs::set_permissions(
            locked_keymap.join("keymap.toml"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        cases.push((
            "keymap.toml unreadable (chmod 000)".into(),
            locked_keymap.clone(),
            2,
            "keymap.toml:0: cannot read",
        ));
    } else {
        println!("chmod 000 does not deny this user (root): the chmod cases are skipped");
    }

    for (what, config, code, expected) in &cases {
        let out = Command::new(env!("CARGO_BIN_EXE_jingong"))
            .arg("--db")
            .arg(&t.db)
            .env("JINGONG_DATA_DIR", t.path().join("data"))
            .env("JINGONG_CONFIG_DIR", config)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        if *code == 2 {
            assert!(stderr.contains("按键配置有误"), "{what}: {stderr}");
        }
        println!(
            "bad environment tried: {what}: exit {code}: {}",
            stderr.trim()
        );
    }

    // A keymap named on the command line that is not there.
    let out = Command::new(env!("CARGO_BIN_EXE_jingong"))
        .arg("--db")
        .arg(&t.db)
        .arg("--keymap")
        .arg(root.join("no-such-keymap.toml"))
        .env("JINGONG_DATA_DIR", t.path().join("data"))
        .env("JINGONG_CONFIG_DIR", root.join("missing"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no-such-keymap.toml:0: cannot read"),
        "{stderr}"
    );
    println!("bad environment tried: --keymap names a missing file: exit 2");

    for dir in [&locked, &locked_keymap] {
        if dir.exists() {
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
    }
    let _ = std::fs::set_permissions(
        locked_keymap.join("keymap.toml"),
        std::fs::Permissions::from_mode(0o600),
    );
}

/// The fallback is real: with no config folder at all, the screens start in a terminal with
/// the default keys (F1 help, Ctrl-Q quit) and the program ends normally.
#[cfg(unix)]
#[test]
fn a_missing_config_folder_starts_the_screens_with_the_default_keys() {
    let t = crate::support::fixture::TestDb::with_officer();
    let missing = t.path().join("no/such/config");
    let data = t.path().join("data");
    let mut pty = crate::support::pty::Pty::spawn(
        &["--db".as_ref(), t.db.as_os_str()],
        &[
            ("JINGONG_CONFIG_DIR", missing.as_os_str()),
            ("JINGONG_DATA_DIR", data.as_os_str()),
        ],
    );
    pty.wait_for("还没有登记职工");
    pty.send("\x1bOP");
    pty.wait_for("Ctrl-Q");
    pty.send("\x11");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.text());
    assert!(!missing.exists(), "a missing config folder is not created");
    println!("bad environment tried: config folder missing, in a real terminal: defaults, exit 0");
}
