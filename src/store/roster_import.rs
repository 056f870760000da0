//! Roster import: many workers at once, in one transaction, so a crash leaves all or none.
//!
//! The caller (the batch layer's file reader) hands over raw rows; validation happens here
//! because a row that names a registered worker is merged with the stored record first: an empty
//! roster cell keeps the stored value, so it must not be refused as "required" either.

use super::roster_changes::{WorkerChange, field_changes};
use super::tables::worker::WORKER_COLUMNS;
use super::tables::worker::worker_from_row;
use super::workers::{audit, changed_fields, insert_worker, update_worker_row};
use super::{Result, Store, StoreError};
use crate::domain::refdata::{self, KindForm};
use crate::domain::validate::{WorkerDraft, validate_worker};
use crate::domain::{FieldError, ServiceInput, Worker, parse_id_number};
use crate::text::Lang;
use rusqlite::{OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One roster row as read from the file: raw text, nothing checked yet.
#[derive(Debug, Clone, Default)]
pub struct RosterEntry {
    /// Row number as the officer sees it in the spreadsheet (the header is row 1).
    pub row: usize,
    pub draft: WorkerDraft,
    /// `None` when the roster says nothing (no column or an empty cell).
    pub hardship: Option<bool>,
    /// Cells the reader already refused (a hardship cell that is neither yes nor no …).
    pub cell_errors: Vec<FieldError>,
    /// Spreadsheet cells whose type makes their value untrustworthy; the row is refused.
    pub cell_problems: Vec<CellProblem>,
}

/// A workbook cell whose number type already lost or may have lost what the officer typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellProblem {
    /// Excel keeps 15 significant digits: an 18-digit ID number typed into a number cell has
    /// lost its last digits, and one in eleven of the damaged numbers still passes the check
    /// digit. Refused whatever its check digit.
    IdNumberIsNumber,
    /// A phone in a number cell that is not a whole 11-digit number held exactly.
    PhoneNotExactNumber,
}

impl CellProblem {
    pub fn message(self, lang: Lang) -> String {
        match self {
            CellProblem::IdNumberIsNumber => lang
                .pick(
                    "身份证号：该单元格是数字格式，Excel 只保留 15 位有效数字，号码已不可信；\
                     请把身份证号列设为「文本」格式后重新输入号码",
                    "ID number: the cell is a number, and Excel keeps only 15 significant \
                     digits, so the number cannot be trusted; format the ID-number column as \
                     Text and type the number again",
                )
                .into(),
            CellProblem::PhoneNotExactNumber => lang
                .pick(
                    "手机号：该单元格是数字格式且不是 11 位整数；请把手机号列设为「文本」格式后重新输入",
                    "phone: the cell is a number that is not a whole 11-digit number; format \
                     the phone column as Text and type the number again",
                )
                .into(),
        }
    }
}

/// Why a row was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    Invalid(Vec<FieldError>),
    /// The same ID number already appeared in an earlier row of this file.
    RepeatedInFile {
        first_row: usize,
    },
    /// A registered ID number with another name: never renamed unless the officer accepts it.
    Renamed {
        registered: String,
        given: String,
    },
    /// Number-typed workbook cells (see `CellProblem`).
    NumberCells(Vec<CellProblem>),
}

impl RejectReason {
    /// "身份证号：校验位应为 7，实为 6（请核对号码）；手机号：必填".
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RejectReason::Invalid(errors) => errors
                .iter()
                .map(|e| e.message(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
            RejectReason::RepeatedInFile { first_row } => match lang {
                Lang::Zh => format!("身份证号：与第 {first_row} 行重复"),
                Lang::En => format!("ID number: same as row {first_row}"),
            },
            RejectReason::Renamed { registered, given } => match lang {
                Lang::Zh => format!(
                    "姓名：该身份证号已登记为 {registered}，名单写作 {given}；\
                     确为改名时请确认该行改名（命令行 --accept-renames）"
                ),
                Lang::En => format!(
                    "name: this ID number is registered as {registered}, the roster says \
                     {given}; accept the rename if it is one (--accept-renames on the command line)"
                ),
            },
            RejectReason::NumberCells(problems) => problems
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
        }
    }
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
mod tests {
    use super::*;
    use crate::domain::Officer;

    fn store_with_officer() -> Store {
        let mut store = Store::open_in_memory().expect("store");
        store
            .set_officer(&Officer {
                name: "李明".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .expect("officer");
        store
    }

    fn entry(row: usize, name: &str, id_number: &str, phone: &str, employer: &str) -> RosterEntry {
        RosterEntry {
            row,
            draft: WorkerDraft {
                name: name.into(),
                id_number: id_number.into(),
                phone: phone.into(),
                employer: employer.into(),
                ..WorkerDraft::default()
            },
            ..RosterEntry::default()
        }
    }

    fn import(store: &mut Store, entries: &[RosterEntry], dry_run: bool) -> ImportSummary {
        store
            .import_roster(
                entries,
                &ImportOptions {
                    event_uid: None,
                    dry_run,
                    accept_renames: AcceptRenames::No,
                },
                &mut |_| {},
            )
            .expect("import")
    }

    #[test]
    fn an_empty_cell_keeps_the_stored_value_and_only_differences_are_written() {
        let mut store = store_with_officer();
        let first = [entry(
            2,
            "毛洋",
            "620102199708155206",
            "19879217421",
            "泰森集团",
        )];
        assert_eq!(import(&mut store, &first, false).new, 1);

        // No phone and no employer: a registered worker keeps both; only the trade is new.
        let mut later = entry(2, "毛洋", "620102199708155206", "", "");
        later.draft.trade = "电工".into();
        let summary = import(&mut store, &[later], false);
        assert_eq!((summary.updated, summary.rejected.len()), (1, 0));
        assert_eq!(summary.changed_fields.get("trade"), Some(&1));
        let worker = store
            .worker_by_id_number("620102199708155206")
            .expect("read")
            .expect("registered");
        assert_eq!(worker.version, 2);
        assert_eq!(worker.input.phone, "19879217421");
        assert_eq!(worker.input.employer, "泰森集团");
        assert_eq!(worker.input.trade, "电工");
    }

    #[test]
    fn a_repeated_id_number_is_refused_naming_the_first_row() {
        let mut store = store_with_officer();
        let rows = [
            entry(2, "毛洋", "620102199708155206", "19879217421", ""),
            // The same person spelt with spaces is still the same ID number.
            entry(3, "毛洋", "6201 0219 9708 1552 06", "19879217421", ""),
        ];
        let summary = import(&mut store, &rows, false);
        assert_eq!(summary.new, 1);
        assert_eq!(
            summary.rejected,
            vec![RejectedRow {
                index: 1,
                row: 3,
                reason: RejectReason::RepeatedInFile { first_row: 2 },
            }]
        );
        assert_eq!(
            summary.rejected[0].reason.message(Lang::Zh),
            "身份证号：与第 2 行重复"
        );
    }

    #[test]
    fn a_dry_run_counts_what_a_real_run_does_and_writes_nothing() {
        let mut store = store_with_officer();
        let rows = [
            entry(2, "毛洋", "620102199708155206", "19879217421", ""),
            entry(3, "武春军", "120111200007156698", "17081003390", ""),
        ];
        let dry = import(&mut store, &rows, true);
        assert_eq!(store.live_worker_count().expect("count"), 0);
        let real = import(&mut store, &rows, false);
        assert_eq!(store.live_worker_count().expect("count"), 1);
        assert_eq!(
            (dry.new, dry.rejected.clone(), dry.dry_run),
            (real.new, real.rejected.clone(), true)
        );
        assert_eq!(
            real.rejected[0].reason.message(Lang::Zh),
            "身份证号：校验位应为 9，实为 8（请核对号码）"
        );
    }

    fn full_entry(row: usize, name: &str) -> RosterEntry {
        RosterEntry {
            row,
            draft: WorkerDraft {
                name: name.into(),
                id_number: "620102199708155206".into(),
                phone: "13800004444".into(),
                employer: "泰森集团".into(),
                worksite: "地铁七号线".into(),
                trade: "钢筋工".into(),
                district_code: "120101".into(),
                membership: "member".into(),
                card_no: "TJ0001".into(),
                hardship: true,
                note: "夜班".into(),
            },
            hardship: Some(true),
            ..RosterEntry::default()
        }
    }

    #[test]
    fn blank_cells_change_no_stored_column_and_another_name_is_refused() {
        let mut store = store_with_officer();
        assert_eq!(import(&mut store, &[full_entry(2, "孙丽")], false).new, 1);
        let before = store
            .worker_by_id_number("620102199708155206")
            .expect("read")
            .expect("registered");

        // Every cell blank but the ID number: nothing changes, not even the district.
        let mut blank = entry(2, "", "620102199708155206", "", "");
        blank.hardship = None;
        let summary = import(&mut store, &[blank], false);
        assert_eq!((summary.unchanged, summary.updated), (1, 0));
        assert!(summary.changes.is_empty());

        // Another name with a new phone: refused whole, with the registered name.
        let renamed = entry(3, "孙莉", "620102199708155206", "13700000000", "");
        let summary = import(&mut store, std::slice::from_ref(&renamed), false);
        assert_eq!(summary.updated, 0);
        assert_eq!(
            summary.rejected[0].reason,
            RejectReason::Renamed {
                registered: "孙丽".into(),
                given: "孙莉".into()
            }
        );
        assert!(
            summary.rejected[0]
                .reason
                .message(Lang::Zh)
                .contains("已登记为 孙丽")
        );
        assert!(
            summary.rejected[0]
                .reason
                .message(Lang::En)
                .contains("registered as 孙丽")
        );
        let after = store
            .worker_by_id_number("620102199708155206")
            .expect("read")
            .expect("registered");
        assert_eq!(after.input, before.input);
        assert_eq!(after.version, before.version, "nothing written");

        // Accepted for that row: renamed, and the change listed old -> new.
        let summary = store
            .import_roster(
                &[renamed],
                &ImportOptions {
                    accept_renames: AcceptRenames::Rows(BTreeSet::from([3])),
                    ..ImportOptions::default()
                },
                &mut |_| {},
            )
            .expect("import");
        assert_eq!(summary.updated, 1);
        let listed: Vec<String> = summary.changes[0]
            .fields
            .iter()
            .map(|f| f.describe(Lang::Zh, false))
            .collect();
        assert_eq!(
            listed,
            ["姓名 孙丽 → 孙莉", "手机号 138****4444 → 137****0000"]
        );
    }

    #[test]
    fn a_number_typed_id_cell_is_refused_even_with_a_valid_check_digit() {
        let mut store = store_with_officer();
        let mut row = entry(2, "毛洋", "620102199708155206", "19879217421", "");
        row.cell_problems = vec![CellProblem::IdNumberIsNumber];
        let summary = import(&mut store, &[row], false);
        assert_eq!(summary.new, 0);
        assert_eq!(
            summary.rejected[0].reason,
            RejectReason::NumberCells(vec![CellProblem::IdNumberIsNumber])
        );
        assert!(
            summary.rejected[0]
                .reason
                .message(Lang::En)
                .contains("format the ID-number column as Text")
        );
        assert_eq!(store.live_worker_count().expect("count"), 0);
    }
}
