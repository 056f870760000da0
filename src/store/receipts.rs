//! The city's public keys and the receipts recorded against exported batches. The keys are a
//! setting of the database (kept in `meta`), not of one officer profile: a new officer on the
//! same laptop must not lose them.

use super::{Result, Store, meta_get, meta_set};
use rusqlite::{OptionalExtension, params};

const CITY_KEYS: &str = "city_keys";

/// An exported batch as a receipt needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedBatch {
    pub manifest_sha256: String,
    pub receipt_status: Option<String>,
}

/// The city's answer recorded for a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReceipt {
    /// `received`, `held` or `returned`.
    pub status: String,
    /// JSON array of the refused records (file, line, zh, en).
    pub reasons: String,
    pub imported_at: String,
}

impl Store {
    /// The receipt imported for a batch, if any.
    pub fn batch_receipt(&self, batch_uid: &str) -> Result<Option<BatchReceipt>> {
        Ok(self
            .conn
            .query_row(
                "SELECT status, reasons, imported_at FROM batch_receipt WHERE batch_uid = ?1",
                [batch_uid],
                |r| {
                    Ok(BatchReceipt {
                        status: r.get(0)?,
                        reasons: r.get(1)?,
                        imported_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// The city's public keys (hex), in the order set.
    pub fn city_keys(&self) -> Result<Vec<String>> {
        Ok(meta_get(&self.conn, CITY_KEYS)?
            .map(|v| {
                v.split(',')
                    .filter(|k| !k.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Replaces the city's public keys (already checked by the caller).
    pub fn set_city_keys(&mut self, keys: &[String]) -> Result<()> {
        let lower: Vec<String> = keys.iter().map(|k| k.trim().to_ascii_lowercase()).collect();
        meta_set(&self.conn, CITY_KEYS, &lower.join(","))
    }

    /// A batch this database exported, by uid.
    pub fn exported_batch(&self, batch_uid: &str) -> Result<Option<ExportedBatch>> {
        Ok(self
            .conn
            .query_row(
                "SELECT b.manifest_sha256, r.status
                   FROM batch b LEFT JOIN batch_receipt r ON r.batch_uid = b.uid
                  WHERE b.uid = ?1 AND b.direction = 'exported' AND b.status = 'complete'",
                [batch_uid],
                |r| {
                    Ok(ExportedBatch {
                        manifest_sha256: r.get(0)?,
                        receipt_status: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records the city's answer for an exported batch; `reasons` is JSON.
    pub fn record_receipt(&mut self, batch_uid: &str, status: &str, reasons: &str) -> Result<()> {
        let now = self.clock.stamp();
        self.conn.execute(
            "INSERT INTO batch_receipt (batch_uid, status, reasons, imported_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (batch_uid) DO UPDATE
                SET status = excluded.status, reasons = excluded.reasons,
                    imported_at = excluded.imported_at",
            params![batch_uid, status, reasons, now],
        )?;
        Ok(())
    }
}
