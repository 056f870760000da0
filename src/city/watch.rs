//! `city ingest --inbox DIR --watch`: which batches in the inbox are complete and not yet
//! taken, and the stop request from SIGTERM / SIGINT.
//!
//! A batch being copied onto the inbox must not be read half-written: read then, it would fail
//! verification and be refused (and a receipt would send it back). So a batch is taken only
//! when it looks the same at two polls running (total size, number of files, latest
//! modification time) and, for a folder, its `manifest.json` is there. What was taken is
//! remembered with that look, in memory, so it is not read again on every poll; a batch that
//! changes afterwards (copied again) is taken again once it is still. Entries gone from the
//! inbox are forgotten, so memory follows the inbox's size.

use super::Result;
use super::ingest::inbox_entries;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// The bounds of `--every`: a poll each second at most, each hour at least.
pub const EVERY_MIN_SECONDS: u64 = 1;
pub const EVERY_MAX_SECONDS: u64 = 3600;
pub const EVERY_DEFAULT_SECONDS: u64 = 10;

/// A batch folder holds a handful of files; a folder with more than this is not looked at
/// further (the verifier refuses it), so one hostile folder cannot make every poll slow.
const FOLDER_SCAN_LIMIT: usize = 1000;

/// How a batch in the inbox looks from outside, without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    bytes: u64,
    files: u64,
    modified: SystemTime,
    /// A zip, or a folder whose manifest is there.
    has_manifest: bool,
}

fn look_at(path: &Path) -> std::io::Result<Look> {
    let meta = std::fs::metadata(path)?;
    let mut look = Look {
        bytes: meta.len(),
        files: 1,
        modified: meta.modified()?,
        has_manifest: true,
    };
    if meta.is_dir() {
        look.has_manifest = false;
        look.files = 0;
        for entry in std::fs::read_dir(path)?.take(FOLDER_SCAN_LIMIT) {
            let entry = entry?;
            let meta = entry.metadata()?;
            look.bytes += meta.len();
            look.files += 1;
            look.modified = look.modified.max(meta.modified()?);
            if entry.file_name() == crate::batch::format::MANIFEST_FILE {
                look.has_manifest = true;
            }
        }
    }
    Ok(look)
}

/// The inbox as seen by the previous polls.
pub struct Inbox {
    dir: PathBuf,
    /// Seen at the previous poll and not taken yet.
    pending: HashMap<PathBuf, Look>,
    /// Handed over for ingestion, with the look they had then.
    taken: HashMap<PathBuf, Look>,
}

impl Inbox {
    pub fn new(dir: &Path) -> Inbox {
        Inbox {
            dir: dir.to_path_buf(),
            pending: HashMap::new(),
            taken: HashMap::new(),
        }
    }

    /// The batches that became complete since the last poll, in name order (a laptop's
    /// batch names sort by export time, so a chain arrives in order).
    pub fn poll(&mut self) -> Result<Vec<PathBuf>> {
        let entries = inbox_entries(&self.dir)?;
        let mut ready = Vec::new();
        let mut pending = HashMap::new();
        let mut taken = HashMap::new();
        for path in entries {
            // An entry vanishing or unreadable between the listing and the look is looked at
            // again next time.
            let Ok(look) = look_at(&path) else { continue };
            if self.taken.get(&path) == Some(&look) {
                taken.insert(path, look);
            } else if look.has_manifest && self.pending.get(&path) == Some(&look) {
                taken.insert(path.clone(), look);
                ready.push(path);
            } else {
                pending.insert(path, look);
            }
        }
        self.pending = pending;
        self.taken = taken;
        Ok(ready)
    }
}

/// Set by SIGTERM or SIGINT: the watcher ends after the batch in hand. A second signal while
/// it is set ends the process at once (the open transaction then rolls back on the server).
pub fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        let io = |e| super::CityError::Io {
            path: PathBuf::from("signal"),
            source: e,
        };
        // Registered first, so it sees the flag as the earlier signal left it.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop))
            .map_err(io)?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(io)?;
    }
    Ok(stop)
}

/// Waits `every`, waking early when a stop is requested; true when it was.
pub fn wait_or_stop(stop: &AtomicBool, every: Duration) -> bool {
    let until = Instant::now() + every;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= until {
            return false;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(100)));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn batch_name(n: u32) -> String {
        format!("{}{n:04}", crate::batch::format::BATCH_NAME_PREFIX)
    }

    #[test]
    fn a_zip_is_taken_once_it_is_still_and_not_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut inbox = Inbox::new(dir.path());
        assert!(inbox.poll().unwrap().is_empty());
        let zip = dir.path().join(format!("{}.zip", batch_name(1)));
        let mut file = std::fs::File::create(&zip).unwrap();
        file.write_all(b"first half").unwrap();
        assert!(inbox.poll().unwrap().is_empty(), "first sight");
        file.write_all(b" and the rest").unwrap();
        assert!(inbox.poll().unwrap().is_empty(), "grew since the last poll");
        assert_eq!(
            inbox.poll().unwrap(),
            vec![zip.clone()],
            "still since the last poll"
        );
        assert!(inbox.poll().unwrap().is_empty(), "taken already");
        assert!(inbox.poll().unwrap().is_empty(), "taken already");

        // Copied again, changed: taken again once still.
        file.write_all(b" and more").unwrap();
        assert!(inbox.poll().unwrap().is_empty());
        assert_eq!(inbox.poll().unwrap(), vec![zip]);
    }

    #[test]
    fn a_folder_waits_for_its_manifest_and_other_names_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut inbox = Inbox::new(dir.path());
        let folder = dir.path().join(batch_name(2));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("workers.jsonl"), "{}\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a batch").unwrap();
        for _ in 0..3 {
            assert!(inbox.poll().unwrap().is_empty(), "no manifest yet");
        }
        std::fs::write(folder.join(crate::batch::format::MANIFEST_FILE), "{}").unwrap();
        assert!(
            inbox.poll().unwrap().is_empty(),
            "changed since the last poll"
        );
        assert_eq!(inbox.poll().unwrap(), vec![folder]);
    }

    #[test]
    fn a_removed_batch_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let mut inbox = Inbox::new(dir.path());
        let zip = dir.path().join(format!("{}.zip", batch_name(3)));
        std::fs::write(&zip, "whole").unwrap();
        inbox.poll().unwrap();
        assert_eq!(inbox.poll().unwrap().len(), 1);
        std::fs::remove_file(&zip).unwrap();
        inbox.poll().unwrap();
        assert!(inbox.taken.is_empty() && inbox.pending.is_empty());
    }

    #[test]
    fn a_stop_request_ends_the_wait() {
        let stop = AtomicBool::new(true);
        let started = Instant::now();
        assert!(wait_or_stop(&stop, Duration::from_secs(60)));
        assert!(started.elapsed() < Duration::from_secs(1));
        let stop = AtomicBool::new(false);
        assert!(!wait_or_stop(&stop, Duration::from_millis(10)));
    }
}
