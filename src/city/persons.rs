//! One ID number is one person in the city's view, whichever laptops registered them and
//! under however many worker uids (docs/batch-format.md, "Merge rule", steps 2–5).
//!
//! Every worker row points at its person (`persons`, keyed by the ID number). The person
//! shows one record, chosen from the records alone (live first, then the latest
//! `updated_at`, then the greater uid), so any order of the same batches gives the same
//! result. Each other record that disagrees with the shown one is one `same_person` conflict
//! naming the fields; they are recomputed whenever one of the person's records changes.

use super::Result;
use super::apply::by_key;
use crate::batch::person::PERSON_FIELDS;
use postgres::Transaction;

/// The order in which a person's records are candidates to be shown (`w`: a worker row).
const SHOWN_FIRST: &str =
    "(w.deleted_at IS NULL) DESC, w.updated_at COLLATE \"C\" DESC, w.uid DESC";

/// Before the workers are written (from `rollup::begin`, with the batch's rows locked):
/// - `staged_people`: each incoming ID number as its staged rows alone would make a person
///   (the record shown, records, withdrawn, and the live records and the first made day the
///   rollups count);
/// - a person for each ID number new to the city, made with those values: all of its records
///   are staged ones, so they are right once every staged worker is written as it came, and
///   `recompute` sets them again otherwise (a city-sized batch makes 100,000 persons: one
///   write each, not two);
/// - `batch_persons`: the person of each incoming ID number, made (`is_new`) or found.
pub fn make(tx: &mut Transaction) -> Result<()> {
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE staged_people ON COMMIT DROP AS
            SELECT DISTINCT ON (w.id_number) w.id_number, w.uid AS shown_uid,
                   count(*) OVER same AS records,
                   bool_and(w.deleted_at IS NOT NULL) OVER same AS withdrawn,
                   count(*) FILTER (WHERE w.deleted_at IS NULL) OVER same AS live_records,
                   min(w.created_at COLLATE \"C\") FILTER (WHERE w.deleted_at IS NULL) OVER same
                     AS first_made
              FROM in_worker w
            WINDOW same AS (PARTITION BY w.id_number)
             ORDER BY w.id_number, {SHOWN_FIRST};
         CREATE TEMP TABLE batch_persons (
            id_number text NOT NULL, person_id bigint NOT NULL, is_new boolean NOT NULL
         ) ON COMMIT DROP;
         WITH made AS (
            INSERT INTO persons (id_number, shown_uid, records, withdrawn)
            SELECT id_number, shown_uid, records, withdrawn FROM staged_people
             ORDER BY id_number
            ON CONFLICT (id_number) DO NOTHING
            RETURNING id, id_number)
         INSERT INTO batch_persons SELECT id_number, id, true FROM made;"
    ))?;
    let made: i64 = tx
        .query_one("SELECT count(*) FROM batch_persons", &[])?
        .get(0);
    super::apply::analyze_if_grown(tx, "persons", made)?;
    by_key(
        tx,
        "INSERT INTO batch_persons
         SELECT p.id_number, p.id, false
           FROM (SELECT id_number FROM staged_people
                 EXCEPT SELECT id_number FROM batch_persons) found
           JOIN persons p USING (id_number)",
    )?;
    tx.batch_execute("ANALYZE batch_persons")?;
    Ok(())
}

/// After the workers are written: each touched person's shown record, count and withdrawn
/// flag, and their `same_person` conflicts. Returns the conflicts newly listed.
///
/// The persons touched are the ones `rollup::begin` made and locked, in id order
/// (`stat_touched`): every
/// person the batch may change (the incoming ID numbers, and the persons the same uids had so
/// far, in case a record changed its number), a few reached through services besides, for
/// whom this finds what they had. `workers_as_staged`: every staged worker was written as it
/// came, so a person `make` made with one record is as it should be, with nobody to disagree.
pub fn recompute(
    tx: &mut Transaction,
    batch_uid: uuid::Uuid,
    workers_as_staged: bool,
) -> Result<i64> {
    let settled = if workers_as_staged {
        "EXCEPT SELECT b.person_id FROM batch_persons b JOIN staged_people s USING (id_number)
                 WHERE b.is_new AND s.records = 1"
    } else {
        ""
    };
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE persons_recomputed ON COMMIT DROP AS
            SELECT person_id FROM stat_touched {settled};
         ANALYZE persons_recomputed;
         CREATE TEMP TABLE person_shown ON COMMIT DROP AS
            SELECT DISTINCT ON (w.person_id) w.person_id, w.uid,
                   count(*) OVER (PARTITION BY w.person_id) AS records,
                   bool_and(w.deleted_at IS NOT NULL) OVER (PARTITION BY w.person_id)
                     AS withdrawn
              FROM workers w
             WHERE w.person_id IN (SELECT person_id FROM persons_recomputed)
             ORDER BY w.person_id, {SHOWN_FIRST};
         ANALYZE person_shown;
         -- Persons no record names any more (`erasure` drops those it made).
         CREATE TEMP TABLE touched_empty ON COMMIT DROP AS
            SELECT person_id AS id FROM persons_recomputed
            EXCEPT SELECT person_id FROM person_shown;"
    ))?;
    by_key(
        tx,
        "UPDATE persons p
            SET shown_uid = s.uid, records = s.records, withdrawn = s.withdrawn
           FROM person_shown s
          WHERE p.id = s.person_id;
         UPDATE persons p SET shown_uid = NULL, records = 0, withdrawn = true
          WHERE p.id IN (SELECT id FROM touched_empty);",
    )?;
    let differing: Vec<String> = PERSON_FIELDS
        .iter()
        .map(|f| format!("CASE WHEN s.{f} IS DISTINCT FROM o.{f} THEN '{f}' END"))
        .chain(std::iter::once(
            "CASE WHEN (s.deleted_at IS NULL) <> (o.deleted_at IS NULL) THEN 'withdrawn' END"
                .to_string(),
        ))
        .collect();
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE person_pairs ON COMMIT DROP AS
         SELECT 'same_person:' || least(a, b) || '|' || greatest(a, b) AS pair_key, *
           FROM (SELECT p.person_id, s.uid AS kept_uid, s.version AS kept_version,
                        o.uid AS other_uid, o.version AS other_version,
                        s.uid || '@' || s.version AS a, o.uid || '@' || o.version AS b,
                        array_remove(ARRAY[{differing}], NULL) AS fields
                   FROM person_shown p
                   JOIN workers s ON s.uid = p.uid
                   JOIN workers o ON o.person_id = p.person_id AND o.uid <> s.uid
                  WHERE p.records > 1
                    -- two erased records: nothing left to reconcile (src/city/erasure.rs)
                    AND (s.erase_reason IS NULL OR o.erase_reason IS NULL)) pairs
          WHERE cardinality(fields) > 0;
         DELETE FROM conflicts c
          WHERE c.kind = 'same_person' AND c.resolved_at IS NULL
            AND c.person_id IN (SELECT person_id FROM persons_recomputed)
            AND NOT EXISTS (SELECT 1 FROM person_pairs n WHERE n.pair_key = c.pair_key);",
        differing = differing.join(", "),
    ))?;
    // A pair already listed keeps its row (and the batch that found it); only pairs new to
    // the table count as found by this batch.
    let inserted = tx.execute(
        "INSERT INTO conflicts (kind, record_kind, pair_key, person_id, kept_uid, kept_version,
                                other_uid, other_version, fields, batch_uid)
         SELECT 'same_person', 'worker', pair_key, person_id, kept_uid, kept_version,
                other_uid, other_version, fields, $1
           FROM person_pairs
         ON CONFLICT (pair_key) DO NOTHING",
        &[&batch_uid],
    )?;
    Ok(inserted as i64)
}
