//! The report's tables as aligned text on the terminal, or as a CSV or XLSX file written
//! owner-only (a report names workers).

use super::{Cell, Table};
use crate::cli::Failure;
use crate::cli::output::pad;
use crate::store::Statistics;
use crate::text::Lang;
use std::io::Write;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

pub(super) fn print_text(tables: &[Table], stats: &Statistics, listed: usize) {
    for table in tables {
        println!("{}", table.title);
        let columns = table.header.len();
        let mut widths: Vec<usize> = table.header.iter().map(|h| h.width()).collect();
        for row in &table.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.shown().width());
            }
        }
        let line = |cells: Vec<(String, bool)>| {
            let parts: Vec<String> = cells
                .into_iter()
                .enumerate()
                .map(|(i, (s, right))| {
                    if right {
                        format!("{}{s}", " ".repeat(widths[i].saturating_sub(s.width())))
                    } else {
                        pad(&s, widths[i])
                    }
                })
                .collect();
            println!("  {}", parts.join("  ").trim_end());
        };
        let numeric: Vec<bool> = (0..columns)
            .map(|i| {
                table
                    .rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(Cell::is_number))
            })
            .collect();
        line(
            table
                .header
                .iter()
                .zip(&numeric)
                .map(|(h, &n)| (h.clone(), n))
                .collect(),
        );
        for row in &table.rows {
            line(row.iter().map(|c| (c.shown(), c.is_number())).collect());
        }
        if std::ptr::eq(table, tables.last().expect("tables are never empty"))
            && (listed as i64) < stats.hardship_unserved.total
        {
            println!("  … {}/{}", listed, stats.hardship_unserved.total);
        }
        println!();
    }
}

/// CSV for Excel and WPS: UTF-8 with a byte-order mark, tables one after another, each with
/// its title line and header, separated by an empty line. Money is in yuan.
pub(super) fn csv_bytes(tables: &[Table]) -> Vec<u8> {
    let mut out: Vec<u8> = "\u{feff}".as_bytes().to_vec();
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let written = (|| -> csv::Result<Vec<u8>> {
            writer.write_record([&table.title])?;
            writer.write_record(&table.header)?;
            for row in &table.rows {
                writer.write_record(row.iter().map(|cell| match cell {
                    Cell::Text(_) => crate::safe_text::csv_cell(&cell.shown()).into_owned(),
                    number => number.shown(),
                }))?;
            }
            writer.into_inner().map_err(|e| e.into_error().into())
        })()
        .expect("writing CSV into memory cannot fail");
        out.extend_from_slice(&written);
    }
    out
}

pub(super) fn xlsx_bytes(tables: &[Table], lang: Lang) -> Result<Vec<u8>, Failure> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        Failure::refused(format!(
            "{}{e}",
            lang.pick("无法生成 XLSX：", "cannot make the XLSX: ")
        ))
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let yuan = Format::new().set_num_format("#,##0.00");
    let share = Format::new().set_num_format("0.0%");
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&table.sheet)).map_err(fail)?;
        sheet
            .write_string_with_format(0, 0, &table.title, &bold)
            .map_err(fail)?;
        for (c, head) in table.header.iter().enumerate() {
            sheet
                .write_string_with_format(1, c as u16, head, &bold)
                .map_err(fail)?;
        }
        let mut widths: Vec<usize> = table.header.iter().map(|h| h.width()).collect();
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, col, s.trim_start()).map(|_| ()),
                    Cell::Count(n) => sheet.write_number(r, col, *n as f64).map(|_| ()),
                    // Yuan as a number so the manager can sum it; fen are exact in an f64.
                    Cell::Fen(f) => sheet
                        .write_number_with_format(r, col, *f as f64 / 100.0, &yuan)
                        .map(|_| ()),
                    Cell::PerMille(p) => sheet
                        .write_number_with_format(r, col, *p as f64 / 1000.0, &share)
                        .map(|_| ()),
                }
                .map_err(fail)?;
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(cell.shown().width());
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, (*w + 2) as f64)
                .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

/// Excel refuses sheet names over 31 characters or with `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// Writes `bytes` to `path` readable by the owner only: a report names workers. The bytes go
/// to a temporary file beside it first, so a failed write never leaves half a report.
pub(super) fn write_private(path: &Path, bytes: &[u8], lang: Lang) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::refused(format!(
            "{}: {}{e}",
            path.display(),
            lang.pick("无法写入：", "cannot write: ")
        ))
    };
    let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
    temp_name.push(".part");
    let temp = path.with_file_name(temp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&temp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // An old .part file keeps its mode through open(): set it again.
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(fail)
}
