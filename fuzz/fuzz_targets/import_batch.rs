//! Fuzz target: see `checks::import_batch` (the merge into a database, not only the verifier).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::import_batch(data));
