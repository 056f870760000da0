//! One file per table: its column list (one const), the mapping from a row, the binding of
//! its writes, and, for a table a batch carries, the query of the versions waiting for export
//! with the decoder of its rows. Everything else that reads or writes the table names these,
//! so adding a column is done in one file.
//!
//! A new table a batch carries gets a file of its own here, built like `event.rs`: its
//! export columns after `export_row::HEADER`, read in the same order by an `export_row::Cells`.

pub mod batch;
pub mod event;
pub mod export_row;
pub mod service;
mod sql;

pub use sql::Columns;
pub mod worker;

#[cfg(test)]
mod tests;
