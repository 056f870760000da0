//! The rotating backup into the folder the officer chose once: a consistent copy written under
//! a hidden temporary name, flushed, then renamed, so a kill or an unplugged stick never
//! leaves a half file that looks like a backup; then only the newest `keep` copies of this
//! device stay.

use super::BackupError;
use crate::batch::export::device_tag;
use crate::store::backup_state::BackupSettings;
use crate::store::{Store, StoreError};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Every backup file is `jingong-backup-<device8>-<yyyymmddThhmmss>[-n].db`.
pub const FILE_PREFIX: &str = "jingong-backup-";
pub const FILE_SUFFIX: &str = ".db";
/// Temporary copies start with a dot and this prefix; the lock file too.
const HIDDEN_PREFIX: &str = ".jingong-backup-";
const LOCK_NAME: &str = ".jingong-backup-lock";

/// A backup written, and the old copies rotated out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub removed: Vec<PathBuf>,
}

/// A named point where `JINGONG_BACKUP_CRASH_AT` aborts the process (test builds only).
#[cfg(feature = "testing")]
fn crash_here(step: &str) {
    if std::env::var("JINGONG_BACKUP_CRASH_AT").ok().as_deref() == Some(step) {
        std::process::abort();
    }
}

#[cfg(not(feature = "testing"))]
fn crash_here(_step: &str) {}

/// Writes one backup of `store` into `settings.dir` and keeps the newest `settings.keep` of
/// this device's. The folder is not created: a missing one is a stick not plugged in, and a
/// copy on the laptop's own disk would not survive the laptop.
pub fn write_rotating(
    store: &mut Store,
    settings: &BackupSettings,
) -> Result<Written, BackupError> {
    let dir = &settings.dir;
    if !dir.is_dir() {
        return Err(BackupError::NoFolder { dir: dir.clone() });
    }
    let _lock = lock_folder(dir)?;
    remove_temporaries(dir)?;
    let tag = device_tag(&store.device_id()?);
    let now = store.clock().now();
    let stem = format!("{FILE_PREFIX}{tag}-{}", now.format("%Y%m%dT%H%M%S"));
    let name = free_name(dir, &stem)?;
    let temp = dir.join(format!(".{name}.partial"));
    let path = dir.join(&name);
    let written = copy_then_rename(store, &temp, &path);
    if written.is_err() {
        // The folder may be gone (unplugged): nothing more to tidy then.
        let _ = std::fs::remove_file(&temp);
        let _ = std::fs::remove_file(journal_of(&temp));
    }
    written?;
    let removed = rotate(dir, &tag, settings.keep)?;
    store.set_last_backup_at(&store.clock().stamp())?;
    tracing::info!(
        kept = settings.keep,
        removed = removed.len(),
        "backup written"
    );
    Ok(Written { path, removed })
}

fn copy_then_rename(store: &Store, temp: &Path, path: &Path) -> Result<(), BackupError> {
    store.backup_to(temp).map_err(|e| match e {
        // Said of the folder: the database itself is fine.
        StoreError::DiskFull | StoreError::ReadOnly | StoreError::CannotOpen { .. } => {
            BackupError::Full {
                dir: temp.parent().unwrap_or(temp).to_path_buf(),
            }
        }
        other => other.into(),
    })?;
    File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| BackupError::io(temp, e))?;
    crash_here("copied");
    std::fs::rename(temp, path).map_err(|e| BackupError::io(path, e))?;
    if let Some(parent) = path.parent() {
        super::sync_dir(parent).map_err(|e| BackupError::io(parent, e))?;
    }
    crash_here("renamed");
    Ok(())
}

/// One backup at a time per folder (two laptops may share a stick; the TUI and a command may
/// both run): the holder may remove every temporary file, none of them is being written.
fn lock_folder(dir: &Path) -> Result<File, BackupError> {
    let path = dir.join(LOCK_NAME);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&path).map_err(|e| BackupError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::Busy { dir: dir.into() }),
        Err(std::fs::TryLockError::Error(e)) => Err(BackupError::io(&path, e)),
    }
}

/// Removes what a killed backup left behind (its temporary copy and SQLite's journal of it).
fn remove_temporaries(dir: &Path) -> Result<(), BackupError> {
    let items = std::fs::read_dir(dir).map_err(|e| BackupError::io(dir, e))?;
    for item in items.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with(HIDDEN_PREFIX) && name != LOCK_NAME {
            let path = item.path();
            std::fs::remove_file(&path).map_err(|e| BackupError::io(&path, e))?;
            tracing::info!("removed a temporary backup file left by an interrupted backup");
        }
    }
    Ok(())
}

fn journal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

/// `stem.db`, or `stem-<n>.db` one above the highest counter already used that second: a
/// freed lower name must not be reused, or the newest copy would sort as the oldest.
fn free_name(dir: &Path, stem: &str) -> Result<String, BackupError> {
    let highest = list(dir)?
        .into_iter()
        .filter_map(|b| {
            let name = b.path.file_name()?.to_string_lossy().into_owned();
            name.starts_with(stem).then_some(b.counter)
        })
        .max();
    Ok(match highest {
        None => format!("{stem}{FILE_SUFFIX}"),
        Some(n) => format!("{stem}-{}{FILE_SUFFIX}", n + 1),
    })
}

/// A finished backup in `dir`, newest last when sorted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BackupFile {
    /// The device tag, then the time and the same-second counter: the sort order.
    pub device_tag: String,
    pub taken: String,
    pub counter: u32,
    pub path: PathBuf,
}

/// The finished backups in `dir` (of every device), oldest first per device. Temporary files
/// are not backups and never listed.
pub fn list(dir: &Path) -> Result<Vec<BackupFile>, BackupError> {
    let items = std::fs::read_dir(dir).map_err(|e| BackupError::io(dir, e))?;
    let mut found: Vec<BackupFile> = items
        .flatten()
        .filter_map(|item| parse_name(&item.file_name().to_string_lossy(), item.path()))
        .collect();
    found.sort();
    Ok(found)
}

fn parse_name(name: &str, path: PathBuf) -> Option<BackupFile> {
    let rest = name.strip_prefix(FILE_PREFIX)?.strip_suffix(FILE_SUFFIX)?;
    let mut parts = rest.splitn(3, '-');
    let device_tag = parts.next()?.to_string();
    let taken = parts.next()?.to_string();
    let counter = match parts.next() {
        Some(n) => n.parse().ok()?,
        None => 1,
    };
    let well_formed = device_tag.len() == 8
        && device_tag.chars().all(|c| c.is_ascii_hexdigit())
        && taken.len() == 15
        && chrono::NaiveDateTime::parse_from_str(&taken, "%Y%m%dT%H%M%S").is_ok();
    well_formed.then_some(BackupFile {
        device_tag,
        taken,
        counter,
        path,
    })
}

/// Deletes this device's oldest backups beyond `keep`; another device's are not ours to drop.
fn rotate(dir: &Path, tag: &str, keep: u32) -> Result<Vec<PathBuf>, BackupError> {
    let own: Vec<BackupFile> = list(dir)?
        .into_iter()
        .filter(|b| b.device_tag == tag)
        .collect();
    let excess = own.len().saturating_sub(keep.max(1) as usize);
    let mut removed = Vec::new();
    for old in own.into_iter().take(excess) {
        std::fs::remove_file(&old.path).map_err(|e| BackupError::io(&old.path, e))?;
        removed.push(old.path);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time_then_counter_and_others_are_not_backups() {
        let p = PathBuf::new;
        let a = parse_name("jingong-backup-0a1b2c3d-20261130T120000.db", p()).unwrap();
        let b = parse_name("jingong-backup-0a1b2c3d-20261130T120000-2.db", p()).unwrap();
        let c = parse_name("jingong-backup-0a1b2c3d-20261130T120001.db", p()).unwrap();
        assert!(a < b && b < c);
        assert_eq!(b.counter, 2);
        for not_one in [
            ".jingong-backup-0a1b2c3d-20261130T120000.db.partial",
            "jingong-backup-0a1b2c3d-20261130T120000.db-journal",
            "jingong-backup-0a1b2c3d-2026.db",
            "jingong-backup-zzzzzzzz-20261130T120000.db",
            "notes.db",
        ] {
            assert!(parse_name(not_one, p()).is_none(), "{not_one}");
        }
    }
}
