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
            .env_remove("JINGONG_LANG");
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
