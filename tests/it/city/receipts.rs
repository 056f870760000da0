//! Signed receipts: made by the city, checked and recorded by the laptop.

use super::cluster::*;
use crate::support::batch::*;
use crate::support::bin::jingong;
use rusqlite::OptionalExtension;
use std::path::Path;

fn receipt_status(laptop: &Path, batch_uid: &str) -> Option<String> {
    rusqlite::Connection::open(laptop)
        .unwrap()
        .query_row(
            "SELECT status FROM batch_receipt WHERE batch_uid = ?1",
            [batch_uid],
            |r| r.get(0),
        )
        .optional()
        .unwrap()
}

fn keygen_output(dir: &Path, file: &Path) -> std::process::Output {
    jingong(&dir.join("unused.db"))
        .args(["city", "keygen", "--out"])
        .arg(file)
        .output()
        .unwrap()
}

fn keygen(dir: &Path, file: &Path) -> String {
    let out = keygen_output(dir, file);
    assert!(out.status.success(), "{}", stderr_text(&out));
    let public = stdout_text(&out).trim().to_string();
    assert_eq!(public.len(), 64, "{public}");
    public
}

#[test]
fn receipts_are_signed_and_the_laptop_accepts_only_its_own_from_the_city_key() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    db.init(d);
    let key_file = d.join("city.key");
    let public = keygen(d, &key_file);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never over an existing key.
    let again = keygen_output(d, &key_file);
    assert_eq!(again.status.code(), Some(1));

    let laptop = demo_db(d, "a.db", 3, 21);
    let out = d.join("out");
    let first = export(&laptop, &out, &[]);
    jingong(&laptop)
        .args(["demo", "--workers", "2", "--seed", "22"])
        .assert()
        .success();
    let second = export(&laptop, &out, &[]);
    let damaged = copy_batch(&second, &d.join("damaged"));
    let text = std::fs::read_to_string(damaged.join("workers.jsonl")).unwrap();
    std::fs::write(
        damaged.join("workers.jsonl"),
        text.replacen("\"version\":1", "\"version\":7", 1),
    )
    .unwrap();

    let receipts = d.join("receipts");
    let ingest = |batch: &Path, key: &Path| {
        db.city(
            d,
            &[
                "ingest",
                "--receipts",
                &receipts.display().to_string(),
                "--key",
                &key.display().to_string(),
                &batch.display().to_string(),
            ],
        )
    };
    assert!(ingest(&first, &key_file).status.success());
    assert_eq!(ingest(&damaged, &key_file).status.code(), Some(1));
    let receipt_of = |batch: &Path| receipts.join(format!("receipt-{}.json", uid_of(batch)));

    // Without the city key set, nothing is accepted.
    let import = |files: &[&Path]| {
        let mut cmd = jingong(&laptop);
        cmd.args(["import", "receipt"]);
        for f in files {
            cmd.arg(f);
        }
        cmd.output().unwrap()
    };
    let output = import(&[&receipt_of(&first)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_text(&output).contains("no city key"),
        "{}",
        stderr_text(&output)
    );
    assert_eq!(receipt_status(&laptop, &uid_of(&first)), None);

    jingong(&laptop)
        .args(["officer", "set", "--city-key", &public])
        .assert()
        .success();
    let output = import(&[&receipt_of(&first), &receipt_of(&damaged)]);
    assert!(output.status.success(), "{}", stderr_text(&output));
    let text = stdout_text(&output);
    assert!(text.contains("received (applied 3 workers"), "{text}");
    assert!(
        text.contains("returned") && text.contains("SHA-256"),
        "{text}"
    );
    assert_eq!(
        receipt_status(&laptop, &uid_of(&first)).as_deref(),
        Some("received")
    );
    assert_eq!(
        receipt_status(&laptop, &uid_of(&second)).as_deref(),
        Some("returned")
    );
    // The batches list says so, with the city's reasons.
    let listed = jingong(&laptop)
        .args(["batches", "--json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let returned = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["uid"] == uid_of(&second).as_str())
        .unwrap();
    assert_eq!(returned["receipt"], "returned");
    assert!(
        returned["receipt_reasons"][0]["en"]
            .as_str()
            .unwrap()
            .contains("SHA-256"),
        "{returned}"
    );
    let text = jingong(&laptop).arg("batches").output().unwrap();
    assert!(
        stdout_text(&text).contains("complete · received"),
        "{}",
        stdout_text(&text)
    );

    // A forged count breaks the signature; the batch keeps its status.
    let forged = d.join("forged.json");
    let body = std::fs::read_to_string(receipt_of(&first)).unwrap();
    assert!(body.contains("\"workers\": 3"));
    std::fs::write(
        &forged,
        body.replacen("\"workers\": 3", "\"workers\": 30", 1),
    )
    .unwrap();
    let output = import(&[&forged]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_text(&output).contains("signature does not match"),
        "{}",
        stderr_text(&output)
    );

    // Signed by another key: refused, even for a real batch.
    let other_key = d.join("other.key");
    keygen(d, &other_key);
    let other_receipts = d.join("other");
    let out = db.city(
        d,
        &[
            "ingest",
            "--receipts",
            &other_receipts.display().to_string(),
            "--key",
            &other_key.display().to_string(),
            &first.display().to_string(),
        ],
    );
    assert!(out.status.success(), "{}", stderr_text(&out));
    let output = import(&[&other_receipts.join(format!("receipt-{}.json", uid_of(&first)))]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_text(&output).contains("not a city key"),
        "{}",
        stderr_text(&output)
    );

    // A true receipt for another laptop's batch: refused here.
    let stranger = demo_db(d, "b.db", 2, 23);
    let theirs = export(&stranger, &d.join("out-b"), &[]);
    assert!(ingest(&theirs, &key_file).status.success());
    let output = import(&[&receipt_of(&theirs)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_text(&output).contains("did not export"),
        "{}",
        stderr_text(&output)
    );
    assert_eq!(
        receipt_status(&laptop, &uid_of(&first)).as_deref(),
        Some("received")
    );
}
