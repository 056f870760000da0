//! jingong: register migrant workers, log the services the union delivers to them, and export
//! batches for the city union system.
//!
//! Layers, from the bottom: `domain` (rules, no I/O; shares `safe_text` and `text`), `store`
//! (SQLite), then `batch`, `paperwork` and `demo` on the store, then `cli` and `tui` on top.
//! Not yet one-way: `tui` takes `Cli`, `Failure`, `config_dir` and `open_store` from `cli`
//! while `cli` starts `tui::run` (issue 18); tests/it/architecture.rs lists what remains.

#![forbid(unsafe_code)]

pub mod batch;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod logging;
pub mod paperwork;
pub mod safe_text;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
pub mod tui;
