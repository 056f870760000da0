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

/// After the workers are written: each touched person's shown record, count and withdrawn
/// flag, and their `same_person` conflicts. Returns the conflicts newly listed.
///
/// The persons touched are the ones `rollup::begin` made and locked, in id order
/// (`stat_touched`): every
/// person the batch may change (the incoming ID numbers, and the persons the same uids had so
/// far, in case a record changed its number), a few reached through services besides, for
/// whom this finds what they had.
pub fn recompute(tx: &mut Transaction, batch_uid: uuid::Uuid) -> Result<i64> {
    tx.batch_execute(
        "CREATE TEMP TABLE person_shown ON COMMIT DROP AS
            SELECT DISTINCT ON (w.person_id) w.person_id, w.uid,
                   count(*) OVER (PARTITION BY w.person_id) AS records,
                   bool_and(w.deleted_at IS NOT NULL) OVER (PARTITION BY w.person_id)
                     AS withdrawn
              FROM workers w
             WHERE w.person_id IN (SELECT person_id FROM stat_touched)
             ORDER BY w.person_id, (w.deleted_at IS NULL) DESC,
                      w.updated_at COLLATE \"C\" DESC, w.uid DESC;
         ANALYZE person_shown;
         -- Persons no record names any more (`erasure` drops those it made).
         CREATE TEMP TABLE touched_empty ON COMMIT DROP AS
            SELECT person_id AS id FROM stat_touched EXCEPT SELECT person_id FROM person_shown;",
    )?;
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
            AND c.person_id IN (SELECT person_id FROM stat_touched)
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
