//! The rollups `city stats` reads instead of scanning millions of records (issue 16, "Scale"),
//! kept in the ingest transaction:
//! - `stat_persons`: live persons by the district of the record they show;
//! - `stat_registered`: live persons by the day their first live record was made and that
//!   district (the day as the record's text gives it, so periods compare as the scan does);
//! - `stat_service_month`: live services of live persons by month served, kind and that
//!   district, with their amounts, health-check referrals and the legal-aid cases (a case is
//!   its latest live visit); months, not days: a district's batch reaches some 160,000 day
//!   keys of its two years and every one was a row to upsert, where months are 5,000
//!   (`stats_rollups` reads the days at a period's ends from the records);
//! - `stat_reach`: each live person's months with a service, by month, the month they were
//!   served before (`-infinity`: never) and district, hardship persons counted apart too; a
//!   person first served within a run of whole months is the one row whose previous month
//!   falls before the run.
//!
//! Every figure of a person depends only on that person's records, their services and the
//! services following those (legal aid). So a batch first takes the persons it may change
//! (`begin`: locked in id order, their contribution subtracted), and after the records are
//! written adds their contribution again (`finish`). The work is proportional to the batch,
//! not to the city; the figures equal the scan's (`stats::compute_by_scan`) at every commit.
//! The reading side is `stats_rollups`.

use super::Result;
use super::apply::by_key;
use postgres::Transaction;

/// Migration 4: the rollup tables (filled by `refill` in the same transaction).
pub const SCHEMA: &str = r#"
CREATE TABLE stat_persons (
    district_code text PRIMARY KEY,
    workers bigint NOT NULL,
    members bigint NOT NULL,
    joined_here bigint NOT NULL,
    hardship bigint NOT NULL,
    merged_records bigint NOT NULL
);
CREATE TABLE stat_service_day (
    served_on date NOT NULL,
    kind text NOT NULL,
    district_code text NOT NULL,
    services bigint NOT NULL,
    referred bigint NOT NULL,
    legal_cases bigint NOT NULL,
    open_cases bigint NOT NULL,
    claimed_fen bigint NOT NULL,
    recovered_fen bigint NOT NULL,
    PRIMARY KEY (served_on, kind, district_code)
);
CREATE TABLE stat_reach (
    month date NOT NULL,
    prev_month date NOT NULL,
    district_code text NOT NULL,
    persons bigint NOT NULL,
    PRIMARY KEY (month, prev_month, district_code)
);
-- Whether a legal-aid visit is followed, without reading every service.
CREATE INDEX services_follows ON services (la_follows_uid) WHERE la_follows_uid IS NOT NULL;
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_ingest') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON stat_persons, stat_service_day, stat_reach
           TO jingong_ingest;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_read') THEN
        GRANT SELECT ON stat_persons, stat_service_day, stat_reach TO jingong_read;
    END IF;
END
$grants$;
"#;

/// Migration 5: what the rollups lacked for the series and the districts (registrations by
/// day, amounts, hardship reach), so a year over the city reads no record (refilled there).
pub const SCHEMA_V5: &str = r#"
ALTER TABLE stat_service_day ADD COLUMN amount_fen bigint NOT NULL DEFAULT 0;
ALTER TABLE stat_reach ADD COLUMN hardship_persons bigint NOT NULL DEFAULT 0;
CREATE TABLE stat_registered (
    made_on text NOT NULL,
    district_code text NOT NULL,
    workers bigint NOT NULL,
    members bigint NOT NULL,
    joined_here bigint NOT NULL,
    hardship bigint NOT NULL,
    PRIMARY KEY (made_on, district_code)
);
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_ingest') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON stat_registered TO jingong_ingest;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_read') THEN
        GRANT SELECT ON stat_registered TO jingong_read;
    END IF;
END
$grants$;
"#;

/// Migration 7: services by month instead of by day (refilled there).
pub const SCHEMA_V7: &str = r#"
DROP TABLE stat_service_day;
CREATE TABLE stat_service_month (
    month date NOT NULL,
    kind text NOT NULL,
    district_code text NOT NULL,
    services bigint NOT NULL,
    referred bigint NOT NULL,
    legal_cases bigint NOT NULL,
    open_cases bigint NOT NULL,
    claimed_fen bigint NOT NULL,
    recovered_fen bigint NOT NULL,
    amount_fen bigint NOT NULL,
    PRIMARY KEY (month, kind, district_code)
);
DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_ingest') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON stat_service_month TO jingong_ingest;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jingong_read') THEN
        GRANT SELECT ON stat_service_month TO jingong_read;
    END IF;
END
$grants$;
"#;

/// Rollup tables with their key and their summed columns.
const TABLES: &[(&str, &[&str], &[&str])] = &[
    (
        "stat_persons",
        &["district_code"],
        &[
            "workers",
            "members",
            "joined_here",
            "hardship",
            "merged_records",
        ],
    ),
    (
        "stat_service_month",
        &["month", "kind", "district_code"],
        &[
            "services",
            "referred",
            "legal_cases",
            "open_cases",
            "claimed_fen",
            "recovered_fen",
            "amount_fen",
        ],
    ),
    (
        "stat_reach",
        &["month", "prev_month", "district_code"],
        &["persons", "hardship_persons"],
    ),
    (
        "stat_registered",
        &["made_on", "district_code"],
        &["workers", "members", "joined_here", "hardship"],
    ),
];

/// The live persons of `stat_touched`, read once per side of the batch (`stat_people`): the
/// district, membership and hardship of the record they show, their live records and the
/// day the first of those was made.
const LIVE_PEOPLE: &str = "CREATE TEMP TABLE stat_people ON COMMIT DROP AS
    SELECT p.id AS person_id, sw.district_code, sw.membership, sw.hardship,
           live.records, live.made
      FROM persons p JOIN workers sw ON sw.uid = p.shown_uid
      CROSS JOIN LATERAL (SELECT count(*) AS records,
                                 min(o.created_at COLLATE \"C\") AS made
                            FROM workers o
                           WHERE o.person_id = p.id AND o.deleted_at IS NULL) live
     WHERE NOT p.withdrawn AND p.id IN (SELECT person_id FROM stat_touched)";

/// The live services of the persons in `stat_touched`, read once per side of the batch
/// (`stat_live`), for the rollups of services and reach.
const LIVE_SERVICES: &str =
    // A case is its latest live visit: one that no live visit follows.
    "CREATE TEMP TABLE stat_live ON COMMIT DROP AS
     SELECT p.id AS person_id, sw.district_code, sw.hardship,
            -- the first of the month served (date_trunc through a timestamp costs 4 times more)
            s.served_on - (date_part('day', s.served_on)::int - 1) AS month, s.kind,
            s.amount_fen, coalesce(s.hc_referral, false) AS referral,
            s.la_status, s.la_claimed_fen, s.la_recovered_fen,
            s.legal_aid IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM services f
                 WHERE f.la_follows_uid = s.uid::text AND f.deleted_at IS NULL) AS head
       FROM services s
       JOIN workers w ON w.uid = s.worker_uid
       JOIN persons p ON p.id = w.person_id
       JOIN workers sw ON sw.uid = p.shown_uid
      WHERE s.deleted_at IS NULL AND NOT p.withdrawn
        AND p.id IN (SELECT person_id FROM stat_touched)";

/// `LIVE_PEOPLE` for the persons of `stat_fresh`, from the staged workers: every record of
/// theirs is one of them, written as staged (new uids are always inserted), so the batch's
/// own summary of each ID number (`persons::make`) is theirs.
const FRESH_PEOPLE: &str = "CREATE TEMP TABLE stat_people ON COMMIT DROP AS
    SELECT f.person_id, sw.district_code, sw.membership, sw.hardship,
           sp.live_records AS records, sp.first_made AS made
      FROM stat_fresh f
      JOIN staged_people sp USING (id_number)
      JOIN in_worker sw ON sw.uid = sp.shown_uid
     WHERE NOT sp.withdrawn";

/// `LIVE_SERVICES` for the persons of `stat_fresh`, from the staged services: a service of a
/// worker record new to the city came in with it, and so did any visit following it (a
/// reference to a uid the city had not seen is refused); the batch held no service the city
/// had (`take_fresh_aside`), so each staged row is the one written. The generated columns
/// of `services` are worked out as the table does.
const FRESH_SERVICES: &str = "CREATE TEMP TABLE stat_live ON COMMIT DROP AS
    SELECT f.person_id, sw.district_code, sw.hardship,
           s.served_on - (date_part('day', s.served_on)::int - 1) AS month, s.kind, s.amount_fen,
           coalesce((s.health_check->>'referral')::boolean, false) AS referral,
           s.legal_aid->>'status' AS la_status,
           (s.legal_aid->>'claimed_fen')::bigint AS la_claimed_fen,
           (s.legal_aid->>'recovered_fen')::bigint AS la_recovered_fen,
           s.legal_aid IS NOT NULL AND followed.uid IS NULL AS head
      FROM stat_fresh f
      JOIN staged_people sp USING (id_number)
      JOIN in_worker sw ON sw.uid = sp.shown_uid
      JOIN in_worker w ON w.id_number = f.id_number
      JOIN in_service s ON s.worker_uid = w.uid
      -- joined, not asked per row: the staged services have no index on what they follow
      LEFT JOIN (SELECT DISTINCT legal_aid->>'follows_uid' AS uid FROM in_service
                  WHERE legal_aid->>'follows_uid' IS NOT NULL AND deleted_at IS NULL) followed
        ON followed.uid = s.uid::text
     WHERE s.deleted_at IS NULL AND NOT sp.withdrawn";

/// The contribution of the persons in `stat_touched` to each rollup, as SELECTs over
/// `stat_people` and `stat_live` producing the key columns then the summed columns (in
/// `TABLES` order).
const CONTRIBUTIONS: [&str; 4] = [
    "SELECT district_code, count(*), count(*) FILTER (WHERE membership = 'member'),
            count(*) FILTER (WHERE membership = 'joined_here'),
            count(*) FILTER (WHERE hardship), coalesce(sum(records - 1), 0)
       FROM stat_people GROUP BY district_code",
    "SELECT month, kind, district_code, count(*),
            count(*) FILTER (WHERE referral),
            count(*) FILTER (WHERE head),
            count(*) FILTER (WHERE head AND la_status NOT IN ('resolved', 'referred')),
            coalesce(sum(la_claimed_fen) FILTER (WHERE head), 0),
            coalesce(sum(la_recovered_fen) FILTER (WHERE head), 0),
            coalesce(sum(amount_fen), 0)
       FROM stat_live GROUP BY 1, 2, 3",
    "SELECT month, coalesce(prev_month, '-infinity'), district_code, count(*),
            count(*) FILTER (WHERE hardship)
       FROM (SELECT month, district_code, hardship,
                    lag(month) OVER (PARTITION BY person_id ORDER BY month) AS prev_month
               -- a person's district and hardship are their shown record's, one per person:
               -- grouped by person and month, the rows come out in the window's order
               FROM (SELECT person_id, month,
                            min(district_code) AS district_code, bool_or(hardship) AS hardship
                       FROM stat_live GROUP BY 1, 2 ORDER BY 1, 2) months) served
      GROUP BY 1, 2, 3",
    // The day as text, like the scan's comparison of `created_at` with a day: a text and
    // its first ten characters compare alike with any ten-character day.
    "SELECT substr(made, 1, 10), district_code, count(*),
            count(*) FILTER (WHERE membership = 'member'),
            count(*) FILTER (WHERE membership = 'joined_here'),
            count(*) FILTER (WHERE hardship)
       FROM stat_people WHERE made IS NOT NULL GROUP BY 1, 2",
];

/// Before a batch's records are written: the persons it may change are locked (in id order,
/// so ingesters of other devices never deadlock on them; new ID numbers get their person
/// first) and their contribution to the rollups is taken off.
pub fn begin(tx: &mut Transaction) -> Result<()> {
    // The batch's uids and persons are gathered, sorted and de-duplicated whole: at a quarter
    // of the city (111,000 lines a batch) the default 4 MB spilled them to disk. Only here:
    // with more, the rollups' queries after it hash every service instead of using an index.
    tx.batch_execute("SET LOCAL work_mem = '64MB'")?;
    super::persons::make(tx)?;
    tx.batch_execute(
        // The worker records whose persons the batch may change, gathered first so the
        // city's workers are read once, not once per way a record can be reached.
        "CREATE TEMP TABLE stat_worker_uids ON COMMIT DROP AS
            SELECT DISTINCT reached.worker_uid FROM (
                SELECT worker_uid FROM in_service
                UNION ALL SELECT worker_uid FROM known_service
                -- the visits a legal-aid visit follows, now and in the copy it replaces
                UNION ALL SELECT f.worker_uid FROM in_service i
                        JOIN services f ON f.uid = (i.legal_aid->>'follows_uid')::uuid
                UNION ALL SELECT f.worker_uid FROM known_service k
                        JOIN services f ON f.uid = k.la_follows_uid::uuid
                -- the records an erasure line names (src/city/erasure.rs takes them aside)
                UNION ALL SELECT uid FROM in_erasure WHERE kind = 'worker'
                UNION ALL SELECT s.worker_uid FROM in_erasure e JOIN services s USING (uid)
                       WHERE e.kind = 'service') reached
            -- the batch's own workers: their persons come from `known_worker` and the
            -- incoming ID numbers, so the city's workers are searched for the rest only
            -- (most of a batch's services are theirs: dropped before any sorting)
             WHERE NOT EXISTS (SELECT 1 FROM in_worker w WHERE w.uid = reached.worker_uid);
         ANALYZE stat_worker_uids;
         CREATE TEMP TABLE stat_candidates ON COMMIT DROP AS
            SELECT person_id FROM batch_persons
            UNION SELECT person_id FROM known_worker
            UNION SELECT w.person_id FROM workers w JOIN stat_worker_uids u
                    ON w.uid = u.worker_uid;
         -- the persons the batch made are its own until it commits: nothing to lock, and
         -- nothing to take off before (they join for the side after, below)
         CREATE TEMP TABLE stat_touched ON COMMIT DROP AS
            SELECT person_id FROM stat_candidates WHERE person_id IS NOT NULL
            EXCEPT SELECT person_id FROM batch_persons WHERE is_new;
         ANALYZE stat_touched;",
    )?;
    by_key(
        tx,
        "SELECT count(*) FROM (SELECT 1 FROM stat_touched t JOIN persons p ON p.id = t.person_id
                                ORDER BY p.id FOR UPDATE OF p) locked",
    )?;
    tx.batch_execute("RESET work_mem")?;
    create_deltas(tx)?;
    add_contributions(tx, -1, [LIVE_PEOPLE, LIVE_SERVICES])?;
    tx.batch_execute(
        "INSERT INTO stat_touched SELECT person_id FROM batch_persons WHERE is_new;
         ANALYZE stat_touched;",
    )?;
    Ok(())
}

/// After the batch's records and persons are written: the persons' contribution added again,
/// and the differences written into the rollups (in key order).
/// `written_as_staged`: every staged worker and service was written as it came in.
pub fn finish(tx: &mut Transaction, written_as_staged: bool) -> Result<()> {
    // The persons' shown records were all unset when `begin` counted new persons: planned on
    // that, joining them to their records is a scan per person (minutes for a first batch).
    let touched: i64 = tx
        .query_one("SELECT count(*) FROM stat_touched", &[])?
        .get(0);
    super::apply::analyze_if_grown(tx, "persons", touched)?;
    let fresh = take_fresh_aside(tx, written_as_staged)?;
    add_contributions(tx, 1, [LIVE_PEOPLE, LIVE_SERVICES])?;
    if fresh > 0 {
        add_contributions(tx, 1, [FRESH_PEOPLE, FRESH_SERVICES])?;
    }
    write_all(tx)
}

/// Every person's contribution, from scratch (migrations 4, 5 and 7, or after a repair by
/// hand).
pub fn refill(tx: &mut Transaction) -> Result<()> {
    tx.batch_execute(
        "TRUNCATE stat_persons, stat_service_month, stat_reach, stat_registered;
         CREATE TEMP TABLE stat_touched ON COMMIT DROP AS SELECT id AS person_id FROM persons;
         ANALYZE stat_touched;",
    )?;
    create_deltas(tx)?;
    let persons: i64 = tx
        .query_one("SELECT count(*) FROM stat_touched", &[])?
        .get(0);
    super::apply::analyze_if_grown(tx, "persons", persons)?;
    add_contributions(tx, 1, [LIVE_PEOPLE, LIVE_SERVICES])?;
    write_all(tx)
}

/// The persons the batch made whose every record and service came in with it (most of a
/// district's batch): their contribution is read from the staged rows (`FRESH_*`), not
/// looked for among the city's millions. Moved from `stat_touched` to `stat_fresh`; returns
/// how many. A batch correcting services the city holds, or erasing anything, reads everyone
/// from the city's tables (a changed service may follow, or be followed by, one of theirs),
/// and so does one with a staged row not written as it came (a copy another ingester wrote
/// meanwhile stands).
fn take_fresh_aside(tx: &mut Transaction, written_as_staged: bool) -> Result<i64> {
    let plain: bool = written_as_staged
        && tx
            .query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM known_service)
                    AND NOT EXISTS (SELECT 1 FROM in_erasure)",
                &[],
            )?
            .get(0);
    if !plain {
        return Ok(0);
    }
    tx.batch_execute(
        "CREATE TEMP TABLE stat_fresh ON COMMIT DROP AS
            SELECT b.person_id, b.id_number FROM batch_persons b
             WHERE b.is_new
               AND NOT EXISTS (SELECT 1 FROM in_worker i JOIN known_worker k USING (uid)
                                WHERE i.id_number = b.id_number);
         DELETE FROM stat_touched WHERE person_id IN (SELECT person_id FROM stat_fresh);
         ANALYZE stat_touched; ANALYZE stat_fresh;",
    )?;
    Ok(tx.query_one("SELECT count(*) FROM stat_fresh", &[])?.get(0))
}

/// Writes the batch's differences into the rollups, summed and sorted in memory.
fn write_all(tx: &mut Transaction) -> Result<()> {
    // The batch's differences are summed and sorted whole: at a quarter of the city the
    // day keys services had then spilled to disk in 21 parts with the default 4 MB.
    tx.batch_execute("SET LOCAL work_mem = '64MB'")?;
    write_deltas(tx)?;
    tx.batch_execute("RESET work_mem")?;
    Ok(())
}

/// Adds (`sign` 1) or takes off (-1) the contribution of the persons `live` reads: the two
/// statements making `stat_people` and `stat_live`.
fn add_contributions(tx: &mut Transaction, sign: i64, live: [&str; 2]) -> Result<()> {
    for sql in live {
        tx.batch_execute(sql)?;
    }
    // The groupings below read only the two tables just made (a batch's services: 330,000
    // rows for a city-sized one), sorted whole: with the default 4 MB they went to disk.
    tx.batch_execute("SET LOCAL work_mem = '64MB'")?;
    for ((table, keys, sums), select) in TABLES.iter().zip(CONTRIBUTIONS) {
        let delta = delta_table(table);
        let signed: Vec<String> = keys
            .iter()
            .map(|k| format!("c.{k}"))
            .chain(sums.iter().map(|s| format!("{sign} * c.{s}")))
            .collect();
        let names: Vec<&str> = keys.iter().chain(sums.iter()).copied().collect();
        tx.batch_execute(&format!(
            "INSERT INTO {delta} ({names})
             SELECT {signed} FROM ({select}) AS c ({names})",
            names = names.join(", "),
            signed = signed.join(", "),
        ))?;
    }
    tx.batch_execute("RESET work_mem; DROP TABLE stat_people, stat_live")?;
    Ok(())
}

fn write_deltas(tx: &mut Transaction) -> Result<()> {
    for (table, keys, sums) in TABLES {
        let delta = delta_table(table);
        let keys_list = keys.join(", ");
        let summed: Vec<String> = sums.iter().map(|s| format!("sum({s})")).collect();
        let changed: Vec<String> = sums.iter().map(|s| format!("sum({s}) <> 0")).collect();
        let updates: Vec<String> = sums
            .iter()
            .map(|s| format!("{s} = t.{s} + EXCLUDED.{s}"))
            .collect();
        let all_zero = |prefix: &str| {
            sums.iter()
                .map(|s| format!("{prefix}{s} = 0"))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let emptied: i64 = tx
            .query_one(
                &format!(
                    "WITH written AS (
                        INSERT INTO {table} AS t ({keys_list}, {sums_list})
                        SELECT {keys_list}, {summed} FROM {delta} GROUP BY {keys_list}
                        HAVING {changed} ORDER BY {keys_list}
                        ON CONFLICT ({keys_list}) DO UPDATE SET {updates}
                        RETURNING {sums_list})
                     SELECT count(*) FROM written WHERE {zero}",
                    sums_list = sums.join(", "),
                    summed = summed.join(", "),
                    changed = changed.join(" OR "),
                    updates = updates.join(", "),
                    zero = all_zero(""),
                ),
                &[],
            )?
            .get(0);
        // A row the batch brought down to zero goes; the upsert tells whether there is one,
        // so the rollup (a row per day, kind and district of the whole city) is searched only
        // then, and only for the keys the batch changed.
        if emptied > 0 {
            let same_key: Vec<String> = keys.iter().map(|k| format!("t.{k} = d.{k}")).collect();
            tx.batch_execute(&format!(
                "DELETE FROM {table} t USING (SELECT DISTINCT {keys_list} FROM {delta}) d
                  WHERE {same_key} AND {zero}",
                same_key = same_key.join(" AND "),
                zero = all_zero("t."),
            ))?;
        }
        tx.batch_execute(&format!("TRUNCATE {delta}"))?;
    }
    Ok(())
}

/// One empty table per rollup for the batch's signed differences.
fn create_deltas(tx: &mut Transaction) -> Result<()> {
    for (table, _, _) in TABLES {
        tx.batch_execute(&format!(
            "CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT * FROM {table} LIMIT 0",
            delta_table(table)
        ))?;
    }
    Ok(())
}

fn delta_table(table: &str) -> String {
    format!("stat_delta_{}", table.trim_start_matches("stat_"))
}
