//! A returned batch on the laptop: the city's signed receipt (made here with the library's
//! own signing function and a test key set as the city key) names a refused line; importing
//! it flags that record for correction and sends it again in the next export, and nothing the
//! city received goes twice.

use crate::support::batch::{records, signed_receipt};
use crate::support::fixture::TestDb;
use crate::support::tui::id;
use ed25519_dalek::SigningKey;
use jingong::receipt::{ReceiptStatus, RefusedRecord, hex};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn city_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

/// A laptop that trusts the test city key.
fn laptop() -> TestDb {
    let t = TestDb::with_officer();
    let public = hex(city_key().verifying_key().as_bytes());
    t.cmd()
        .args(["officer", "set", "--city-key", &public])
        .assert()
        .success();
    t
}

/// Exports into a folder of its own and returns the batch folder.
fn export(t: &TestDb, name: &str) -> PathBuf {
    let out = t.path().join(name);
    std::fs::create_dir_all(&out).unwrap();
    let output = t
        .cmd()
        .arg("export")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

fn uids(batch: &Path, file: &str) -> Vec<String> {
    records(batch, file)
        .iter()
        .map(|r| r["uid"].as_str().unwrap().to_string())
        .collect()
}

/// The city's signed receipt for `batch`, written beside it.
fn receipt(
    t: &TestDb,
    batch: &Path,
    status: ReceiptStatus,
    applied_workers: i64,
    refused: Vec<RefusedRecord>,
) -> PathBuf {
    let bytes = signed_receipt(batch, status, applied_workers, refused, &city_key());
    let uid: Value = serde_json::from_slice(&bytes).unwrap();
    let file = t.path().join(format!(
        "receipt-{}.json",
        uid["receipt"]["batch_uid"].as_str().unwrap()
    ));
    std::fs::write(&file, bytes).unwrap();
    file
}

fn import(t: &TestDb, file: &Path, lang: &str) -> String {
    let output = t
        .cmd()
        .args(["--lang", lang, "import", "receipt"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "import receipt failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn refusal(line: u64) -> RefusedRecord {
    RefusedRecord {
        file: "workers.jsonl".into(),
        line: Some(line),
        zh: format!(
            "第 {line} 行：身份证号 {} 与市里已有记录冲突",
            id("12010119900101001")
        ),
        en: format!(
            "line {line}: ID number {} disagrees with the city's",
            id("12010119900101001")
        ),
    }
}

#[test]
fn a_refused_record_goes_again_in_the_next_export_and_the_received_ones_do_not() {
    let t = laptop();
    let a = t.add_worker("王一", &id("12010119900101001"), "13800000001");
    let first = export(&t, "one");
    import(
        &t,
        &receipt(&t, &first, ReceiptStatus::Received, 1, vec![]),
        "en",
    );

    let b = t.add_worker("王二", &id("12010119900101002"), "13800000002");
    let c = t.add_worker("王三", &id("12010119900101003"), "13800000003");
    let second = export(&t, "two");
    let in_second = uids(&second, "workers.jsonl");
    assert_eq!(in_second.len(), 2);
    assert!(!in_second.contains(&a));
    // The city applied one worker and refused the other, by its line in the file.
    let line_of_c = in_second.iter().position(|u| *u == c).unwrap() as u64 + 1;
    let returned = receipt(
        &t,
        &second,
        ReceiptStatus::Returned,
        1,
        vec![refusal(line_of_c)],
    );
    let said = import(&t, &returned, "en");
    assert!(
        said.contains("1 record(s) flagged for correction"),
        "{said}"
    );
    assert!(said.contains("1 record(s) will go again"), "{said}");
    assert!(said.contains("ID number 120101********"), "{said}");
    assert!(
        !said.contains(&id("12010119900101001")),
        "ID unmasked: {said}"
    );

    // `batches` names the returned record and why, its ID number masked.
    let listed = t.cmd().args(["--lang", "en", "batches"]).output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let masked = format!("王三 120101********{}", &id("12010119900101003")[14..]);
    assert!(listed.contains(&masked), "{listed}");
    assert!(listed.contains("to correct"), "{listed}");
    assert!(
        !listed.contains(&id("12010119900101003")),
        "ID shown unmasked: {listed}"
    );
    assert!(
        !listed.contains(&id("12010119900101001")),
        "ID in reason unmasked: {listed}"
    );

    // Corrected before the next export: the new version goes, with the others not.
    t.cmd()
        .args(["worker", "edit", &c, "--employer", "天津港集团"])
        .assert()
        .success();
    let third = export(&t, "three");
    let again = records(&third, "workers.jsonl");
    assert_eq!(
        again.len(),
        1,
        "only the refused record goes again: {again:?}"
    );
    assert_eq!(again[0]["uid"], c.as_str());
    assert_eq!(again[0]["employer"], "天津港集团");
    assert!(!uids(&third, "workers.jsonl").contains(&b));

    // Once sent again it is no longer to correct, and importing the old receipt again
    // changes nothing: the next export is empty of workers.
    let json = t.cmd().args(["batches", "--json"]).output().unwrap();
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let row = json
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["receipt"] == "returned")
        .unwrap();
    assert_eq!(row["returned_records"][0]["uid"], c.as_str());
    assert_eq!(row["returned_records"][0]["to_correct"], false);
    let said = import(&t, &returned, "zh");
    assert!(said.contains("此前已导入"), "{said}");
    t.add_worker("王四", &id("12010119900101004"), "13800000004");
    let fourth = export(&t, "four");
    assert_eq!(uids(&fourth, "workers.jsonl").len(), 1);
    assert!(!uids(&fourth, "workers.jsonl").contains(&c));
}

#[test]
fn a_batch_refused_whole_goes_again_whole() {
    let t = laptop();
    let a = t.add_worker("李一", &id("12010119900101011"), "13800000011");
    let first = export(&t, "one");
    import(
        &t,
        &receipt(&t, &first, ReceiptStatus::Received, 1, vec![]),
        "en",
    );
    let b = t.add_worker("李二", &id("12010119900101012"), "13800000012");
    let c = t.add_worker("李三", &id("12010119900101013"), "13800000013");
    let second = export(&t, "two");
    let line_of_b = uids(&second, "workers.jsonl")
        .iter()
        .position(|u| *u == b)
        .unwrap() as u64
        + 1;
    // Nothing applied: the city has none of the batch, so all of it must go again.
    let returned = receipt(
        &t,
        &second,
        ReceiptStatus::Returned,
        0,
        vec![refusal(line_of_b)],
    );
    let said = import(&t, &returned, "zh");
    assert!(said.contains("待更正记录 1 条"), "{said}");
    assert!(said.contains("重新发送 2 条"), "{said}");
    let third = export(&t, "three");
    let mut again = uids(&third, "workers.jsonl");
    again.sort();
    let mut expected = vec![b.clone(), c.clone()];
    expected.sort();
    assert_eq!(again, expected);
    assert!(!again.contains(&a));
}

#[test]
fn batches_warns_of_a_batch_with_no_receipt_after_seven_days() {
    let t = laptop();
    t.add_worker("赵一", &id("12010119900101021"), "13800000021");
    let out = t.path().join("old");
    std::fs::create_dir_all(&out).unwrap();
    // Exported 19 days before the fixed "now" of the tests (2026-11-29).
    let output = t
        .cmd()
        .env("JINGONG_NOW", "2026-11-10T10:00:00+08:00")
        .arg("export")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let old = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    t.add_worker("赵二", &id("12010119900101022"), "13800000022");
    export(&t, "new");
    let warned = |lang: &str| {
        let output = t.cmd().args(["--lang", lang, "batches"]).output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    assert!(
        warned("en").contains("1 batch(es) exported more than 7 days ago have no receipt"),
        "{}",
        warned("en")
    );
    assert!(
        warned("zh").contains("1 个批次导出已超过 7 天"),
        "{}",
        warned("zh")
    );
    import(
        &t,
        &receipt(&t, &old, ReceiptStatus::Received, 1, vec![]),
        "en",
    );
    assert!(!warned("en").contains("no receipt"), "{}", warned("en"));
}

#[test]
fn a_changed_copy_of_the_batch_ties_no_record_but_the_batch_still_goes_again() {
    let t = laptop();
    let b = t.add_worker("钱一", &id("12010119900101031"), "13800000031");
    let batch = export(&t, "one");
    let returned = receipt(&t, &batch, ReceiptStatus::Returned, 0, vec![refusal(1)]);
    // The copy on disk no longer hashes as exported: its line 1 is not trusted.
    let file = batch.join("workers.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("钱一", "钱二")).unwrap();
    let said = import(&t, &returned, "en");
    assert!(said.contains("0 record(s) flagged"), "{said}");
    assert!(said.contains("1 record(s) will go again"), "{said}");
    let again = export(&t, "two");
    assert_eq!(uids(&again, "workers.jsonl"), vec![b]);
}
