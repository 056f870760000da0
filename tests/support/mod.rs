//! Helpers shared by the integration tests: a temp database with an officer, and the binary.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fixed "now" so ages and default dates never depend on the day the tests run.
pub const NOW: &str = "2026-11-29T10:00:00+08:00";

pub struct TestDb {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("jingong.db");
        TestDb { dir, db }
    }

    /// A database whose officer profile is set.
    pub fn with_officer() -> TestDb {
        let t = TestDb::new();
        t.cmd()
            .args(["officer", "set", "--name", "李明", "--org", "和平区总工会"])
            .args(["--district", "120101"])
            .assert()
            .success();
        t
    }

    /// `jingong --db <this db>` with a fixed clock and private data/config folders.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jingong"));
        cmd.arg("--db")
            .arg(&self.db)
            .env("JINGONG_NOW", NOW)
            .env("JINGONG_DATA_DIR", self.dir.path().join("data"))
            .env("JINGONG_CONFIG_DIR", self.dir.path().join("config"))
            .env_remove("JINGONG_DB")
            .env_remove("JINGONG_LANG")
            .env_remove("JINGONG_KEY")
            .env_remove("JINGONG_NEW_KEY");
        cmd
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Registers a worker and returns its uid.
    pub fn add_worker(&self, name: &str, id_number: &str, phone: &str) -> String {
        let out = self
            .cmd()
            .args(["worker", "add", "--name", name, "--id-number", id_number])
            .args(["--phone", phone])
            .output()
            .expect("run jingong");
        assert!(
            out.status.success(),
            "worker add failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_string()
    }
}

pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run jingong");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Writes a roster of `rows` distinct, valid synthetic workers (UTF-8 CSV with the Chinese
/// headers), deterministic for a given count. Used by the crash test and the timing run.
pub fn write_generated_roster(path: &Path, rows: usize) {
    use std::io::Write;
    const REGIONS: [&str; 4] = ["120101", "120111", "620102", "410102"];
    const SURNAMES: [char; 8] = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'];
    const GIVEN: [char; 10] = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇'];
    let start = chrono::NaiveDate::from_ymd_opt(1965, 1, 1).expect("date");
    let file = std::fs::File::create(path).expect("create roster");
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "姓名,身份证号,手机号,工作单位,工种").expect("write");
    for i in 0..rows {
        let birth = start + chrono::Duration::days((i % 14_000) as i64);
        let sequence = i / 14_000 + 1;
        let body = format!(
            "{}{}{:03}",
            REGIONS[i % REGIONS.len()],
            birth.format("%Y%m%d"),
            sequence
        );
        let name: String = [
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / 8) % GIVEN.len()],
            GIVEN[(i / 80) % GIVEN.len()],
        ]
        .iter()
        .collect();
        writeln!(
            out,
            "{name},{body}{},139{:08},天津建工集团第{}项目部,瓦工",
            check_digit(&body),
            i,
            i % 50
        )
        .expect("write");
    }
    out.flush().expect("flush");
}

/// GB 11643 check character of the first 17 digits.
pub fn check_digit(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// The real binary in a pseudo-terminal, its screen read through a terminal emulator.
pub struct Pty {
    parser: std::sync::Arc<std::sync::Mutex<vt100::Parser>>,
    writer: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    /// Starts `jingong ARGS` in a 30x100 terminal with `env` (other JINGONG_ variables
    /// removed so a developer's own settings cannot leak in).
    pub fn spawn(args: &[&std::ffi::OsStr], env: &[(&str, &std::ffi::OsStr)]) -> Pty {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        use std::io::Read;
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jingong"));
        cmd.args(args);
        for name in [
            "JINGONG_DB",
            "JINGONG_LANG",
            "JINGONG_KEY",
            "JINGONG_NEW_KEY",
        ] {
            cmd.env_remove(name);
        }
        cmd.env("JINGONG_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn jingong");
        drop(pty.slave);
        let parser = std::sync::Arc::new(std::sync::Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(30).unwrap(),
            std::num::NonZero::new(100).unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let feed = std::sync::Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("pty writer");
        // The master must outlive the child, or the child sees its terminal hang up.
        std::mem::forget(pty.master);
        Pty {
            parser,
            writer,
            child,
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `needle` shows, or fails with what the screen shows.
    pub fn wait_for(&self, needle: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        panic!("'{needle}' never showed; the screen:\n{}", self.text());
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(60));
    }

    /// The exit code, waiting up to 30 s.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "jingong did not end; the screen:\n{}",
                self.text()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
