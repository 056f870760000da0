//! One verified batch applied inside the caller's transaction: each data file staged as typed
//! rows with their content hash (`staging`), its references checked, then upserted by the
//! merge rule (docs/batch-format.md, "Merge rule"):
//! - per uid the highest version wins; a lower version, or the same copy again, is unchanged;
//! - the same version with other content is a `diverged` conflict: the copy with the later
//!   `updated_at` (then the greater content hash) shows, the other is listed, in any order;
//! - tombstones are versions like any other (`deleted_at` set);
//! - erasure lines are taken aside and applied last (`erasure`); an erased row changes only
//!   for a higher version.
//!
//! Nothing here commits: the caller's transaction holds the batch whole or not at all.

use super::{Result, erasure, persons, rollup};
use crate::batch::format::{Manifest, RecordKind};
use crate::batch::source::BatchSource;
use crate::batch::verify::{Problem, ProblemKind};
use postgres::Transaction;
use postgres::error::SqlState;

/// What applying a batch did, per kind in `RecordKind::EVERY` order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub applied: [i64; RecordKind::COUNT],
    pub unchanged: [i64; RecordKind::COUNT],
    pub conflicts: i64,
    /// Erasure lines that erased something (also counted in `applied`).
    pub erased: i64,
}

/// Columns every record kind has, with their SQL types.
const HEADER: &[(&str, &str)] = &[
    ("uid", "uuid"),
    ("version", "bigint"),
    ("op", "text"),
    ("origin_device_id", "uuid"),
    ("officer", "jsonb"),
    ("created_at", "text"),
    ("updated_at", "text"),
    ("deleted_at", "text"),
];

const WORKER: &[(&str, &str)] = &[
    ("id_number", "text"),
    ("name", "text"),
    ("gender", "text"),
    ("birth_date", "date"),
    ("phone", "text"),
    ("hometown_code", "text"),
    ("employer", "text"),
    ("worksite", "text"),
    ("trade", "text"),
    ("district_code", "text"),
    ("membership", "text"),
    ("card_no", "text"),
    ("hardship", "boolean"),
    ("note", "text"),
];

const EVENT: &[(&str, &str)] = &[
    ("name", "text"),
    ("kind", "text"),
    ("held_on", "date"),
    ("place", "text"),
    ("district_code", "text"),
    ("default_quantity", "bigint"),
    ("default_amount_fen", "bigint"),
];

const SERVICE: &[(&str, &str)] = &[
    ("worker_uid", "uuid"),
    ("event_uid", "uuid"),
    ("kind", "text"),
    ("served_on", "date"),
    ("place", "text"),
    ("quantity", "bigint"),
    ("amount_fen", "bigint"),
    ("note", "text"),
    ("health_check", "jsonb"),
    ("legal_aid", "jsonb"),
];

fn fields(kind: RecordKind) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    let own = match kind {
        RecordKind::Worker => WORKER,
        RecordKind::Event => EVENT,
        RecordKind::Service => SERVICE,
        aid => super::apply_aid::fields(aid),
    };
    HEADER.iter().chain(own.iter())
}

/// The city table of a kind.
pub fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Worker => "workers",
        RecordKind::Event => "events",
        RecordKind::Service => "services",
        aid => super::apply_aid::table(aid),
    }
}

/// Staging table names (temporary, dropped at commit).
fn staged(kind: RecordKind) -> String {
    format!("in_{}", kind.table())
}

/// Applies the batch; `Ok(Err(problems))` when it must be refused (a file changed since it
/// was verified, or a reference found nowhere), and the caller then rolls back.
/// `on_staged` is called once every file is in its staging table.
pub fn apply(
    tx: &mut Transaction,
    source: &mut BatchSource,
    manifest: &Manifest,
    on_staged: &mut dyn FnMut(),
) -> Result<Result<Tally, Vec<Problem>>> {
    // A batch is dozens of statements over a few hundred thousand rows each: compiling them
    // (JIT) costs more than it saves, whatever the server's default.
    tx.batch_execute("SET LOCAL jit = off")?;
    // The statistics refreshed inside a batch (staged rows, tables grown by a tenth) only
    // steer this batch's joins: a sample of 3,000 rows does that, at a tenth of the default's
    // cost (0.3 s a table at 1/16 of the city). Autovacuum, whose threshold the same growth
    // crosses, analyses the grown tables in full after the commit.
    tx.batch_execute("SET LOCAL default_statistics_target = 10")?;
    let mut problems = Vec::new();
    let kinds = super::apply_aid::kinds(manifest);
    for kind in kinds.iter().copied() {
        // The verifier may still be at work (`ingest`): a manifest not listing a data file is
        // refused here too.
        let Some(entry) = manifest.files.iter().find(|f| f.name == kind.file_name()) else {
            problems.push(Problem {
                file: kind.file_name().to_string(),
                line: None,
                kind: ProblemKind::DataFileNotListed,
            });
            continue;
        };
        let columns: Vec<(&str, &str)> = fields(kind).copied().collect();
        if let Some(p) = super::staging::stage(tx, source, kind, entry, &columns, &staged(kind))? {
            problems.push(p);
        }
    }
    on_staged();
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    erasure::take_aside(tx)?;
    let mut unresolved = unresolved_references(tx)?;
    unresolved.extend(super::apply_aid::unresolved_references(tx, &kinds)?);
    if !unresolved.is_empty() {
        return Ok(Err(unresolved));
    }

    let batch_uid = parse_uuid(&manifest.batch_uid);
    let mut tally = Tally::default();
    let mut held = [0; RecordKind::COUNT];
    for kind in kinds.iter().copied() {
        held[kind as usize] = lock_existing(tx, kind)?;
    }
    rollup::begin(tx)?;
    for kind in kinds {
        // Records new to the city (most of a batch, all of a first one) cannot diverge.
        if held[kind as usize] > 0 {
            tally.conflicts += diverged_conflicts(tx, kind, batch_uid)?;
        }
        let applied = write(tx, kind, batch_uid, held[kind as usize] == 0)?;
        analyze_if_grown(tx, table(kind), applied)?;
        let staged_count: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {}", staged(kind)), &[])?
            .get(0);
        tally.applied[kind as usize] = applied;
        tally.unchanged[kind as usize] = staged_count - applied;
        if kind == RecordKind::Worker {
            let as_staged = tally.unchanged[kind as usize] == 0;
            tally.conflicts += persons::recompute(tx, batch_uid, as_staged)?;
        }
    }
    // Erasures change persons the rollups took off in `begin` (it reads `in_erasure`).
    // Every staged worker and service written as it came (none lower than a copy another
    // ingester wrote meanwhile): what the rollups may then read from the staged rows.
    let written_as_staged = [RecordKind::Worker, RecordKind::Service]
        .iter()
        .all(|kind| tally.unchanged[*kind as usize] == 0);
    erasure::apply(tx, &mut tally)?;
    rollup::finish(tx, written_as_staged)?;
    Ok(Ok(tally))
}

/// Refreshes the planner's statistics of a city table this transaction grew by a tenth or
/// more. Without it the queries after the write plan for the table as it was (empty, for the
/// first batches: a sequential scan per row of a hundred thousand) until autovacuum catches up.
pub fn analyze_if_grown(tx: &mut Transaction, table: &str, added: i64) -> Result<()> {
    let known: f32 = tx
        .query_one(
            "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = $1::text::regclass",
            &[&table],
        )?
        .get(0);
    if added <= 1000 || added as f32 <= known / 10.0 {
        return Ok(());
    }
    // ANALYZE holds its lock on the table to the commit, so two ingesters analysing two tables
    // in turn could wait for each other: one that would wait goes on with the statistics it
    // has (the other is refreshing them), in a savepoint so the batch's transaction lives on.
    let previous: String = tx
        .query_one(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', '100ms', true)",
            &[],
        )?
        .get(0);
    let mut savepoint = tx.transaction()?;
    match savepoint.batch_execute(&format!("ANALYZE {table}")) {
        Ok(()) => savepoint.commit()?,
        Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => savepoint.rollback()?,
        Err(e) => return Err(e.into()),
    }
    tx.execute("SELECT set_config('lock_timeout', $1, true)", &[&previous])?;
    Ok(())
}

/// Runs `sql` with each of the batch's rows looked up in the city's tables by their keys.
/// Left to itself the planner reads a whole table into a hash to join it with a batch: 0.23 s
/// against 0.05 s for a quarter-city batch's services, and at the city's full size a quarter
/// of a second for each read of the 1.78 million persons, while the batch stays the size it is.
pub(super) fn by_key(tx: &mut Transaction, sql: &str) -> Result<()> {
    tx.batch_execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")?;
    tx.batch_execute(sql)?;
    tx.batch_execute("RESET enable_hashjoin; RESET enable_mergejoin")?;
    Ok(())
}

pub fn parse_uuid(text: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(text).unwrap_or_default()
}

/// References neither in the batch nor already in the city's tables, and services dated
/// before the birth of a worker the city holds (the verifier checked those to workers in the
/// batch), at most 1000 listed.
fn unresolved_references(tx: &mut Transaction) -> Result<Vec<Problem>> {
    let rows = tx.query(
        "SELECT line_no, field, uid FROM (
            SELECT s.line_no, CASE WHEN w.uid IS NULL THEN 'worker_uid' ELSE 'before_birth' END
                     AS field,
                   s.worker_uid::text AS uid
              FROM in_service s LEFT JOIN workers w ON w.uid = s.worker_uid
             WHERE NOT EXISTS (SELECT 1 FROM in_worker i WHERE i.uid = s.worker_uid)
               AND (w.uid IS NULL OR s.served_on < w.birth_date)
            UNION ALL
            SELECT s.line_no, 'event_uid', s.event_uid::text FROM in_service s
             WHERE s.event_uid IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM in_event e WHERE e.uid = s.event_uid)
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.uid = s.event_uid)
            UNION ALL
            SELECT s.line_no, 'legal_aid.follows_uid', s.legal_aid->>'follows_uid' FROM in_service s
             WHERE s.legal_aid->>'follows_uid' IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM in_service f
                               WHERE f.uid = (s.legal_aid->>'follows_uid')::uuid)
               AND NOT EXISTS (SELECT 1 FROM services f
                               WHERE f.uid = (s.legal_aid->>'follows_uid')::uuid)
         ) missing ORDER BY line_no LIMIT 1000",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|row| {
            let line: i64 = row.get(0);
            let reference = |field| ProblemKind::UnresolvedReference {
                field,
                uid: row.get(2),
            };
            let kind = match row.get::<_, &str>(1) {
                "before_birth" => ProblemKind::BeforeBirth { field: "served_on" },
                "worker_uid" => reference("worker_uid"),
                "event_uid" => reference("event_uid"),
                _ => reference("legal_aid.follows_uid"),
            };
            Problem {
                file: RecordKind::Service.file_name().to_string(),
                line: Some(line as u64),
                kind,
            }
        })
        .collect())
}

/// Locks the rows this batch may change, in uid order, so two ingesters touching the same
/// records (an office re-sending a laptop's record) wait for each other instead of
/// deadlocking or losing an update; every kind's before any person (`rollup::begin`), as the
/// erasures lock them. What the persons and rollups need of the rows as they were is kept in
/// `known_<kind>` (the city's large tables are searched for the batch's uids once). Returns
/// how many the city holds already.
fn lock_existing(tx: &mut Transaction, kind: RecordKind) -> Result<i64> {
    let kept = match kind {
        RecordKind::Worker => ", t.person_id, t.id_number",
        RecordKind::Service => ", t.worker_uid, t.la_follows_uid",
        _ => "",
    };
    by_key(
        tx,
        &format!(
            "CREATE TEMP TABLE known_{name} ON COMMIT DROP AS
                SELECT t.uid{kept} FROM {table} t JOIN {staged} i USING (uid)
                 ORDER BY t.uid FOR UPDATE OF t",
            name = kind.table(),
            table = table(kind),
            staged = staged(kind),
        ),
    )?;
    let row = tx.query_one(&format!("SELECT count(*) FROM known_{}", kind.table()), &[])?;
    Ok(row.get(0))
}

/// Lists each pair of copies of one record at one version with different content once.
fn diverged_conflicts(
    tx: &mut Transaction,
    kind: RecordKind,
    batch_uid: uuid::Uuid,
) -> Result<i64> {
    let n = tx.execute(
        &format!(
            "INSERT INTO conflicts (kind, record_kind, pair_key, kept_uid, kept_version,
                                    other_uid, other_version, other_copy, batch_uid)
             SELECT 'diverged', $1,
                    'diverged:' || i.uid || '@' || i.version || ':'
                      || least(i.content_md5, t.content_md5) || ':'
                      || greatest(i.content_md5, t.content_md5),
                    i.uid, i.version, i.uid, i.version,
                    CASE WHEN (i.updated_at COLLATE \"C\", i.content_md5 COLLATE \"C\")
                              > (t.updated_at COLLATE \"C\", t.content_md5 COLLATE \"C\")
                         THEN to_jsonb(t) ELSE to_jsonb(i) - 'doc' END,
                    $2
               FROM {staged} i JOIN {table} t USING (uid)
              WHERE i.version = t.version AND i.content_md5 <> t.content_md5
                AND t.erase_reason IS NULL
             ON CONFLICT (pair_key) DO NOTHING",
            table = table(kind),
            staged = staged(kind),
        ),
        &[&kind.table(), &batch_uid],
    )?;
    Ok(n as i64)
}

/// Writes every staged version that beats the one held; returns how many were written.
/// `none_held`: the city held none of the batch's uids when `lock_existing` looked (a new
/// laptop's batch, most of any batch of new registrations). Then a plain `INSERT` writes them:
/// the upsert's check of each row for a conflict is a fifth of a city-sized batch's writes
/// (services 2.1 → 1.6 s). Should another ingester have inserted one of the uids since, the
/// insert fails whole, inside a savepoint, and the upsert does the batch instead.
fn write(
    tx: &mut Transaction,
    kind: RecordKind,
    batch_uid: uuid::Uuid,
    none_held: bool,
) -> Result<i64> {
    if none_held {
        let mut savepoint = tx.transaction()?;
        match savepoint.query_one(&insert_sql(kind, false), &[&batch_uid]) {
            Ok(row) => {
                savepoint.commit()?;
                return Ok(row.get(0));
            }
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => savepoint.rollback()?,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(tx.query_one(&insert_sql(kind, true), &[&batch_uid])?.get(0))
}

/// The statement writing a kind's staged rows (`$1`: the batch's uid) and counting the rows
/// written; `upsert`: a uid the city holds is updated where the staged version beats it,
/// else such a uid fails the statement.
fn insert_sql(kind: RecordKind, upsert: bool) -> String {
    let names: Vec<&str> = fields(kind).map(|(name, _)| *name).collect();
    let mut columns = names.join(", ");
    let mut values = names
        .iter()
        .map(|n| format!("i.{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut join = String::new();
    let mut updates: Vec<String> = names
        .iter()
        .filter(|n| **n != "uid")
        .map(|n| format!("{n} = EXCLUDED.{n}"))
        .collect();
    updates.push("content_md5 = EXCLUDED.content_md5".into());
    updates.push("batch_uid = EXCLUDED.batch_uid".into());
    updates.push("erase_reason = NULL".into());
    if kind == RecordKind::Worker {
        columns.push_str(", person_id");
        values.push_str(", p.person_id");
        join = "JOIN batch_persons p ON p.id_number = i.id_number".into();
        updates.push("person_id = EXCLUDED.person_id".into());
    }
    let on_conflict = if upsert {
        format!(
            "ON CONFLICT (uid) DO UPDATE SET {updates}
                WHERE (EXCLUDED.version, EXCLUDED.updated_at COLLATE \"C\",
                       EXCLUDED.content_md5 COLLATE \"C\")
                    > (t.version, t.updated_at COLLATE \"C\", t.content_md5 COLLATE \"C\")
                  AND (t.erase_reason IS NULL OR EXCLUDED.version > t.version)",
            updates = updates.join(", ")
        )
    } else {
        String::new()
    };
    format!(
        "WITH written AS (
            INSERT INTO {table} AS t ({columns}, content_md5, batch_uid)
            SELECT {values}, i.content_md5, $1 FROM {staged} i {join} ORDER BY i.uid
            {on_conflict}
            RETURNING 1)
         SELECT count(*) FROM written",
        table = table(kind),
        staged = staged(kind),
    )
}
