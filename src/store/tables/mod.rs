//! One module per record table: its column list, its row mapping and its pending-export
//! query, so the batch layer reads every table the same way.

pub mod claim;
pub mod need;

/// The tables format 3 adds to batches (needs and claims), after `RECORD_TABLES`.
pub const AID_TABLES: [&str; 2] = ["need", "claim"];

/// Whether `table` is a record table a batch carries (the batch queries take a table name).
pub fn is_record_table(table: &str) -> bool {
    super::batch_queries::RECORD_TABLES.contains(&table) || AID_TABLES.contains(&table)
}

/// One need or claim by row id, in the columns of its pending-export query.
pub fn record_by_id_sql(table: &str) -> &'static str {
    match table {
        "need" => need::NEED_BY_ID_SQL,
        "claim" => claim::CLAIM_BY_ID_SQL,
        other => panic!("{other} is not a record table"),
    }
}
