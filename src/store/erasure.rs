//! Erasure on request (PIPL art. 47): a worker may ask the union to delete their personal
//! information. Unlike a withdrawal, which keeps the last values, an erasure blanks them.
//!
//! What goes: the worker's name (and its pinyin and search keys), ID number (replaced by a
//! marker `erased:<uid>`: the row is a tombstone, so the live-number uniqueness rule never
//! sees it, and the same person may register again later as a new record), birth date,
//! region, phone, employer, worksite, trade, card number, note and withdrawal reason; for
//! every service of theirs the place, note, withdrawal reason, the health check's provider,
//! blood pressure, glucose, findings and follow-up date, and the legal-aid description and
//! outcome; the same in the copies other laptops sent of the person (`worker_link`), in
//! conflicts naming them, in the audit's reasons, and every draft that mentions them.
//!
//! What stays, so that the books still add up without saying who: gender, district,
//! membership, hardship and the registration time of the worker row; kind, date, quantity,
//! amount, legal-aid category, status and amounts of each service; uids, versions and the
//! audit's field names. The rows become tombstones (like a withdrawal), so the statistics no
//! longer count the person, exactly as for a withdrawn worker: counting them would need a
//! live row with no name that every list and search would have to skip.
//!
//! Every erased record gets a new version carrying the reason code, so the next batch sends
//! an erasure line (`op` = `erase`: uid, version and reason only) for the worker and each of
//! their services, and the receiver erases too.

use super::batch_queries::{LinkedRecord, links_of_person, upsert_link};
use super::version::next_version;
use super::{Result, Store, StoreError};
use crate::domain::{Field, FieldError, Rule, parse_id_number};
use rusqlite::{Connection, OptionalExtension, params};

/// The reason codes of an erasure, as batches carry them.
pub const ERASURE_REASONS: [&str; 3] = ["request", "consent_withdrawn", "retention_expired"];

/// What an erased worker's ID number becomes: unique per record, never a valid number.
pub const ERASED_ID_PREFIX: &str = "erased:";

/// The reason code, or the error naming the field and the codes allowed.
pub fn validate_erasure_reason(code: &str) -> std::result::Result<&'static str, FieldError> {
    let code = code.trim();
    ERASURE_REASONS
        .into_iter()
        .find(|known| *known == code)
        .ok_or_else(|| {
            FieldError::new(
                Field::ErasureReason,
                Rule::UnknownCode {
                    code: code.to_string(),
                },
            )
        })
}

/// Who erases, when and why.
#[derive(Debug, Clone, Copy)]
pub struct ErasureStamp<'a> {
    pub now: &'a str,
    pub officer_id: i64,
    pub reason: &'a str,
}

/// How the new versions are numbered and whether they wait for export.
#[derive(Debug, Clone, Copy)]
pub enum ErasureVersions {
    /// Erased here: every record one version up, all waiting for the next batch.
    Local,
    /// Applying an erasure line of another laptop for the worker record shown by the row:
    /// the row takes that version, already exported (the laptop that erased sends it on).
    /// Services made here wait for the next batch; the others are marked exported.
    Incoming { version: i64 },
    /// Applying an erasure line for a record linked to the row (the person shown through
    /// another record): the row goes one version up; waits for export only if made here.
    Linked,
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub uid: String,
    pub version: i64,
    /// Services of the worker erased with them.
    pub services: usize,
    /// Drafts removed because they mentioned the worker.
    pub drafts: usize,
}

/// The values an erasure must leave nowhere: looked for in drafts and conflicts.
struct Identity {
    texts: Vec<String>,
}

impl Identity {
    fn add(&mut self, value: &str) {
        let value = value.trim();
        // A single character would match unrelated drafts; names have two or more.
        if value.chars().count() >= 2 && !self.texts.iter().any(|t| t == value) {
            self.texts.push(value.to_string());
        }
    }
}

/// The worker row to erase for a key given on the command line: an ID number (any accepted
/// spelling; the live record first, else the latest withdrawn one), a worker uid, or the uid
/// of a record linked to a person here.
pub fn worker_row_for_erasure(store: &Store, key: &str) -> Result<i64> {
    let key = key.trim();
    let conn = store.conn();
    let found: Option<i64> = match parse_id_number(key, store.clock().today()) {
        Ok(id) => conn
            .query_row(
                "SELECT id FROM worker WHERE id_number = ?1
                 ORDER BY deleted_at IS NULL DESC, id DESC LIMIT 1",
                [&id.number],
                |r| r.get(0),
            )
            .optional()?,
        Err(_) => match super::batch_queries::person_row_of(conn, key)? {
            Some(id) => Some(id),
            None => super::batch_queries::rowid_of(conn, "worker", key)?,
        },
    };
    let id = found.ok_or_else(|| StoreError::NotFound {
        what: key.to_string(),
    })?;
    let erased: String =
        conn.query_row("SELECT erase_reason FROM worker WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    if !erased.is_empty() {
        return Err(StoreError::AlreadyErased {
            what: key.to_string(),
        });
    }
    Ok(id)
}

/// Erases the person of worker row `worker_id` inside the caller's transaction. Returns the
/// worker uid and version written and the services erased. A row already erased is left
/// alone (idempotent) unless `versions` raises its version.
pub(crate) fn erase_person(
    conn: &Connection,
    worker_id: i64,
    stamp: ErasureStamp,
    versions: ErasureVersions,
) -> Result<Erasure> {
    let (uid, version, exported, origin, id_number, name, phone): (
        String,
        i64,
        i64,
        String,
        String,
        String,
        String,
    ) = conn.query_row(
        "SELECT uid, version, exported_version, origin_device, id_number, name, phone
         FROM worker WHERE id = ?1",
        [worker_id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        },
    )?;
    let mut identity = Identity { texts: Vec::new() };
    identity.add(&uid);
    if !id_number.starts_with(ERASED_ID_PREFIX) {
        identity.add(&id_number);
    }
    identity.add(&name);
    identity.add(&phone);
    let made_here = origin.is_empty();
    let (new_version, new_exported) = match versions {
        ErasureVersions::Local => (next_version(version)?, exported),
        ErasureVersions::Incoming { version: v } => (v.max(version), v.max(version)),
        ErasureVersions::Linked => {
            let v = next_version(version)?;
            (v, if made_here { exported } else { v })
        }
    };
    conn.execute("DELETE FROM search_term WHERE worker_id = ?1", [worker_id])?;
    conn.execute(
        "UPDATE worker SET version = ?2, exported_version = ?3, updated_at = ?4,
            officer_id = ?5, deleted_at = coalesce(deleted_at, ?4),
            id_number = ?6 || uid, id_number_rev = '', name = '', name_pinyin = '',
            name_initials = '', birth_date = '', phone = '', phone_rev = '',
            hometown_code = '', employer = '', worksite = '', trade = '', card_no = '',
            note = '', withdraw_reason = '', erase_reason = ?7
         WHERE id = ?1",
        params![
            worker_id,
            new_version,
            new_exported,
            stamp.now,
            stamp.officer_id,
            ERASED_ID_PREFIX,
            stamp.reason
        ],
    )?;
    let mut erased_uids = vec![uid.clone()];
    audit_erasure(conn, stamp, "worker", &uid, new_version)?;

    for link in links_of_person(conn, worker_id)? {
        erase_link(conn, &link, stamp.now, &mut identity)?;
        erased_uids.push(link.uid.clone());
    }

    let services = erase_services(conn, worker_id, stamp, versions, &mut erased_uids)?;
    super::aid_erasure::erase_needs_and_claims(
        conn,
        worker_id,
        stamp.now,
        stamp.officer_id,
        &mut erased_uids,
    )?;

    // The audit keeps who did what when; a withdrawal's free-text reason may name the person.
    for uid in &erased_uids {
        conn.prepare_cached(
            "UPDATE audit SET reason = '' WHERE record_uid = ?1 AND action <> 'erase'",
        )?
        .execute([uid])?;
    }
    let drafts = remove_drafts(conn, &identity, &erased_uids)?;
    blank_conflicts(conn, &identity, &erased_uids, stamp)?;
    Ok(Erasure {
        uid,
        version: new_version,
        services,
        drafts,
    })
}

fn audit_erasure(
    conn: &Connection,
    stamp: ErasureStamp,
    table: &str,
    uid: &str,
    version: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit(at, officer_id, table_name, record_uid, version, action, fields, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, 'erase', '', ?6)",
    )?
    .execute(params![
        stamp.now,
        stamp.officer_id,
        table,
        uid,
        version,
        stamp.reason
    ])?;
    Ok(())
}

/// Blanks a copy another laptop sent of the person, keeping it readable as a record (the
/// person rule reads every copy) and its uid and version (so an older copy arriving later is
/// recognised as older).
fn erase_link(
    conn: &Connection,
    link: &LinkedRecord,
    now: &str,
    identity: &mut Identity,
) -> Result<()> {
    let mut record: serde_json::Value =
        serde_json::from_str(&link.record_json).unwrap_or(serde_json::Value::Null);
    if let Some(fields) = record.as_object_mut() {
        for key in ["id_number", "name", "phone"] {
            if let Some(value) = fields.get(key).and_then(|v| v.as_str()) {
                identity.add(value);
            }
        }
        for key in [
            "name",
            "birth_date",
            "phone",
            "hometown_code",
            "employer",
            "worksite",
            "trade",
            "card_no",
            "note",
        ] {
            fields.insert(key.into(), serde_json::Value::String(String::new()));
        }
        fields.insert(
            "id_number".into(),
            format!("{ERASED_ID_PREFIX}{}", link.uid).into(),
        );
        fields.insert("op".into(), "delete".into());
        fields.insert("reason".into(), "erased".into());
        if fields.get("deleted_at").is_none_or(|v| v.is_null()) {
            fields.insert("deleted_at".into(), now.into());
        }
    } else {
        record = serde_json::json!({ "uid": link.uid, "op": "erase" });
    }
    upsert_link(
        conn,
        &LinkedRecord {
            deleted: true,
            record_json: record.to_string(),
            ..link.clone()
        },
    )?;
    Ok(())
}

/// Erases every service of the person not erased yet. Returns how many.
fn erase_services(
    conn: &Connection,
    worker_id: i64,
    stamp: ErasureStamp,
    versions: ErasureVersions,
    erased_uids: &mut Vec<String>,
) -> Result<usize> {
    let services: Vec<(i64, String, i64, i64, bool)> = conn
        .prepare(
            "SELECT id, uid, version, exported_version, origin_device = '' FROM service
             WHERE worker_id = ?1 AND erase_reason = ''",
        )?
        .query_map([worker_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, uid, version, exported, made_here) in &services {
        let new_version = next_version(*version)?;
        let waits = matches!(versions, ErasureVersions::Local) || *made_here;
        let exported = if waits { *exported } else { new_version };
        erase_service_row(conn, *id, stamp, new_version, exported)?;
        audit_erasure(conn, stamp, "service", uid, new_version)?;
        erased_uids.push(uid.clone());
    }
    Ok(services.len())
}

/// Blanks one service row at `version` (`exported` its exported version).
fn erase_service_row(
    conn: &Connection,
    id: i64,
    stamp: ErasureStamp,
    version: i64,
    exported: i64,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE service SET version = ?2, exported_version = ?3, updated_at = ?4,
            officer_id = ?5, deleted_at = coalesce(deleted_at, ?4), place = '', note = '',
            withdraw_reason = '', erase_reason = ?6
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        version,
        exported,
        stamp.now,
        stamp.officer_id,
        stamp.reason
    ])?;
    conn.prepare_cached(
        "UPDATE health_check SET provider = '', blood_pressure = '', glucose_tenths = NULL,
            findings = '', follow_up_on = NULL
         WHERE service_id = ?1",
    )?
    .execute([id])?;
    conn.prepare_cached(
        "UPDATE legal_aid SET description = '', outcome = '' WHERE service_id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// Applies another laptop's erasure line for service `uid` at `version`: blanks it unless it
/// is erased here at that version or later already. Returns whether anything changed.
pub(crate) fn apply_service_erasure(
    conn: &Connection,
    uid: &str,
    version: i64,
    stamp: ErasureStamp,
) -> Result<bool> {
    let found: Option<(i64, i64, String)> = conn
        .prepare_cached("SELECT id, version, erase_reason FROM service WHERE uid = ?1")?
        .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((id, current, erased)) = found else {
        return Ok(false);
    };
    if !erased.is_empty() && current >= version {
        return Ok(false);
    }
    let version = version.max(current);
    erase_service_row(conn, id, stamp, version, version)?;
    audit_erasure(conn, stamp, "service", uid, version)?;
    let mut identity = Identity { texts: Vec::new() };
    identity.add(uid);
    remove_drafts(conn, &identity, &[])?;
    conn.prepare_cached(
        "UPDATE audit SET reason = '' WHERE record_uid = ?1 AND action <> 'erase'",
    )?
    .execute([uid])?;
    Ok(true)
}

/// Applies another laptop's erasure line for worker `uid` at `version`: the person it
/// belongs to here (the record itself, or the person it is linked to) is erased with every
/// record and service of theirs. Returns whether anything changed; a uid unknown here, or
/// erased here at that version already, changes nothing.
pub(crate) fn apply_worker_erasure(
    conn: &Connection,
    uid: &str,
    version: i64,
    stamp: ErasureStamp,
) -> Result<bool> {
    let own: Option<(i64, i64, String)> = conn
        .prepare_cached("SELECT id, version, erase_reason FROM worker WHERE uid = ?1")?
        .query_row([uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((id, current, erased)) = own {
        if !erased.is_empty() && current >= version {
            return Ok(false);
        }
        erase_person(conn, id, stamp, ErasureVersions::Incoming { version })?;
        return Ok(true);
    }
    let Some(link) = super::batch_queries::link_of(conn, uid)? else {
        // Held only in a conflict, or never seen: a conflict's copy is all there is to blank.
        let identity = Identity { texts: Vec::new() };
        blank_conflicts(conn, &identity, &[uid.to_string()], stamp)?;
        return Ok(false);
    };
    if link.version >= version && link.deleted && link.record_json.contains(ERASED_ID_PREFIX) {
        return Ok(false);
    }
    let erased: String = conn.query_row(
        "SELECT erase_reason FROM worker WHERE id = ?1",
        [link.worker_id],
        |r| r.get(0),
    )?;
    if erased.is_empty() {
        erase_person(conn, link.worker_id, stamp, ErasureVersions::Linked)?;
    }
    // The linked copy itself now stands at the erasure's version.
    let link = super::batch_queries::link_of(conn, uid)?.unwrap_or(link);
    let mut identity = Identity { texts: Vec::new() };
    erase_link(conn, &link, stamp.now, &mut identity)?;
    let link = super::batch_queries::link_of(conn, uid)?.unwrap_or(link);
    upsert_link(
        conn,
        &LinkedRecord {
            version: version.max(link.version),
            ..link
        },
    )?;
    audit_erasure(conn, stamp, "worker", uid, version)?;
    Ok(true)
}

/// Removes the drafts that mention the person: by a record uid in their key or data, or by
/// their ID number, name or phone in the typed text. A draft of someone else naming them is
/// removed too: it holds their personal data.
fn remove_drafts(conn: &Connection, identity: &Identity, uids: &[String]) -> Result<usize> {
    let mut removed = 0;
    for text in identity.texts.iter().chain(uids) {
        removed += conn
            .prepare_cached(
                "DELETE FROM draft WHERE instr(form_key, ?1) > 0 OR instr(data, ?1) > 0",
            )?
            .execute([text])?;
    }
    Ok(removed)
}

/// Conflicts that hold a copy of the person (or name them) keep only that they existed: the
/// copy is replaced by the erasure, the ID number by the marker, and the conflict is closed.
fn blank_conflicts(
    conn: &Connection,
    identity: &Identity,
    uids: &[String],
    stamp: ErasureStamp,
) -> Result<()> {
    let replacement = serde_json::json!({ "op": "erase", "reason": stamp.reason }).to_string();
    let marker = format!("{ERASED_ID_PREFIX}{}", uids[0]);
    for text in identity.texts.iter().chain(uids) {
        conn.prepare_cached(
            "UPDATE conflict SET incoming_json = ?2, id_number = ?3,
                resolved_at = coalesce(resolved_at, ?4)
             WHERE id_number = ?1 OR kept_uid = ?1 OR incoming_uid = ?1
                OR instr(incoming_json, ?1) > 0",
        )?
        .execute(params![text, replacement, marker, stamp.now])?;
    }
    Ok(())
}

impl Store {
    /// Erases a worker and their services (see the module notes) in one transaction, then
    /// truncates the WAL so the old values do not stay in it. `key` is an ID number or uid.
    pub fn erase_worker(&mut self, key: &str, reason: &str) -> Result<Erasure> {
        let reason = validate_erasure_reason(reason)?;
        let officer_id = self.require_officer()?;
        let now = self.clock.stamp();
        let worker_id = worker_row_for_erasure(self, key)?;
        let tx = self.conn.transaction()?;
        let erasure = erase_person(
            &tx,
            worker_id,
            ErasureStamp {
                now: &now,
                officer_id,
                reason,
            },
            ErasureVersions::Local,
        )?;
        tx.commit()?;
        self.truncate_wal();
        tracing::info!(services = erasure.services, "worker erased");
        Ok(erasure)
    }

    /// Copies the WAL into the main file and empties it, so values just overwritten (with
    /// `secure_delete` zeroing them in the main file) do not linger in the log. A reader
    /// holding an old snapshot makes this partial; the next checkpoint finishes it.
    pub fn truncate_wal(&self) {
        if let Err(e) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        {
            tracing::warn!(error = %e, "WAL checkpoint after an erasure did not complete");
        }
    }
}

#[cfg(test)]
#[path = "erasure_tests.rs"]
mod tests;
