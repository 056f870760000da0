//! What the batch tests share: demo databases, exports, and batches and databases read back.

#![allow(dead_code)] // each test file uses its own subset

use super::bin::jingong;
use super::fixture::officer;
use jingong::batch::verify::{VerifyOptions, verify_path};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A database with an officer and `workers` demo workers (three services each).
pub fn demo_db(dir: &Path, name: &str, workers: u64, seed: u64) -> PathBuf {
    let db = dir.join(name);
    let o = officer();
    jingong(&db)
        .args([
            "officer",
            "set",
            "--name",
            &o.name,
            "--org",
            &o.organisation,
        ])
        .args(["--district", &o.district_code])
        .assert()
        .success();
    if workers > 0 {
        jingong(&db)
            .args([
                "demo",
                "--workers",
                &workers.to_string(),
                "--seed",
                &seed.to_string(),
            ])
            .assert()
            .success();
    }
    db
}

/// Runs `export` and returns the batch path it printed.
pub fn export(db: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let output = jingong(db)
        .arg("export")
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = String::from_utf8(output.stdout).expect("utf-8");
    PathBuf::from(path.trim())
}

/// The lines of one data file of a batch folder.
pub fn records(batch: &Path, file: &str) -> Vec<Value> {
    std::fs::read_to_string(batch.join(file))
        .expect("data file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// Integrity check of a batch (no reference resolution), as the library does it.
pub fn is_complete_batch(path: &Path) -> bool {
    verify_path(
        path,
        VerifyOptions {
            today: chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
            references: None,
        },
    )
    .map(|r| r.is_valid())
    .unwrap_or(false)
}

/// Every record of a database as comparable text, keyed by (table, uid): what a merge must
/// carry over. Local row ids, exported_version and origin markers are left out.
pub fn dump(db: &Path) -> BTreeMap<(String, String), String> {
    let conn = Connection::open(db).expect("open");
    let mut out = BTreeMap::new();
    let queries = [
        (
            "worker",
            "SELECT w.uid, w.version || '|' || coalesce(w.deleted_at, '') || '|' || w.id_number
                || '|' || w.name || '|' || w.gender || '|' || w.birth_date || '|' || w.phone
                || '|' || w.hometown_code || '|' || w.employer || '|' || w.worksite || '|'
                || w.trade || '|' || w.district_code || '|' || w.membership || '|' || w.card_no
                || '|' || w.hardship || '|' || w.note || '|' || w.created_at || '|'
                || w.updated_at || '|' || o.name || '|' || w.name_pinyin
             FROM worker w JOIN officer o ON o.id = w.officer_id",
        ),
        (
            "event",
            "SELECT e.uid, e.version || '|' || coalesce(e.deleted_at, '') || '|' || e.name || '|'
                || e.kind || '|' || e.held_on || '|' || e.place || '|' || e.district_code || '|'
                || e.default_quantity || '|' || e.default_amount_fen || '|' || o.name
             FROM event e JOIN officer o ON o.id = e.officer_id",
        ),
        (
            "service",
            "SELECT s.uid, s.version || '|' || coalesce(s.deleted_at, '') || '|' || w.uid || '|'
                || coalesce(ev.uid, '') || '|' || s.kind || '|' || s.served_on || '|' || s.place
                || '|' || s.quantity || '|' || s.amount_fen || '|' || s.note || '|' || o.name
                || '|' || coalesce(h.provider || h.blood_pressure || coalesce(h.glucose_tenths, '')
                || h.findings || h.referral || coalesce(h.follow_up_on, '') || h.consent_by
                || h.consent_at, '-') || '|' || coalesce(l.category || l.description || l.status
                || l.claimed_fen || l.recovered_fen || coalesce(l.follows_uid, ''), '-')
             FROM service s JOIN worker w ON w.id = s.worker_id
             JOIN officer o ON o.id = s.officer_id
             LEFT JOIN event ev ON ev.id = s.event_id
             LEFT JOIN health_check h ON h.service_id = s.id
             LEFT JOIN legal_aid l ON l.service_id = s.id",
        ),
    ];
    for (table, sql) in queries {
        let mut stmt = conn.prepare(sql).expect("query");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .expect("rows");
        for row in rows {
            let (uid, text) = row.expect("row");
            out.insert((table.to_string(), uid), text);
        }
    }
    out
}

/// (table, uid) -> (version, exported_version) of every record.
pub fn versions(db: &Path) -> BTreeMap<(String, String), (i64, i64)> {
    let conn = Connection::open(db).expect("open");
    let mut out = BTreeMap::new();
    for table in ["worker", "event", "service"] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT uid, version, exported_version FROM {table}"
            ))
            .expect("query");
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows");
        for row in rows {
            let (uid, version, exported) = row.expect("row");
            out.insert((table.to_string(), uid), (version, exported));
        }
    }
    out
}

pub fn stdout_text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The city's receipt for the batch folder `batch`, signed with `key` by the library's own
/// signing function, as JSON bytes: `applied_workers` workers applied, `refused` refused.
pub fn signed_receipt(
    batch: &Path,
    status: jingong::receipt::ReceiptStatus,
    applied_workers: i64,
    refused: Vec<jingong::receipt::RefusedRecord>,
    key: &ed25519_dalek::SigningKey,
) -> Vec<u8> {
    use jingong::receipt::{KindCounts, RECEIPT_FORMAT, RECEIPT_FORMAT_VERSION, ReceiptBody};
    use sha2::Digest;
    let bytes = std::fs::read(batch.join("manifest.json")).expect("manifest");
    let manifest: Value = serde_json::from_slice(&bytes).expect("manifest JSON");
    let body = ReceiptBody {
        format: RECEIPT_FORMAT.into(),
        format_version: RECEIPT_FORMAT_VERSION,
        batch_uid: manifest["batch_uid"].as_str().unwrap().into(),
        device_id: manifest["device_id"].as_str().unwrap().into(),
        manifest_sha256: jingong::receipt::hex(&sha2::Sha256::digest(&bytes)),
        status,
        applied: KindCounts {
            workers: applied_workers,
            events: 0,
            services: 0,
            ..Default::default()
        },
        unchanged: KindCounts::default(),
        held: 0,
        waiting_for: None,
        refused,
        issued_at: "2026-11-30T12:00:00.000+08:00".into(),
    };
    serde_json::to_vec_pretty(&jingong::receipt::sign(body, key)).expect("JSON")
}
