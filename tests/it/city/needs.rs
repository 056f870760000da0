//! Format 3 at the city: needs and mutual-aid claims kept in their own tables by the merge
//! rule (a withdrawal is a version), their worker checked, and counted in the receipt.

use super::cluster::*;
use crate::support::batch::stderr_text;
use crate::support::fixture::{NOW, store_with_officer};
use jingong::batch::export::{ExportOptions, ExportOutcome, export};
use jingong::domain::claims::ClaimDraft;
use jingong::domain::needs::NeedInput;
use jingong::domain::{Membership, WorkerInput};
use jingong::store::Store;
use std::path::{Path, PathBuf};

fn export_to(store: &mut Store, out: &Path) -> PathBuf {
    let options = ExportOptions {
        out_dir: out.to_path_buf(),
        ..Default::default()
    };
    match export(store, &options, &mut |_| {}).unwrap() {
        ExportOutcome::Written { summary, .. } => summary.path,
        ExportOutcome::NothingNew { .. } => panic!("nothing exported"),
    }
}

#[test]
fn the_city_keeps_needs_and_claims_by_version_and_counts_them_in_the_receipt() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    db.init(d);
    let mut laptop = store_with_officer(Some(&d.join("a.db")), NOW);
    let worker = laptop
        .add_worker(&WorkerInput {
            name: "毛洋".into(),
            id_number: "620102199708155206".into(),
            phone: "13800138000".into(),
            membership: Membership::Member,
            card_no: "6217000012345678".into(),
            ..Default::default()
        })
        .unwrap()
        .uid;
    let need = NeedInput {
        kind: "job".into(),
        raised_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        note: String::new(),
    };
    laptop.add_need(&worker, &need).unwrap();
    let claim = laptop
        .add_claim(
            &worker,
            &ClaimDraft {
                claim_type: "critical_illness".into(),
                diagnosed_on: "2026-03-02".into(),
                protection_start: "2025-07-01".into(),
                protection_end: "2026-06-30".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .record
        .uid;
    let out = d.join("out");
    let first = export_to(&mut laptop, &out);
    laptop.withdraw_claim(&claim, "重复录入", None).unwrap();
    let second = export_to(&mut laptop, &out);

    let key = d.join("city.key");
    let keygen = crate::support::bin::jingong(&d.join("unused.db"))
        .args(["city", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(keygen.status.success(), "{}", stderr_text(&keygen));
    let receipts = d.join("receipts");
    for batch in [&first, &second] {
        let out = db.city(
            d,
            &[
                "ingest",
                "--receipts",
                &receipts.display().to_string(),
                "--key",
                &key.display().to_string(),
                &batch.display().to_string(),
            ],
        );
        assert!(out.status.success(), "{}", stderr_text(&out));
    }
    assert_eq!(
        db.count("SELECT count(*) FROM needs WHERE deleted_at IS NULL"),
        1
    );
    assert_eq!(
        db.count(&format!(
            "SELECT count(*) FROM claims WHERE uid = '{claim}' AND version = 2
               AND deleted_at IS NOT NULL AND amount_fen = 1000000"
        )),
        1
    );
    let receipt: serde_json::Value = serde_json::from_slice(
        &std::fs::read(receipts.join(format!("receipt-{}.json", uid_of(&first)))).unwrap(),
    )
    .unwrap();
    let applied = &receipt["receipt"]["applied"];
    assert_eq!(
        (
            applied["workers"].as_i64(),
            applied["needs"].as_i64(),
            applied["claims"].as_i64()
        ),
        (Some(1), Some(1), Some(1)),
        "{receipt}"
    );
    // The same batches again change nothing.
    let again = db.ingest(d, &[&first, &second]);
    assert!(again.status.success(), "{}", stderr_text(&again));
    assert_eq!(db.count("SELECT count(*) FROM claims"), 1);
}

#[test]
fn an_erased_person_takes_the_needs_and_claims_another_laptop_sent_with_them() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    db.init(d);
    let id_number = "620102199708155206";
    let mut a = store_with_officer(Some(&d.join("a.db")), NOW);
    let worker = a
        .add_worker(&WorkerInput {
            name: "毛洋".into(),
            id_number: id_number.into(),
            phone: "13800138000".into(),
            membership: Membership::Member,
            card_no: "6217000012345678".into(),
            ..Default::default()
        })
        .unwrap()
        .uid;
    let registered = export_to(&mut a, &d.join("out-a"));

    // Laptop B knows the worker from A's batch and records a need and a claim of its own.
    let mut b = store_with_officer(Some(&d.join("b.db")), NOW);
    jingong::batch::merge::import_batches(&mut b, std::slice::from_ref(&registered)).unwrap();
    let need = NeedInput {
        kind: "job".into(),
        raised_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        note: "想找电工岗位，家住西青".into(),
    };
    b.add_need(&worker, &need).unwrap();
    b.add_claim(
        &worker,
        &ClaimDraft {
            claim_type: "critical_illness".into(),
            diagnosed_on: "2026-03-02".into(),
            protection_start: "2025-07-01".into(),
            protection_end: "2026-06-30".into(),
            note: "住院治疗中".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let from_b = export_to(&mut b, &d.join("out-b"));
    let ingested = db.ingest(d, &[&registered, &from_b]);
    assert!(ingested.status.success(), "{}", stderr_text(&ingested));
    assert_eq!(
        db.count("SELECT count(*) FROM claims WHERE diagnosed_on IS NOT NULL AND note <> ''"),
        1
    );

    // A erases the person; its batch names only A's records.
    a.erase_worker(&worker, "request").unwrap();
    let erased = export_to(&mut a, &d.join("out-a"));
    let out = db.ingest(d, &[&erased]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert_eq!(
        db.count(
            "SELECT count(*) FROM needs
              WHERE note <> '' OR close_note <> '' OR deleted_at IS NULL"
        ),
        0,
        "B's need of the person is withdrawn with its text blanked"
    );
    assert_eq!(
        db.count(
            "SELECT count(*) FROM claims
              WHERE note <> '' OR diagnosed_on IS NOT NULL OR documents <> '[]'::jsonb
                 OR deleted_at IS NULL"
        ),
        0,
        "B's claim of the person keeps no health data"
    );
    // Ingesting the erasure again changes nothing.
    let before = db.dump();
    let again = db.ingest(d, &[&erased]);
    assert!(again.status.success(), "{}", stderr_text(&again));
    assert_eq!(db.dump(), before);
}
