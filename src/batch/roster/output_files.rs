//! The files written beside a roster: the refused rows (`<input>.rejects.csv`) and every
//! change to registered workers (`<input>.changes.csv`), owner-only since they hold ID numbers.

use super::Roster;
use crate::domain::mask_id_number;
use crate::store::roster_changes::WorkerChange;
use crate::store::roster_import::RejectedRow;
use crate::text::Lang;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where rejects go unless `--rejects` says otherwise: next to the input, `<input>.rejects.csv`.
pub fn default_rejects_path(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".rejects.csv");
    PathBuf::from(name)
}

/// Where the full list of changes to registered workers goes unless `--changes` says
/// otherwise: next to the input, `<input>.changes.csv`.
pub fn default_changes_path(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".changes.csv");
    PathBuf::from(name)
}

/// A CSV writer on a new owner-only file (it holds personal data), BOM first so Excel and WPS
/// read it as UTF-8.
fn owner_only_csv(path: &Path) -> std::io::Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // An older file keeps its mode through truncation: tighten it too.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(b"\xEF\xBB\xBF")?;
    Ok(csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(std::io::BufWriter::new(file)))
}

fn finish_csv(writer: csv::Writer<std::io::BufWriter<std::fs::File>>) -> std::io::Result<()> {
    let file = writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    file.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?
        .sync_all()
}

/// A cell that a spreadsheet would run as a formula (`=HYPERLINK(…)` typed into a roster)
/// gets a leading apostrophe, as spreadsheet exporters do, so it opens as text.
fn inert(cell: &str) -> String {
    crate::safe_text::csv_cell(cell).into_owned()
}

/// Writes the refused rows as CSV in UTF-8 with BOM (so Excel and WPS open it): the original
/// cells, then the reason and the row number in the input. Owner-only, since it holds ID
/// numbers.
pub fn write_rejects(
    path: &Path,
    roster: &Roster,
    rejected: &[RejectedRow],
    lang: Lang,
) -> std::io::Result<()> {
    let mut writer = owner_only_csv(path)?;
    let width = roster.headers.len();
    let mut header: Vec<String> = roster.headers.iter().map(|h| inert(h)).collect();
    header.push(lang.pick("原因", "reason").to_string());
    header.push(lang.pick("原行号", "row").to_string());
    writer.write_record(&header)?;
    for reject in rejected {
        let row = &roster.rows[reject.index];
        let mut record: Vec<String> = row.cells.iter().map(|c| inert(c)).collect();
        // Pad short rows so the reason always sits under its header.
        if record.len() < width {
            record.resize(width, String::new());
        }
        record.push(inert(&reject.reason.message(lang)));
        record.push(row.row.to_string());
        writer.write_record(&record)?;
    }
    finish_csv(writer)
}

/// Writes every change to a registered worker, one line per field: row, name, ID number,
/// field, old value, new value. ID numbers and phones masked unless `reveal`, as on screen.
pub fn write_changes(
    path: &Path,
    changes: &[WorkerChange],
    lang: Lang,
    reveal: bool,
) -> std::io::Result<()> {
    let mut writer = owner_only_csv(path)?;
    writer.write_record(match lang {
        Lang::Zh => ["原行号", "姓名", "身份证号", "字段", "原值", "新值"],
        Lang::En => ["row", "name", "id_number", "field", "old", "new"],
    })?;
    for change in changes {
        let id = if reveal {
            change.id_number.clone()
        } else {
            mask_id_number(&change.id_number)
        };
        for field in &change.fields {
            writer.write_record([
                change.row.to_string(),
                inert(&change.name),
                id.clone(),
                field.field.label(lang).to_string(),
                inert(&field.shown_old(lang, reveal)),
                inert(&field.shown_new(lang, reveal)),
            ])?;
        }
    }
    finish_csv(writer)
}
