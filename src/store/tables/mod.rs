//! One file per table: its column list (one const), the mapping from a row, the binding of
//! its writes, and, for a table a batch carries, the query of the versions waiting for export
//! with the decoder of its rows. Everything else that reads or writes the table names these,
//! so adding a column is done in one file.
//!
//! A new table a batch carries gets a file of its own here, built like `event.rs`: its
//! export columns after `export_row::HEADER`, read in the same order by an `export_row::Cells`.

pub mod batch;
pub mod claim;
pub mod event;
pub mod export_row;
pub mod need;
pub mod service;
mod sql;

pub use sql::Columns;
pub mod worker;

#[cfg(test)]
mod tests;

/// The tables format 3 adds to batches (needs and claims), after `RECORD_TABLES`.
pub const AID_TABLES: [&str; 2] = ["need", "claim"];

/// Whether `table` is a record table a batch carries (the batch queries take a table name).
pub fn is_record_table(table: &str) -> bool {
    super::batch_queries::RECORD_TABLES.contains(&table) || AID_TABLES.contains(&table)
}

/// One need or claim by row id, in the columns of its pending-export query.
pub fn record_by_id_sql(table: &str) -> &'static str {
    match table {
        "need" => need::EXPORT_SQL.by_id.as_str(),
        "claim" => claim::EXPORT_SQL.by_id.as_str(),
        other => panic!("{other} is not a record table"),
    }
}
