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
