//! `jingong restore`: a backup put back in place, then this device's own batches sent after it
//! merged back in chain order, so that every version the laptop sent is here again, marked
//! exported, and the next batch continues the chain from the last one sent. The same on a new
//! laptop: the device id comes with the backup.
//!
//! Nothing already on disk is overwritten: a database at the target is renamed aside first.

use crate::batch::export::lock_database;
use crate::batch::format::{MAX_LINE_BYTES, Manifest, RecordKind};
use crate::batch::merge::{ImportOutcome, import_source};
use crate::batch::source::{BatchSource, BoundedLines};
use crate::batch::verify::{VerifyOptions, verify_path};
use crate::store::backup_state::LastSent;
use crate::store::{Access, Key, Store, StoreError};
use crate::text::Lang;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The backup does not open, or fails SQLite's integrity check.
    #[error("{path}: {detail}")]
    BadBackup { path: PathBuf, detail: String },
    /// The backup does not open: a newer schema, a wrong or missing key, not a database.
    #[error("{path}: {source}")]
    Unopenable { path: PathBuf, source: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// This device's batches found that do not follow the backup's chain: one between is
    /// missing.
    #[error("batches after {after:?} missing")]
    Gap {
        after: Option<String>,
        stranded: Vec<PathBuf>,
    },
    #[error(transparent)]
    Batch(#[from] crate::batch::BatchError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl RestoreError {
    fn io(path: &Path, source: std::io::Error) -> RestoreError {
        RestoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            RestoreError::BadBackup { path, detail } => match lang {
                Lang::Zh => format!("{}：不能用作备份：{detail}；未作任何改动", path.display()),
                Lang::En => format!(
                    "{}: cannot be used as a backup: {detail}; nothing was changed",
                    path.display()
                ),
            },
            RestoreError::Unopenable { path, source } => match lang {
                Lang::Zh => format!("{}：{}；未作任何改动", path.display(), source.message(lang)),
                Lang::En => format!(
                    "{}: {}; nothing was changed",
                    path.display(),
                    source.message(lang)
                ),
            },
            RestoreError::Store(e) => e.message(lang),
            RestoreError::Gap { after, stranded } => {
                let after = after.as_deref().unwrap_or("—");
                let listed: Vec<String> = stranded
                    .iter()
                    .map(|p| format!("  {}", p.display()))
                    .collect();
                let listed = listed.join("\n");
                match lang {
                    Lang::Zh => format!(
                        "本机的以下批次接不上批次链（缺少批次 {after} 之后的某个批次），未作任何改动：\n{listed}\n区总工会保存着本机发出的每个批次：请把缺少的批次所在文件夹用 --batches 一并给出后重试"
                    ),
                    Lang::En => format!(
                        "these batches of this laptop do not continue the chain (a batch after {after} is missing); nothing was changed:\n{listed}\nThe district office keeps every batch this laptop sent: add the folder holding the missing one with --batches and retry"
                    ),
                }
            }
            RestoreError::Batch(e) => e.message(lang),
            RestoreError::Io { path, source } => match lang {
                Lang::Zh => format!("{}：文件读写失败：{source}", path.display()),
                Lang::En => format!("{}: file error: {source}", path.display()),
            },
        }
    }
}

/// One of this device's batches merged back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub path: PathBuf,
    pub batch_uid: String,
    pub created_at: String,
    /// Record versions written from it (the rest were in the backup already).
    pub applied: u64,
}

/// What a restore did, for the report.
#[derive(Debug, Default)]
pub struct RestoreReport {
    /// The database that was at the target, with its -wal and -shm, under their new names.
    pub set_aside: Vec<PathBuf>,
    pub device_id: String,
    /// The backup's own last batch, before anything was merged back.
    pub backup_last_sent: Option<LastSent>,
    pub replayed: Vec<Replayed>,
    /// The last batch this device sent, after the restore: the next export chains to it.
    pub last_sent: Option<LastSent>,
    /// Batches of other laptops found in the folders: not merged.
    pub other_devices: Vec<PathBuf>,
    /// Sealed batches (`.zip.age`) that could not be opened (no identity, or another one):
    /// whose they are is inside the seal, so they may be this device's.
    pub sealed_unopened: Vec<PathBuf>,
    /// This device's batches not merged, with the reason: one failed its check, and those
    /// after it.
    pub not_merged: Vec<(PathBuf, String)>,
}

impl RestoreReport {
    pub fn records_from_batches(&self) -> u64 {
        self.replayed.iter().map(|r| r.applied).sum()
    }
}

/// A batch found in one of the folders.
struct Found {
    path: PathBuf,
    manifest: Manifest,
}

/// Checks `backup`, sets aside whatever is at `target`, puts the backup there and merges back
/// this device's batches found in `batch_dirs`.
pub fn restore(
    backup: &Path,
    target: &Path,
    batch_dirs: &[PathBuf],
    key: Option<Key>,
    lang: Lang,
) -> Result<RestoreReport, RestoreError> {
    let mut report = RestoreReport::default();
    let same_file = std::fs::canonicalize(backup)
        .ok()
        .is_some_and(|b| std::fs::canonicalize(target).is_ok_and(|t| t == b));
    if same_file {
        return Err(RestoreError::BadBackup {
            path: backup.to_path_buf(),
            detail: lang
                .pick(
                    "它就是要恢复到的数据库（请用 --db 指定另一个文件）",
                    "it is the database to restore into (name another file with --db)",
                )
                .into(),
        });
    }
    let checked = check_backup(backup, key.clone(), lang)?;
    report.device_id = checked.device_id()?;
    report.backup_last_sent = checked.last_sent()?;
    let (own, others, sealed) = find_batches(batch_dirs, &report.device_id);
    report.other_devices = others;
    report.sealed_unopened = sealed;
    let chain = plan_chain(&checked, own)?;
    drop(checked);

    report.set_aside = set_aside(target)?;
    put_in_place(backup, target)?;
    let mut store = Store::open_keyed(target, Access::ReadWrite, key)?;
    let _lock = lock_database(&store)?;
    merge_chain(&mut store, chain, &mut report, lang)?;
    store.own_records_made_here()?;
    report.last_sent = store.last_sent()?;
    Ok(report)
}

/// Opens the backup read-only (a newer schema and a wrong or missing key are refused there)
/// and runs SQLite's integrity check on it.
fn check_backup(backup: &Path, key: Option<Key>, lang: Lang) -> Result<Store, RestoreError> {
    if !backup.is_file() {
        return Err(RestoreError::BadBackup {
            path: backup.to_path_buf(),
            detail: lang.pick("文件不存在", "no such file").into(),
        });
    }
    let store = Store::open_keyed(backup, Access::ReadOnly, key).map_err(|source| {
        RestoreError::Unopenable {
            path: backup.to_path_buf(),
            source,
        }
    })?;
    let problems = store.integrity_check()?;
    if problems != ["ok"] {
        return Err(RestoreError::BadBackup {
            path: backup.to_path_buf(),
            detail: format!(
                "{}{}",
                lang.pick("完整性检查未通过：", "integrity check: "),
                problems.join("; ")
            ),
        });
    }
    Ok(store)
}

/// Every batch (folder or zip) directly in the given folders, or given itself: this device's
/// by uid, the paths of the others, and the sealed batches that did not open. Other unreadable
/// entries are not batches and are skipped.
fn find_batches(
    dirs: &[PathBuf],
    device_id: &str,
) -> (BTreeMap<String, Found>, Vec<PathBuf>, Vec<PathBuf>) {
    let mut own = BTreeMap::new();
    let mut others = Vec::new();
    let mut sealed = Vec::new();
    for dir in dirs {
        let candidates: Vec<PathBuf> = if read_manifest(dir).is_some() {
            vec![dir.clone()]
        } else {
            let Ok(items) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = items
                .flatten()
                .filter(|i| !i.file_name().to_string_lossy().starts_with('.'))
                .map(|i| i.path())
                .collect();
            paths.sort();
            paths
        };
        for path in candidates {
            let Some(manifest) = read_manifest(&path) else {
                // The folder beside the database may also be given with --batches.
                let seen = |p: &PathBuf| p.canonicalize().ok() == path.canonicalize().ok();
                if path.to_string_lossy().ends_with(".zip.age") && !sealed.iter().any(seen) {
                    sealed.push(path);
                }
                continue;
            };
            if manifest.device_id != device_id {
                others.push(path);
            } else {
                // The same batch as a folder and as a zip, or in two folders: the first found.
                own.entry(manifest.batch_uid.clone())
                    .or_insert(Found { path, manifest });
            }
        }
    }
    (own, others, sealed)
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    let mut source = BatchSource::open(path).ok()?;
    let bytes = source.read_manifest_bytes().ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Renames the database at `target` (and its -wal, -shm) to `<name>.before-restore-<time>`,
/// with a counter when that name is taken. Returns the new names.
fn set_aside(target: &Path) -> Result<Vec<PathBuf>, RestoreError> {
    let companions = ["", "-wal", "-shm"].map(|suffix| with_suffix(target, suffix));
    if !companions.iter().any(|p| p.exists()) {
        return Ok(Vec::new());
    }
    let stamp = crate::store::Clock::from_env()
        .now()
        .format("%Y%m%dT%H%M%S")
        .to_string();
    let mut n = 1;
    let aside = loop {
        let tag = if n == 1 {
            format!(".before-restore-{stamp}")
        } else {
            format!(".before-restore-{stamp}-{n}")
        };
        let base = with_suffix(target, &tag);
        if ["", "-wal", "-shm"]
            .iter()
            .all(|s| !with_suffix(&base, s).exists())
        {
            break base;
        }
        n += 1;
    };
    let mut moved = Vec::new();
    for (from, suffix) in companions.iter().zip(["", "-wal", "-shm"]) {
        if from.exists() {
            let to = with_suffix(&aside, suffix);
            std::fs::rename(from, &to).map_err(|e| RestoreError::io(from, e))?;
            moved.push(to);
        }
    }
    Ok(moved)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the backup to a hidden name beside the target, owner-only, flushes, renames.
fn put_in_place(backup: &Path, target: &Path) -> Result<(), RestoreError> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        crate::store::create_private_dir_all(dir)?;
    }
    let file_name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{file_name}.restoring"));
    let _ = std::fs::remove_file(&temp);
    let copied = (|| -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut out = options.open(&temp)?;
        let mut input = std::fs::File::open(backup)?;
        std::io::copy(&mut input, &mut out)?;
        out.flush()?;
        out.sync_all()
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&temp);
        return Err(RestoreError::io(&temp, e));
    }
    std::fs::rename(&temp, target).map_err(|e| RestoreError::io(target, e))?;
    super::sync_dir(dir).map_err(|e| RestoreError::io(dir, e))?;
    Ok(())
}

/// This device's batches the backup does not hold, in chain order from the backup's last
/// batch. Any left over (a batch between them is missing) refuses the restore before anything
/// is changed: merging past a gap would chain the next batch to the wrong predecessor.
fn plan_chain(
    backup: &Store,
    mut own: BTreeMap<String, Found>,
) -> Result<Vec<Found>, RestoreError> {
    // Batches the backup holds already change nothing.
    let mut here = HashSet::new();
    for uid in own.keys() {
        if backup.batch_by_uid(uid)?.is_some() {
            here.insert(uid.clone());
        }
    }
    own.retain(|uid, _| !here.contains(uid));
    let mut previous = backup.last_sent()?.map(|l| l.uid);
    let mut chain = Vec::new();
    loop {
        // Two batches on one predecessor cannot both be this laptop's; the earlier is taken.
        let next = own
            .values()
            .filter(|f| f.manifest.previous_batch_uid == previous)
            .min_by(|a, b| a.manifest.created_at.cmp(&b.manifest.created_at))
            .map(|f| f.manifest.batch_uid.clone());
        let Some(uid) = next else { break };
        chain.push(own.remove(&uid).expect("found above"));
        previous = Some(uid);
    }
    if own.is_empty() {
        return Ok(chain);
    }
    let mut left: Vec<Found> = own.into_values().collect();
    left.sort_by(|a, b| a.manifest.created_at.cmp(&b.manifest.created_at));
    Err(RestoreError::Gap {
        after: previous,
        stranded: left.into_iter().map(|f| f.path).collect(),
    })
}

/// Merges the planned batches in order. A batch that fails its check ends the chain: the ones
/// after it cannot be merged in order, and are listed.
fn merge_chain(
    store: &mut Store,
    chain: Vec<Found>,
    report: &mut RestoreReport,
    lang: Lang,
) -> Result<(), RestoreError> {
    let mut chain = chain.into_iter();
    for found in chain.by_ref() {
        match merge_own(store, &found, lang) {
            Ok(applied) => report.replayed.push(Replayed {
                path: found.path,
                batch_uid: found.manifest.batch_uid,
                created_at: found.manifest.created_at,
                applied,
            }),
            Err(detail) => {
                report.not_merged.push((found.path, detail));
                break;
            }
        }
    }
    for left in chain {
        report.not_merged.push((
            left.path,
            lang.pick("前面的批次未能补回", "an earlier batch was not merged")
                .into(),
        ));
    }
    Ok(())
}

/// Verifies and merges one own batch; the error is the reason, in the UI language.
fn merge_own(store: &mut Store, found: &Found, lang: Lang) -> Result<u64, String> {
    let today = store.clock().today();
    let integrity = verify_path(
        &found.path,
        VerifyOptions {
            today,
            references: None,
        },
    )
    .map_err(|e| e.message(lang))?;
    if !integrity.is_valid() {
        return Err(lang
            .pick(
                "批次未通过检查（jingong verify 列出原因）",
                "the batch fails its check (jingong verify lists why)",
            )
            .into());
    }
    mark_sent(store, &found.path).map_err(|e| e.message(lang))?;
    let mut source = BatchSource::open(&found.path).map_err(|e| e.message(lang))?;
    match import_source(store, &mut source, &found.path).map_err(|e| e.message(lang))? {
        ImportOutcome::Imported(summary) => {
            store
                .adopt_own_batch(&found.manifest.batch_uid)
                .map_err(|e| e.message(lang))?;
            Ok(summary.applied.iter().sum())
        }
        ImportOutcome::AlreadyHere { .. } => Ok(0),
    }
}

/// Marks each version the batch holds as sent where the row here is at that version or
/// below, in chunks so memory stays bounded whatever the batch's size.
fn mark_sent(store: &mut Store, path: &Path) -> Result<(), RestoreError> {
    #[derive(serde::Deserialize)]
    struct UidVersion {
        uid: String,
        version: i64,
    }
    const CHUNK: usize = 10_000;
    let mut source = BatchSource::open(path)?;
    let entries = source.entries()?;
    // Needs and claims from format 3 on; an older batch has no such file.
    for kind in RecordKind::EVERY {
        if !entries.iter().any(|e| e.name == kind.file_name()) {
            continue;
        }
        let file_path = path.join(kind.file_name());
        let reader = source.open_file(kind.file_name(), u64::MAX)?;
        let mut lines = BoundedLines::new(reader, file_path.clone(), MAX_LINE_BYTES);
        let mut chunk = Vec::with_capacity(CHUNK);
        while let Some((_, text)) = lines.next_line()? {
            let record: UidVersion = serde_json::from_str(text)
                .map_err(|e| RestoreError::io(&file_path, std::io::Error::other(e)))?;
            chunk.push((record.uid, record.version));
            if chunk.len() == CHUNK {
                store.mark_versions_sent(kind.table(), &chunk)?;
                chunk.clear();
            }
        }
        store.mark_versions_sent(kind.table(), &chunk)?;
    }
    Ok(())
}
