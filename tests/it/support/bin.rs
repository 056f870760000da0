//! Running the real binary: every test goes through `command`, which fixes the clock, keeps
//! data and config inside the test's folder and clears the developer's own JINGONG_ settings
//! (a key, a database, a language, the crash hook), so nothing from outside leaks in.
#![allow(dead_code)]

use super::fixture::NOW;
use assert_cmd::Command;
use std::path::Path;

/// `jingong` with folders under `root`, at the fixed clock, with no JINGONG_ variable set.
pub fn command(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jingong"));
    cmd.env("JINGONG_NOW", NOW)
        .env("JINGONG_DATA_DIR", root.join("data"))
        .env("JINGONG_CONFIG_DIR", root.join("config"))
        .env_remove("JINGONG_DB")
        .env_remove("JINGONG_LANG")
        .env_remove("JINGONG_KEY")
        .env_remove("JINGONG_IDENTITY")
        .env_remove("JINGONG_NEW_KEY")
        .env_remove("JINGONG_EXPORT_CRASH_AT")
        .env_remove("JINGONG_BACKUP_CRASH_AT");
    cmd
}

/// `command` on the real clock. The batch tests play several laptops writing one after the
/// other, and which copy of a record is newer is what they check: a stopped clock would give
/// every write the same instant and change what they test.
pub fn command_on_wall_clock(root: &Path) -> Command {
    let mut cmd = command(root);
    cmd.env_remove("JINGONG_NOW");
    cmd
}

/// The binary on `db` (on the real clock, see `command_on_wall_clock`), its folders beside
/// it, with English messages.
pub fn jingong(db: &Path) -> Command {
    jingong_in(db, "en")
}

/// The binary on `db` speaking `lang` (`zh` or `en`).
pub fn jingong_in(db: &Path, lang: &str) -> Command {
    let mut cmd = command_on_wall_clock(db.parent().expect("db in a folder"));
    cmd.arg("--db").arg(db).arg("--lang").arg(lang);
    cmd
}

/// Runs `cmd` and returns what it printed on stdout.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run jingong");
    String::from_utf8(out.stdout).expect("utf-8")
}
