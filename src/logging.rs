//! Logs go to `jingong.log` in the data folder, never to the screen (the screen is the TUI).
//! Log lines carry counts, codes and timings, never names, ID numbers, phones or health data.

use std::path::Path;

/// Keeps the log file open; drop it to flush.
pub struct LogGuard;

/// Starts logging at the level in `JINGONG_LOG` (default `info`). A folder that cannot be
/// written means no log, not a failure: logging must never stop an officer's work.
pub fn init(data_dir: Option<&Path>) -> Option<LogGuard> {
    let dir = data_dir?;
    if crate::store::create_private_dir_all(dir).is_err() && !dir.is_dir() {
        return None;
    }
    let path = dir.join("jingong.log");
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).ok()?;
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
