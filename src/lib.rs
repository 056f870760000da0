//! jingong: register migrant workers, log the services the union delivers to them, and export
//! batches for the city union system.
//!
//! Layers, from the bottom: `domain` (rules, no I/O; shares `safe_text` and `text`), `store`
//! (SQLite), then `batch`, `paperwork` and `demo` on the store, then `session` (the store,
//! folders, language and key both front ends start from) and `failure`, then `cli` and `tui` on
//! top; `cli` starts `tui::run`, and `tui` takes nothing from `cli`. tests/it/architecture.rs
//! checks the layers and lists the exceptions still left (docs/architecture.md draws them).

#![forbid(unsafe_code)]

pub mod backup;
pub mod batch;
#[cfg(feature = "city")]
pub mod city;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod failure;
pub mod logging;
pub mod paperwork;
pub mod receipt;
pub mod safe_text;
pub mod session;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
pub mod tui;
