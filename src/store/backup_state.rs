//! What the automatic backups and `restore` keep in the database: the backup folder, how many
//! copies to keep and when the last one was written (settings of the database in `meta`, like
//! the city keys: a new officer profile must not lose them), plus the few statements a restore
//! needs to take its own batches back as "made here".

use super::{Result, Store, meta_get, meta_set};
use rusqlite::OptionalExtension;
use std::path::PathBuf;

const BACKUP_DIR: &str = "backup_dir";
const BACKUP_KEEP: &str = "backup_keep";
const LAST_BACKUP_AT: &str = "last_backup_at";

/// Copies kept when the officer does not say.
pub const DEFAULT_KEEP: u32 = 7;

/// Where and how many automatic backups go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSettings {
    pub dir: PathBuf,
    pub keep: u32,
}

/// The last batch this device exported, as the restore report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastSent {
    pub uid: String,
    pub created_at: String,
}

impl Store {
    /// The backup folder and count, when a folder was chosen.
    pub fn backup_settings(&self) -> Result<Option<BackupSettings>> {
        let Some(dir) = meta_get(&self.conn, BACKUP_DIR)?.filter(|d| !d.is_empty()) else {
            return Ok(None);
        };
        let keep = meta_get(&self.conn, BACKUP_KEEP)?
            .and_then(|k| k.parse().ok())
            .filter(|k| *k > 0)
            .unwrap_or(DEFAULT_KEEP);
        Ok(Some(BackupSettings {
            dir: PathBuf::from(dir),
            keep,
        }))
    }

    /// Chooses the backup folder (already checked by the caller) and how many copies to keep.
    pub fn set_backup_settings(&mut self, settings: &BackupSettings) -> Result<()> {
        let tx = self.conn.transaction()?;
        meta_set(&tx, BACKUP_DIR, &settings.dir.to_string_lossy())?;
        meta_set(&tx, BACKUP_KEEP, &settings.keep.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// No automatic backups any more (the folder cleared on the settings screen).
    pub fn forget_backup_folder(&mut self) -> Result<()> {
        meta_set(&self.conn, BACKUP_DIR, "")
    }

    /// When the last automatic backup was written (RFC 3339), if ever.
    pub fn last_backup_at(&self) -> Result<Option<String>> {
        meta_get(&self.conn, LAST_BACKUP_AT)
    }

    pub fn set_last_backup_at(&mut self, stamp: &str) -> Result<()> {
        meta_set(&self.conn, LAST_BACKUP_AT, stamp)
    }

    /// The newest complete batch this device exported, with its time.
    pub fn last_sent(&self) -> Result<Option<LastSent>> {
        let device = self.device_id()?;
        Ok(self
            .conn
            .query_row(
                "SELECT uid, created_at FROM batch
                 WHERE device_id = ?1 AND direction = 'exported' AND status = 'complete'
                 ORDER BY id DESC LIMIT 1",
                [device],
                |r| {
                    Ok(LastSent {
                        uid: r.get(0)?,
                        created_at: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// SQLite's own check of every page and index; `ok` or the problems it found.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .take(20)
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Before one of this device's own batches is merged back by a restore: every record
    /// version in it was sent, so a row here at that version or below is no longer a local
    /// edit waiting (the merge would otherwise keep it aside as a conflict with itself).
    pub fn mark_versions_sent(&mut self, table: &str, versions: &[(String, i64)]) -> Result<()> {
        assert!(super::tables::is_record_table(table));
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(&format!(
                "UPDATE {table} SET exported_version = version
                 WHERE uid = ?1 AND version <= ?2 AND exported_version < version"
            ))?;
            for (uid, version) in versions {
                stmt.execute(rusqlite::params![uid, version])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// After a restore merged one of this device's own batches: the batch is one this
    /// database exported, so the next export chains to it.
    pub fn adopt_own_batch(&self, batch_uid: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE batch SET direction = 'exported' WHERE uid = ?1",
            [batch_uid],
        )?;
        Ok(())
    }

    /// Once a restore has merged its own batches: the records they brought are made here again
    /// (an empty origin, as for every record made on this laptop), so that a later erasure or
    /// withdrawal of them is sent like any local change.
    pub fn own_records_made_here(&mut self) -> Result<()> {
        let device = self.device_id()?;
        let tx = self.conn.transaction()?;
        for table in super::batch_queries::RECORD_TABLES {
            tx.execute(
                &format!("UPDATE {table} SET origin_device = '' WHERE origin_device = ?1"),
                [&device],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
