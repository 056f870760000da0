//! The `event` table: the columns an `Event` is read from, the columns a write binds
//! (`EventRow`), and the export of the versions not yet sent.

use super::export_row::{Cells, ExportSql, header_columns};
use super::sql::Columns;
use crate::domain::records::EventRecord;
use crate::domain::{Event, EventInput};
use chrono::NaiveDate;
use rusqlite::{Row, ToSql};
use std::sync::LazyLock;

/// Columns read by `event_from_row`, in order.
pub(crate) const EVENT_COLUMNS: &str = "e.id, e.uid, e.version, e.name, e.kind, e.held_on,
    e.place, e.district_code, e.default_quantity, e.default_amount_fen, e.deleted_at IS NOT NULL,
    (SELECT count(*) FROM service s WHERE s.event_id = e.id AND s.deleted_at IS NULL),
    (SELECT count(DISTINCT s.worker_id) FROM service s
      WHERE s.event_id = e.id AND s.deleted_at IS NULL)";

pub(crate) fn event_from_row(r: &Row) -> rusqlite::Result<Event> {
    let held_on: String = r.get(5)?;
    let held_on = NaiveDate::parse_from_str(&held_on, "%Y-%m-%d").unwrap_or_default();
    Ok(Event {
        id: r.get(0)?,
        uid: r.get(1)?,
        version: r.get(2)?,
        input: EventInput {
            name: r.get(3)?,
            kind: r.get(4)?,
            held_on: Some(held_on),
            place: r.get(6)?,
            district_code: r.get(7)?,
            default_quantity: r.get(8)?,
            default_amount_fen: r.get(9)?,
        },
        held_on,
        deleted: r.get(10)?,
        served_count: r.get(11)?,
        people_count: r.get(12)?,
    })
}

/// An event's own columns as one set: registering, editing, demo data and merging all write
/// an event through it.
#[derive(Debug, Clone)]
pub struct EventRow<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    /// `YYYY-MM-DD`.
    pub held_on: &'a str,
    pub place: &'a str,
    pub district_code: &'a str,
    pub default_quantity: i64,
    pub default_amount_fen: i64,
}

impl<'a> EventRow<'a> {
    /// What the officer typed, held on `held_on` (`YYYY-MM-DD`).
    pub fn from_input(input: &'a EventInput, held_on: &'a str) -> EventRow<'a> {
        EventRow {
            name: &input.name,
            kind: &input.kind,
            held_on,
            place: &input.place,
            district_code: &input.district_code,
            default_quantity: input.default_quantity,
            default_amount_fen: input.default_amount_fen,
        }
    }

    /// The columns, in the order `values` binds them.
    pub const COLUMNS: [&'static str; 7] = [
        "name",
        "kind",
        "held_on",
        "place",
        "district_code",
        "default_quantity",
        "default_amount_fen",
    ];

    /// One value per `COLUMNS` entry, in that order.
    pub fn values(&self) -> [&dyn ToSql; 7] {
        [
            &self.name,
            &self.kind,
            &self.held_on,
            &self.place,
            &self.district_code,
            &self.default_quantity,
            &self.default_amount_fen,
        ]
    }
}

/// The columns of an exported event after the header, in the order `exported_from_row`
/// reads them.
const EXPORT_COLUMNS: &str = "e.name, e.kind, e.held_on, e.place, e.district_code,
    e.default_quantity, e.default_amount_fen";

fn export_select(filter: &str) -> String {
    format!(
        "SELECT {}, {EXPORT_COLUMNS}
         FROM event e JOIN officer o ON o.id = e.officer_id
         {filter}",
        header_columns("e")
    )
}

/// The export queries, decoded by `exported_from_row`.
pub static EXPORT_SQL: LazyLock<ExportSql> = LazyLock::new(|| ExportSql::new("e", export_select));

/// A row of `EXPORT_SQL` as the batch line it becomes.
pub fn exported_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<EventRecord<'r>> {
    let mut cells = Cells::new(row);
    let record = EventRecord {
        header: cells.header(this_device)?,
        name: cells.text()?,
        kind: cells.text()?,
        held_on: cells.text()?,
        place: cells.text()?,
        district_code: cells.text()?,
        default_quantity: cells.get()?,
        default_amount_fen: cells.get()?,
    };
    cells.finish(record)
}

impl Columns for EventRow<'_> {
    fn columns() -> &'static [&'static str] {
        &Self::COLUMNS
    }
}
