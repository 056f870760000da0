//! Who this laptop's batches are sealed to: the receivers' age public keys (the district
//! office, the city). A setting of the database in `meta`, like the city's receipt keys, so a
//! new officer profile keeps them.

use super::{Result, Store, meta_get, meta_set};

const SEAL_RECIPIENTS: &str = "seal_recipients";

impl Store {
    /// The `age1…` recipients batches are sealed to, in the order set; empty when none.
    pub fn seal_recipients(&self) -> Result<Vec<String>> {
        Ok(meta_get(&self.conn, SEAL_RECIPIENTS)?
            .map(|v| {
                v.split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Replaces the recipients (already checked by the caller).
    pub fn set_seal_recipients(&mut self, recipients: &[String]) -> Result<()> {
        meta_set(&self.conn, SEAL_RECIPIENTS, &recipients.join(","))
    }
}
