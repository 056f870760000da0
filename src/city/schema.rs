//! The city database's schema, through numbered migrations recorded in `schema_migrations`.
//! `city init` applies the missing ones in one transaction (under an advisory lock, so two
//! `init`s at once do not race); every other command refuses a database whose schema differs
//! from this program's: newer (an older program must not write into it) or older (run init).
//!
//! Record times (`created_at`, `updated_at`, `deleted_at`) are kept as the batch's text: the
//! merge rule compares them as text (same `+08:00` offset, millisecond precision), and equal
//! text is the test for "the same copy".
//!
//! Roles: `jingong_ingest` (writes batches) and `jingong_read` (reports) are made when the
//! connecting user may create roles, and given their rights on these tables; an office grants
//! them to its login users (`GRANT jingong_ingest TO …`). Without that right `init` goes on
//! without them.

use super::{CityError, Result};

pub const LATEST: i32 = 7;

const MIGRATIONS: &[(i32, &str)] = &[
    (1, V1),
    (2, super::apply_aid::SCHEMA_V2),
    (3, V3_ERASURE),
    (4, super::rollup::SCHEMA),
    (5, super::rollup::SCHEMA_V5),
    (6, V6_INGEST),
    (7, super::rollup::SCHEMA_V7),
];

/// Migrations adding to the rollups `city stats` reads; after the last of them is applied
/// the rollups are filled from the records (the code fills the latest shape only).
const ROLLUPS: &[i32] = &[4, 5, 7];

/// Lock key for schema changes ("jingong" in ASCII, as a number).
const MIGRATION_LOCK: i64 = 0x6a696e676f6e67;

const V1: &str = r#"
CREATE TABLE devices (
    device_id uuid PRIMARY KEY,
    district_code text NOT NULL,
    officer_name text NOT NULL,
    organisation text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_received_at timestamptz NOT NULL DEFAULT now(),
    -- the newest batch of the chain that was applied or refused (so: seen)
    last_batch_uid uuid,
    last_batch_created_at text
);

-- One row per batch uid. status: applied, held (waiting for its previous batch), refused
-- (failed verification: still counts as seen in its chain).
CREATE TABLE batches (
    batch_uid uuid PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES devices,
    previous_batch_uid uuid,
    manifest_sha256 text NOT NULL,
    created_at text NOT NULL,
    status text NOT NULL CHECK (status IN ('applied', 'held', 'refused')),
    -- held: [{"waiting_for": uid}]; refused: [{"file", "line", "zh", "en"}]
    reasons jsonb NOT NULL DEFAULT '[]',
    -- where a held batch waits to be read again
    path text,
    -- data records in the batch (what a held batch keeps waiting)
    records bigint NOT NULL DEFAULT 0,
    applied jsonb,
    unchanged jsonb,
    conflicts bigint NOT NULL DEFAULT 0,
    first_received_at timestamptz NOT NULL DEFAULT now(),
    settled_at timestamptz,
    times_received integer NOT NULL DEFAULT 1
);
CREATE INDEX batches_device ON batches (device_id, created_at);
CREATE INDEX batches_previous ON batches (previous_batch_uid) WHERE status = 'held';

-- Every arrival of a batch, including repeats: outcome applied, held, refused, duplicate.
CREATE TABLE arrivals (
    id bigserial PRIMARY KEY,
    batch_uid uuid,
    manifest_sha256 text,
    outcome text NOT NULL CHECK (outcome IN ('applied', 'held', 'refused', 'duplicate')),
    path text NOT NULL,
    arrived_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX arrivals_batch ON arrivals (batch_uid);

-- One person per ID number, whichever laptops registered them. shown_uid: the record the
-- merge rule shows (live first, latest updated_at, greater uid).
CREATE TABLE persons (
    id bigserial PRIMARY KEY,
    id_number text NOT NULL UNIQUE,
    shown_uid uuid,
    records integer NOT NULL DEFAULT 0,
    withdrawn boolean NOT NULL DEFAULT false
);

CREATE TABLE workers (
    uid uuid PRIMARY KEY,
    version bigint NOT NULL,
    op text NOT NULL,
    origin_device_id uuid NOT NULL,
    officer jsonb NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    id_number text NOT NULL,
    name text NOT NULL,
    gender text NOT NULL,
    birth_date date NOT NULL,
    phone text NOT NULL,
    hometown_code text NOT NULL,
    employer text NOT NULL,
    worksite text NOT NULL,
    trade text NOT NULL,
    district_code text NOT NULL,
    membership text NOT NULL,
    card_no text NOT NULL,
    hardship boolean NOT NULL,
    note text NOT NULL,
    content_md5 text NOT NULL,
    batch_uid uuid NOT NULL,
    person_id bigint REFERENCES persons
);
CREATE INDEX workers_person ON workers (person_id);
CREATE INDEX workers_id_number ON workers (id_number);
CREATE INDEX workers_district ON workers (district_code) WHERE deleted_at IS NULL;

CREATE TABLE events (
    uid uuid PRIMARY KEY,
    version bigint NOT NULL,
    op text NOT NULL,
    origin_device_id uuid NOT NULL,
    officer jsonb NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    name text NOT NULL,
    kind text NOT NULL,
    held_on date NOT NULL,
    place text NOT NULL,
    district_code text NOT NULL,
    default_quantity bigint NOT NULL,
    default_amount_fen bigint NOT NULL,
    content_md5 text NOT NULL,
    batch_uid uuid NOT NULL
);
CREATE INDEX events_held_on ON events (held_on);

-- The health-check and legal-aid objects are kept whole (jsonb) and their fields that reports
-- filter and sum are generated columns beside them.
CREATE TABLE services (
    uid uuid PRIMARY KEY,
    version bigint NOT NULL,
    op text NOT NULL,
    origin_device_id uuid NOT NULL,
    officer jsonb NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    worker_uid uuid NOT NULL,
    event_uid uuid,
    kind text NOT NULL,
    served_on date NOT NULL,
    place text NOT NULL,
    quantity bigint NOT NULL,
    amount_fen bigint NOT NULL,
    note text NOT NULL,
    health_check jsonb,
    legal_aid jsonb,
    hc_provider text GENERATED ALWAYS AS (health_check->>'provider') STORED,
    hc_referral boolean GENERATED ALWAYS AS ((health_check->>'referral')::boolean) STORED,
    hc_glucose_tenths bigint GENERATED ALWAYS AS ((health_check->>'glucose_tenths')::bigint) STORED,
    la_category text GENERATED ALWAYS AS (legal_aid->>'category') STORED,
    la_status text GENERATED ALWAYS AS (legal_aid->>'status') STORED,
    la_claimed_fen bigint GENERATED ALWAYS AS ((legal_aid->>'claimed_fen')::bigint) STORED,
    la_recovered_fen bigint GENERATED ALWAYS AS ((legal_aid->>'recovered_fen')::bigint) STORED,
    la_follows_uid text GENERATED ALWAYS AS (legal_aid->>'follows_uid') STORED,
    content_md5 text NOT NULL,
    batch_uid uuid NOT NULL
);
CREATE INDEX services_worker ON services (worker_uid);
CREATE INDEX services_served_on ON services (served_on, kind);
CREATE INDEX services_event ON services (event_uid) WHERE event_uid IS NOT NULL;

-- diverged: two copies of one record at one version; same_person: two records of one
-- person disagreeing. pair_key names the two copies (uid@version, sorted) so each is listed
-- once whatever the order of the batches.
CREATE TABLE conflicts (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('diverged', 'same_person')),
    record_kind text NOT NULL,
    pair_key text NOT NULL UNIQUE,
    person_id bigint REFERENCES persons,
    kept_uid uuid NOT NULL,
    kept_version bigint NOT NULL,
    other_uid uuid NOT NULL,
    other_version bigint NOT NULL,
    fields text[] NOT NULL DEFAULT '{}',
    -- the copy not shown (diverged), as it arrived
    other_copy jsonb,
    batch_uid uuid NOT NULL,
    found_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX conflicts_person ON conflicts (person_id) WHERE resolved_at IS NULL;

-- The signed answer sent back to the laptop for each batch.
CREATE TABLE receipts (
    batch_uid uuid PRIMARY KEY REFERENCES batches,
    body jsonb NOT NULL,
    signature text NOT NULL,
    key_id text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);

DO $roles$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user
               AND (rolsuper OR rolcreaterole)) THEN
        BEGIN
            CREATE ROLE jingong_ingest NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
        BEGIN
            CREATE ROLE jingong_read NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO jingong_read;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO jingong_ingest;
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO jingong_ingest;
    END IF;
END
$roles$;
"#;

/// Erasures (src/city/erasure.rs): the reason code of an erased row (NULL while it is not),
/// and a birth date an erasure can blank.
const V3_ERASURE: &str = r#"
ALTER TABLE workers ADD COLUMN erase_reason text, ALTER COLUMN birth_date DROP NOT NULL;
ALTER TABLE events ADD COLUMN erase_reason text;
ALTER TABLE services ADD COLUMN erase_reason text;
ALTER TABLE needs ADD COLUMN erase_reason text;
ALTER TABLE claims ADD COLUMN erase_reason text;
"#;

/// Migration 6: what every batch's ingest looks for, found without reading a whole table.
const V6_INGEST: &str = r#"
-- The erased worker records: a service arriving for one is blanked as it arrives
-- (erasure::blank_late_services), a question every batch asks of a handful of rows.
CREATE INDEX workers_erased ON workers (uid) WHERE erase_reason IS NOT NULL;
-- Nothing looks a worker record up by its ID number (a person is found by it in `persons`),
-- and every batch paid for this index: half a second of a city-sized batch's workers.
DROP INDEX workers_id_number;
-- A person is made, then given their shown record, in the same batch (persons::recompute):
-- with room left on the page the second write stays there and adds no index entries.
ALTER TABLE persons SET (fillfactor = 70);
"#;

/// Applies every missing migration; returns the versions applied (empty when up to date).
pub fn migrate(client: &mut postgres::Client) -> Result<Vec<i32>> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )?;
    let found = current(&mut tx)?;
    if found > LATEST {
        return Err(CityError::NewerSchema {
            found,
            known: LATEST,
        });
    }
    let mut applied = Vec::new();
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[version],
        )?;
        applied.push(*version);
    }
    if applied.iter().any(|v| ROLLUPS.contains(v)) {
        super::rollup::refill(&mut tx)?;
    }
    tx.commit()?;
    Ok(applied)
}

/// The highest applied migration, 0 for a database never initialised.
fn current(client: &mut impl postgres::GenericClient) -> Result<i32> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client.query_one(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        &[],
    )?;
    Ok(row.get(0))
}

/// Refuses to work on a database this program does not know the shape of.
pub fn check(client: &mut postgres::Client) -> Result<()> {
    match current(client)? {
        0 => Err(CityError::NotInitialised),
        v if v > LATEST => Err(CityError::NewerSchema {
            found: v,
            known: LATEST,
        }),
        v if v < LATEST => Err(CityError::OlderSchema { found: v }),
        _ => Ok(()),
    }
}
