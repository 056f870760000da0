//! The last verification of each batch that did not pass, kept so the batch list keeps
//! saying so after a restart, until a later verification of the same batch passes (issue 14).
//! Only the count and where the first problem is are kept: a problem's wording can quote a
//! record's values, and this table is not meant to hold personal data.

use super::{Result, Store};
use rusqlite::params;
use std::collections::HashMap;

/// A verification that found problems (or could not read the batch at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedCheck {
    pub checked_at: String,
    /// Problems found; 0 when the batch could not be read.
    pub problems: i64,
    /// "workers.jsonl:3", or empty when the batch could not be read.
    pub first_place: String,
}

impl Store {
    /// Records how verifying the batch at `path` ended: `None` when it passed (which clears an
    /// earlier failure), else the failure.
    pub fn record_batch_check(&self, path: &str, failed: Option<(i64, &str)>) -> Result<()> {
        match failed {
            None => {
                self.conn()
                    .execute("DELETE FROM batch_check WHERE path = ?1", [path])?;
            }
            Some((problems, first_place)) => {
                self.conn().execute(
                    "INSERT INTO batch_check(path, checked_at, problems, first_place)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(path) DO UPDATE SET checked_at = excluded.checked_at,
                        problems = excluded.problems, first_place = excluded.first_place",
                    params![path, self.clock().stamp(), problems, first_place],
                )?;
            }
        }
        Ok(())
    }

    /// The batches whose last verification failed, by path. One row per batch at most, and
    /// only failures: as small as the batch history the screen already holds.
    pub fn failed_batch_checks(&self) -> Result<HashMap<String, FailedCheck>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT path, checked_at, problems, first_place FROM batch_check")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    FailedCheck {
                        checked_at: r.get(1)?,
                        problems: r.get(2)?,
                        first_place: r.get(3)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }
}
