//! The one starting point of the tests: a database whose officer is 李明 of 和平区总工会
//! (district 120101) at a fixed clock, set up either through the binary (`TestDb`, for CLI
//! and pty tests) or through the library (`store_with_officer`, for store and screen tests,
//! defined in `jingong::testing` so the benchmarks share it).
//! Two instants are in use: `NOW` for the CLI tests and `TUI_NOW` for the screens, whose
//! snapshots show dates; both are fixed, so nothing depends on the day the tests run.
#![allow(dead_code)]

use assert_cmd::Command;
use jingong::store::Store;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fixed "now" so ages and default dates never depend on the day the tests run.
pub const NOW: &str = "2026-11-29T10:00:00+08:00";
/// The instant the screen tests (and their snapshots) are drawn at.
pub const TUI_NOW: &str = "2026-03-15T09:30:00+08:00";

pub use jingong::testing::{clock_at, officer, store_with_officer};

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
        let o = officer();
        t.cmd()
            .args([
                "officer",
                "set",
                "--name",
                &o.name,
                "--org",
                &o.organisation,
            ])
            .args(["--district", &o.district_code])
            .assert()
            .success();
        t
    }

    /// `jingong --db <this db>` with the fixed clock and private data/config folders.
    pub fn cmd(&self) -> Command {
        let mut cmd = super::bin::command(self.dir.path());
        cmd.arg("--db").arg(&self.db);
        cmd
    }

    /// The store on this database, its clock fixed at `NOW`.
    pub fn store(&self) -> Store {
        let mut store = Store::open(&self.db).expect("open store");
        store.set_clock(clock_at(NOW));
        store
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
