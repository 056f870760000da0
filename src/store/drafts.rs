//! Half-typed forms, saved on every change so a crash or power cut loses nothing.

use super::{Result, Store};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// Saves the form's state (JSON) under its key, e.g. `worker:new` or `worker:<uid>`.
    pub fn save_draft(&self, form_key: &str, data: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO draft(form_key, data, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(form_key) DO UPDATE SET data = excluded.data,
                    updated_at = excluded.updated_at",
            )?
            .execute(params![form_key, data, self.clock.stamp()])?;
        Ok(())
    }

    pub fn load_draft(&self, form_key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT data FROM draft WHERE form_key = ?1",
                [form_key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn clear_draft(&self, form_key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM draft WHERE form_key = ?1", [form_key])?;
        Ok(())
    }
}

/// A draft as the drafts list shows it: which form, when last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub form_key: String,
    pub updated_at: String,
}

/// The officer profile's first-run form is not a piece of work to come back to.
const NOT_LISTED: &str = "officer:%";

impl Store {
    /// How many half-typed forms wait, for the home screen's notice.
    pub fn draft_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM draft WHERE form_key NOT LIKE ?1",
            [NOT_LISTED],
            |r| r.get(0),
        )?)
    }

    /// The newest `limit` drafts, newest first.
    pub fn drafts(&self, limit: usize) -> Result<Vec<DraftRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT form_key, updated_at FROM draft WHERE form_key NOT LIKE ?1
             ORDER BY updated_at DESC, form_key LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![NOT_LISTED, limit as i64], |r| {
                Ok(DraftRow {
                    form_key: r.get(0)?,
                    updated_at: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
