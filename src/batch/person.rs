//! One person on several laptops: the same ID number registered under two or more worker
//! uids is one person at the merge (docs/batch-format.md, "Merge rule").
//!
//! The person's worker row shows one record, chosen by a rule that does not depend on the
//! order batches arrive in: a live record before a withdrawn one, then the latest
//! `updated_at`, then the greater uid. Every other record is kept, at its latest version, in
//! `worker_link`, pointing at the row; services of any of the records attach to the row, so
//! statistics, search and lists see the person once with all their services. Each record that
//! disagrees with the shown one on some field is one `same_person` conflict naming those
//! fields; it is recomputed whenever one of the records changes, so it is listed once whatever
//! the order.
//!
//! The one exception is a row edited here and not exported yet: it stays shown (the office's
//! own edit is never overwritten unseen), as `local_edit` does for a single record.

use super::format::{RecordHeader, WorkerRecord};
use super::{BatchError, Result};
use crate::store::Store;
use crate::store::batch_queries::{
    self as q, ConflictRow, LinkedRecord, MergedHeader, MergedWorker, PersonConflict,
};
use crate::store::tables::{self, worker::WorkerRow};
use rusqlite::Connection;
use std::borrow::Cow;

/// A worker record with what the person rule needs beside it.
struct Candidate {
    record: WorkerRecord<'static>,
    json: String,
    officer_device: String,
}

impl Candidate {
    fn from_link(link: &LinkedRecord) -> Result<Candidate> {
        let record: WorkerRecord = serde_json::from_str(&link.record_json).map_err(|e| {
            missing(format!(
                "a readable copy of linked worker {} ({e})",
                link.uid
            ))
        })?;
        Ok(Candidate {
            record: owned(record),
            json: link.record_json.clone(),
            officer_device: link.officer_device.clone(),
        })
    }

    /// Order of preference: live first, then latest `updated_at`, then greater uid.
    fn rank(&self) -> (bool, &str, &str) {
        let h = &self.record.header;
        (h.deleted_at.is_none(), &h.updated_at, &h.uid)
    }

    fn uid(&self) -> &str {
        &self.record.header.uid
    }

    fn version(&self) -> i64 {
        self.record.header.version
    }

    fn as_link(&self, worker_id: i64) -> LinkedRecord {
        LinkedRecord {
            uid: self.uid().to_string(),
            worker_id,
            version: self.version(),
            updated_at: self.record.header.updated_at.to_string(),
            deleted: self.record.header.deleted_at.is_some(),
            officer_device: self.officer_device.clone(),
            record_json: self.json.clone(),
        }
    }
}

/// A row or copy the person rule relies on is not there (or not readable): the database was
/// changed outside jingong.
fn missing(what: String) -> BatchError {
    BatchError::Store(crate::store::StoreError::NotFound { what })
}

fn owned(r: WorkerRecord<'_>) -> WorkerRecord<'static> {
    let o = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
    WorkerRecord {
        header: RecordHeader {
            uid: o(r.header.uid),
            version: r.header.version,
            op: r.header.op,
            origin_device_id: o(r.header.origin_device_id),
            officer: r.header.officer.into_owned(),
            created_at: o(r.header.created_at),
            updated_at: o(r.header.updated_at),
            deleted_at: r.header.deleted_at.map(o),
            reason: r.header.reason.map(o),
        },
        id_number: o(r.id_number),
        name: o(r.name),
        gender: o(r.gender),
        birth_date: o(r.birth_date),
        phone: o(r.phone),
        hometown_code: o(r.hometown_code),
        employer: o(r.employer),
        worksite: o(r.worksite),
        trade: o(r.trade),
        district_code: o(r.district_code),
        membership: o(r.membership),
        card_no: o(r.card_no),
        hardship: r.hardship,
        note: o(r.note),
    }
}

/// The record a worker row shows, as a batch would carry it, and whether it holds an edit
/// made here and not exported yet.
fn shown_record(conn: &Connection, this_device: &str, id: i64) -> Result<(Candidate, bool)> {
    let found = tables::worker::shown_by_id(conn, id, this_device, |record, device, pending| {
        (owned(record), device, pending)
    })?;
    let (record, officer_device, pending) =
        found.ok_or_else(|| missing(format!("worker row {id} of a linked person is missing")))?;
    let json = serde_json::to_string(&record)
        .map_err(|e| missing(format!("worker row {id} as a record ({e})")))?;
    Ok((
        Candidate {
            record,
            json,
            officer_device,
        },
        pending,
    ))
}

/// Writes `c` into worker row `id` (its uid included). `exported_version` is the caller's.
fn show(store: &Store, id: i64, c: &Candidate, officer_id: i64) -> Result<()> {
    let conn = store.conn();
    let w = &c.record;
    q::set_worker_uid(conn, id, &w.header.uid)?;
    q::write_merged_worker(
        conn,
        Some(id),
        &MergedWorker {
            header: MergedHeader {
                uid: &w.header.uid,
                version: w.header.version,
                officer_id,
                origin_device: &w.header.origin_device_id,
                created_at: &w.header.created_at,
                updated_at: &w.header.updated_at,
                deleted_at: w.header.deleted_at.as_deref(),
                reason: w.header.reason.as_deref().unwrap_or(""),
            },
            row: worker_row(w),
        },
    )?;
    Ok(())
}

pub(super) fn worker_row<'a>(w: &'a WorkerRecord<'_>) -> WorkerRow<'a> {
    WorkerRow {
        id_number: &w.id_number,
        name: &w.name,
        gender: &w.gender,
        birth_date: Cow::Borrowed(&w.birth_date),
        phone: &w.phone,
        hometown_code: &w.hometown_code,
        employer: &w.employer,
        worksite: &w.worksite,
        trade: &w.trade,
        district_code: &w.district_code,
        membership: &w.membership,
        card_no: &w.card_no,
        hardship: w.hardship,
        note: &w.note,
    }
}

/// A worker record's fields, in the order of the worker form: what is compared between two
/// records of one person here, at the city, and side by side in the conflicts view.
pub const PERSON_FIELDS: [&str; 14] = [
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "hometown_code",
    "employer",
    "worksite",
    "trade",
    "district_code",
    "membership",
    "card_no",
    "hardship",
    "note",
];

/// The fields on which two records of one person disagree (the header aside).
pub fn differing_fields(a: &WorkerRecord, b: &WorkerRecord) -> Vec<&'static str> {
    let pairs: [(&'static str, bool); 14] = [
        (
            "withdrawn",
            a.header.deleted_at.is_some() != b.header.deleted_at.is_some(),
        ),
        ("id_number", a.id_number != b.id_number),
        ("name", a.name != b.name),
        ("gender", a.gender != b.gender),
        ("birth_date", a.birth_date != b.birth_date),
        ("phone", a.phone != b.phone),
        ("hometown_code", a.hometown_code != b.hometown_code),
        ("employer", a.employer != b.employer),
        ("worksite", a.worksite != b.worksite),
        ("trade", a.trade != b.trade),
        ("district_code", a.district_code != b.district_code),
        ("membership", a.membership != b.membership),
        ("card_no", a.card_no != b.card_no),
        ("hardship", a.hardship != b.hardship),
    ];
    let mut fields: Vec<&'static str> = pairs.iter().filter(|p| p.1).map(|p| p.0).collect();
    if a.note != b.note {
        fields.push("note");
    }
    fields
}

/// The label of a field `differing_fields` names, in the UI language.
pub fn field_label(code: &str, lang: crate::text::Lang) -> &str {
    use crate::domain::Field;
    let field = match code {
        "name" => Field::Name,
        "id_number" => Field::IdNumber,
        "phone" => Field::Phone,
        "employer" => Field::Employer,
        "worksite" => Field::Worksite,
        "trade" => Field::Trade,
        "district_code" => Field::District,
        "membership" => Field::Membership,
        "card_no" => Field::CardNo,
        "hardship" => Field::Hardship,
        "note" => Field::Note,
        "withdrawn" => return lang.pick("已撤回", "withdrawn"),
        "gender" => return lang.pick("性别", "gender"),
        "birth_date" => return lang.pick("出生日期", "birth date"),
        "hometown_code" => return lang.pick("籍贯", "hometown"),
        other => return other,
    };
    field.label(lang)
}

/// The two records and versions a conflict is about, in an order that does not say which is
/// shown.
fn signature(a: &Candidate, b: &Candidate) -> String {
    let mut pair = [
        format!("{}@{}", a.uid(), a.version()),
        format!("{}@{}", b.uid(), b.version()),
    ];
    pair.sort();
    pair.join("|")
}

/// Stores `incoming` as another record of the person shown by row `worker_id` and settles
/// the person. Returns the conflicts added.
pub(super) fn link(
    store: &Store,
    worker_id: i64,
    incoming: &WorkerRecord,
    line: &str,
    batch_device: &str,
    batch_uid: &str,
) -> Result<u64> {
    q::upsert_link(
        store.conn(),
        &LinkedRecord {
            uid: incoming.header.uid.to_string(),
            worker_id,
            version: incoming.header.version,
            updated_at: incoming.header.updated_at.to_string(),
            deleted: incoming.header.deleted_at.is_some(),
            officer_device: batch_device.to_string(),
            record_json: line.to_string(),
        },
    )?;
    settle(store, worker_id, batch_uid)
}

/// Shows the preferred record of the person of row `worker_id` and lists its disagreements.
/// Returns the conflicts added. A person with a single record is left alone.
pub(super) fn settle(store: &Store, worker_id: i64, batch_uid: &str) -> Result<u64> {
    let conn = store.conn();
    let links = q::links_of_person(conn, worker_id)?;
    if links.is_empty() {
        return Ok(0);
    }
    let this_device = store.device_id()?;
    let (row, pending) = shown_record(conn, &this_device, worker_id)?;
    let mut others = links
        .iter()
        .map(Candidate::from_link)
        .collect::<Result<Vec<_>>>()?;
    let best = others
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.rank().cmp(&b.1.rank()))
        .map(|(i, c)| (i, c.rank() > row.rank()));
    let shown = match best {
        Some((i, true)) if !pending => {
            let winner = others.swap_remove(i);
            q::remove_link(conn, winner.uid())?;
            q::upsert_link(conn, &row.as_link(worker_id))?;
            let officer_id = store.foreign_officer_id(
                &winner.officer_device,
                &winner.record.header.officer.to_officer(),
            )?;
            show(store, worker_id, &winner, officer_id)?;
            others.push(row);
            winner
        }
        _ => row,
    };
    let wanted: Vec<PersonConflict> = others
        .iter()
        .filter_map(|other| {
            let fields = differing_fields(&shown.record, &other.record);
            (!fields.is_empty()).then(|| PersonConflict {
                kept_uid: shown.uid().to_string(),
                incoming_uid: other.uid().to_string(),
                incoming_json: other.json.clone(),
                fields: fields.join(","),
                signature: signature(&shown, other),
            })
        })
        .collect();
    Ok(q::set_person_conflicts(
        conn,
        &store.clock().stamp(),
        &shown.record.id_number,
        batch_uid,
        &wanted,
    )?)
}

/// Keeps record `keep` of the person of conflict `conflict` (a `same_person` one): it becomes
/// the shown record at a new version made here by `officer_id` (latest `updated_at`, so every
/// receiver applying the merge rule shows it too), waiting for the next export, and the
/// conflict is marked resolved under the signature of the versions now held, so it is not
/// listed again. Runs inside the caller's transaction; returns the new version.
pub(super) fn keep_person_record(
    store: &Store,
    conflict: &ConflictRow,
    keep: &str,
    officer_id: i64,
    now: &str,
) -> Result<i64> {
    let conn = store.conn();
    let this_device = store.device_id()?;
    let id = conflict.id;
    let worker_id = q::person_row_of(conn, keep)?
        .ok_or_else(|| missing(format!("the worker of conflict {id}")))?;
    let (row, _) = shown_record(conn, &this_device, worker_id)?;
    let mut kept = if row.uid() == keep {
        row
    } else {
        let link = q::link_of(conn, keep)?
            .ok_or_else(|| missing(format!("linked record {keep} of conflict {id}")))?;
        let other = Candidate::from_link(&link)?;
        q::remove_link(conn, keep)?;
        q::upsert_link(conn, &row.as_link(worker_id))?;
        other
    };
    let version = crate::store::version::next_version(kept.version())?;
    kept.record.header.version = version;
    kept.record.header.updated_at = Cow::Owned(now.to_string());
    show(store, worker_id, &kept, officer_id)?;
    // Made here: waits for the next export like any edit.
    q::set_exported_version(conn, "worker", worker_id, version - 1)?;
    let other_uid = if keep == conflict.kept_uid {
        &conflict.incoming_uid
    } else {
        &conflict.kept_uid
    };
    let other_version = q::link_of(conn, other_uid)?.map_or(0, |l| l.version);
    let mut pair = [
        format!("{keep}@{version}"),
        format!("{other_uid}@{other_version}"),
    ];
    pair.sort();
    q::mark_conflict_resolved(conn, id, now, Some(&pair.join("|")))?;
    settle(store, worker_id, &conflict.incoming_batch)?;
    Ok(version)
}
