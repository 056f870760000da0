//! `city ingest`: each batch verified with the laptop's own verifier, then settled in its
//! device's chain, in one transaction under that device's advisory lock:
//! - a batch seen before (applied) is a repeat: acknowledged again, nothing changes;
//! - a batch whose `previous_batch_uid` the city has not seen is held, `waiting for <uid>`,
//!   and read again by itself when that one arrives;
//! - a batch failing verification (or naming records found nowhere) is refused whole, nothing
//!   applied, and still counts as seen so the batches after it are not held behind it;
//! - otherwise it is applied (`apply`), and the batches held behind it follow.
//!
//! Several ingesters may run at once: each device's chain is serialised by its advisory lock,
//! and records or persons shared between devices are locked in a fixed order (`apply`,
//! `persons`); a deadlock the server breaks anyway is retried.

use super::apply::{self, Tally, parse_uuid};
use super::verdict::{Verdict, verify};
use super::{CityError, Result, device_lock_key};
use crate::batch::format::{Manifest, hex};
use crate::batch::seal::is_sealed;
use crate::batch::source::BatchSource;
use crate::batch::verify::{Problem, ProblemKind, checked_manifest};
use crate::text::Lang;
use chrono::NaiveDate;
use postgres::Client;
use postgres::error::SqlState;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied {
        batch_uid: String,
        device_id: String,
        tally: Tally,
    },
    Held {
        batch_uid: String,
        device_id: String,
        waiting_for: String,
    },
    /// Refused whole. `batch_uid` is `None` when the manifest could not name the batch (then
    /// nothing could be recorded in a chain).
    Refused {
        batch_uid: Option<String>,
        device_id: Option<String>,
        problems: Vec<Problem>,
    },
    /// Seen and applied before: nothing changed.
    Duplicate {
        batch_uid: String,
        device_id: String,
    },
    /// Not a batch at all (no such file, not a folder or zip).
    Unreadable { zh: String, en: String },
}

impl Outcome {
    pub fn batch_uid(&self) -> Option<&str> {
        match self {
            Outcome::Applied { batch_uid, .. }
            | Outcome::Held { batch_uid, .. }
            | Outcome::Duplicate { batch_uid, .. } => Some(batch_uid),
            Outcome::Refused { batch_uid, .. } => batch_uid.as_deref(),
            Outcome::Unreadable { .. } => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub outcome: Outcome,
    /// Read again because the batch it waited for arrived.
    pub released: bool,
}

/// Ingests every path in turn; each batch that settles its chain's gap brings the held
/// batches behind it along (reported after it, `released`).
pub fn ingest(client: &mut Client, paths: &[PathBuf], today: NaiveDate) -> Result<Vec<Report>> {
    let mut reports = Vec::new();
    for path in paths {
        let mut queue = vec![(path.clone(), false)];
        while let Some((path, released)) = queue.pop() {
            let outcome = ingest_one(client, &path, today)?;
            let seen = match &outcome {
                Outcome::Applied { batch_uid, .. } => Some(batch_uid.clone()),
                Outcome::Refused {
                    batch_uid: Some(uid),
                    ..
                } => Some(uid.clone()),
                _ => None,
            };
            reports.push(Report {
                path,
                outcome,
                released,
            });
            if let Some(uid) = seen {
                for waiting in held_behind(client, &uid)? {
                    queue.push((waiting, true));
                }
            }
        }
    }
    Ok(reports)
}

/// The files of the batches held waiting for `batch_uid`.
fn held_behind(client: &mut Client, batch_uid: &str) -> Result<Vec<PathBuf>> {
    let rows = client.query(
        "SELECT path FROM batches WHERE previous_batch_uid = $1 AND status = 'held'
          ORDER BY created_at",
        &[&parse_uuid(batch_uid)],
    )?;
    Ok(rows
        .iter()
        .filter_map(|r| r.get::<_, Option<String>>(0))
        .map(PathBuf::from)
        .collect())
}

fn ingest_one(client: &mut Client, path: &Path, today: NaiveDate) -> Result<Outcome> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut source = match BatchSource::open(&path) {
        Ok(s) => s,
        Err(e) => return Ok(unreadable(&e)),
    };
    let manifest_sha = source.read_manifest_bytes().ok().map(|b| {
        let mut h = Sha256::new();
        h.update(&b);
        hex(&h.finalize())
    });
    let manifest = checked_manifest(&mut source)
        .ok()
        .flatten()
        .filter(names_itself);
    drop(source);
    std::thread::scope(|scope| {
        // The verifier reads the batch in a thread of its own while the database stages and
        // applies it: nothing commits before its verdict (`settle`). A sealed batch is opened
        // into memory, so it is verified first rather than held twice.
        let mut verdict = if manifest.is_some() && !is_sealed(&path) {
            Verdict::pending(scope, &path, today)
        } else {
            Verdict::ready(verify(&path, today))
        };
        match manifest {
            Some(manifest) => settle_verified(
                client,
                &manifest,
                manifest_sha.as_deref(),
                &path,
                &mut verdict,
            ),
            None => {
                let report = match verdict.wait() {
                    Ok(report) => report,
                    Err(e) => return Ok(unreadable(e)),
                };
                let problems = report.problems.listed.clone();
                match report.manifest.clone().filter(names_itself) {
                    Some(manifest) => refuse(
                        client,
                        &manifest,
                        manifest_sha.as_deref().unwrap_or_default(),
                        &path,
                        problems,
                    ),
                    None => {
                        record_arrival(client, None, manifest_sha.as_deref(), "refused", &path)?;
                        Ok(Outcome::Refused {
                            batch_uid: None,
                            device_id: None,
                            problems,
                        })
                    }
                }
            }
        }
    })
}

/// Settles a batch whose manifest names it, the verifier at work beside it; refused for the
/// verifier's reasons whenever it has any, whatever the database met first.
fn settle_verified(
    client: &mut Client,
    manifest: &Manifest,
    manifest_sha: Option<&str>,
    path: &Path,
    verdict: &mut Verdict,
) -> Result<Outcome> {
    let manifest_sha = manifest_sha.unwrap_or_default();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let settled = settle(client, manifest, manifest_sha, path, verdict);
        if !matches!(settled, Ok(Settled::Done(_))) {
            match verdict.wait() {
                Err(e) => return Ok(unreadable(e)),
                Ok(report) if !report.is_valid() => {
                    let problems = report.problems.listed.clone();
                    return refuse(client, manifest, manifest_sha, path, problems);
                }
                Ok(_) => {}
            }
        }
        match settled {
            Err(CityError::Pg(e)) if attempts < 5 && is_transient(&e) => continue,
            Err(CityError::Pg(e)) if is_bad_value(&e) => {
                // A value the verifier let through but the database cannot hold (a NUL in a
                // text, a number beyond 64 bits): the batch is refused like any other.
                let detail = e.as_db_error().map(|d| d.message().to_string());
                let problem = Problem {
                    file: "*.jsonl".into(),
                    line: None,
                    kind: ProblemKind::InvalidJson(detail.unwrap_or_else(|| e.to_string())),
                };
                return refuse(client, manifest, manifest_sha, path, vec![problem]);
            }
            Err(e) => return Err(e),
            Ok(Settled::Refused(problems)) => {
                return refuse(client, manifest, manifest_sha, path, problems);
            }
            Ok(Settled::Done(outcome)) => return Ok(outcome),
        }
    }
}

fn unreadable(e: &crate::batch::BatchError) -> Outcome {
    Outcome::Unreadable {
        zh: e.message(Lang::Zh),
        en: e.message(Lang::En),
    }
}

/// A manifest whose batch and device uids can be recorded in a chain.
fn names_itself(m: &Manifest) -> bool {
    uuid::Uuid::parse_str(&m.batch_uid).is_ok()
        && uuid::Uuid::parse_str(&m.device_id).is_ok()
        && m.previous_batch_uid
            .as_deref()
            .is_none_or(|p| uuid::Uuid::parse_str(p).is_ok())
}

fn is_transient(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

fn is_bad_value(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| c.code().starts_with("22"))
}

enum Settled {
    Done(Outcome),
    Refused(Vec<Problem>),
}

/// Settles the batch in its chain in one transaction, which commits only once the verifier
/// finds the batch sound (`Settled::Refused` with no problems of its own otherwise: the caller
/// gives the verifier's).
fn settle(
    client: &mut Client,
    manifest: &Manifest,
    manifest_sha: &str,
    path: &Path,
    verdict: &mut Verdict,
) -> Result<Settled> {
    let batch_uid = parse_uuid(&manifest.batch_uid);
    let previous = manifest.previous_batch_uid.as_deref().map(parse_uuid);
    let mut tx = client.transaction()?;
    lock_device(&mut tx, manifest)?;
    let status: Option<String> = tx
        .query_opt(
            "SELECT status FROM batches WHERE batch_uid = $1 FOR UPDATE",
            &[&batch_uid],
        )?
        .map(|r| r.get(0));
    if status.as_deref() == Some("applied") {
        tx.execute(
            "UPDATE batches SET times_received = times_received + 1 WHERE batch_uid = $1",
            &[&batch_uid],
        )?;
        arrival(
            &mut tx,
            Some(batch_uid),
            Some(manifest_sha),
            "duplicate",
            path,
        )?;
        if !verdict.is_sound() {
            return Ok(Settled::Refused(Vec::new()));
        }
        tx.commit()?;
        return Ok(Settled::Done(Outcome::Duplicate {
            batch_uid: manifest.batch_uid.clone(),
            device_id: manifest.device_id.clone(),
        }));
    }
    if let Some(previous) = previous {
        let seen: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM batches
                                 WHERE batch_uid = $1 AND status IN ('applied', 'refused'))",
                &[&previous],
            )?
            .get(0);
        if !seen {
            let reasons = serde_json::json!([{ "waiting_for": previous.to_string() }]);
            write_batch(
                &mut tx,
                manifest,
                manifest_sha,
                "held",
                &reasons,
                path,
                None,
            )?;
            arrival(&mut tx, Some(batch_uid), Some(manifest_sha), "held", path)?;
            if !verdict.is_sound() {
                return Ok(Settled::Refused(Vec::new()));
            }
            tx.commit()?;
            return Ok(Settled::Done(Outcome::Held {
                batch_uid: manifest.batch_uid.clone(),
                device_id: manifest.device_id.clone(),
                waiting_for: previous.to_string(),
            }));
        }
    }
    let mut source = BatchSource::open(path)?;
    let tally = match apply::apply(&mut tx, &mut source, manifest, &mut || verdict.start())? {
        Ok(t) => t,
        Err(problems) => return Ok(Settled::Refused(problems)),
    };
    write_batch(
        &mut tx,
        manifest,
        manifest_sha,
        "applied",
        &serde_json::json!([]),
        path,
        Some(&tally),
    )?;
    tx.execute(
        "UPDATE devices SET last_batch_uid = $2, last_batch_created_at = $3
          WHERE device_id = $1
            AND (last_batch_created_at IS NULL OR last_batch_created_at <= $3)",
        &[
            &parse_uuid(&manifest.device_id),
            &batch_uid,
            &manifest.created_at,
        ],
    )?;
    arrival(
        &mut tx,
        Some(batch_uid),
        Some(manifest_sha),
        "applied",
        path,
    )?;
    if !verdict.is_sound() {
        return Ok(Settled::Refused(Vec::new()));
    }
    tx.commit()?;
    Ok(Settled::Done(Outcome::Applied {
        batch_uid: manifest.batch_uid.clone(),
        device_id: manifest.device_id.clone(),
        tally,
    }))
}

/// Records the batch as refused (seen in its chain), unless a good copy was applied already.
fn refuse(
    client: &mut Client,
    manifest: &Manifest,
    manifest_sha: &str,
    path: &Path,
    problems: Vec<Problem>,
) -> Result<Outcome> {
    let batch_uid = parse_uuid(&manifest.batch_uid);
    let mut tx = client.transaction()?;
    lock_device(&mut tx, manifest)?;
    let status: Option<String> = tx
        .query_opt(
            "SELECT status FROM batches WHERE batch_uid = $1 FOR UPDATE",
            &[&batch_uid],
        )?
        .map(|r| r.get(0));
    if status.as_deref() == Some("applied") {
        // A damaged copy of a batch the city already holds: the held copy stands.
        arrival(
            &mut tx,
            Some(batch_uid),
            Some(manifest_sha),
            "duplicate",
            path,
        )?;
        tx.commit()?;
        return Ok(Outcome::Duplicate {
            batch_uid: manifest.batch_uid.clone(),
            device_id: manifest.device_id.clone(),
        });
    }
    let reasons: Vec<serde_json::Value> = problems
        .iter()
        .take(1000)
        .map(|p| {
            serde_json::json!({
                "file": p.file,
                "line": p.line,
                "zh": p.what(Lang::Zh),
                "en": p.what(Lang::En),
            })
        })
        .collect();
    write_batch(
        &mut tx,
        manifest,
        manifest_sha,
        "refused",
        &serde_json::Value::Array(reasons),
        path,
        None,
    )?;
    arrival(
        &mut tx,
        Some(batch_uid),
        Some(manifest_sha),
        "refused",
        path,
    )?;
    tx.commit()?;
    Ok(Outcome::Refused {
        batch_uid: Some(manifest.batch_uid.clone()),
        device_id: Some(manifest.device_id.clone()),
        problems,
    })
}

/// Serialises everything about one device's chain, and makes sure the device is known.
fn lock_device(tx: &mut postgres::Transaction, manifest: &Manifest) -> Result<()> {
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&device_lock_key(&manifest.device_id)],
    )?;
    tx.execute(
        "INSERT INTO devices (device_id, district_code, officer_name, organisation)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (device_id) DO UPDATE
            SET last_received_at = now(), district_code = EXCLUDED.district_code,
                officer_name = EXCLUDED.officer_name, organisation = EXCLUDED.organisation",
        &[
            &parse_uuid(&manifest.device_id),
            &manifest.officer.district_code.as_ref(),
            &manifest.officer.name.as_ref(),
            &manifest.officer.organisation.as_ref(),
        ],
    )?;
    Ok(())
}

fn write_batch(
    tx: &mut postgres::Transaction,
    manifest: &Manifest,
    manifest_sha: &str,
    status: &str,
    reasons: &serde_json::Value,
    path: &Path,
    tally: Option<&Tally>,
) -> Result<()> {
    let applied = tally.map(|t| serde_json::json!(t.applied));
    let unchanged = tally.map(|t| serde_json::json!(t.unchanged));
    let conflicts = tally.map_or(0, |t| t.conflicts);
    let records: i64 = manifest
        .files
        .iter()
        .filter(|f| crate::batch::format::RecordKind::of_file(&f.name).is_some())
        .map(|f| f.records as i64)
        .sum();
    tx.execute(
        "INSERT INTO batches (batch_uid, device_id, previous_batch_uid, manifest_sha256,
                              created_at, status, reasons, path, applied, unchanged, conflicts,
                              settled_at, records)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                 CASE WHEN $6 = 'held' THEN NULL ELSE now() END, $12)
         ON CONFLICT (batch_uid) DO UPDATE
            SET manifest_sha256 = EXCLUDED.manifest_sha256, status = EXCLUDED.status,
                reasons = EXCLUDED.reasons, path = EXCLUDED.path, applied = EXCLUDED.applied,
                unchanged = EXCLUDED.unchanged, conflicts = EXCLUDED.conflicts,
                settled_at = EXCLUDED.settled_at, records = EXCLUDED.records,
                times_received = batches.times_received + 1",
        &[
            &parse_uuid(&manifest.batch_uid),
            &parse_uuid(&manifest.device_id),
            &manifest.previous_batch_uid.as_deref().map(parse_uuid),
            &manifest_sha,
            &manifest.created_at,
            &status,
            reasons,
            &path.to_string_lossy().as_ref(),
            &applied,
            &unchanged,
            &conflicts,
            &records,
        ],
    )?;
    Ok(())
}

fn arrival(
    tx: &mut postgres::Transaction,
    batch_uid: Option<uuid::Uuid>,
    manifest_sha: Option<&str>,
    outcome: &str,
    path: &Path,
) -> Result<()> {
    tx.execute(
        "INSERT INTO arrivals (batch_uid, manifest_sha256, outcome, path) VALUES ($1, $2, $3, $4)",
        &[
            &batch_uid,
            &manifest_sha,
            &outcome,
            &path.to_string_lossy().as_ref(),
        ],
    )?;
    Ok(())
}

fn record_arrival(
    client: &mut Client,
    batch_uid: Option<uuid::Uuid>,
    manifest_sha: Option<&str>,
    outcome: &str,
    path: &Path,
) -> Result<()> {
    let mut tx = client.transaction()?;
    arrival(&mut tx, batch_uid, manifest_sha, outcome, path)?;
    tx.commit()?;
    Ok(())
}

/// The batch folders and zips in an inbox folder, by name (a laptop's names sort by export
/// time), skipping hidden and temporary entries.
pub fn inbox_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |e| CityError::Io {
        path: dir.to_path_buf(),
        source: e,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(crate::batch::format::BATCH_NAME_PREFIX) {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}
