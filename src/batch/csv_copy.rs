//! `--csv`: one CSV per record kind, UTF-8 with a byte-order mark so that Excel and WPS open
//! the Chinese text intact.

use super::format::{FileEntry, RecordKind};
use super::fsio::{HashingWriter, create_private_file};
use super::review;
use super::{BatchError, Result};
use crate::safe_text::csv_cell;
use std::io::{BufWriter, Write};
use std::path::Path;

pub fn csv_name(kind: RecordKind) -> String {
    kind.file_name().replace(".jsonl", ".csv")
}

/// One CSV per data file written; a claim's health details only when `reveal_health`.
pub fn write(dir: &Path, reveal_health: bool) -> Result<Vec<FileEntry>> {
    let mut entries = Vec::new();
    let written = RecordKind::EVERY.into_iter();
    for kind in written.filter(|k| dir.join(k.file_name()).exists()) {
        let name = csv_name(kind);
        let path = dir.join(&name);
        let io = |e: std::io::Error| BatchError::io(&path, e);
        let mut out = BufWriter::new(HashingWriter::new(create_private_file(&path)?));
        out.write_all("\u{feff}".as_bytes()).map_err(io)?;
        let mut csv = csv::Writer::from_writer(out);
        let csv_error = |e: csv::Error| io(std::io::Error::other(e));
        csv.write_record(review::headers(kind, reveal_health))
            .map_err(csv_error)?;
        // Cells from the data files are neutralised against formulas (see `csv_cell`); the
        // XLSX copy writes text cells and needs no such prefix.
        let rows = review::for_each_row(dir, kind, reveal_health, |cells| {
            csv.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))
                .map_err(csv_error)
        })?;
        let out = csv.into_inner().map_err(|e| io(e.into_error()))?;
        let (file, bytes, sha256) = out.into_inner().map_err(|e| io(e.into_error()))?.finish();
        file.sync_all().map_err(io)?;
        entries.push(FileEntry {
            name,
            records: rows,
            bytes,
            sha256,
        });
    }
    Ok(entries)
}
