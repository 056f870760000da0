//! All integration tests, as one binary: one link instead of one per file (on two cores the
//! links were most of a test build), one set of helpers in `support`.
//!
//! Adding tests: put them in `tests/it/<topic>.rs`, add `mod <topic>;` below (in order), and
//! take helpers from `crate::support::{fixture, bin, pty, tui, batch}` instead of copying them;
//! a database with its officer comes from `support::fixture`. A file left at `tests/<name>.rs`
//! would build as a binary of its own: the architecture test refuses that. Snapshots live in
//! `tests/it/snapshots/`, named `it__<topic>__<name>.snap`. Tests that need a cargo feature
//! get `#[cfg(feature = "...")]` on their module or inside it (see `encryption`).
//! Run one topic with `cargo test --test it <topic>::`.

mod support;

mod architecture;
mod auto_backup;
mod bad_input;
mod bad_values;
mod batch_crash;
mod batch_export;
mod batch_merge;
mod batch_needs;
mod batch_needs_hostile;
mod batch_tamper;
mod bulk_merge;
// The city side on PostgreSQL: built with `--features city` (CI runs it with a throw-away
// cluster, scripts/pg-dev); without JINGONG_TEST_PG its tests skip, except under CI=true.
#[cfg(feature = "city")]
mod city;
mod claims;
mod cli;
mod corrections;
mod district_rule;
mod domain_rules;
// Its tests without the feature prove the build says it has no encryption; the SQLCipher ones
// are the `with_feature` module inside, under `#[cfg(feature = "encryption")]`.
mod encryption;
mod erasure;
mod event_sheet;
mod faults;
mod file_picker;
mod fuzz_inputs;
mod hostile_batch;
mod install;
mod laptop_receipts;
mod logs;
mod migrations;
mod needs;
mod needs_entry;
mod restore;
mod roster_import;
mod safe_output;
mod sealed_batch;
mod search;
mod stats;
mod stats_cli;
mod stats_money;
mod stats_needs;
mod store;
mod tui_app;
mod tui_batches;
mod tui_corrections;
mod tui_e2e;
mod tui_events;
mod tui_needs;
mod tui_needs_entry;
mod tui_polish;
mod tui_receipts;
mod tui_stats;
mod tui_stats_money;
mod tui_stats_needs;
mod workbench;
mod workbench_pages;
mod workbench_search;
