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

impl super::Store {
    /// Withdraws a need (a wrong entry, a duplicate) with a reason: a tombstone, sent once in
    /// the next batch like any new version. Returns the tombstone's version.
    pub fn withdraw_need(&mut self, uid: &str, reason: &str) -> super::Result<i64> {
        self.withdraw_aid("need", uid, reason)
    }

    /// Withdraws a mutual-aid claim with a reason, as `withdraw_need` does a need.
    pub fn withdraw_claim(&mut self, uid: &str, reason: &str) -> super::Result<i64> {
        self.withdraw_aid("claim", uid, reason)
    }

    fn withdraw_aid(&mut self, table: &'static str, uid: &str, reason: &str) -> super::Result<i64> {
        use rusqlite::OptionalExtension;
        let reason = super::corrections::validate_reason(reason)?;
        let officer = self.require_officer()?;
        let now = self.clock().stamp();
        let tx = self.conn_mut().transaction()?;
        let current: Option<(i64, i64)> = tx
            .query_row(
                &format!("SELECT id, version FROM {table} WHERE uid = ?1 AND deleted_at IS NULL"),
                [uid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, version)) = current else {
            return Err(super::StoreError::NotFound {
                what: uid.to_string(),
            });
        };
        let version = super::version::next_version(version)?;
        tx.execute(
            &format!(
                "UPDATE {table} SET deleted_at = ?2, updated_at = ?2, version = ?3,
                    officer_id = ?4, withdraw_reason = ?5
                 WHERE id = ?1"
            ),
            rusqlite::params![id, now, version, officer, reason],
        )?;
        super::workers::audit(&tx, &now, officer, table, uid, version, "withdraw", "")?;
        tx.commit()?;
        Ok(version)
    }
}
