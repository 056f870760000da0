//! Backups that happen by themselves, and the restore that brings a lost laptop back.
//!
//! - `rotate`: the copy into the officer's backup folder after every export and at most once
//!   a day at start, the newest few kept;
//! - `restore`: a backup put back in place, then this device's own batches sent since merged
//!   back, so the next batch chains to the last one sent.
//!
//! A failed automatic backup never stops the work that triggered it: callers show
//! `BackupError::message` and go on.

pub mod restore;
pub mod rotate;

use crate::domain::{Field, FieldError, Rule};
use crate::store::backup_state::BackupSettings;
use crate::store::{Store, StoreError};
use crate::text::Lang;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{dir}: no such folder")]
    NoFolder { dir: PathBuf },
    #[error("{dir}: full or cannot be written")]
    Full { dir: PathBuf },
    #[error("{dir}: another backup is running")]
    Busy { dir: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    pub fn io(path: &Path, source: std::io::Error) -> BackupError {
        BackupError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// What went wrong, and that the work itself is safe.
    pub fn message(&self, lang: Lang) -> String {
        let detail = match self {
            BackupError::NoFolder { dir } => match lang {
                Lang::Zh => format!(
                    "备份文件夹 {} 不存在或未连接（U 盘插好了吗？）",
                    dir.display()
                ),
                Lang::En => format!(
                    "the backup folder {} does not exist or is not connected (is the USB stick plugged in?)",
                    dir.display()
                ),
            },
            BackupError::Full { dir } => match lang {
                Lang::Zh => format!(
                    "备份文件夹 {} 已满或无法写入（U 盘满了或被拔出？）",
                    dir.display()
                ),
                Lang::En => format!(
                    "the backup folder {} is full or cannot be written (disk full or unplugged?)",
                    dir.display()
                ),
            },
            BackupError::Busy { dir } => match lang {
                Lang::Zh => format!("备份文件夹 {} 中另一次备份正在进行", dir.display()),
                Lang::En => format!("another backup is being written into {}", dir.display()),
            },
            BackupError::Io { path, source } => match lang {
                Lang::Zh => format!(
                    "写入 {} 失败（磁盘已满或被拔出？）：{source}",
                    path.display()
                ),
                Lang::En => format!(
                    "cannot write {} (disk full or unplugged?): {source}",
                    path.display()
                ),
            },
            BackupError::Store(e) => e.message(lang),
        };
        match lang {
            Lang::Zh => format!("自动备份未完成：{detail}。已保存的工作不受影响"),
            Lang::En => {
                format!("automatic backup not done: {detail}. Your saved work is not affected")
            }
        }
    }
}

/// What an automatic backup came to.
#[derive(Debug)]
pub enum AutoBackup {
    /// No backup folder was chosen: nothing to do, nothing to say but a hint.
    NotSet,
    /// One was written today already (the start-up backup is once a day).
    NotDue,
    Written(rotate::Written),
    Failed(BackupError),
}

impl AutoBackup {
    /// The line to show, if any.
    pub fn message(&self, lang: Lang) -> Option<String> {
        match self {
            AutoBackup::NotSet | AutoBackup::NotDue => None,
            AutoBackup::Written(w) => Some(match lang {
                Lang::Zh => format!("已自动备份：{}", w.path.display()),
                Lang::En => format!("backed up: {}", w.path.display()),
            }),
            AutoBackup::Failed(e) => Some(e.message(lang)),
        }
    }
}

/// The most copies one may ask to keep: a week of exports several times a day, with room.
pub const MAX_KEEP: u32 = 365;

/// A backup folder choice as typed by the officer (`officer set --backup-dir`, the settings
/// screen), checked by the same rules at both doors: the folder exists, the count is 1 to
/// `MAX_KEEP`. The folder comes back absolute, so it does not depend on where the next
/// command runs.
pub fn checked_choice(dir: &Path, keep: u32) -> Result<BackupSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !(1..=MAX_KEEP).contains(&keep) {
        errors.push(FieldError::new(
            Field::BackupKeep,
            Rule::WholeNumberBetween {
                min: 1,
                max: MAX_KEEP,
            },
        ));
    }
    if !dir.is_dir() {
        errors.push(FieldError::new(
            Field::BackupFolder,
            Rule::FolderMissing {
                path: dir.display().to_string(),
            },
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(BackupSettings {
        dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        keep,
    })
}

/// The backup after an export: always, when a folder is chosen.
pub fn after_export(store: &mut Store) -> AutoBackup {
    run(store, false)
}

/// The backup at start: when a folder is chosen and none was written today.
pub fn at_start(store: &mut Store) -> AutoBackup {
    run(store, true)
}

fn run(store: &mut Store, only_if_due: bool) -> AutoBackup {
    let settings = match store.backup_settings() {
        Ok(Some(s)) => s,
        Ok(None) => return AutoBackup::NotSet,
        Err(e) => return AutoBackup::Failed(e.into()),
    };
    if only_if_due && !due(store) {
        return AutoBackup::NotDue;
    }
    match rotate::write_rotating(store, &settings) {
        Ok(written) => AutoBackup::Written(written),
        Err(e) => {
            tracing::warn!(error = %e, "automatic backup failed");
            AutoBackup::Failed(e)
        }
    }
}

/// No backup yet today (the laptop's date, China time).
fn due(store: &Store) -> bool {
    let today = store.clock().today();
    match store.last_backup_at() {
        Ok(Some(stamp)) => chrono::DateTime::parse_from_rfc3339(&stamp)
            .map(|at| at.with_timezone(&crate::store::clock::china()).date_naive() != today)
            .unwrap_or(true),
        _ => true,
    }
}

/// The age of the last backup (an RFC 3339 stamp) for the status line, e.g. `3 小时前` /
/// `3 hours ago`.
pub fn age_text(last: &str, now: chrono::DateTime<chrono::FixedOffset>, lang: Lang) -> String {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(last) else {
        return lang.pick("未知", "unknown").into();
    };
    let minutes = (now - at).num_minutes().max(0);
    let (n, zh, en) = if minutes < 60 {
        (minutes, "分钟", "minute")
    } else if minutes < 48 * 60 {
        (minutes / 60, "小时", "hour")
    } else {
        (minutes / (24 * 60), "天", "day")
    };
    match lang {
        Lang::Zh if minutes < 1 => "刚刚".into(),
        Lang::En if minutes < 1 => "just now".into(),
        Lang::Zh => format!("{n} {zh}前"),
        Lang::En => format!("{n} {en}{} ago", if n == 1 { "" } else { "s" }),
    }
}

/// Flushes a folder's entries (a rename) to disk; Windows renames are durable by themselves.
fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(path)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_minutes_hours_then_days() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T12:00:00+08:00").unwrap();
        let age = |s, lang| age_text(s, now, lang);
        assert_eq!(age("2026-11-30T11:59:40+08:00", Lang::Zh), "刚刚");
        assert_eq!(age("2026-11-30T11:35:00+08:00", Lang::En), "25 minutes ago");
        assert_eq!(age("2026-11-30T09:00:00+08:00", Lang::Zh), "3 小时前");
        assert_eq!(age("2026-11-29T11:00:00+08:00", Lang::En), "25 hours ago");
        assert_eq!(age("2026-11-20T12:00:00+08:00", Lang::Zh), "10 天前");
        assert_eq!(age("2026-11-30T11:00:00+08:00", Lang::En), "1 hour ago");
    }
}
