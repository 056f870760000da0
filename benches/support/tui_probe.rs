//! The real binary in a pseudo-terminal, as an officer starts it: how long until the first
//! full frame of the workers list, and how much memory it holds at most while browsing and
//! searching.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CTRL_Q: &str = "\x11";
const ESC: &str = "\x1b";
const PAGE_DOWN: &str = "\x1b[6~";
const END: &str = "\x1b[F";
const HOME: &str = "\x1b[H";
const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    // Dropping the master hangs up the terminal; keep it for the child's life.
    _master: Box<dyn MasterPty + Send>,
    pub started: Instant,
}

impl Tui {
    /// Starts `jingong --db DB` in an 80×24 terminal, with its config and data folders in
    /// `home` so the officer's own files are never touched.
    pub fn start(binary: &Path, db: &Path, home: &Path) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(binary);
        // The pty starts its command in the home folder: a relative path would name another file.
        let db = std::fs::canonicalize(db).expect("database path");
        cmd.arg("--db");
        cmd.arg(&db);
        cmd.env("JINGONG_CONFIG_DIR", home.join("config"));
        cmd.env("JINGONG_DATA_DIR", home.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("JINGONG_LOG");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(24).expect("rows"),
            std::num::NonZero::new(80).expect("columns"),
            0,
        )));
        let started = Instant::now();
        let child = pty.slave.spawn_command(cmd).expect("spawn jingong");
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let feed = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("parser").process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("writer");
        Tui {
            parser,
            writer,
            child,
            _master: pty.master,
            started,
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Polls the screen every half millisecond until `ready` says yes; the time since start.
    pub fn wait(&self, what: &str, ready: impl Fn(&str) -> bool) -> Duration {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if ready(&self.text()) {
                return self.started.elapsed();
            }
            assert!(
                Instant::now() < deadline,
                "{what} never showed:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_micros(500));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Types like a fast officer: one character every 40 ms.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Peak and current resident memory of the process, in MiB, from /proc.
    pub fn memory_mib(&self) -> Option<(f64, f64)> {
        let pid = self.child.process_id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
        };
        Some((field("VmHWM:")?, field("VmRSS:")?))
    }

    pub fn quit(mut self) {
        self.send(CTRL_Q);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

/// The workers list is fully drawn: rows with masked ID numbers, and the status line (drawn
/// last, at the bottom) naming the officer and the database.
pub fn home_screen_drawn(screen: &str) -> bool {
    let status = screen.lines().rev().find(|l| !l.trim().is_empty());
    screen.contains("********") && status.is_some_and(|l| l.contains('│'))
}

/// Time to the first full frame of the workers list, `runs` times.
pub fn start_times(binary: &Path, db: &Path, home: &Path, runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let tui = Tui::start(binary, db, home);
            let shown = tui.wait("the workers list", home_screen_drawn);
            tui.quit();
            shown
        })
        .collect()
}

/// What an officer does in a long sitting: pages through the list to its end and back,
/// searches by name, initials, pinyin, ID tail and phone, opens a worker and comes back.
/// Returns the peak resident memory (MiB) and the resident memory at the end.
pub fn browse_and_search(binary: &Path, db: &Path, home: &Path, queries: &[String]) -> (f64, f64) {
    let mut tui = Tui::start(binary, db, home);
    tui.wait("the workers list", home_screen_drawn);
    for _ in 0..40 {
        tui.send(PAGE_DOWN);
        std::thread::sleep(Duration::from_millis(15));
    }
    tui.send(END);
    std::thread::sleep(Duration::from_millis(300));
    tui.send(HOME);
    std::thread::sleep(Duration::from_millis(100));
    for query in queries {
        tui.type_text(query);
        tui.wait("the typed search", |screen| screen.contains(query.as_str()));
        std::thread::sleep(Duration::from_millis(400));
        for _ in 0..5 {
            tui.send(PAGE_DOWN);
            std::thread::sleep(Duration::from_millis(15));
        }
        tui.send(HOME);
        tui.send(DOWN);
        tui.send(ENTER);
        std::thread::sleep(Duration::from_millis(200));
        // Back from the worker, then clear the search.
        tui.send(ESC);
        std::thread::sleep(Duration::from_millis(100));
        tui.send(ESC);
        std::thread::sleep(Duration::from_millis(100));
    }
    let memory = tui.memory_mib().unwrap_or((f64::NAN, f64::NAN));
    tui.quit();
    memory
}
