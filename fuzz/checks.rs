//! What each fuzz target runs on one input, shared by the fuzz targets and by
//! `tests/it/fuzz_inputs.rs`, which replays the seeds and every input that once failed.
//! Each function panics if the code under test misbehaves; returning means the input passed.
#![allow(dead_code)] // each fuzz target uses one of these

use chrono::NaiveDate;
use jingong::batch::format::RecordKind;
use jingong::batch::roster::roster_from_bytes;
use jingong::batch::source::BatchSource;
use jingong::batch::verify::{VerifyOptions, verify_source};
use jingong::domain::idcard::{check_digit, clean_id_input, mask_id_number, parse_id_number};
use jingong::domain::validate::validate_worker;
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

/// The ID-number parser on any text: Ok or a field error, never a panic; what it accepts
/// is 18 characters with a valid check digit and parses again to itself.
pub fn idcard(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = clean_id_input(&text);
    let _ = mask_id_number(&text);
    if let Ok(id) = parse_id_number(&text, today()) {
        assert_eq!(id.number.len(), 18);
        assert_eq!(
            check_digit(&id.number.as_bytes()[..17]),
            id.number.chars().last().expect("18 characters")
        );
        assert!(id.birth_date <= today());
        let again = parse_id_number(&id.number, today()).expect("a parsed number parses again");
        assert_eq!(again.number, id.number);
        let _ = mask_id_number(&id.number);
    }
}

/// Roster bytes as an import reads them: text decoding, CSV or workbook, header matching,
/// and every row checked by the form's rules.
pub fn roster(data: &[u8]) {
    let Ok(roster) = roster_from_bytes(data.to_vec(), None, Path::new("fuzz.csv")) else {
        return;
    };
    for entry in roster.entries() {
        let _ = validate_worker(&entry.draft, today());
    }
}

const SEPARATOR: &[u8] = b"\n=====\n";
const NAMES: [&str; 4] = [
    "manifest.json",
    "workers.jsonl",
    "events.jsonl",
    "services.jsonl",
];

/// A batch as the receiving side verifies it: a zip (the input starts with a zip's
/// signature), or the four files of a batch folder joined by a separator line, in the
/// order manifest, workers, events, services.
pub fn batch(data: &[u8]) {
    let path = Path::new("fuzz-batch");
    let mut source = if data.starts_with(b"PK\x03\x04") {
        match BatchSource::from_zip(path, Box::new(std::io::Cursor::new(data.to_vec()))) {
            Ok(source) => source,
            Err(_) => return,
        }
    } else {
        let mut files = Vec::new();
        let mut rest = data;
        for name in NAMES {
            let end = rest
                .windows(SEPARATOR.len())
                .position(|w| w == SEPARATOR)
                .unwrap_or(rest.len());
            files.push((name.to_string(), rest[..end].to_vec()));
            rest = rest.get(end + SEPARATOR.len()..).unwrap_or(&[]);
        }
        BatchSource::from_memory(path, files)
    };
    let mut unknown = |_kind: RecordKind, _uid: &str| -> jingong::batch::Result<bool> { Ok(false) };
    let _ = verify_source(
        &mut source,
        VerifyOptions {
            today: today(),
            references: Some(&mut unknown),
        },
    );
}
