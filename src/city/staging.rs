//! Staging one data file of a batch: each line is parsed once, here, and `COPY`'d into its
//! `in_<kind>` table as typed columns, with the record's content hash beside it.
//!
//! The hash stays what the city tables hold: the MD5 of the line as PostgreSQL prints it
//! after reading it as `jsonb` (`md5(doc::text)`): keys ordered by length then bytes, the last
//! of a repeated key kept, `", "` and `": "` between items, strings escaped as `jsonb` does.
//! Each column is what `doc->>'field'` (or `doc->'field'` for `jsonb` columns, JSON null as
//! SQL NULL) gives, cast by `COPY` with the same input functions as the SQL casts, so a value
//! the database refuses is refused as before.
//!
//! A line this module cannot print exactly as `jsonb` would (a number with a fraction or an
//! exponent, which `jsonb` keeps as written; a line that is not a JSON object), and every
//! erasure line, goes in whole as `doc` instead, and SQL types it as before (`type_by_sql`):
//! the same result, only slower, for lines that valid batches hardly ever hold.

use super::{CityError, Result};
use crate::batch::format::{FileEntry, MAX_LINE_BYTES, RecordKind, hex};
use crate::batch::source::{BatchSource, BoundedLines};
use crate::batch::verify::{Problem, ProblemKind};
use md5::Md5;
use postgres::Transaction;
use serde_json::{Map, Value};
use sha2::Digest;
use std::io::Write;

/// Streams one data file into `staged` (created here), hashing it on the way (the file must
/// be the one verified); `fields` are the record's columns with their SQL types.
pub(super) fn stage(
    tx: &mut Transaction,
    source: &mut BatchSource,
    kind: RecordKind,
    entry: &FileEntry,
    fields: &[(&str, &str)],
    staged: &str,
) -> Result<Option<Problem>> {
    let columns: Vec<String> = fields.iter().map(|(n, t)| format!("{n} {t}")).collect();
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE {staged} (line_no bigint NOT NULL, content_md5 text, {columns},
                                     doc jsonb) ON COMMIT DROP",
        columns = columns.join(", "),
    ))?;
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    let mut writer = tx.copy_in(&format!(
        "COPY {staged} (line_no, content_md5, {names}, doc) FROM STDIN",
        names = names.join(", "),
    ))?;
    let path = source.path().join(kind.file_name());
    let io_error = |e: std::io::Error| CityError::Io {
        path: path.clone(),
        source: e,
    };
    let mut whole_lines = 0u64;
    let actual = {
        // Read no further than the size the manifest declares (+1 to see a lie), and no line
        // longer than a batch may hold, as the laptop does: the verifier may still be reading
        // the same file in its own thread (`ingest`), so nothing here trusts it yet.
        let reader = source.open_file(kind.file_name(), entry.bytes.saturating_add(1))?;
        let mut lines = BoundedLines::new(reader, path.clone(), MAX_LINE_BYTES);
        let mut rows = Vec::with_capacity(1 << 17);
        while let Some((line_no, content)) = lines.next_line()? {
            let start = rows.len();
            if !typed_row(&mut rows, line_no, content.as_bytes(), fields) {
                whole_lines += 1;
                rows.truncate(start);
                whole_row(&mut rows, line_no, content.as_bytes(), fields.len());
            }
            // The client sends one message per write of 4 kB or more, each a hand-off to its
            // connection thread: rows go out 64 kB at a time.
            if rows.len() >= 1 << 16 {
                writer.write_all(&rows).map_err(io_error)?;
                rows.clear();
            }
        }
        writer.write_all(&rows).map_err(io_error)?;
        lines.sha256()
    };
    writer.finish()?;
    if actual != entry.sha256 {
        return Ok(Some(Problem {
            file: entry.name.clone(),
            line: None,
            kind: ProblemKind::HashMismatch {
                manifest: entry.sha256.clone(),
                actual,
            },
        }));
    }
    if whole_lines > 0 {
        type_by_sql(tx, fields, staged)?;
    }
    tx.batch_execute(&format!(
        "CREATE UNIQUE INDEX ON {staged} (uid); ANALYZE {staged};"
    ))?;
    Ok(None)
}

/// The lines that went in whole, typed in SQL from their `doc`.
fn type_by_sql(tx: &mut Transaction, fields: &[(&str, &str)], staged: &str) -> Result<()> {
    let typed: Vec<String> = fields
        .iter()
        .map(|(name, ty)| match *ty {
            "text" => format!("{name} = doc->>'{name}'"),
            // JSON null is SQL NULL, not a jsonb 'null'.
            "jsonb" => format!("{name} = nullif(doc->'{name}', 'null'::jsonb)"),
            ty => format!("{name} = (doc->>'{name}')::{ty}"),
        })
        .collect();
    tx.batch_execute(&format!(
        "UPDATE {staged} SET content_md5 = md5(doc::text), {typed} WHERE doc IS NOT NULL",
        typed = typed.join(", "),
    ))?;
    Ok(())
}

/// Appends one `COPY` text row of typed columns; false (and a partial row to drop) when the
/// line must go in whole instead.
fn typed_row(row: &mut Vec<u8>, line_no: u64, content: &[u8], fields: &[(&str, &str)]) -> bool {
    let Ok(Value::Object(doc)) = serde_json::from_slice::<Value>(content) else {
        return false;
    };
    if doc.get("op").and_then(Value::as_str) == Some("erase") {
        return false;
    }
    let mut printed = String::with_capacity(content.len());
    if !print_object(&mut printed, &doc) {
        return false;
    }
    let digest = Md5::digest(printed.as_bytes());
    let _ = write!(row, "{line_no}\t{}", hex(&digest));
    let mut cell = String::new();
    for (name, ty) in fields {
        row.push(b'\t');
        cell.clear();
        let present = match doc.get(*name) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) if *ty != "jsonb" => {
                cell.push_str(s);
                true
            }
            // Every number was printable: the whole line was, above.
            Some(value) => print_value(&mut cell, value),
        };
        if present {
            copy_escape(row, cell.as_bytes());
        } else {
            row.extend_from_slice(b"\\N");
        }
    }
    row.extend_from_slice(b"\t\\N\n");
    true
}

/// One `COPY` text row carrying the line whole in `doc`, every typed column NULL.
fn whole_row(row: &mut Vec<u8>, line_no: u64, content: &[u8], columns: usize) {
    let _ = write!(row, "{line_no}\t\\N");
    for _ in 0..columns {
        row.extend_from_slice(b"\t\\N");
    }
    row.push(b'\t');
    copy_escape(row, content);
    row.push(b'\n');
}

/// The `COPY` text format's escapes: backslash, and the row and column separators.
fn copy_escape(row: &mut Vec<u8>, text: &[u8]) {
    for &byte in text {
        match byte {
            b'\\' => row.extend_from_slice(b"\\\\"),
            b'\n' => row.extend_from_slice(b"\\n"),
            b'\r' => row.extend_from_slice(b"\\r"),
            b'\t' => row.extend_from_slice(b"\\t"),
            b => row.push(b),
        }
    }
}

/// The text `jsonb` prints for a JSON line, when this module can tell it exactly.
pub fn jsonb_text(line: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(line).ok()?;
    let mut out = String::new();
    print_value(&mut out, &value).then_some(out)
}

/// Prints `value` as `jsonb` does; false for a number `jsonb` keeps in a form this module
/// does not reproduce (anything but an integer).
fn print_value(out: &mut String, value: &Value) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                return false;
            }
        }
        Value::String(s) => print_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !print_value(out, item) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(map) => return print_object(out, map),
    }
    true
}

/// Keys in `jsonb`'s order: shorter first, then by their bytes.
fn print_object(out: &mut String, map: &Map<String, Value>) -> bool {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| (a.0.len(), a.0.as_bytes()).cmp(&(b.0.len(), b.0.as_bytes())));
    out.push('{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        print_string(out, key);
        out.push_str(": ");
        if !print_value(out, value) {
            return false;
        }
    }
    out.push('}');
    true
}

/// A string as `jsonb` escapes it: the short escapes, other control characters as `\u00xx`
/// (lower-case hex), everything else as it is.
fn print_string(out: &mut String, text: &str) {
    out.push('"');
    // Every character escaped is ASCII, so the text is copied in runs between them.
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[run..at]);
        if escaped.is_empty() {
            out.push_str(&format!("\\u{byte:04x}"));
        } else {
            out.push_str(escaped);
        }
        run = at + 1;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_keys_in_jsonb_order_with_its_separators() {
        let text = jsonb_text(br#"{"bb":1,"a":[true,null,"x"],"ab":{"z":-2},"c":"q"}"#).unwrap();
        assert_eq!(
            text,
            r#"{"a": [true, null, "x"], "c": "q", "ab": {"z": -2}, "bb": 1}"#
        );
    }

    #[test]
    fn keeps_the_last_of_a_repeated_key() {
        assert_eq!(jsonb_text(br#"{"a":1,"a":2}"#).unwrap(), r#"{"a": 2}"#);
    }

    #[test]
    fn escapes_strings_as_jsonb_does() {
        let text = jsonb_text(b"{\"k\":\"a\\\"b\\\\c\\u0001\\n\\/\\u4e2d\"}").unwrap();
        assert_eq!(text, "{\"k\": \"a\\\"b\\\\c\\u0001\\n/\u{4e2d}\"}");
    }

    #[test]
    fn leaves_fractions_and_exponents_to_the_database() {
        assert_eq!(jsonb_text(br#"{"a":1.50}"#), None);
        assert_eq!(jsonb_text(br#"{"a":1e2}"#), None);
    }

    #[test]
    fn an_erasure_line_goes_in_whole() {
        let mut row = Vec::new();
        let line = br#"{"uid":"u","version":2,"op":"erase","reason":"request"}"#;
        assert!(!typed_row(&mut row, 1, line, &[("uid", "uuid")]));
    }

    #[test]
    fn a_typed_row_escapes_copy_separators_and_marks_nulls() {
        let mut row = Vec::new();
        let line = br#"{"uid":"u","note":"a\tb\\c","n":null,"o":{"x":1}}"#;
        let fields = [
            ("uid", "uuid"),
            ("note", "text"),
            ("n", "text"),
            ("o", "jsonb"),
        ];
        assert!(typed_row(&mut row, 7, line, &fields));
        let row = String::from_utf8(row).unwrap();
        let cells: Vec<&str> = row.trim_end_matches('\n').split('\t').collect();
        assert_eq!(cells[0], "7");
        assert_eq!(cells[1].len(), 32);
        assert_eq!(&cells[2..], ["u", "a\\tb\\\\c", "\\N", "{\"x\": 1}", "\\N"]);
    }
}
