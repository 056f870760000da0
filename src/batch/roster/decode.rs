//! From a file's bytes to rows of cells: the text encoding (UTF-8, with or without BOM, or
//! GBK/GB18030), the CSV delimiter, and the cells of a workbook as the officer typed them.

use super::{NumberCell, RosterError, RosterRow, RosterSource};
use calamine::{Data, Reader};

/// BOM means UTF-8; valid UTF-8 means UTF-8; anything else is taken as GB18030, the superset
/// of the GBK that Excel and WPS write on Chinese Windows, unless it is a UTF-8 file with some
/// lines that are not (see `mixed_encoding`): decoding those as GBK would garble the header or
/// the rows, and the officer would hear only "missing columns".
pub fn decode_text(bytes: &[u8]) -> Result<(RosterSource, String), RosterError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((RosterSource::Utf8Bom, text.to_string())),
            Err(_) => {
                Err(not_utf8_lines(bytes).unwrap_or(RosterError::NotUtf8Line { line: 1, more: 0 }))
            }
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((RosterSource::Utf8, text.to_string())),
        Err(_) => {
            if let Some(mixed) = mixed_encoding(bytes) {
                return Err(mixed);
            }
            let (text, _had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            Ok((RosterSource::Gb18030, text.into_owned()))
        }
    }
}

/// Lines (numbered from 1) that are not valid UTF-8, as an error naming the first.
fn not_utf8_lines(bytes: &[u8]) -> Option<RosterError> {
    let mut bad = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| std::str::from_utf8(line).is_err())
        .map(|(i, _)| i + 1);
    let line = bad.next()?;
    Some(RosterError::NotUtf8Line {
        line,
        more: bad.count(),
    })
}

/// A file whose lines with Chinese text are at least as often valid UTF-8 as not is a UTF-8
/// file with a few foreign lines. A GBK file practically never has a line of Chinese text that
/// happens to be valid UTF-8 (a lead byte would have to be followed by 0x80-0xBF each time).
fn mixed_encoding(bytes: &[u8]) -> Option<RosterError> {
    let (mut utf8, mut other) = (0usize, 0usize);
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(_) => utf8 += 1,
            Err(_) => other += 1,
        }
    }
    if utf8 >= other {
        not_utf8_lines(bytes)
    } else {
        None
    }
}

/// Comma unless the first line plainly uses tabs or semicolons (some "Unicode text" exports).
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [',', '\t', ';']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == ','))
        .map(|c| c as u8)
        .unwrap_or(b',')
}

pub(super) fn read_csv(text: &str) -> Result<Vec<RosterRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The reader's own line numbers lag by one after a CRLF (it reports where the previous
    // terminator ended), so count lines up to the record's first character instead.
    let bytes = text.as_bytes();
    let (mut scanned, mut line) = (0, 1);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut start = record.position().map_or(scanned, |p| p.byte() as usize);
                while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                line += bytes[scanned..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                scanned = start;
                let row = line;
                rows.push(RosterRow {
                    row,
                    cells: record.iter().map(str::to_string).collect(),
                    number_cells: Vec::new(),
                });
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(rows)
}

pub(super) enum WorkbookError {
    Calamine(String),
    Roster(RosterError),
}

pub(super) fn read_workbook(
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(RosterSource, Vec<RosterRow>), WorkbookError> {
    let calamine = |e: calamine::Error| WorkbookError::Calamine(e.to_string());
    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(calamine)?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted || n.trim() == wanted.trim())
            .cloned()
            .ok_or_else(|| {
                WorkbookError::Roster(RosterError::NoSuchSheet {
                    name: wanted.to_string(),
                    available: names.clone(),
                })
            })?,
        None => names
            .first()
            .cloned()
            .ok_or(WorkbookError::Roster(RosterError::Empty))?,
    };
    let range = workbook.worksheet_range(&name).map_err(calamine)?;
    let sheet_is_blank = range
        .used_cells()
        .all(|(_, _, cell)| cell_text(cell).trim().is_empty());
    if sheet.is_none() && sheet_is_blank && names.len() > 1 {
        return Err(WorkbookError::Roster(RosterError::FirstSheetEmpty {
            sheet: name,
            others: names[1..].to_vec(),
        }));
    }
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            // Cells left of the used range are empty: keep columns where the sheet has them.
            let mut texts = vec![String::new(); first_col];
            texts.extend(cells.iter().map(cell_text));
            let number_cells = cells
                .iter()
                .enumerate()
                .filter_map(|(j, cell)| {
                    number_cell(cell).map(|exact_whole| NumberCell {
                        column: first_col + j,
                        exact_whole,
                    })
                })
                .collect();
            RosterRow {
                row: first_row + i + 1,
                cells: texts,
                number_cells,
            }
        })
        .collect();
    Ok((RosterSource::Workbook { sheet: name }, rows))
}

/// A cell as the officer typed it. Whole numbers lose Excel's ".0"; an ID number stored as a
/// number has already lost its last digits in Excel and is refused by the ID check.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        other => other.to_string(),
    }
}

/// `Some(exact_whole)` for a cell of a number or date type, `None` for text and blanks.
fn number_cell(cell: &Data) -> Option<bool> {
    match cell {
        Data::Int(_) => Some(true),
        // Every whole number below 2^53 round-trips through f64; beyond, digits were lost.
        Data::Float(f) => Some(f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Some(false),
        _ => None,
    }
}
