//! What each fuzz target runs on one input, shared by the fuzz targets and by
//! `tests/it/fuzz_inputs.rs`, which replays the seeds and every input that once failed.
//! Each function panics if the code under test misbehaves; returning means the input passed.
#![allow(dead_code)] // each fuzz target uses one of these

use chrono::NaiveDate;
use jingong::batch::format::RecordKind;
use jingong::batch::merge::{ImportOutcome, import_source};
use jingong::batch::roster::roster_from_bytes;
use jingong::batch::source::BatchSource;
use jingong::batch::verify::{Known, VerifyOptions, verify_source};
use jingong::domain::idcard::{check_digit, clean_id_input, mask_id_number, parse_id_number};
use jingong::domain::validate::validate_worker;
use jingong::store::Store;
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

/// The batch an input stands for: a zip (the input starts with a zip's signature), or the
/// four files of a batch folder joined by a separator line, in the order manifest, workers,
/// events, services. `None` when the zip cannot be opened at all.
fn batch_source(data: &[u8], path: &Path) -> Option<BatchSource> {
    if data.starts_with(b"PK\x03\x04") {
        return BatchSource::from_zip(path, Box::new(std::io::Cursor::new(data.to_vec()))).ok();
    }
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
    Some(BatchSource::from_memory(path, files))
}

/// A batch as the receiving side verifies it.
pub fn batch(data: &[u8]) {
    let path = Path::new("fuzz-batch");
    let Some(mut source) = batch_source(data, path) else {
        return;
    };
    let mut unknown =
        |_kind: RecordKind, _uid: &str| -> jingong::batch::Result<Known> { Ok(Known::No) };
    let _ = verify_source(
        &mut source,
        VerifyOptions {
            today: today(),
            references: Some(&mut unknown),
        },
    );
}

/// Row counts of every table a merge writes.
fn table_counts(store: &Store) -> Vec<i64> {
    [
        "batch",
        "batch_item",
        "worker",
        "event",
        "service",
        "conflict",
        "audit",
        "officer",
    ]
    .iter()
    .map(|t| {
        jingong::testing::connection(store)
            .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .expect("count")
    })
    .collect()
}

/// A batch merged into a database in memory, as `import batch` does: never a panic; a
/// refused batch changes no table and leaves no transaction open; an imported one is
/// recorded complete, and importing it again changes nothing.
pub fn import_batch(data: &[u8]) {
    let _ = import_batch_imported(data);
}

/// `import_batch`, saying whether the batch was imported (the seeds must reach that far).
pub fn import_batch_imported(data: &[u8]) -> bool {
    let path = Path::new("fuzz-batch");
    let Some(mut source) = batch_source(data, path) else {
        return false;
    };
    thread_local! {
        static TEMPLATE: Store = Store::open_in_memory().expect("store in memory");
    }
    let mut store = TEMPLATE
        .with(Store::open_in_memory_copy)
        .expect("a copy of the empty store");
    let before = table_counts(&store);
    let outcome = import_source(&mut store, &mut source, path);
    assert!(
        jingong::testing::connection(&store).is_autocommit(),
        "a transaction was left open"
    );
    match outcome {
        Err(_) => {
            assert_eq!(
                table_counts(&store),
                before,
                "a refused batch changed the database"
            );
            false
        }
        Ok(ImportOutcome::AlreadyHere { .. }) => panic!("an empty database had the batch"),
        Ok(ImportOutcome::Imported(summary)) => {
            let status: String = jingong::testing::connection(&store)
                .query_row(
                    "SELECT status FROM batch WHERE uid = ?1",
                    [&summary.batch_uid],
                    |r| r.get(0),
                )
                .expect("the imported batch is recorded");
            assert_eq!(status, "complete");
            let after = table_counts(&store);
            let Some(mut again) = batch_source(data, path) else {
                panic!("the same input opens twice");
            };
            let second = import_source(&mut store, &mut again, path);
            assert!(
                matches!(second, Ok(ImportOutcome::AlreadyHere { .. })),
                "the same batch again: {second:?}"
            );
            assert_eq!(table_counts(&store), after);
            true
        }
    }
}
