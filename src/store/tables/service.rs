//! The `service` table: the columns a `Service` is read from (with its health-check or
//! legal-aid details), the columns a write binds (`ServiceRow`), and the export of the
//! versions not yet sent.

use super::export_row::{Cells, ExportSql, header_columns};
use super::sql::Columns;
use crate::domain::records::{HealthCheckFields, LegalAidFields, ServiceRecord};
use crate::domain::{HealthCheck, LegalAid, Service};
use chrono::NaiveDate;
use rusqlite::{Row, ToSql};
use std::sync::LazyLock;

pub(crate) const SERVICE_COLUMNS: &str =
    "s.id, s.uid, s.version, w.uid, s.kind, s.served_on, s.place,
    s.quantity, s.amount_fen, s.note, e.uid, o.name, s.created_at, s.deleted_at IS NOT NULL,
    h.provider, h.blood_pressure, h.glucose_tenths, h.findings, h.referral, h.follow_up_on,
    h.consent_by, h.consent_at, h.service_id IS NOT NULL,
    l.category, l.description, l.status, l.claimed_fen, l.recovered_fen, l.follows_uid,
    l.service_id IS NOT NULL";

pub(crate) const SERVICE_FROM: &str = "service s
    JOIN worker w ON w.id = s.worker_id
    JOIN officer o ON o.id = s.officer_id
    LEFT JOIN event e ON e.id = s.event_id
    LEFT JOIN health_check h ON h.service_id = s.id
    LEFT JOIN legal_aid l ON l.service_id = s.id";

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

pub(crate) fn service_from_row(r: &Row) -> rusqlite::Result<Service> {
    let health = if r.get::<_, bool>(22)? {
        Some(HealthCheck {
            provider: r.get(14)?,
            blood_pressure: r.get(15)?,
            glucose_tenths: r.get(16)?,
            findings: r.get(17)?,
            referral: r.get(18)?,
            follow_up_on: date(r.get(19)?),
            consent_by: r.get(20)?,
            consent_at: r.get(21)?,
        })
    } else {
        None
    };
    let legal = if r.get::<_, bool>(29)? {
        Some(LegalAid {
            category: r.get(23)?,
            description: r.get(24)?,
            status: r.get(25)?,
            claimed_fen: r.get(26)?,
            recovered_fen: r.get(27)?,
            follows_uid: r.get(28)?,
        })
    } else {
        None
    };
    Ok(Service {
        id: r.get(0)?,
        uid: r.get(1)?,
        version: r.get(2)?,
        worker_uid: r.get(3)?,
        kind: r.get(4)?,
        served_on: date(r.get(5)?).unwrap_or_default(),
        place: r.get(6)?,
        quantity: r.get(7)?,
        amount_fen: r.get(8)?,
        note: r.get(9)?,
        event_uid: r.get(10)?,
        officer_name: r.get(11)?,
        created_at: r.get(12)?,
        deleted: r.get(13)?,
        health,
        legal,
    })
}

/// A service's own columns as one set: logging, correcting and merging all write a service
/// through it.
#[derive(Debug, Clone)]
pub struct ServiceRow<'a> {
    pub worker_id: i64,
    pub kind: &'a str,
    pub event_id: Option<i64>,
    /// `YYYY-MM-DD`.
    pub served_on: &'a str,
    pub place: &'a str,
    pub quantity: i64,
    pub amount_fen: i64,
    pub note: &'a str,
}

impl ServiceRow<'_> {
    /// The columns, in the order `values` binds them.
    pub const COLUMNS: [&'static str; 8] = [
        "worker_id",
        "kind",
        "event_id",
        "served_on",
        "place",
        "quantity",
        "amount_fen",
        "note",
    ];

    /// One value per `COLUMNS` entry, in that order.
    pub fn values(&self) -> [&dyn ToSql; 8] {
        [
            &self.worker_id,
            &self.kind,
            &self.event_id,
            &self.served_on,
            &self.place,
            &self.quantity,
            &self.amount_fen,
            &self.note,
        ]
    }
}

/// The columns of an exported service after the header and the erasure reason, in the order
/// `exported_from_row` reads them: the service's own, then a health-check flag and its eight
/// fields, then a legal-aid flag and its six.
const EXPORT_COLUMNS: &str = "w.uid, ev.uid, s.kind, s.served_on, s.place, s.quantity,
    s.amount_fen, s.note,
    h.service_id IS NOT NULL, h.provider, h.blood_pressure, h.glucose_tenths, h.findings,
    h.referral, h.follow_up_on, h.consent_by, h.consent_at,
    l.service_id IS NOT NULL, l.category, l.description, l.status, l.claimed_fen,
    l.recovered_fen, l.follows_uid";

fn export_select(filter: &str) -> String {
    format!(
        "SELECT {}, s.erase_reason, {EXPORT_COLUMNS}
         FROM service s
         JOIN officer o ON o.id = s.officer_id
         JOIN worker w ON w.id = s.worker_id
         LEFT JOIN event ev ON ev.id = s.event_id
         LEFT JOIN health_check h ON h.service_id = s.id
         LEFT JOIN legal_aid l ON l.service_id = s.id
         {filter}",
        header_columns("s")
    )
}

/// The export queries, decoded by `exported_from_row`.
pub static EXPORT_SQL: LazyLock<ExportSql> = LazyLock::new(|| ExportSql::new("s", export_select));

/// A row of `EXPORT_SQL` as the batch line it becomes.
pub fn exported_from_row<'r>(
    row: &'r Row<'_>,
    this_device: &'r str,
) -> rusqlite::Result<ServiceRecord<'r>> {
    let mut cells = Cells::new(row);
    let header = cells.header(this_device)?;
    cells.skip(1); // the erasure reason, read by `export_row::erasure`
    let worker_uid = cells.text()?;
    let event_uid = cells.opt_text()?;
    let kind = cells.text()?;
    let served_on = cells.text()?;
    let place = cells.text()?;
    let quantity = cells.get()?;
    let amount_fen = cells.get()?;
    let note = cells.text()?;
    let health_check = if cells.get::<bool>()? {
        Some(HealthCheckFields {
            provider: cells.text()?,
            blood_pressure: cells.text()?,
            glucose_tenths: cells.get()?,
            findings: cells.text()?,
            referral: cells.get()?,
            follow_up_on: cells.opt_text()?,
            consent_by: cells.text()?,
            consent_at: cells.text()?,
        })
    } else {
        cells.skip(8);
        None
    };
    let legal_aid = if cells.get::<bool>()? {
        Some(LegalAidFields {
            category: cells.text()?,
            description: cells.text()?,
            status: cells.text()?,
            claimed_fen: cells.get()?,
            recovered_fen: cells.get()?,
            follows_uid: cells.opt_text()?,
        })
    } else {
        cells.skip(6);
        None
    };
    let record = ServiceRecord {
        header,
        worker_uid,
        event_uid,
        kind,
        served_on,
        place,
        quantity,
        amount_fen,
        note,
        health_check,
        legal_aid,
    };
    cells.finish(record)
}

impl Columns for ServiceRow<'_> {
    fn columns() -> &'static [&'static str] {
        &Self::COLUMNS
    }
}
