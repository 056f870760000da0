//! Replays, in the ordinary test run, what the fuzz targets run (`fuzz/checks.rs`) on their
//! seed corpus (`fuzz/seeds/`) and on every input that once made a target fail
//! (`fuzz/regressions/`). A fixed crash stays fixed without cargo-fuzz installed.

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut found = Vec::new();
    for folder in ["seeds", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(root.join(folder).join(target)) {
            found.extend(entries.flatten().map(|e| e.path()));
        }
    }
    found.sort();
    found
}

fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for {target}");
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", file.display());
    }
    println!("{target}: {} inputs replayed", files.len());
}

#[test]
fn idcard_seeds_and_regressions() {
    replay("idcard", checks::idcard);
}

#[test]
fn roster_seeds_and_regressions() {
    replay("roster", checks::roster);
}

#[test]
fn batch_seeds_and_regressions() {
    replay("batch", checks::batch);
}

#[test]
fn import_batch_seeds_and_regressions() {
    replay("import_batch", checks::import_batch);
}

/// The import target's seeds must reach the merge itself, not stop at verification.
#[test]
fn an_import_batch_seed_is_imported_whole() {
    let imported: Vec<PathBuf> = inputs("import_batch")
        .into_iter()
        .filter(|f| checks::import_batch_imported(&std::fs::read(f).unwrap()))
        .collect();
    assert!(!imported.is_empty(), "no seed of import_batch is imported");
}
