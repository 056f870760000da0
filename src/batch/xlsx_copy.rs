//! `--xlsx`: one workbook with a sheet per record kind. ID numbers and phones are written as
//! text, so Excel keeps all 18 digits. A sheet holds at most 1,048,576 rows: longer kinds
//! continue on further sheets.

use super::format::{FileEntry, RecordKind};
use super::fsio::{HashingWriter, create_private_file};
use super::review;
use super::{BatchError, Result};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::BufWriter;
use std::path::Path;

pub const XLSX_NAME: &str = "review.xlsx";
const MAX_DATA_ROWS: u32 = 1_048_575;

fn sheet_title(kind: RecordKind, part: u32) -> String {
    let base = match kind {
        RecordKind::Worker => "职工 workers",
        RecordKind::Event => "活动 events",
        RecordKind::Service => "服务 services",
        RecordKind::Need => "诉求 needs",
        RecordKind::Claim => "互助保障 claims",
    };
    if part == 1 {
        base.to_string()
    } else {
        format!("{base} {part}")
    }
}

/// The workbook; a claim's health details only when `reveal_health`.
pub fn write(dir: &Path, reveal_health: bool) -> Result<FileEntry> {
    let path = dir.join(XLSX_NAME);
    let fail = |e: XlsxError| BatchError::Workbook {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut workbook = Workbook::new();
    // Constant-memory sheets spill to temporary files: keep them inside the batch's own
    // owner-only temporary folder, never in a shared temp folder.
    workbook.set_tempdir(dir).map_err(fail)?;
    let mut rows_total = 0u64;
    let written = RecordKind::EVERY.into_iter();
    for kind in written.filter(|k| dir.join(k.file_name()).exists()) {
        let headers = review::headers(kind, reveal_health);
        let mut part = 1;
        let mut row_in_sheet = 0u32;
        let mut sheet_index =
            new_sheet(&mut workbook, &sheet_title(kind, part), &headers).map_err(fail)?;
        rows_total += review::for_each_row(dir, kind, reveal_health, |cells| {
            if row_in_sheet == MAX_DATA_ROWS {
                part += 1;
                row_in_sheet = 0;
                sheet_index =
                    new_sheet(&mut workbook, &sheet_title(kind, part), &headers).map_err(fail)?;
            }
            row_in_sheet += 1;
            let sheet = workbook.worksheet_from_index(sheet_index).map_err(fail)?;
            for (col, value) in cells.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(row_in_sheet, col as u16, value)
                        .map_err(fail)?;
                }
            }
            Ok(())
        })?;
    }
    let io = |e: std::io::Error| BatchError::io(&path, e);
    let mut out = BufWriter::new(HashingWriter::new(create_private_file(&path)?));
    workbook.save_to_writer(&mut out).map_err(fail)?;
    let (file, bytes, sha256) = out.into_inner().map_err(|e| io(e.into_error()))?.finish();
    file.sync_all().map_err(io)?;
    Ok(FileEntry {
        name: XLSX_NAME.into(),
        records: rows_total,
        bytes,
        sha256,
    })
}

fn new_sheet(workbook: &mut Workbook, title: &str, headers: &[String]) -> Result<usize, XlsxError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(title)?;
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, header)?;
        sheet.set_column_width(col as u16, 16)?;
    }
    Ok(workbook.worksheets().len() - 1)
}
