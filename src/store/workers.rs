//! Registering, editing and tombstoning workers, with their search keys kept in step.

pub use super::search_keys::search_terms;
pub(crate) use super::search_keys::{delete_search_terms, insert_search_terms_of};
use super::search_keys::{insert_search_terms, note_workplaces, search_terms_with};
use super::tables::Columns;
use super::tables::worker::{WORKER_COLUMNS, WorkerRow, worker_from_row};
use super::{Result, Store, StoreError};
use crate::domain::{Field, FieldError, IdNumber, Rule, Worker, WorkerInput, parse_id_number};
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, params, params_from_iter};
use std::sync::LazyLock;

#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub(crate) fn audit(
    tx: &Connection,
    at: &str,
    officer_id: i64,
    table: &str,
    uid: &str,
    version: i64,
    action: &str,
    fields: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit(at, officer_id, table_name, record_uid, version, action, fields)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![at, officer_id, table, uid, version, action, fields])?;
    Ok(())
}

/// A refusal naming the live worker that already holds `id_number`, if any.
pub(crate) fn duplicate_id_check(
    conn: &Connection,
    id_number: &str,
    except_id: Option<i64>,
) -> Result<()> {
    let existing: Option<(i64, String, String)> = conn
        .prepare_cached(
            "SELECT id, uid, name FROM worker WHERE id_number = ?1 AND deleted_at IS NULL",
        )?
        .query_row([id_number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match existing {
        Some((id, uid, name)) if Some(id) != except_id => {
            Err(StoreError::Invalid(FieldError::new(
                Field::IdNumber,
                Rule::DuplicateIdNumber {
                    existing_uid: uid,
                    existing_name: name,
                },
            )))
        }
        _ => Ok(()),
    }
}

/// The IDs of a newly written row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub id: i64,
    pub uid: String,
    pub version: i64,
}

impl Store {
    /// Registers a worker. The ID number is parsed again here, so birth date, gender and
    /// region always agree with it whatever the caller did.
    pub fn add_worker(&mut self, input: &WorkerInput) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let id = parse_id_number(&input.id_number, self.clock.today())?;
        let tx = self.conn.transaction()?;
        let uid = uuid::Uuid::now_v7().to_string();
        let rowid = insert_worker(&tx, &uid, input, &id, officer, &now)?;
        audit(&tx, &now, officer, "worker", &uid, 1, "create", "")?;
        tx.commit()?;
        Ok(RecordRef {
            id: rowid,
            uid,
            version: 1,
        })
    }

    /// Saves changes to a worker. `expected_version` guards against overwriting a change made
    /// by someone else since the form was opened. Returns the new version (unchanged when
    /// nothing differed).
    pub fn update_worker(
        &mut self,
        uid: &str,
        input: &WorkerInput,
        expected_version: Option<i64>,
    ) -> Result<RecordRef> {
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let parsed = parse_id_number(&input.id_number, self.clock.today())?;
        let tx = self.conn.transaction()?;
        let current = live_worker_by_uid(&tx, uid)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(StoreError::StaleVersion {
                expected,
                found: current.version,
            });
        }
        let changed = changed_fields(&current.input, input);
        if changed.is_empty() {
            return Ok(RecordRef {
                id: current.id,
                uid: current.uid,
                version: current.version,
            });
        }
        let version = update_worker_row(&tx, &current, input, &parsed, officer, &now)?;
        audit(
            &tx,
            &now,
            officer,
            "worker",
            uid,
            version,
            "update",
            &changed.join(","),
        )?;
        tx.commit()?;
        Ok(RecordRef {
            id: current.id,
            uid: uid.to_string(),
            version,
        })
    }

    pub fn worker_by_uid(&self, uid: &str) -> Result<Option<Worker>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {WORKER_COLUMNS} FROM worker w WHERE w.uid = ?1"),
                [uid],
                worker_from_row,
            )
            .optional()?)
    }

    pub fn worker_by_rowid(&self, id: i64) -> Result<Option<Worker>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {WORKER_COLUMNS} FROM worker w WHERE w.id = ?1"),
                [id],
                worker_from_row,
            )
            .optional()?)
    }

    /// The live worker holding this (normalised, 18-character) ID number.
    pub fn worker_by_id_number(&self, id_number: &str) -> Result<Option<Worker>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {WORKER_COLUMNS} FROM worker w
                     WHERE w.id_number = ?1 AND w.deleted_at IS NULL"
                ),
                [id_number],
                worker_from_row,
            )
            .optional()?)
    }

    /// A worker named on the command line by ID number (any accepted spelling) or uid.
    pub fn resolve_worker(&self, key: &str) -> Result<Worker> {
        let key = key.trim();
        let found = match parse_id_number(key, self.clock.today()) {
            Ok(id) => self.worker_by_id_number(&id.number)?,
            Err(_) => self.worker_by_uid(key)?.filter(|w| !w.deleted),
        };
        found.ok_or_else(|| StoreError::NotFound {
            what: key.to_string(),
        })
    }

    /// Other live workers with the same name and phone: a warning on the form, not a block.
    pub fn same_name_and_phone(
        &self,
        name: &str,
        phone: &str,
        except_uid: Option<&str>,
    ) -> Result<Vec<Worker>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {WORKER_COLUMNS} FROM worker w
             WHERE w.phone = ?1 AND w.deleted_at IS NULL AND w.phone <> '' AND w.name = ?2
               AND w.uid IS NOT ?3
             LIMIT 5"
        ))?;
        let rows = stmt
            .query_map(params![phone, name, except_uid], worker_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Trades typed before that start with `prefix`, for completion on the form.
    /// Distinct trades starting with `prefix`, in order. SQLite reads every index entry in
    /// the range for DISTINCT (38 ms per keystroke on 1,000,000 workers with an empty prefix);
    /// seeking past each trade found costs one index lookup per trade returned.
    pub fn trades_starting(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        const FIRST: &str = "SELECT trade FROM worker INDEXED BY worker_live_trade
             WHERE deleted_at IS NULL AND trade <> '' AND trade >= ?1 AND trade < ?2 || char(1114111)
             ORDER BY trade LIMIT 1";
        const NEXT: &str = "SELECT trade FROM worker INDEXED BY worker_live_trade
             WHERE deleted_at IS NULL AND trade <> '' AND trade > ?1 AND trade < ?2 || char(1114111)
             ORDER BY trade LIMIT 1";
        let mut trades: Vec<String> = Vec::new();
        while trades.len() < limit {
            let (sql, from) = match trades.last() {
                Some(last) => (NEXT, last.as_str()),
                None => (FIRST, prefix),
            };
            let found: Option<String> = self
                .conn
                .prepare_cached(sql)?
                .query_row(params![from, prefix], |r| r.get(0))
                .optional()?;
            match found {
                Some(trade) => trades.push(trade),
                None => break,
            }
        }
        Ok(trades)
    }

    pub fn live_worker_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM worker WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// The same number read from the statistics rollup the triggers keep: a few hundred rows
    /// instead of a million index entries (about 100 ms on the first screen of a 1M database).
    pub fn live_worker_tally(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(workers), 0) FROM stat_worker_day",
            [],
            |r| r.get(0),
        )?)
    }
}

pub(crate) fn live_worker_by_uid(conn: &Connection, uid: &str) -> Result<Worker> {
    conn.query_row(
        &format!("SELECT {WORKER_COLUMNS} FROM worker w WHERE w.uid = ?1 AND w.deleted_at IS NULL"),
        [uid],
        worker_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: uid.to_string(),
    })
}

/// Inserts a new worker row (version 1) and its search keys, refusing a live duplicate ID
/// number. Shared by registration, roster import and demo data so every path writes the same
/// columns.
pub(crate) fn insert_worker(
    tx: &Transaction,
    uid: &str,
    input: &WorkerInput,
    id: &IdNumber,
    officer: i64,
    now: &str,
) -> Result<i64> {
    duplicate_id_check(tx, &id.number, None)?;
    insert_unique_worker(tx, uid, input, id, officer, now, None)
}

/// `insert_worker` for a caller that already knows the ID number is not registered (bulk
/// loads run without the index the duplicate check needs). With `keys_later` the search keys
/// go there as (term, row id), for a bulk load to insert sorted.
pub(crate) fn insert_unique_worker(
    tx: &Transaction,
    uid: &str,
    input: &WorkerInput,
    id: &IdNumber,
    officer: i64,
    now: &str,
    keys_later: Option<&mut Vec<(String, i64)>>,
) -> Result<i64> {
    static SQL: LazyLock<String> = LazyLock::new(|| WorkerRow::insert_new_sql("worker"));
    let row = WorkerRow::from_input(input, id);
    let bound = row.bind();
    let head: [&dyn ToSql; 3] = [&uid, &now, &officer];
    tx.prepare_cached(&SQL)?
        .execute(params_from_iter(head.into_iter().chain(bound.values())))?;
    let rowid = tx.last_insert_rowid();
    let terms = search_terms_with(&input.name, &bound.keys);
    match keys_later {
        Some(later) => later.extend(terms.into_iter().map(|t| (t, rowid))),
        None => insert_search_terms(tx, rowid, &terms)?,
    }
    note_workplaces(tx, &input.employer, &input.worksite)?;
    Ok(rowid)
}

/// Writes `input` over `current`, bumping the version. Returns the new version.
pub(crate) fn update_worker_row(
    tx: &Transaction,
    current: &Worker,
    input: &WorkerInput,
    id: &IdNumber,
    officer: i64,
    now: &str,
) -> Result<i64> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "UPDATE worker SET version = ?2, updated_at = ?3, officer_id = ?4, {} WHERE id = ?1",
            WorkerRow::assignments(5)
        )
    });
    if id.number != current.input.id_number {
        duplicate_id_check(tx, &id.number, Some(current.id))?;
    }
    let version = super::version::next_version(current.version)?;
    let row = WorkerRow::from_input(input, id);
    let bound = row.bind();
    let head: [&dyn ToSql; 4] = [&current.id, &version, &now, &officer];
    tx.prepare_cached(&SQL)?
        .execute(params_from_iter(head.into_iter().chain(bound.values())))?;
    if input.name != current.input.name {
        delete_search_terms(tx, current.id, &current.input.name)?;
        insert_search_terms(tx, current.id, &search_terms_with(&input.name, &bound.keys))?;
    }
    note_workplaces(tx, &input.employer, &input.worksite)?;
    Ok(version)
}

/// Names of the fields that differ (for the audit trail and the import summary).
pub fn changed_fields(before: &WorkerInput, after: &WorkerInput) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name: &'static str, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    check("name", before.name != after.name);
    check("id_number", before.id_number != after.id_number);
    check("phone", before.phone != after.phone);
    check("employer", before.employer != after.employer);
    check("worksite", before.worksite != after.worksite);
    check("trade", before.trade != after.trade);
    check("district_code", before.district_code != after.district_code);
    check("membership", before.membership != after.membership);
    check("card_no", before.card_no != after.card_no);
    check("hardship", before.hardship != after.hardship);
    check("note", before.note != after.note);
    changed
}
