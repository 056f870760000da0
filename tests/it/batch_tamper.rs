//! A batch changed after export fails `verify`, with a message naming the file, the line
//! where there is one, and the problem.

use crate::support::batch::*;
use crate::support::bin::{jingong, jingong_in};
use std::path::{Path, PathBuf};

/// A fresh copy of a verified demo batch to damage.
fn batch_copy(dir: &Path) -> (PathBuf, PathBuf) {
    let db = demo_db(dir, "a.db", 12, 9);
    let batch = export(&db, &dir.join("out"), &[]);
    let copy = dir.join("copy").join(batch.file_name().unwrap());
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&batch).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    jingong(&db).arg("verify").arg(&copy).assert().success();
    (db, copy)
}

fn verify_fails(db: &Path, batch: &Path) -> String {
    let output = jingong(db).arg("verify").arg(batch).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stdout_text(&output));
    stdout_text(&output)
}

#[test]
fn one_changed_byte_fails_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (db, batch) = batch_copy(dir.path());
    let path = batch.join("services.jsonl");
    let mut bytes = std::fs::read(&path).unwrap();
    // A digit of a served_on date: still valid JSON, so only the hash can tell.
    let at = bytes
        .windows(13)
        .position(|w| w == b"\"served_on\":\"")
        .unwrap()
        + 16;
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&path, bytes).unwrap();
    let out = verify_fails(&db, &batch);
    assert!(out.contains("services.jsonl: SHA-256 differs"), "{out}");
}

#[test]
fn a_removed_line_fails_the_count_and_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (db, batch) = batch_copy(dir.path());
    let path = batch.join("services.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, l)| l)
        .collect();
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    let out = verify_fails(&db, &batch);
    assert!(
        out.contains("services.jsonl: record count differs: manifest says 36, file has 35"),
        "{out}"
    );
    assert!(out.contains("services.jsonl: SHA-256 differs"), "{out}");
}

#[test]
fn a_wrong_count_in_the_manifest_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (db, batch) = batch_copy(dir.path());
    let path = batch.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["files"][0]["records"] = serde_json::json!(13);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let out = verify_fails(&db, &batch);
    assert!(
        out.contains("workers.jsonl: record count differs: manifest says 13, file has 12"),
        "{out}"
    );
}

#[test]
fn a_bad_id_check_digit_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (db, batch) = batch_copy(dir.path());
    let path = batch.join("workers.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut worker: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
    let id = worker["id_number"].as_str().unwrap().to_string();
    let last = id.chars().last().unwrap();
    let wrong = if last == '1' { '2' } else { '1' };
    worker["id_number"] = serde_json::json!(format!("{}{wrong}", &id[..17]));
    lines[2] = serde_json::to_string(&worker).unwrap();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = verify_fails(&db, &batch);
    assert!(
        out.contains(&format!(
            "workers.jsonl:3: ID number: check digit should be {last}, found {wrong}"
        )),
        "{out}"
    );
    // Chinese by default.
    let output = jingong_in(&db, "zh")
        .arg("verify")
        .arg(&batch)
        .output()
        .unwrap();
    assert!(stdout_text(&output).contains("workers.jsonl:3: 身份证号：校验位应为"));
}

#[test]
fn an_extra_file_a_missing_file_and_a_reference_to_nowhere_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (db, batch) = batch_copy(dir.path());
    std::fs::write(batch.join("notes.txt"), "x").unwrap();
    std::fs::remove_file(batch.join("events.jsonl")).unwrap();
    let path = batch.join("services.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut service: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    service["worker_uid"] = serde_json::json!("01900000-0000-7000-8000-000000000000");
    lines[0] = serde_json::to_string(&service).unwrap();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    // The batch is the first of its laptop, so the reference cannot be found anywhere.
    let output = jingong(&db).arg("verify").arg(&batch).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout_text(&output);
    assert!(
        out.contains("notes.txt: file not listed in the manifest"),
        "{out}"
    );
    assert!(
        out.contains("events.jsonl: listed in the manifest but missing"),
        "{out}"
    );
    assert!(
        out.contains(
            "services.jsonl:1: field worker_uid refers to 01900000-0000-7000-8000-000000000000"
        ),
        "{out}"
    );
}
