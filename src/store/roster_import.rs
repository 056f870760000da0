//! Roster import: many workers at once, in one transaction, so a crash leaves all or none.
//!
//! The caller (the batch layer's file reader) hands over raw rows; validation happens here
//! because a row that names a registered worker is merged with the stored record first: an empty
//! roster cell keeps the stored value, so it must not be refused as "required" either.

use super::need_entry::raise_needs_once;
use super::roster_changes::{WorkerChange, field_changes};
use super::tables::worker::WORKER_COLUMNS;
use super::tables::worker::worker_from_row;
use super::workers::{audit, changed_fields, insert_worker, update_worker_row};
use super::{Result, Store, StoreError};
use crate::domain::refdata::{self, KindForm};
use crate::domain::validate::{WorkerDraft, validate_worker};
use crate::domain::{FieldError, ServiceInput, Worker, parse_id_number};
use rusqlite::{OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod reasons;

pub use reasons::{CellProblem, RejectReason};

/// One roster row as read from the file: raw text, nothing checked yet.
#[derive(Debug, Clone, Default)]
pub struct RosterEntry {
    /// Row number as the officer sees it in the spreadsheet (the header is row 1).
    pub row: usize,
    pub draft: WorkerDraft,
    /// `None` when the roster says nothing (no column or an empty cell).
    pub hardship: Option<bool>,
    /// Need codes of the row's need column (诉求), each once: raised open for the worker.
    pub needs: Vec<String>,
    /// Cells the reader already refused (a hardship cell that is neither yes nor no …).
    pub cell_errors: Vec<FieldError>,
    /// Spreadsheet cells whose type makes their value untrustworthy; the row is refused.
    pub cell_problems: Vec<CellProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// Index into the entries handed to `import_roster`.
    pub index: usize,
    pub row: usize,
    pub reason: RejectReason,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub total: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<RejectedRow>,
    /// How many updated workers had each field changed.
    pub changed_fields: BTreeMap<&'static str, usize>,
    /// Every updated worker with each field old -> new, in file order (the preview's list).
    pub changes: Vec<WorkerChange>,
    /// Services recorded in the event (`--event`).
    pub event_recorded: usize,
    /// Workers the event had already served, left as they were.
    pub event_already_served: usize,
    /// Needs raised from the need column (a kind already open for the worker is not raised).
    pub needs_raised: usize,
    /// True when everything was rolled back on purpose (`--dry-run`).
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub event_uid: Option<String>,
    pub dry_run: bool,
    pub accept_renames: AcceptRenames,
}

/// Which rows may give a registered ID number another name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AcceptRenames {
    /// None: such rows are refused with the registered name.
    #[default]
    No,
    /// Every row (`--accept-renames`).
    All,
    /// These rows, by roster row number (ticked one by one in the TUI preview).
    Rows(BTreeSet<usize>),
}

impl AcceptRenames {
    fn accepts(&self, row: usize) -> bool {
        match self {
            AcceptRenames::No => false,
            AcceptRenames::All => true,
            AcceptRenames::Rows(rows) => rows.contains(&row),
        }
    }
}

/// How often the progress callback hears from the import; often enough for a smooth bar,
/// rare enough not to cost anything on 100,000 rows.
const PROGRESS_EVERY: usize = 500;

/// Page cache during an import, in KiB (negative in SQLite's terms): 256 MB at most.
const IMPORT_CACHE_KIB: i64 = -262_144;

/// The stored worker as raw text, so roster cells can be laid over it before validation.
fn draft_of(worker: &Worker) -> WorkerDraft {
    WorkerDraft::from(&worker.input)
}

/// Lays the roster's non-empty cells over the stored record: an empty cell keeps what is stored.
fn overlay(stored: &Worker, entry: &RosterEntry) -> WorkerDraft {
    let mut merged = draft_of(stored);
    let roster = &entry.draft;
    let pairs: [(&mut String, &String); 10] = [
        (&mut merged.name, &roster.name),
        (&mut merged.id_number, &roster.id_number),
        (&mut merged.phone, &roster.phone),
        (&mut merged.employer, &roster.employer),
        (&mut merged.worksite, &roster.worksite),
        (&mut merged.trade, &roster.trade),
        (&mut merged.district_code, &roster.district_code),
        (&mut merged.membership, &roster.membership),
        (&mut merged.card_no, &roster.card_no),
        (&mut merged.note, &roster.note),
    ];
    for (kept, given) in pairs {
        if !given.trim().is_empty() {
            kept.clone_from(given);
        }
    }
    if let Some(hardship) = entry.hardship {
        merged.hardship = hardship;
    }
    merged
}

impl Store {
    /// Imports roster rows: new workers are registered, registered ones (same ID number)
    /// updated in the fields that differ, bad rows returned as rejects. All writes happen in
    /// one transaction; with `dry_run` it is rolled back, so the summary is exactly what a
    /// real run would report.
    pub fn import_roster(
        &mut self,
        entries: &[RosterEntry],
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        // A big roster touches index pages all over the file; with the everyday 16 MB cache
        // SQLite spills and rereads them many times. The cache grows only as pages are used.
        let everyday_cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        let result = self.import_in_transaction(entries, options, progress);
        self.conn
            .pragma_update(None, "cache_size", everyday_cache)?;
        let summary = result?;
        tracing::info!(
            total = summary.total,
            new = summary.new,
            updated = summary.updated,
            unchanged = summary.unchanged,
            rejected = summary.rejected.len(),
            event_recorded = summary.event_recorded,
            dry_run = options.dry_run,
            "roster imported"
        );
        Ok(summary)
    }

    fn import_in_transaction(
        &mut self,
        entries: &[RosterEntry],
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        let officer = self.require_officer()?;
        let officer_district = self.new_worker_district()?;
        let now = self.clock.stamp();
        let today = self.clock.today();
        let event_service = match &options.event_uid {
            Some(uid) => Some(self.event_service_template(uid)?),
            None => None,
        };
        let mut summary = ImportSummary {
            total: entries.len(),
            dry_run: options.dry_run,
            ..ImportSummary::default()
        };
        let mut first_row_of: HashMap<String, usize> = HashMap::with_capacity(entries.len());
        let tx = self.conn.transaction()?;
        {
            let mut find_worker = tx.prepare_cached(&format!(
                "SELECT {WORKER_COLUMNS} FROM worker w
                 WHERE w.id_number = ?1 AND w.deleted_at IS NULL"
            ))?;
            let mut already_served = tx.prepare_cached(
                "SELECT 1 FROM service
                 WHERE event_id = ?1 AND worker_id = ?2 AND deleted_at IS NULL LIMIT 1",
            )?;
            for (index, entry) in entries.iter().enumerate() {
                if index % PROGRESS_EVERY == 0 {
                    progress(ImportProgress {
                        done: index,
                        total: entries.len(),
                    });
                }
                let reject = |summary: &mut ImportSummary, reason| {
                    summary.rejected.push(RejectedRow {
                        index,
                        row: entry.row,
                        reason,
                    });
                };
                if !entry.cell_problems.is_empty() {
                    reject(
                        &mut summary,
                        RejectReason::NumberCells(entry.cell_problems.clone()),
                    );
                    continue;
                }
                let stored = match parse_id_number(&entry.draft.id_number, today) {
                    Ok(id) => find_worker
                        .query_row([&id.number], worker_from_row)
                        .optional()?,
                    Err(_) => None,
                };
                let draft = match &stored {
                    Some(worker) => overlay(worker, entry),
                    // A new worker without a district cell is in the officer's district, as
                    // when registered in the form.
                    None => WorkerDraft {
                        hardship: entry.hardship.unwrap_or(false),
                        district_code: if entry.draft.district_code.trim().is_empty() {
                            officer_district.clone()
                        } else {
                            entry.draft.district_code.clone()
                        },
                        ..entry.draft.clone()
                    },
                };
                let (input, id) = match validate_worker(&draft, today) {
                    Ok(valid) if entry.cell_errors.is_empty() => valid,
                    Ok(_) => {
                        reject(
                            &mut summary,
                            RejectReason::Invalid(entry.cell_errors.clone()),
                        );
                        continue;
                    }
                    Err(mut errors) => {
                        errors.extend(entry.cell_errors.iter().cloned());
                        reject(&mut summary, RejectReason::Invalid(errors));
                        continue;
                    }
                };
                if let Some(&first_row) = first_row_of.get(&id.number) {
                    reject(&mut summary, RejectReason::RepeatedInFile { first_row });
                    continue;
                }
                first_row_of.insert(id.number.clone(), entry.row);
                if let Some(current) = &stored
                    && current.input.name != input.name
                    && !options.accept_renames.accepts(entry.row)
                {
                    reject(
                        &mut summary,
                        RejectReason::Renamed {
                            registered: current.input.name.clone(),
                            given: input.name.clone(),
                        },
                    );
                    continue;
                }

                let worker_id = match &stored {
                    None => {
                        let uid = uuid::Uuid::now_v7().to_string();
                        let rowid = insert_worker(&tx, &uid, &input, &id, officer, &now)?;
                        audit(&tx, &now, officer, "worker", &uid, 1, "create", "")?;
                        summary.new += 1;
                        rowid
                    }
                    Some(current) => {
                        let changed = changed_fields(&current.input, &input);
                        if changed.is_empty() {
                            summary.unchanged += 1;
                        } else {
                            let version =
                                update_worker_row(&tx, current, &input, &id, officer, &now)?;
                            audit(
                                &tx,
                                &now,
                                officer,
                                "worker",
                                &current.uid,
                                version,
                                "update",
                                &changed.join(","),
                            )?;
                            for field in changed {
                                *summary.changed_fields.entry(field).or_default() += 1;
                            }
                            summary.changes.push(WorkerChange {
                                row: entry.row,
                                name: input.name.clone(),
                                id_number: id.number.clone(),
                                fields: field_changes(&current.input, &input),
                            });
                            summary.updated += 1;
                        }
                        current.id
                    }
                };

                // Raised before the event's service, which answers them if its kind does.
                summary.needs_raised +=
                    raise_needs_once(&tx, worker_id, &entry.needs, today, officer, &now)?.len();
                if let Some((event_id, service)) = &event_service {
                    let served = already_served
                        .query_row(params![event_id, worker_id], |_| Ok(()))
                        .optional()?
                        .is_some();
                    if served {
                        summary.event_already_served += 1;
                    } else {
                        let uid = uuid::Uuid::now_v7().to_string();
                        super::services::insert_service(
                            &tx, &uid, worker_id, service, today, officer, &now,
                        )?;
                        audit(&tx, &now, officer, "service", &uid, 1, "create", "")?;
                        summary.event_recorded += 1;
                    }
                }
            }
        }
        if options.dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        progress(ImportProgress {
            done: entries.len(),
            total: entries.len(),
        });
        Ok(summary)
    }

    /// The event's row id and the service it gives each attendee. Refused up front when the
    /// event's kind needs a per-person form (health check results, legal-aid case), which a
    /// roster cannot fill in.
    fn event_service_template(&self, event_uid: &str) -> Result<(i64, ServiceInput)> {
        let event = self
            .event_by_uid(event_uid)?
            .filter(|e| !e.deleted)
            .ok_or_else(|| StoreError::NotFound {
                what: event_uid.to_string(),
            })?;
        let needs_form =
            refdata::service_kind(&event.input.kind).is_some_and(|k| k.form != KindForm::Plain);
        if needs_form {
            return Err(StoreError::EventNeedsForm {
                kind: event.input.kind.clone(),
            });
        }
        Ok((event.id, event.service_input()))
    }
}

#[cfg(test)]
mod tests;
