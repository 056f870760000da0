//! Format 3 at the city: needs and mutual-aid claims staged and upserted by the same merge
//! rule as the other records (`apply`), into the tables of schema migration 2. Only the kinds
//! a batch's format carries are staged: a format 1 or 2 batch has no needs or claims.

use super::Result;
use crate::batch::format::{Manifest, RecordKind};
use crate::batch::verify::{Problem, ProblemKind};
use postgres::Transaction;

const NEED: &[(&str, &str)] = &[
    ("worker_uid", "uuid"),
    ("kind", "text"),
    ("raised_on", "date"),
    ("note", "text"),
    ("state", "text"),
    ("answered_by", "uuid"),
    ("settled_on", "date"),
    ("close_note", "text"),
];

const CLAIM: &[(&str, &str)] = &[
    ("worker_uid", "uuid"),
    ("claim_type", "text"),
    ("diagnosed_on", "date"),
    ("accident_on", "date"),
    ("died_on", "date"),
    ("fire_on", "date"),
    ("amount_fen", "bigint"),
    ("documents", "jsonb"),
    ("status", "text"),
    ("reject_reason", "text"),
    ("paid_fen", "bigint"),
    ("paid_on", "date"),
    ("note", "text"),
];

/// The own fields of a need or claim, with their SQL types.
pub(super) fn fields(kind: RecordKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        RecordKind::Need => NEED,
        _ => CLAIM,
    }
}

/// The city table of a need or claim.
pub(super) fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Need => "needs",
        _ => "claims",
    }
}

/// The kinds a batch carries, in the order they are applied (needs and claims after the
/// workers they name).
pub(super) fn kinds(manifest: &Manifest) -> Vec<RecordKind> {
    RecordKind::EVERY
        .into_iter()
        .filter(|k| {
            RecordKind::ALL.contains(k) || manifest.files.iter().any(|f| f.name == k.file_name())
        })
        .collect()
}

/// Needs and claims naming a worker neither in the batch nor held here, or dated before the
/// birth of a worker held here (the verifier checked those to workers in the batch), at most
/// 1000.
pub(super) fn unresolved_references(
    tx: &mut Transaction,
    kinds: &[RecordKind],
) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for kind in kinds.iter().filter(|k| RecordKind::AID.contains(k)) {
        // The dates the laptop's verifier compares with the birth (`record_rules_aid`): the
        // first of them before it is named.
        let dates: &[&str] = match kind {
            RecordKind::Need => &["raised_on"],
            _ => &["diagnosed_on", "accident_on", "fire_on"],
        };
        let early: Vec<String> = dates
            .iter()
            .map(|d| format!("WHEN a.{d} < w.birth_date THEN '{d}'"))
            .collect();
        let rows = tx.query(
            &format!(
                "SELECT line_no, worker_uid, field FROM (
                    SELECT a.line_no, a.worker_uid::text,
                           CASE WHEN w.uid IS NULL THEN NULL {early} END AS field,
                           w.uid IS NULL AS unknown
                      FROM in_{own} a LEFT JOIN workers w ON w.uid = a.worker_uid
                     WHERE NOT EXISTS (SELECT 1 FROM in_worker i WHERE i.uid = a.worker_uid)
                 ) checked
                 WHERE unknown OR field IS NOT NULL
                 ORDER BY line_no LIMIT 1000",
                own = kind.table(),
                early = early.join(" "),
            ),
            &[],
        )?;
        problems.extend(rows.iter().map(|row| {
            Problem {
                file: kind.file_name().to_string(),
                line: Some(row.get::<_, i64>(0) as u64),
                kind: match row.get::<_, Option<&str>>(2) {
                    Some(field) => ProblemKind::BeforeBirth {
                        field: dates
                            .iter()
                            .find(|d| **d == field)
                            .copied()
                            .unwrap_or(dates[0]),
                    },
                    None => ProblemKind::UnresolvedReference {
                        field: "worker_uid",
                        uid: row.get(1),
                    },
                },
            }
        }));
    }
    Ok(problems)
}

/// Schema migration 2: the tables needs and claims are kept in, one row per uid at its
/// winning version, as `services` keeps services.
pub(super) const SCHEMA_V2: &str = r#"
CREATE TABLE needs (
    uid uuid PRIMARY KEY,
    version bigint NOT NULL,
    op text NOT NULL,
    origin_device_id uuid NOT NULL,
    officer jsonb NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    worker_uid uuid NOT NULL,
    kind text NOT NULL,
    raised_on date NOT NULL,
    note text NOT NULL,
    state text NOT NULL,
    answered_by uuid,
    settled_on date,
    close_note text NOT NULL,
    content_md5 text NOT NULL,
    batch_uid uuid NOT NULL
);
CREATE INDEX needs_worker ON needs (worker_uid);
CREATE INDEX needs_raised ON needs (raised_on, kind);

CREATE TABLE claims (
    uid uuid PRIMARY KEY,
    version bigint NOT NULL,
    op text NOT NULL,
    origin_device_id uuid NOT NULL,
    officer jsonb NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    worker_uid uuid NOT NULL,
    claim_type text NOT NULL,
    diagnosed_on date,
    accident_on date,
    died_on date,
    fire_on date,
    amount_fen bigint NOT NULL,
    documents jsonb NOT NULL,
    status text NOT NULL,
    reject_reason text NOT NULL,
    paid_fen bigint NOT NULL,
    paid_on date,
    note text NOT NULL,
    content_md5 text NOT NULL,
    batch_uid uuid NOT NULL
);
CREATE INDEX claims_worker ON claims (worker_uid);
CREATE INDEX claims_status ON claims (status, claim_type);

DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_ingest') THEN
        GRANT SELECT, INSERT, UPDATE ON needs, claims TO jingong_ingest;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_read') THEN
        GRANT SELECT ON needs, claims TO jingong_read;
    END IF;
END $$;
"#;
