//! Command line: parse arguments, call store and batch, print. Exit 0 when done, 1 when
//! refused or not found, 2 for bad usage or invalid input.

mod aid_args;
mod aid_cmd;
mod args;
mod backup_cmd;
mod batch_cmd;
#[cfg(feature = "city")]
mod city_cmd;
#[cfg(feature = "city")]
mod city_stats;
#[cfg(feature = "city")]
mod city_watch;
mod corrections_cmd;
mod demo_cmd;
mod event_cmd;
mod install_cmd;
mod key_cmd;
mod output;
mod receipt_cmd;
mod records;
mod roster_cmd;
mod seal_cmd;
mod sheet_cmd;
mod stats_cmd;

pub use args::{Cli, Command};

pub use crate::failure::{EXIT_INVALID, EXIT_OK, EXIT_REFUSED, Failure};
pub use crate::session::{config_dir, data_dir, default_db_path, open_reader};

use crate::session::Session;
use crate::store::Store;
use clap::Parser;
use std::path::PathBuf;

pub type CmdResult = Result<(), Failure>;

impl Cli {
    /// The run's starting point shared with the screens.
    pub fn session(&self) -> Session {
        Session {
            db: self.db.clone(),
            lang: self.lang,
            keymap: self.keymap.clone(),
        }
    }
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
    // Generated text for installers: no database, no data folder, no log.
    match &cli.command {
        Some(Command::Completions(a)) => {
            return print_generated(|out| install_cmd::completions(a.shell, out));
        }
        Some(Command::Man) => return print_generated(install_cmd::man),
        _ => {}
    }
    if cli.keymap.is_some() && cli.command.is_some() {
        eprintln!(
            "{}",
            lang.pick(
                "错误：--keymap 只用于界面（不带命令启动 jingong），不能与命令同用",
                "error: --keymap is for the screens only (jingong started with no command), not with a command",
            )
        );
        return EXIT_INVALID;
    }
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

/// Writes `generate`'s text to stdout; a closed pipe or full disk is a refusal, not a panic.
fn print_generated(generate: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match generate(&mut out).and_then(|()| std::io::Write::flush(&mut out)) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_REFUSED
        }
    }
}

pub(crate) fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    cli.session().db_path()
}

/// Opens the database read-write, with its key when it is encrypted.
pub fn open_store(cli: &Cli) -> Result<Store, Failure> {
    cli.session().open_store()
}

fn run(cli: Cli) -> CmdResult {
    match &cli.command {
        None => {
            // The screens import sealed batches with the identity named in the environment.
            let identity = std::env::var_os("JINGONG_IDENTITY").map(PathBuf::from);
            seal_cmd::use_identity(identity.as_deref(), cli.lang)?;
            crate::tui::run(&cli.session())
        }
        Some(Command::Officer(cmd)) => records::officer(&cli, cmd),
        Some(Command::Worker(cmd)) => records::worker(&cli, cmd),
        Some(Command::Service(cmd)) => records::service(&cli, cmd),
        Some(Command::Event(cmd)) => event_cmd::run(&cli, cmd),
        Some(Command::Legal(cmd)) => corrections_cmd::legal(&cli, cmd),
        Some(Command::Need(cmd)) => aid_cmd::need(&cli, cmd),
        Some(Command::Claim(cmd)) => aid_cmd::claim(&cli, cmd),
        Some(Command::Search(cmd)) => records::search(&cli, cmd),
        Some(Command::Stats(cmd)) => stats_cmd::run(&cli, cmd),
        Some(Command::Backup(cmd)) => records::backup(&cli, cmd),
        Some(Command::Restore(cmd)) => backup_cmd::restore(&cli, cmd),
        Some(Command::Demo(cmd)) => demo_cmd::run(&cli, cmd),
        Some(Command::Audit(cmd)) => records::audit(&cli, cmd),
        Some(Command::Export(cmd)) => batch_cmd::export(&cli, cmd),
        Some(Command::Verify(cmd)) => batch_cmd::verify(&cli, cmd),
        Some(Command::Batches(cmd)) => batch_cmd::batches(&cli, cmd),
        Some(Command::Import(cmd)) => batch_cmd::import(&cli, cmd),
        Some(Command::Conflicts(cmd)) => batch_cmd::conflicts(&cli, cmd),
        Some(Command::SealKey(cmd)) => seal_cmd::seal_key(&cli, cmd),
        Some(Command::Rekey) => key_cmd::rekey(&cli),
        Some(Command::Encrypt(cmd)) => key_cmd::encrypt(&cli, cmd),
        Some(Command::Decrypt(cmd)) => key_cmd::decrypt(&cli, cmd),
        // Answered in `main` before any folder is touched.
        Some(Command::Completions(_) | Command::Man) => Ok(()),
        #[cfg(feature = "city")]
        Some(Command::City(cmd)) => city_cmd::run(&cli, cmd),
    }
    .inspect_err(|f| tracing::info!(code = f.code, "command refused"))
}
