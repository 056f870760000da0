//! Erasure lines (`op` = `erase`, batch format 2) applied at the city by the laptop's rule
//! (src/store/erasure.rs; docs/batch-format.md, "Tombstones: withdrawals and erasures"),
//! inside the batch's one transaction, after its records are written:
//!
//! - a **worker** erasure blanks the person it names: every worker record of theirs from any
//!   laptop (linked by the ID number, see `persons`), every service of those records, and the
//!   conflicts naming any of them. The ID number is not kept in any form: the person row and
//!   each record get the marker `erased:<uid>@<version>` (the least of the person's records as
//!   erased), as the laptop puts `erased:<uid>` in its place (a hash would not do: ID numbers
//!   are few enough, about 10^11, to find from their hashes). Kept, as on the laptop: gender,
//!   district, membership, hardship, the times, the kind, date, quantity and amount of each
//!   service and the legal-aid category, status and amounts; the officer who wrote each
//!   version.
//! - a **service** erasure blanks that service.
//! - the named row takes the erasure's version, and every other row it blanks goes one version
//!   up, so a copy sent earlier (or again) is lower or equal and changes nothing; an erased row
//!   is never the subject of a `diverged` conflict. As everywhere in the merge rule, a higher
//!   version wins: only a laptop still holding the record can make one.
//! - an erasure of a uid the city does not hold, or already erased at that version or later,
//!   changes nothing and keeps nothing (an event erasure too: events hold no personal data).
//!
//! Erased rows are tombstones (`deleted_at` set to their `updated_at` if it was empty, so the
//! result depends on the records alone, never on when the batch came): statistics stop
//! counting the person, as on the laptop. A service arriving later for an erased worker record
//! is blanked as it arrives. A record of the same ID number under a uid the city has not seen
//! (another laptop that registered the person itself) makes a new person: the number is
//! gone, so the city cannot tell (docs/city.md, "Erasures").

use super::Result;
use super::apply::Tally;
use crate::batch::format::RecordKind;
use postgres::Transaction;

/// The personal fields of a worker record an erasure blanks to `''` (the ID number gets the
/// marker and the birth date NULL).
const WORKER_TEXT: &[&str] = &[
    "name",
    "phone",
    "hometown_code",
    "employer",
    "worksite",
    "trade",
    "card_no",
    "note",
];

/// The blanked fields of a service (aliased `s`): its own free text, the health check's
/// findings and the legal-aid case text.
const SERVICE_BLANKS: &str = "place = '', note = '',
    health_check = s.health_check || '{\"provider\": \"\", \"blood_pressure\": \"\",
        \"glucose_tenths\": null, \"findings\": \"\", \"follow_up_on\": null}'::jsonb,
    legal_aid = s.legal_aid || '{\"description\": \"\"}'::jsonb,
    deleted_at = coalesce(s.deleted_at, s.updated_at)";

/// Moves the batch's erasure lines out of the staging tables into `in_erasure`, so the
/// records are checked and upserted without them.
pub fn take_aside(tx: &mut Transaction) -> Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE in_erasure (kind text NOT NULL, uid uuid NOT NULL,
                                       version bigint NOT NULL, reason text NOT NULL)
         ON COMMIT DROP;",
    );
    for kind in RecordKind::ALL {
        let name = kind.table();
        sql.push_str(&format!(
            "INSERT INTO in_erasure
             SELECT '{name}', uid, version, doc->>'reason' FROM in_{name} WHERE op = 'erase';
             DELETE FROM in_{name} WHERE op = 'erase';"
        ));
    }
    tx.batch_execute(&sql)?;
    Ok(())
}

/// Applies the erasures taken aside; each line counts as applied when it erased something,
/// else unchanged.
pub fn apply(tx: &mut Transaction, tally: &mut Tally) -> Result<()> {
    let lines = |tx: &mut Transaction, kind: RecordKind| -> Result<i64> {
        Ok(tx
            .query_one(
                "SELECT count(*) FROM in_erasure WHERE kind = $1",
                &[&kind.table()],
            )?
            .get(0))
    };
    let workers = erase_workers(tx)?;
    let services = erase_services(tx)?;
    blank_late_services(tx)?;
    drop_empty_persons(tx)?;
    for (kind, erased) in [
        (RecordKind::Worker, workers),
        (RecordKind::Event, 0),
        (RecordKind::Service, services),
    ] {
        let total = lines(tx, kind)?;
        tally.applied[kind as usize] += erased;
        tally.unchanged[kind as usize] += total - erased;
        tally.erased += erased;
    }
    Ok(())
}

/// Worker erasures: the persons they name, whole. Returns the lines that erased something.
fn erase_workers(tx: &mut Transaction) -> Result<i64> {
    tx.batch_execute(
        "CREATE TEMP TABLE erasing_worker ON COMMIT DROP AS
            SELECT DISTINCT ON (e.uid) e.uid, e.version, e.reason, w.person_id
              FROM in_erasure e JOIN workers w USING (uid)
             WHERE e.kind = 'worker'
               AND (w.erase_reason IS NULL OR w.version < e.version)
             ORDER BY e.uid, e.version DESC;",
    )?;
    let applied: i64 = tx
        .query_one("SELECT count(*) FROM erasing_worker", &[])?
        .get(0);
    if applied == 0 {
        return Ok(0);
    }
    let blanks: Vec<String> = WORKER_TEXT.iter().map(|f| format!("{f} = ''")).collect();
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE erasing_person ON COMMIT DROP AS
            SELECT person_id AS id, min(reason) AS reason FROM erasing_worker
             WHERE person_id IS NOT NULL GROUP BY person_id;
         -- Rows in a fixed order (workers by uid, then persons by id), as the upserts lock them.
         SELECT count(*) FROM (SELECT 1 FROM workers
                                WHERE person_id IN (SELECT id FROM erasing_person)
                                   OR uid IN (SELECT uid FROM erasing_worker)
                                ORDER BY uid FOR UPDATE) locked_workers;
         SELECT count(*) FROM (SELECT 1 FROM persons WHERE id IN (SELECT id FROM erasing_person)
                                ORDER BY id FOR UPDATE) locked_persons;
         CREATE TEMP TABLE erased_worker ON COMMIT DROP AS
            SELECT w.uid, w.person_id,
                   coalesce(e.reason, w.erase_reason, p.reason) AS reason,
                   CASE WHEN e.uid IS NOT NULL THEN greatest(w.version, e.version)
                        WHEN w.erase_reason IS NULL THEN w.version + 1
                        ELSE w.version END AS version
              FROM workers w
              LEFT JOIN erasing_worker e ON e.uid = w.uid
              LEFT JOIN erasing_person p ON p.id = w.person_id
             WHERE e.uid IS NOT NULL OR p.id IS NOT NULL;
         -- The least uid@version of the person's records as erased now: the same whatever the
         -- order of the batches, and never a marker another person holds (a record erased,
         -- then brought back by a higher version and erased again, has moved on a version).
         UPDATE persons p SET id_number = m.marker, withdrawn = true
           FROM (SELECT person_id, 'erased:' || min(uid::text || '@' || version) AS marker
                   FROM erased_worker WHERE person_id IN (SELECT id FROM erasing_person)
                  GROUP BY person_id) m
          WHERE p.id = m.person_id;
         UPDATE workers w
            SET version = x.version, erase_reason = x.reason,
                id_number = coalesce(p.id_number, 'erased:' || w.uid), birth_date = NULL,
                {blanks}, deleted_at = coalesce(w.deleted_at, w.updated_at),
                content_md5 = md5('erased:' || w.uid || '@' || x.version)
           FROM erased_worker x LEFT JOIN persons p ON p.id = x.person_id
          WHERE w.uid = x.uid;
         CREATE TEMP TABLE erased_service ON COMMIT DROP AS
            SELECT s.uid, x.reason FROM services s JOIN erased_worker x ON x.uid = s.worker_uid
             WHERE s.erase_reason IS NULL;
         SELECT count(*) FROM (SELECT 1 FROM services
                                WHERE uid IN (SELECT uid FROM erased_service)
                                ORDER BY uid FOR UPDATE) locked_services;
         UPDATE services s
            SET version = s.version + 1, erase_reason = x.reason, {SERVICE_BLANKS},
                content_md5 = md5('erased:' || s.uid || '@' || (s.version + 1))
           FROM erased_service x WHERE s.uid = x.uid;
         -- Needs and claims of the person, from any laptop: the laptop's rule (store::aid_erasure)
         -- withdraws them with their free text and a claim's health and death dates blanked.
         UPDATE needs n
            SET version = n.version + 1, erase_reason = x.reason, note = '', close_note = '',
                deleted_at = coalesce(n.deleted_at, n.updated_at),
                content_md5 = md5('erased:' || n.uid || '@' || (n.version + 1))
           FROM erased_worker x
          WHERE n.worker_uid = x.uid
            AND n.erase_reason IS NULL;
         UPDATE claims m
            SET version = m.version + 1, erase_reason = x.reason, note = '', reject_reason = '',
                documents = '[]'::jsonb,
                diagnosed_on = NULL, accident_on = NULL, died_on = NULL, fire_on = NULL,
                paid_on = NULL, deleted_at = coalesce(m.deleted_at, m.updated_at),
                content_md5 = md5('erased:' || m.uid || '@' || (m.version + 1))
           FROM erased_worker x
          WHERE m.worker_uid = x.uid
            AND m.erase_reason IS NULL;
         UPDATE conflicts c
            SET other_copy = jsonb_build_object('op', 'erase', 'reason', x.reason),
                resolved_at = coalesce(c.resolved_at, now())
           FROM (SELECT uid, reason FROM erased_worker
                 UNION ALL SELECT uid, reason FROM erased_service) x
          WHERE c.kept_uid = x.uid OR c.other_uid = x.uid;",
        blanks = blanks.join(", "),
    ))?;
    Ok(applied)
}

/// Service erasures: each blanks its service. Returns the lines that erased something.
fn erase_services(tx: &mut Transaction) -> Result<i64> {
    tx.batch_execute(
        "CREATE TEMP TABLE erasing_service ON COMMIT DROP AS
            SELECT DISTINCT ON (e.uid) e.uid, e.version, e.reason
              FROM in_erasure e JOIN services s USING (uid)
             WHERE e.kind = 'service'
               AND (s.erase_reason IS NULL OR s.version < e.version)
             ORDER BY e.uid, e.version DESC;",
    )?;
    let applied: i64 = tx
        .query_one("SELECT count(*) FROM erasing_service", &[])?
        .get(0);
    if applied == 0 {
        return Ok(0);
    }
    tx.batch_execute(&format!(
        "SELECT count(*) FROM (SELECT 1 FROM services
                                WHERE uid IN (SELECT uid FROM erasing_service)
                                ORDER BY uid FOR UPDATE) locked_services;
         UPDATE services s
            SET version = greatest(s.version, e.version), erase_reason = e.reason,
                {SERVICE_BLANKS},
                content_md5 = md5('erased:' || s.uid || '@' || greatest(s.version, e.version))
           FROM erasing_service e WHERE s.uid = e.uid;
         UPDATE conflicts c
            SET other_copy = jsonb_build_object('op', 'erase', 'reason', e.reason),
                resolved_at = coalesce(c.resolved_at, now())
           FROM erasing_service e WHERE c.kept_uid = e.uid OR c.other_uid = e.uid;"
    ))?;
    Ok(applied)
}

/// A service this batch wrote for a worker record already erased: blanked as it arrives,
/// with the worker's reason, so nothing of the person comes back through it.
fn blank_late_services(tx: &mut Transaction) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE services s SET erase_reason = w.erase_reason, {SERVICE_BLANKS}
               FROM workers w
              WHERE w.uid = s.worker_uid AND w.erase_reason IS NOT NULL
                AND s.erase_reason IS NULL
                AND s.uid IN (SELECT uid FROM in_service)"
        ),
        &[],
    )?;
    Ok(())
}

/// A person row this batch made for an ID number that no record has any more: an older copy
/// of an erased record arriving late names the number again, and the row would keep it.
/// (`persons::recompute` listed the touched persons no record names, `touched_empty`.)
fn drop_empty_persons(tx: &mut Transaction) -> Result<()> {
    tx.execute(
        "DELETE FROM persons p
          WHERE p.id IN (SELECT id FROM touched_empty)
            AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.person_id = p.id)",
        &[],
    )?;
    Ok(())
}
