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
    /// Where the batch was written (absolute), to find a refused line in it.
    pub path: String,
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
                "SELECT b.manifest_sha256, r.status, b.path
                   FROM batch b LEFT JOIN batch_receipt r ON r.batch_uid = b.uid
                  WHERE b.uid = ?1 AND b.direction = 'exported' AND b.status = 'complete'",
                [batch_uid],
                |r| {
                    Ok(ExportedBatch {
                        manifest_sha256: r.get(0)?,
                        receipt_status: r.get(1)?,
                        path: r.get(2)?,
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

/// A refused record of a returned batch, tied to its uid by the batch layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRecordRef<'a> {
    pub table: &'a str,
    pub uid: &'a str,
    pub zh: &'a str,
    pub en: &'a str,
}

/// What importing a returned receipt changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReturnOutcome {
    /// Refused records found in the batch and flagged for correction.
    pub flagged: usize,
    /// Records marked to be exported again.
    pub to_resend: usize,
    /// The same receipt (or another returning this batch) was imported before: nothing reset.
    pub already_known: bool,
}

/// A record the city returned, for the lists that show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedRecordRow {
    pub batch_uid: String,
    /// `worker`, `event` or `service`.
    pub table: String,
    pub uid: String,
    /// The worker's (or the event's) name and the worker's ID number ('' for an event).
    pub name: String,
    pub id_number: String,
    pub reason_zh: String,
    pub reason_en: String,
    /// Still waiting for its next export.
    pub open: bool,
}

const RECORD_TABLES: [&str; 3] = ["worker", "event", "service"];

impl Store {
    /// Records a `returned` receipt and, the first time, marks what the city must receive
    /// again as not exported: the batch's every record when `whole_batch` (the city applied
    /// nothing of it), else only the refused ones. A record whose exported version is already
    /// past the batch's (a later batch carried a newer version) is left alone, so no version
    /// the city received is sent twice. One transaction: all of it or nothing.
    pub fn record_returned_receipt(
        &mut self,
        batch_uid: &str,
        reasons: &str,
        refused: &[RefusedRecordRef<'_>],
        whole_batch: bool,
    ) -> Result<ReturnOutcome> {
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        let before: Option<String> = tx
            .query_row(
                "SELECT status FROM batch_receipt WHERE batch_uid = ?1",
                [batch_uid],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "INSERT INTO batch_receipt (batch_uid, status, reasons, imported_at)
             VALUES (?1, 'returned', ?2, ?3)
             ON CONFLICT (batch_uid) DO UPDATE
                SET status = excluded.status, reasons = excluded.reasons,
                    imported_at = excluded.imported_at",
            params![batch_uid, reasons, now],
        )?;
        let mut outcome = ReturnOutcome::default();
        if before.as_deref() == Some("returned") {
            tx.commit()?;
            outcome.already_known = true;
            return Ok(outcome);
        }
        let batch_id: i64 =
            tx.query_row("SELECT id FROM batch WHERE uid = ?1", [batch_uid], |r| {
                r.get(0)
            })?;
        for r in refused {
            if !RECORD_TABLES.contains(&r.table) {
                continue;
            }
            outcome.flagged += tx.execute(
                "INSERT INTO returned_record
                    (batch_uid, table_name, record_uid, record_version, refused,
                     reason_zh, reason_en)
                 SELECT ?1, table_name, record_uid, version, 1, ?5, ?6 FROM batch_item
                  WHERE batch_id = ?2 AND table_name = ?3 AND record_uid = ?4
                 ON CONFLICT (batch_uid, table_name, record_uid) DO UPDATE
                    SET reason_zh = reason_zh || '；' || excluded.reason_zh,
                        reason_en = reason_en || '; ' || excluded.reason_en",
                params![batch_uid, batch_id, r.table, r.uid, r.zh, r.en],
            )?;
        }
        if whole_batch {
            // The rest of the batch goes again too, unflagged; the rows also keep "this
            // record left in a batch" true while its exported version is set back.
            tx.execute(
                "INSERT OR IGNORE INTO returned_record
                    (batch_uid, table_name, record_uid, record_version, refused)
                 SELECT ?1, table_name, record_uid, version, 0 FROM batch_item
                  WHERE batch_id = ?2",
                params![batch_uid, batch_id],
            )?;
        }
        for table in RECORD_TABLES {
            let chosen = if whole_batch {
                "SELECT record_uid, version FROM batch_item
                  WHERE batch_id = ?1 AND table_name = ?3"
            } else {
                "SELECT record_uid, record_version AS version FROM returned_record
                  WHERE batch_uid = ?2 AND table_name = ?3"
            };
            outcome.to_resend += tx.execute(
                &format!(
                    "UPDATE {table} SET exported_version = chosen.version - 1
                       FROM ({chosen}) AS chosen
                      WHERE {table}.uid = chosen.record_uid
                        AND {table}.exported_version = chosen.version"
                ),
                params![batch_id, batch_uid, table],
            )?;
        }
        tx.commit()?;
        Ok(outcome)
    }

    /// The records the city returned in one batch (at most `limit`), with whose they are.
    pub fn returned_records(
        &self,
        batch_uid: &str,
        limit: usize,
    ) -> Result<Vec<ReturnedRecordRow>> {
        self.returned_where("rr.batch_uid = ?1", batch_uid, limit)
    }

    /// The returned records of one worker (the worker or their services) still waiting to go
    /// again, newest batch first.
    pub fn open_returns_of_worker(&self, worker_uid: &str) -> Result<Vec<ReturnedRecordRow>> {
        let rows = self.returned_where("w.uid = ?1", worker_uid, 100)?;
        Ok(rows.into_iter().filter(|r| r.open).collect())
    }

    fn returned_where(
        &self,
        filter: &str,
        value: &str,
        limit: usize,
    ) -> Result<Vec<ReturnedRecordRow>> {
        let sql = format!(
            "SELECT rr.batch_uid, rr.table_name, rr.record_uid,
                    coalesce(w.name, ev.name, ''), coalesce(w.id_number, ''),
                    rr.reason_zh, rr.reason_en,
                    coalesce(wr.exported_version, er.exported_version, sr.exported_version, 0)
                        < rr.record_version
               FROM returned_record rr
               LEFT JOIN worker wr ON rr.table_name = 'worker' AND wr.uid = rr.record_uid
               LEFT JOIN event er ON rr.table_name = 'event' AND er.uid = rr.record_uid
               LEFT JOIN service sr ON rr.table_name = 'service' AND sr.uid = rr.record_uid
               LEFT JOIN worker w ON w.id = coalesce(wr.id, sr.worker_id)
               LEFT JOIN event ev ON ev.id = er.id
              WHERE rr.refused = 1 AND {filter}
              ORDER BY rr.batch_uid DESC, rr.table_name, rr.record_uid
              LIMIT ?2"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![value, limit as i64], |r| {
            Ok(ReturnedRecordRow {
                batch_uid: r.get(0)?,
                table: r.get(1)?,
                uid: r.get(2)?,
                name: r.get(3)?,
                id_number: r.get(4)?,
                reason_zh: r.get(5)?,
                reason_en: r.get(6)?,
                open: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The city's answer for one batch, as the batches screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptSummary {
    /// `received`, `held` or `returned`.
    pub status: String,
    /// Records the city refused (tied to a record of the batch).
    pub returned: i64,
}

impl Store {
    /// Every receipt recorded here, by batch uid (one per exported batch, so as many rows as
    /// the batch history holds).
    pub fn receipt_summaries(&self) -> Result<std::collections::HashMap<String, ReceiptSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.batch_uid, r.status,
                    (SELECT count(*) FROM returned_record rr
                      WHERE rr.batch_uid = r.batch_uid AND rr.refused = 1)
               FROM batch_receipt r",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ReceiptSummary {
                    status: r.get(1)?,
                    returned: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
