//! What every run starts from, on the command line or in the screens: the language, the
//! folders (data and configuration, by the platform's conventions), the database path and its
//! key. `tui` and `cli` both build on this; neither imports the other.

use crate::failure::Failure;
use crate::store::cipher::{self, FileState};
use crate::store::{Access, Key, Store};
use crate::text::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The choices a run was started with: which database, which language, which key bindings.
#[derive(Debug, Clone)]
pub struct Session {
    /// The database file named by the user; the data folder's `jingong.db` when `None`.
    pub db: Option<PathBuf>,
    pub lang: Lang,
    /// A key bindings file overriding the defaults (screens only).
    pub keymap: Option<PathBuf>,
}

impl Session {
    /// The database file this run works on.
    pub fn db_path(&self) -> Result<PathBuf, Failure> {
        if let Some(path) = &self.db {
            return Ok(path.clone());
        }
        default_db_path().ok_or_else(|| {
            Failure::refused(self.lang.pick(
                "找不到用户数据文件夹：请用 --db 指定数据库文件",
                "no user data folder found: name the database with --db",
            ))
        })
    }

    /// Opens the database read-write, with its key when it is encrypted (from `JINGONG_KEY`
    /// or asked for on the terminal).
    pub fn open_store(&self) -> Result<Store, Failure> {
        let path = self.db_path()?;
        announce_upgrade(&path, self.lang);
        let key = key_for(&path, self.lang)?;
        Store::open_keyed(&path, Access::ReadWrite, key)
            .map_err(|e| Failure::from_store(e, self.lang))
    }
}

/// Where the database lives unless `--db` or `JINGONG_DB` says otherwise.
pub fn default_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("jingong.db"))
}

/// The folder beside the database where `jingong export` writes batches and the screens
/// offer to put printed sheets: `batches`.
pub fn batches_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|p| p.join("batches"))
        .unwrap_or_else(|| "batches".into())
}

/// The app's data folder (database, log), from the platform's conventions.
pub fn data_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("JINGONG_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("cn", "tjzgh", "jingong").map(|p| p.data_dir().to_path_buf())
}

/// The app's configuration folder (the keymap file).
pub fn config_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("JINGONG_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("cn", "tjzgh", "jingong").map(|p| p.config_dir().to_path_buf())
}

/// A read-only connection to `path`, keyed like `Session::open_store`.
pub fn open_reader(path: &Path, lang: Lang) -> Result<Store, Failure> {
    let key = key_for(path, lang)?;
    Store::open_keyed(path, Access::ReadOnly, key).map_err(|e| Failure::from_store(e, lang))
}

/// An upgrade of a large database takes minutes once (a million workers: about two); say so
/// rather than leave a silent terminal.
fn announce_upgrade(path: &Path, lang: Lang) {
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

pub(crate) const KEY_ENV: &str = "JINGONG_KEY";

pub(crate) fn env_key(name: &str) -> Option<Key> {
    std::env::var(name).ok().and_then(Key::new)
}

pub(crate) fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// The key to open `path` with: `None` for a plain database.
pub(crate) fn key_for(path: &Path, lang: Lang) -> Result<Option<Key>, Failure> {
    let from_env = env_key(KEY_ENV);
    if !cipher::AVAILABLE {
        return match from_env {
            Some(_) => Err(Failure::refused(lang.pick(
                "设置了 JINGONG_KEY，但本程序构建时未启用加密功能（encryption），数据库不会被加密：请使用带加密功能的 jingong，或取消 JINGONG_KEY",
                "JINGONG_KEY is set, but this build of jingong has no encryption (the `encryption` feature) and would not encrypt: use a build that has it, or unset JINGONG_KEY",
            ))),
            None => Ok(None),
        };
    }
    if from_env.is_some() {
        return Ok(from_env);
    }
    // Without a terminal nothing is asked: the store then says the key is missing.
    if !interactive() {
        return Ok(None);
    }
    match cipher::file_state(path) {
        FileState::NotPlain => {
            let prompt = match lang {
                Lang::Zh => format!("数据库 {} 已加密，请输入密钥：", path.display()),
                Lang::En => format!("The database {} is encrypted. Key: ", path.display()),
            };
            Ok(Some(ask(&prompt, lang)?.ok_or_else(|| {
                Failure::invalid(lang.pick("未输入密钥", "no key typed"))
            })?))
        }
        FileState::Missing | FileState::Empty => ask_new(
            lang.pick(
                "新建数据库：设置密钥以加密（直接回车则不加密）：",
                "New database: type a key to encrypt it (Enter alone leaves it plain): ",
            ),
            lang,
        ),
        FileState::Plain | FileState::Unreadable => Ok(None),
    }
}

/// One line typed without echo; `None` when it is empty.
fn ask(prompt: &str, lang: Lang) -> Result<Option<Key>, Failure> {
    read_hidden(prompt).map(Key::new).map_err(|e| {
        Failure::refused(match lang {
            Lang::Zh => format!("无法从终端读取密钥：{e}"),
            Lang::En => format!("cannot read the key from the terminal: {e}"),
        })
    })
}

#[cfg(feature = "encryption")]
fn read_hidden(prompt: &str) -> std::io::Result<String> {
    rpassword::prompt_password(prompt)
}

#[cfg(not(feature = "encryption"))]
fn read_hidden(_prompt: &str) -> std::io::Result<String> {
    Err(std::io::Error::other("no encryption in this build"))
}

/// A new key typed twice, so a typing slip cannot lock the data away. `None` when the first
/// entry is empty.
pub(crate) fn ask_new(prompt: &str, lang: Lang) -> Result<Option<Key>, Failure> {
    let Some(first) = ask(prompt, lang)? else {
        return Ok(None);
    };
    let again = ask(lang.pick("请再输入一次：", "Type it again: "), lang)?;
    if again.as_ref() != Some(&first) {
        return Err(Failure::invalid(lang.pick(
            "两次输入的密钥不一致，未作任何改动",
            "the two keys differ; nothing was changed",
        )));
    }
    Ok(Some(first))
}
