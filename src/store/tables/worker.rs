//! The `worker` table: the columns a `Worker` is read from, the columns a write binds
//! (`WorkerRow`), the columns of a search hit, and the export of the versions not yet sent.

use super::export_row::{Cells, ExportSql, header_columns};
use super::sql::Columns;
use crate::domain::pinyin::{PinyinKeys, pinyin_keys};
use crate::domain::records::{RecordHeader, WorkerRecord};
use crate::domain::{Gender, IdNumber, Membership, Worker, WorkerInput};
use crate::store::search::{Rank, SearchHit};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, ToSql};
use std::borrow::Cow;
use std::sync::LazyLock;

/// Columns read by `worker_from_row`, in order.
pub(crate) const WORKER_COLUMNS: &str = "w.id, w.uid, w.version, w.name, w.id_number, w.phone,
    w.employer, w.worksite, w.trade, w.district_code, w.membership, w.card_no, w.hardship,
    w.note, w.gender, w.birth_date, w.hometown_code, w.created_at, w.updated_at,
    w.deleted_at IS NOT NULL";

pub(crate) fn worker_from_row(r: &Row) -> rusqlite::Result<Worker> {
    let birth: String = r.get(15)?;
    Ok(Worker {
        id: r.get(0)?,
        uid: r.get(1)?,
        version: r.get(2)?,
        input: WorkerInput {
            name: r.get(3)?,
            id_number: r.get(4)?,
            phone: r.get(5)?,
            employer: r.get(6)?,
            worksite: r.get(7)?,
            trade: r.get(8)?,
            district_code: r.get(9)?,
            membership: Membership::from_code(&r.get::<_, String>(10)?).unwrap_or_default(),
            card_no: r.get(11)?,
            hardship: r.get(12)?,
            note: r.get(13)?,
        },
        gender: Gender::from_code(&r.get::<_, String>(14)?).unwrap_or(Gender::Male),
        birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or_default(),
        hometown_code: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
        deleted: r.get(19)?,
    })
}

/// Reverses a string so that a suffix query becomes an indexed prefix query.
pub(crate) fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// Columns read by `hit_from_row`, in order: a line of a list of workers, with the day the
/// worker was last served.
pub(crate) const HIT_COLUMNS: &str = "w.id, w.uid, w.name, w.id_number, w.gender, w.birth_date,
    w.phone, w.employer,
    (SELECT max(s.served_on) FROM service s WHERE s.worker_id = w.id AND s.deleted_at IS NULL)";

pub(crate) fn hit_from_row(r: &Row, rank: Rank) -> rusqlite::Result<SearchHit> {
    let date = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    Ok(SearchHit {
        id: r.get(0)?,
        uid: r.get(1)?,
        name: r.get(2)?,
        id_number: r.get(3)?,
        gender: r.get(4)?,
        birth_date: date(r.get(5)?).unwrap_or_default(),
        phone: r.get(6)?,
        employer: r.get(7)?,
        last_served_on: date(r.get(8)?),
        rank,
    })
}

/// The columns of an exported worker after the header and the erasure reason, in the order
/// `exported_from_row` reads them.
const EXPORT_COLUMNS: &str = "w.id_number, w.name, w.gender, w.birth_date, w.phone,
    w.hometown_code, w.employer, w.worksite, w.trade, w.district_code, w.membership, w.card_no,
    w.hardship, w.note";

fn export_select(filter: &str) -> String {
    format!(
        "SELECT {}, w.erase_reason, {EXPORT_COLUMNS}
         FROM worker w JOIN officer o ON o.id = w.officer_id
         {filter}",
        header_columns("w")
    )
}

/// The export queries, decoded by `exported_from_row`.
pub static EXPORT_SQL: LazyLock<ExportSql> = LazyLock::new(|| ExportSql::new("w", export_select));

/// The worker's own fields of an export row, after its `header`.
fn worker_fields<'r>(
    header: RecordHeader<'r>,
    cells: &mut Cells<'r, '_>,
) -> rusqlite::Result<WorkerRecord<'r>> {
    cells.skip(1); // the erasure reason, read by `export_row::erasure`
    Ok(WorkerRecord {
        header,
        id_number: cells.text()?,
        name: cells.text()?,
        gender: cells.text()?,
        birth_date: cells.text()?,
        phone: cells.text()?,
        hometown_code: cells.text()?,
        employer: cells.text()?,
        worksite: cells.text()?,
        trade: cells.text()?,
        district_code: cells.text()?,
        membership: cells.text()?,
        card_no: cells.text()?,
        hardship: cells.get()?,
        note: cells.text()?,
    })
}

/// Worker row `id` as a batch would carry it (a withdrawal keeps the reason it was given, none
/// when none was recorded), handed to `visit` with the device of the officer who wrote it and
/// whether it holds an edit made here and not exported yet; `None` when there is no such row.
pub fn shown_by_id<T>(
    conn: &Connection,
    id: i64,
    this_device: &str,
    visit: impl FnOnce(WorkerRecord<'_>, String, bool) -> T,
) -> crate::store::Result<Option<T>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT {}, w.erase_reason, {EXPORT_COLUMNS}, o.device_id,
                w.version > w.exported_version
             FROM worker w JOIN officer o ON o.id = w.officer_id
             WHERE w.id = ?1",
            header_columns("w")
        )
    });
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([id], |row| {
            let mut cells = Cells::new(row);
            let header = cells.header_as_stored(this_device)?;
            let record = worker_fields(header, &mut cells)?;
            let officer_device: String = cells.get()?;
            let pending: bool = cells.get()?;
            cells.finish(visit(record, officer_device, pending))
        })
        .optional()?)
}

/// A row of `EXPORT_SQL` as the batch line it becomes.
pub fn exported_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<WorkerRecord<'r>> {
    let mut cells = Cells::new(row);
    let header = cells.header(this_device)?;
    let record = worker_fields(header, &mut cells)?;
    cells.finish(record)
}

/// A worker's own columns as one set: what the officer typed, what the ID number says, and
/// the search columns derived from both. Registration, editing, roster import and merging
/// all write a worker through it, so no path can forget a derived column or bind them in
/// another order.
#[derive(Debug, Clone)]
pub struct WorkerRow<'a> {
    pub id_number: &'a str,
    pub name: &'a str,
    /// `male` or `female`.
    pub gender: &'a str,
    /// `YYYY-MM-DD`.
    pub birth_date: Cow<'a, str>,
    pub phone: &'a str,
    pub hometown_code: &'a str,
    pub employer: &'a str,
    pub worksite: &'a str,
    pub trade: &'a str,
    pub district_code: &'a str,
    pub membership: &'a str,
    pub card_no: &'a str,
    pub hardship: bool,
    pub note: &'a str,
}

/// A row with its derived columns computed, ready to bind.
pub struct BoundWorkerRow<'r> {
    row: &'r WorkerRow<'r>,
    id_number_rev: String,
    phone_rev: String,
    pub keys: PinyinKeys,
}

impl<'a> WorkerRow<'a> {
    /// The columns, in the order `BoundWorkerRow::values` binds them.
    pub const COLUMNS: [&'static str; 18] = [
        "id_number",
        "id_number_rev",
        "name",
        "name_pinyin",
        "name_initials",
        "gender",
        "birth_date",
        "phone",
        "phone_rev",
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

    /// From a form or a roster line: gender, birth date and region come from the parsed ID
    /// number, never from what the caller believed.
    pub fn from_input(input: &'a WorkerInput, id: &'a IdNumber) -> WorkerRow<'a> {
        WorkerRow {
            id_number: &id.number,
            name: &input.name,
            gender: id.gender.code(),
            birth_date: Cow::Owned(id.birth_date.format("%Y-%m-%d").to_string()),
            phone: &input.phone,
            hometown_code: &id.region_code,
            employer: &input.employer,
            worksite: &input.worksite,
            trade: &input.trade,
            district_code: &input.district_code,
            membership: input.membership.code(),
            card_no: &input.card_no,
            hardship: input.hardship,
            note: &input.note,
        }
    }

    pub fn bind(&'a self) -> BoundWorkerRow<'a> {
        BoundWorkerRow {
            row: self,
            id_number_rev: reversed(self.id_number),
            phone_rev: reversed(self.phone),
            keys: pinyin_keys(self.name),
        }
    }
}

impl BoundWorkerRow<'_> {
    /// One value per `WorkerRow::COLUMNS` entry, in that order.
    pub fn values(&self) -> [&dyn ToSql; 18] {
        let r = self.row;
        [
            &r.id_number,
            &self.id_number_rev,
            &r.name,
            &self.keys.full,
            &self.keys.initials,
            &r.gender,
            &r.birth_date,
            &r.phone,
            &self.phone_rev,
            &r.hometown_code,
            &r.employer,
            &r.worksite,
            &r.trade,
            &r.district_code,
            &r.membership,
            &r.card_no,
            &r.hardship,
            &r.note,
        ]
    }
}

impl Columns for WorkerRow<'_> {
    fn columns() -> &'static [&'static str] {
        &Self::COLUMNS
    }
}
