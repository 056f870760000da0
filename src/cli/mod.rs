//! Command line: parse arguments, call store and batch, print. Exit 0 when done, 1 when
//! refused or not found, 2 for bad usage or invalid input.

mod args;
mod batch_cmd;
#[cfg(feature = "city")]
mod city_cmd;
mod demo_cmd;
mod key_cmd;
mod output;
mod receipt_cmd;
mod records;
mod roster_cmd;
mod stats_cmd;

pub use args::{Cli, Command};

use crate::store::{Access, Store, StoreError};
use crate::text::Lang;
use clap::Parser;
use std::path::PathBuf;

pub const EXIT_OK: i32 = 0;
pub const EXIT_REFUSED: i32 = 1;
pub const EXIT_INVALID: i32 = 2;

/// A failed command: what to tell the user and how to exit.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_REFUSED,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_INVALID,
        }
    }
    pub fn from_store(err: StoreError, lang: Lang) -> Failure {
        let code = match &err {
            StoreError::Invalid(e)
                if matches!(e.rule, crate::domain::Rule::DuplicateIdNumber { .. }) =>
            {
                EXIT_REFUSED
            }
            e if e.is_invalid_input() => EXIT_INVALID,
            // A wrong or missing key is the officer's input to fix, like a bad argument.
            StoreError::WrongKey { .. } | StoreError::KeyNeeded { .. } => EXIT_INVALID,
            _ => EXIT_REFUSED,
        };
        Failure {
            message: err.message(lang),
            code,
        }
    }
}

pub type CmdResult = Result<(), Failure>;

/// Where the database lives unless `--db` or `JINGONG_DB` says otherwise.
pub fn default_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("jingong.db"))
}

/// The app's data folder (database, log), from the platform's conventions.
pub fn data_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("JINGONG_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("cn", "tjzgh", "jingong").map(|p| p.data_dir().to_path_buf())
}

pub fn config_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("JINGONG_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("cn", "tjzgh", "jingong").map(|p| p.config_dir().to_path_buf())
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    EXIT_OK
                }
                _ => EXIT_INVALID,
            };
        }
    };
    let lang = cli.lang;
    let _log_guard = crate::logging::init(data_dir().as_deref());
    match run(cli) {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            // Messages can quote outside text (a code, a name): escaped line by line.
            for (i, line) in failure.message.split('\n').enumerate() {
                let prefix = if i == 0 {
                    lang.pick("错误：", "error: ")
                } else {
                    ""
                };
                eprintln!("{prefix}{}", crate::safe_text::terminal_safe(line));
            }
            failure.code
        }
    }
}

pub(crate) fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    if let Some(path) = &cli.db {
        return Ok(path.clone());
    }
    default_db_path().ok_or_else(|| {
        Failure::refused(cli.lang.pick(
            "找不到用户数据文件夹：请用 --db 指定数据库文件",
            "no user data folder found: name the database with --db",
        ))
    })
}

/// Opens the database read-write, with its key when it is encrypted (from `JINGONG_KEY` or
/// asked for on the terminal).
pub fn open_store(cli: &Cli) -> Result<Store, Failure> {
    let path = db_path(cli)?;
    announce_upgrade(&path, cli.lang);
    let key = key_cmd::key_for(&path, cli.lang)?;
    Store::open_keyed(&path, Access::ReadWrite, key).map_err(|e| Failure::from_store(e, cli.lang))
}

/// A read-only connection to `path`, keyed like `open_store`.
pub fn open_reader(path: &std::path::Path, lang: Lang) -> Result<Store, Failure> {
    let key = key_cmd::key_for(path, lang)?;
    Store::open_keyed(path, Access::ReadOnly, key).map_err(|e| Failure::from_store(e, lang))
}

/// An upgrade of a large database takes minutes once (a million workers: about two); say so
/// rather than leave a silent terminal.
fn announce_upgrade(path: &std::path::Path, lang: Lang) {
    use crate::store::schema::{LATEST, version_on_disk};
    if let Some(found) = version_on_disk(path).filter(|v| (1..LATEST).contains(v)) {
        eprintln!(
            "{}",
            lang.pick(
                &format!("正在把数据库从第 {found} 版升级到第 {LATEST} 版（只做一次；数据多时需要几分钟，请勿关机）……"),
                &format!("upgrading the database from schema {found} to {LATEST} (once; a large one takes minutes, keep the power on)..."),
            )
        );
    }
}

fn run(cli: Cli) -> CmdResult {
    match &cli.command {
        None => crate::tui::run(&cli).map_err(|f| Failure {
            message: f.message,
            code: f.code,
        }),
        Some(Command::Officer(cmd)) => records::officer(&cli, cmd),
        Some(Command::Worker(cmd)) => records::worker(&cli, cmd),
        Some(Command::Service(cmd)) => records::service(&cli, cmd),
        Some(Command::Search(cmd)) => records::search(&cli, cmd),
        Some(Command::Stats(cmd)) => stats_cmd::run(&cli, cmd),
        Some(Command::Backup(cmd)) => records::backup(&cli, cmd),
        Some(Command::Demo(cmd)) => demo_cmd::run(&cli, cmd),
        Some(Command::Audit(cmd)) => records::audit(&cli, cmd),
        Some(Command::Export(cmd)) => batch_cmd::export(&cli, cmd),
        Some(Command::Verify(cmd)) => batch_cmd::verify(&cli, cmd),
        Some(Command::Batches(cmd)) => batch_cmd::batches(&cli, cmd),
        Some(Command::Import(cmd)) => batch_cmd::import(&cli, cmd),
        Some(Command::Conflicts(cmd)) => batch_cmd::conflicts(&cli, cmd),
        Some(Command::Rekey) => key_cmd::rekey(&cli),
        Some(Command::Encrypt(cmd)) => key_cmd::encrypt(&cli, cmd),
        Some(Command::Decrypt(cmd)) => key_cmd::decrypt(&cli, cmd),
        #[cfg(feature = "city")]
        Some(Command::City(cmd)) => city_cmd::run(&cli, cmd),
    }
    .inspect_err(|f| tracing::info!(code = f.code, "command refused"))
}
