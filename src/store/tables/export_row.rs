//! What every exported row shares: the header columns of a record (who made it where, and
//! when) and the reading of a row column by column, in the order its query names them, so no
//! decoder counts positions.

use crate::domain::records::{ErasureRecord, OfficerFields, Op, RecordHeader};
use rusqlite::Row;
use rusqlite::types::{FromSql, Type};
use std::borrow::Cow;

/// The header of a record of the table aliased `t` (joined to its officer as `o`), in the
/// order `Cells::header` reads it.
pub fn header_columns(t: &str) -> String {
    format!(
        "{t}.uid, {t}.version, {t}.origin_device, o.name, o.organisation, o.district_code,
         {t}.created_at, {t}.updated_at, {t}.deleted_at, {t}.withdraw_reason"
    )
}

/// A table's two export queries, one SELECT with two endings.
pub struct ExportSql {
    /// Every version not yet exported, in row order.
    pub pending: String,
    /// One record by row id `?1`: the copy a merge lists beside a newer one.
    pub by_id: String,
}

impl ExportSql {
    /// The export queries of a record that belongs to a worker (`worker_id`), from `table`
    /// aliased `t`: the header, the worker's uid, then `columns`.
    pub fn of_worker_record(table: &str, t: &str, columns: &str) -> ExportSql {
        ExportSql::new(t, |filter| {
            format!(
                "SELECT {}, w.uid, {columns}
                 FROM {table} {t}
                 JOIN officer o ON o.id = {t}.officer_id
                 JOIN worker w ON w.id = {t}.worker_id
                 {filter}",
                header_columns(t)
            )
        })
    }

    /// From `select(filter)` of the table aliased `t`.
    pub fn new(t: &str, select: impl Fn(&str) -> String) -> ExportSql {
        ExportSql {
            pending: select(&format!(
                "WHERE {t}.version > {t}.exported_version ORDER BY {t}.id"
            )),
            by_id: select(&format!("WHERE {t}.id = ?1")),
        }
    }
}

/// A withdrawal made before reasons were recorded (format 1 days) still needs one in format 2.
pub const REASON_NOT_RECORDED: &str = "未记录原因 (no reason recorded)";

/// Reads a row's columns in order, borrowing its text.
pub struct Cells<'r, 's> {
    row: &'r Row<'s>,
    next: usize,
}

impl<'r, 's> Cells<'r, 's> {
    pub fn new(row: &'r Row<'s>) -> Self {
        Cells { row, next: 0 }
    }

    fn take(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    /// Passes over `n` columns (the fields of a detail the row does not have).
    pub fn skip(&mut self, n: usize) {
        self.next += n;
    }

    pub fn text(&mut self) -> rusqlite::Result<Cow<'r, str>> {
        let i = self.take();
        self.row
            .get_ref(i)?
            .as_str()
            .map(Cow::Borrowed)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
    }

    pub fn opt_text(&mut self) -> rusqlite::Result<Option<Cow<'r, str>>> {
        let i = self.take();
        self.row
            .get_ref(i)?
            .as_str_or_null()
            .map(|s| s.map(Cow::Borrowed))
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
    }

    pub fn get<T: FromSql>(&mut self) -> rusqlite::Result<T> {
        let i = self.take();
        self.row.get(i)
    }

    /// The header (`header_columns`); rows made here leave the origin empty, and it is
    /// `this_device` on the way out. A withdrawal without a recorded reason gets
    /// `REASON_NOT_RECORDED`, which format 2 requires.
    pub fn header(&mut self, this_device: &'r str) -> rusqlite::Result<RecordHeader<'r>> {
        self.header_with(this_device, Some(REASON_NOT_RECORDED))
    }

    /// `header`, with no reason where none was recorded.
    pub fn header_as_stored(&mut self, this_device: &'r str) -> rusqlite::Result<RecordHeader<'r>> {
        self.header_with(this_device, None)
    }

    fn header_with(
        &mut self,
        this_device: &'r str,
        unrecorded: Option<&'static str>,
    ) -> rusqlite::Result<RecordHeader<'r>> {
        let uid = self.text()?;
        let version = self.get()?;
        let origin = self.text()?;
        let officer = OfficerFields {
            name: self.text()?,
            organisation: self.text()?,
            district_code: self.text()?,
        };
        let created_at = self.text()?;
        let updated_at = self.text()?;
        let deleted_at = self.opt_text()?;
        let reason = self.text()?;
        let reason = match (&deleted_at, reason.is_empty()) {
            (None, _) => None,
            (Some(_), false) => Some(reason),
            (Some(_), true) => unrecorded.map(Cow::Borrowed),
        };
        Ok(RecordHeader {
            uid,
            version,
            op: Op::of_tombstone(deleted_at.is_some()),
            origin_device_id: if origin.is_empty() {
                Cow::Borrowed(this_device)
            } else {
                origin
            },
            officer,
            created_at,
            updated_at,
            deleted_at,
            reason,
        })
    }

    /// Fails when the decoder read fewer columns than the query has: the two drifted apart.
    pub fn finish<T>(self, value: T) -> rusqlite::Result<T> {
        let columns = self.row.as_ref().column_count();
        if self.next != columns {
            return Err(rusqlite::Error::InvalidColumnIndex(self.next));
        }
        Ok(value)
    }
}

/// The erasure tombstone of a row whose header is followed by its erasure reason code ('' when
/// the record is not erased): an erased record travels as uid, version and reason only.
pub fn erasure<'r>(row: &'r Row<'_>) -> rusqlite::Result<Option<ErasureRecord<'r>>> {
    let mut cells = Cells::new(row);
    let uid = cells.text()?;
    let version = cells.get()?;
    cells.skip(HEADER_LEN - 2);
    let reason = cells.text()?;
    if reason.is_empty() {
        return Ok(None);
    }
    Ok(Some(ErasureRecord {
        uid,
        version,
        op: Op::Erase,
        reason,
    }))
}

/// How many columns `header_columns` names.
pub const HEADER_LEN: usize = 10;
