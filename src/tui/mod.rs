//! The officer's full-screen interface.

use crate::cli::{Cli, Failure};

/// Opens the TUI on the database named by `cli`.
pub fn run(cli: &Cli) -> Result<(), Failure> {
    let _ = cli;
    Err(Failure::refused(cli.lang.pick(
        "界面尚未完成：请使用子命令（jingong --help）",
        "the screens are not built yet: use the subcommands (jingong --help)",
    )))
}
