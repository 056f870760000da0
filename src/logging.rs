//! Logs go to `jingong.log` in the data folder, never to the screen (the screen is the TUI).
//! Log lines carry counts, codes and timings, never names, ID numbers, phones or health data.
//!
//! The file is capped: past `LOG_CAP` bytes it becomes `jingong.log.1` (the older `.1` becomes
//! `.2`, and the older `.2` is dropped), so a laptop used for years keeps at most three files.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Size at which the log file is rotated: weeks of ordinary use, small next to any disk.
pub const LOG_CAP: u64 = 4 * 1024 * 1024;
/// Rotated files kept next to the live one.
pub const KEEP_OLD: usize = 2;

/// Returned when logging started. It holds nothing: every line is written straight to the
/// file, so there is no buffer to flush when it goes.
pub struct LogGuard;

/// Starts logging at the level in `JINGONG_LOG` (default `info`). A folder that cannot be
/// written means no log, not a failure: logging must never stop an officer's work.
pub fn init(data_dir: Option<&Path>) -> Option<LogGuard> {
    let dir = data_dir?;
    if crate::store::create_private_dir_all(dir).is_err() && !dir.is_dir() {
        return None;
    }
    let file = RotatingLog::open(&dir.join("jingong.log"), LOG_CAP).ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("JINGONG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .ok()?;
    Some(LogGuard)
}

/// An append-only, owner-only file that rotates before a write would take it past `cap`.
/// The formatter hands over one whole line per write, so a line is never split across files.
pub struct RotatingLog {
    path: PathBuf,
    cap: u64,
    file: File,
    size: u64,
}

impl RotatingLog {
    pub fn open(path: &Path, cap: u64) -> io::Result<RotatingLog> {
        let file = open_private_append(path)?;
        let size = file.metadata()?.len();
        Ok(RotatingLog {
            path: path.to_path_buf(),
            cap,
            file,
            size,
        })
    }

    fn rotate(&mut self) -> io::Result<()> {
        for n in (1..KEEP_OLD).rev() {
            let from = numbered(&self.path, n);
            if from.exists() {
                std::fs::rename(&from, numbered(&self.path, n + 1))?;
            }
        }
        std::fs::rename(&self.path, numbered(&self.path, 1))?;
        self.file = open_private_append(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

impl Write for RotatingLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.size > 0 && self.size + buf.len() as u64 > self.cap {
            // A log that cannot rotate keeps writing where it is: never stop the work for it.
            let _ = self.rotate();
        }
        let written = self.file.write(buf)?;
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// `jingong.log` -> `jingong.log.N`.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

fn open_private_append(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
