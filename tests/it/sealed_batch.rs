//! Sealed batches (issue 16): `export` on a laptop with receivers set writes `<name>.zip.age`,
//! which holds nothing readable without a receiver's identity, opens with it to the same
//! records an unsealed export carries, and is refused with nothing changed when the identity
//! is missing or wrong or the file is cut short.

#![cfg(unix)]

use crate::support::batch::*;
use crate::support::bin::{jingong, jingong_in};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A receiver's identity made by `seal-key`, and its public key.
fn receiver_key(dir: &Path, name: &str) -> (PathBuf, String) {
    let file = dir.join(name);
    let db = dir.join("keys.db");
    let output = jingong(&db)
        .args(["seal-key", "--out"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_text(&output));
    let recipient = stdout_text(&output).trim().to_string();
    assert!(recipient.starts_with("age1"), "{recipient}");
    (file, recipient)
}

fn id_numbers(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare("SELECT id_number FROM worker").expect("sql");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

/// Copies a closed database (with its WAL, if any) so the same waiting records can be
/// exported twice.
fn copy_db(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let src = PathBuf::from(format!("{}{suffix}", from.display()));
        if src.exists() {
            std::fs::copy(&src, format!("{}{suffix}", to.display())).expect("copy");
        }
    }
}

/// Every data file's lines of a batch (zip or sealed, opened with the identities given).
fn record_lines(batch: &Path) -> Vec<String> {
    let mut source = jingong::batch::source::BatchSource::open(batch).expect("opens");
    let mut lines = Vec::new();
    for file in ["workers.jsonl", "events.jsonl", "services.jsonl"] {
        let mut text = String::new();
        source
            .open_file(file, u64::MAX)
            .expect("data file")
            .read_to_string(&mut text)
            .expect("utf-8");
        lines.extend(text.lines().map(|l| format!("{file}: {l}")));
    }
    lines
}

struct Sealed {
    dir: tempfile::TempDir,
    laptop: PathBuf,
    identity: PathBuf,
    batch: PathBuf,
    unsealed: PathBuf,
}

/// A laptop with 6 demo workers sealing to one receiver, and the same records exported
/// unsealed from a copy of the database.
fn sealed_export() -> Sealed {
    let dir = tempfile::tempdir().expect("tempdir");
    let laptop = demo_db(dir.path(), "laptop.db", 6, 7);
    let (identity, recipient) = receiver_key(dir.path(), "district.key");
    jingong(&laptop)
        .args(["officer", "set", "--seal-to", &recipient])
        .assert()
        .success();
    let twin = dir.path().join("twin.db");
    copy_db(&laptop, &twin);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let unsealed = export(&twin, &dir.path().join("plain"), &["--no-seal", "--zip"]);
    Sealed {
        dir,
        laptop,
        identity,
        batch,
        unsealed,
    }
}

#[test]
fn a_sealed_batch_shows_nothing_without_the_key_and_the_same_records_with_it() {
    let s = sealed_export();
    let name = s.batch.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.ends_with(".zip.age"), "sealed by default: {name}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&s.batch).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "owner-only");

    // Outside the seal only the name is readable, and it holds no personal data.
    let bytes = std::fs::read(&s.batch).unwrap();
    let ids = id_numbers(&s.laptop);
    assert_eq!(ids.len(), 6);
    for id in &ids {
        assert!(!name.contains(id.as_str()));
        assert!(
            !bytes.windows(id.len()).any(|w| w == id.as_bytes()),
            "an ID number is readable in the sealed file"
        );
    }
    assert!(
        !bytes.windows(4).any(|w| w == b"PK\x03\x04"),
        "no zip inside in the clear"
    );

    // verify without an identity refuses, in both languages, naming what is needed.
    for (lang, needle) in [("en", "--identity"), ("zh", "需要接收方的私钥")] {
        let out = jingong_in(&s.laptop, lang)
            .arg("verify")
            .arg(&s.batch)
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(stderr_text(&out).contains(needle), "{}", stderr_text(&out));
    }
    let out = jingong(&s.laptop)
        .arg("verify")
        .arg(&s.batch)
        .arg("--identity")
        .arg(&s.identity)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert!(
        stdout_text(&out).contains("6 workers"),
        "{}",
        stdout_text(&out)
    );

    // Opened, the records are line for line those of the unsealed export.
    let identities = jingong::batch::seal::read_identities(&s.identity).unwrap();
    jingong::batch::seal::use_identities(identities);
    let sealed_lines = record_lines(&s.batch);
    assert!(sealed_lines.len() >= 6 + 18);
    assert_eq!(sealed_lines, record_lines(&s.unsealed));
}

#[test]
fn import_opens_with_the_right_identity_and_refuses_wrong_or_cut_short() {
    let s = sealed_export();
    let dir = s.dir.path();
    let district = demo_db(dir, "district.db", 0, 1);
    let (wrong, _) = receiver_key(dir, "city-other.key");
    let truncated = dir.join("cut.zip.age");
    let bytes = std::fs::read(&s.batch).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let before = dump(&district);

    let refusals: [(&Path, Option<&Path>, &str); 3] = [
        (&s.batch, None, "needs the receiver's identity"),
        (&s.batch, Some(&wrong), "none of the identities given"),
        (&truncated, Some(&s.identity), "damaged or incomplete"),
    ];
    for (batch, identity, needle) in refusals {
        let mut cmd = jingong(&district);
        cmd.args(["import", "batch"]).arg(batch);
        if let Some(identity) = identity {
            cmd.arg("--identity").arg(identity);
        }
        let out = cmd.output().unwrap();
        assert!(!out.status.success(), "{needle}");
        assert!(stderr_text(&out).contains(needle), "{}", stderr_text(&out));
        assert_eq!(dump(&district), before, "nothing changed ({needle})");
    }

    // The identity through the environment, as an office would set it once.
    let out = jingong(&district)
        .args(["import", "batch"])
        .arg(&s.batch)
        .env("JINGONG_IDENTITY", &s.identity)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    let after = dump(&district);
    assert_eq!(
        after.keys().filter(|(table, _)| table == "worker").count(),
        6,
        "the six workers arrived"
    );
}

#[test]
fn no_seal_is_said_and_seal_without_receivers_or_a_bad_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 2, 3);
    let out = jingong(&laptop)
        .args(["export", "--seal", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr_text(&out).contains("no receivers are set"));
    assert!(!dir.path().join("out").exists(), "no files written");

    let out = jingong(&laptop)
        .args(["officer", "set", "--seal-to", "age1notakey"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_text(&out).contains("--seal-to"),
        "{}",
        stderr_text(&out)
    );

    let (_, recipient) = receiver_key(dir.path(), "r.key");
    jingong(&laptop)
        .args(["officer", "set", "--seal-to", &recipient])
        .assert()
        .success();
    let out = jingong(&laptop)
        .args(["export", "--no-seal", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert!(stderr_text(&out).contains("not sealed"));
    assert!(!stdout_text(&out).trim().ends_with(".age"));
}

#[test]
fn an_export_killed_after_the_sealed_rename_is_finished_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 3, 5);
    let (_, recipient) = receiver_key(dir.path(), "r.key");
    jingong(&laptop)
        .args(["officer", "set", "--seal-to", &recipient])
        .assert()
        .success();
    let out_dir = dir.path().join("out");
    let out = jingong(&laptop)
        .args(["export", "--out"])
        .arg(&out_dir)
        .env("JINGONG_EXPORT_CRASH_AT", "renamed")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the hook aborts the export");
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let left = names(&out_dir);
    assert!(left.iter().any(|n| n.ends_with(".zip.age")), "{left:?}");
    assert!(left.iter().any(|n| n.ends_with(".zip.partial")), "{left:?}");

    // The next export reads the hidden plain copy, marks its versions sent and writes
    // nothing new: the sealed batch is neither repeated nor lost.
    let out = jingong(&laptop)
        .args(["export", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert!(
        stderr_text(&out).contains("nothing new"),
        "{}",
        stderr_text(&out)
    );
    let left = names(&out_dir);
    assert_eq!(left.len(), 1, "only the sealed batch stays: {left:?}");
    assert!(left[0].ends_with(".zip.age"));
}

#[test]
fn restore_merges_back_sealed_batches_with_the_district_identity() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 3, 9);
    let (identity, recipient) = receiver_key(dir.path(), "district.key");
    let backup = dir.path().join("backup.db");
    jingong(&laptop)
        .args(["officer", "set", "--seal-to", &recipient])
        .assert()
        .success();
    jingong(&laptop)
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    let batches = dir.path().join("batches");
    let batch = export(&laptop, &batches, &[]);
    assert!(batch.to_string_lossy().ends_with(".zip.age"));
    let sent = versions(&laptop);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", laptop.display()));
    }

    // Without the key the sealed batch is named as not opened, not passed over in silence.
    let out = jingong(&laptop)
        .arg("restore")
        .arg(&backup)
        .arg("--batches")
        .arg(&batches)
        .output()
        .unwrap();
    let said = stderr_text(&out);
    assert!(
        said.contains("1 sealed batch(es) could not be opened") && said.contains("--identity"),
        "{said}"
    );
    assert!(said.contains(&batch.display().to_string()), "{said}");

    let out = jingong(&laptop)
        .arg("restore")
        .arg(&backup)
        .arg("--batches")
        .arg(&batches)
        .arg("--identity")
        .arg(&identity)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert_eq!(versions(&laptop), sent, "every version marked sent again");
}
