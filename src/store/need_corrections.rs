//! Withdrawing a need or a mutual-aid claim recorded by mistake: a tombstone with the officer's
//! reason, like a withdrawn service, exported once as the record's last version.

use super::corrections::{LiveRow, Withdrawing, validate_reason, withdraw_row};
use super::{Result, Store, StoreError};
use rusqlite::{Connection, OptionalExtension};

/// The two record kinds withdrawn here; the table name is never taken from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Withdrawable {
    Need,
    Claim,
}

impl Withdrawable {
    fn table(self) -> &'static str {
        match self {
            Withdrawable::Need => "need",
            Withdrawable::Claim => "claim",
        }
    }
}

fn live_row(conn: &Connection, what: Withdrawable, uid: &str) -> Result<(i64, i64)> {
    let sql = match what {
        Withdrawable::Need => "SELECT id, version FROM need WHERE uid = ?1 AND deleted_at IS NULL",
        Withdrawable::Claim => {
            "SELECT id, version FROM claim WHERE uid = ?1 AND deleted_at IS NULL"
        }
    };
    conn.query_row(sql, [uid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: uid.to_string(),
        })
}

impl Store {
    /// Withdraws a need raised by mistake. Whatever its state, it leaves the worker's list and
    /// the statistics; the services that answered it stay as they were.
    pub fn withdraw_need(
        &mut self,
        uid: &str,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        self.withdraw_aid_record(Withdrawable::Need, uid, reason, expected_version)
    }

    /// Withdraws a mutual-aid claim recorded by mistake (not one refused by the fund: that is
    /// the status 未通过, which keeps the claim on record).
    pub fn withdraw_claim(
        &mut self,
        uid: &str,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        self.withdraw_aid_record(Withdrawable::Claim, uid, reason, expected_version)
    }

    fn withdraw_aid_record(
        &mut self,
        what: Withdrawable,
        uid: &str,
        reason: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let reason = validate_reason(reason)?;
        let officer = self.require_officer()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let (id, version) = live_row(&tx, what, uid)?;
        let by = Withdrawing {
            officer,
            now: &now,
            reason: &reason,
        };
        let row = LiveRow { id, uid, version };
        let version = withdraw_row(&tx, what.table(), row, expected_version, &by)?;
        tx.commit()?;
        Ok(version)
    }
}
