//! Keys of encrypted databases: where they come from, and the subcommands that change them.
//!
//! A key comes from `JINGONG_KEY`, or is typed at a prompt that does not echo when the
//! database is encrypted and the program runs in a terminal. A new database started in a
//! terminal is offered a key (Enter alone leaves it plain). In a build without the
//! `encryption` feature, `rekey`, `encrypt` and `decrypt` exist and say so, and a key given
//! in the environment is refused: ignoring it would leave the officer believing the data is
//! protected.

use super::args::{Cli, ConvertArgs};
use super::{CmdResult, Failure, db_path};
use crate::session::{KEY_ENV, ask_new, env_key, interactive};
use crate::store::cipher::{self, FileState};
use crate::store::{Access, Key, Store, StoreError};
use crate::text::Lang;
use std::path::Path;

const NEW_KEY_ENV: &str = "JINGONG_NEW_KEY";

fn no_encryption(lang: Lang) -> Failure {
    Failure::refused(StoreError::NoEncryption.message(lang))
}

/// The new key for `rekey` and `encrypt`: from the environment, else typed twice.
fn new_key(env_names: &[&str], lang: Lang) -> Result<Key, Failure> {
    if let Some(key) = env_names.iter().find_map(|name| env_key(name)) {
        return Ok(key);
    }
    if !interactive() {
        return Err(Failure::invalid(lang.pick(
            "需要新密钥：请在终端中运行以输入，或设置环境变量 JINGONG_NEW_KEY",
            "a new key is needed: run in a terminal to type it, or set JINGONG_NEW_KEY",
        )));
    }
    ask_new(lang.pick("新密钥：", "New key: "), lang)?
        .ok_or_else(|| Failure::invalid(lang.pick("新密钥不能为空", "the new key cannot be empty")))
}

pub fn rekey(cli: &Cli) -> CmdResult {
    let lang = cli.lang;
    if !cipher::AVAILABLE {
        return Err(no_encryption(lang));
    }
    let mut store = super::open_store(cli)?;
    if !store.is_encrypted() {
        return Err(Failure::refused(
            StoreError::NotEncrypted {
                path: store.path().to_path_buf(),
            }
            .message(lang),
        ));
    }
    let key = new_key(&[NEW_KEY_ENV], lang)?;
    store
        .rekey(&key)
        .map_err(|e| Failure::from_store(e, lang))?;
    eprintln!(
        "{}",
        lang.pick(
            "密钥已更换：今后请用新密钥打开（旧备份仍用旧密钥）",
            "the key is changed: open the database with the new key from now on (earlier backups keep the old one)",
        )
    );
    Ok(())
}

pub fn encrypt(cli: &Cli, a: &ConvertArgs) -> CmdResult {
    let lang = cli.lang;
    if !cipher::AVAILABLE {
        return Err(no_encryption(lang));
    }
    let path = db_path(cli)?;
    if cipher::file_state(&path) == FileState::Missing {
        return Err(Failure::refused(
            StoreError::NotFound {
                what: path.display().to_string(),
            }
            .message(lang),
        ));
    }
    if cipher::file_state(&path) == FileState::NotPlain {
        return Err(Failure::refused(match lang {
            Lang::Zh => format!("{} 已加密（或不是数据库），无需再加密", path.display()),
            Lang::En => format!(
                "{} is already encrypted (or not a database)",
                path.display()
            ),
        }));
    }
    refuse_existing(&path, &a.out, lang)?;
    // The source is plain: it is opened without a key, and JINGONG_KEY names the new one.
    let store = Store::open_keyed(&path, Access::ReadWrite, None)
        .map_err(|e| Failure::from_store(e, lang))?;
    let key = new_key(&[NEW_KEY_ENV, KEY_ENV], lang)?;
    store
        .export_copy(&a.out, Some(&key))
        .map_err(|e| Failure::from_store(e, lang))?;
    eprintln!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已写出加密副本 {}。确认能用密钥打开后，请删除原来的明文数据库 {}（连同其 -wal、-shm 文件和明文备份）",
                a.out.display(),
                path.display()
            ),
            Lang::En => format!(
                "wrote the encrypted copy {}. Once it opens with the key, delete the plain database {} (with its -wal and -shm files and plain backups)",
                a.out.display(),
                path.display()
            ),
        }
    );
    println!("{}", a.out.display());
    Ok(())
}

pub fn decrypt(cli: &Cli, a: &ConvertArgs) -> CmdResult {
    let lang = cli.lang;
    if !cipher::AVAILABLE {
        return Err(no_encryption(lang));
    }
    let path = db_path(cli)?;
    refuse_existing(&path, &a.out, lang)?;
    let store = super::open_store(cli)?;
    if !store.is_encrypted() {
        return Err(Failure::refused(match lang {
            Lang::Zh => format!("{} 未加密，无需解密", path.display()),
            Lang::En => format!("{} is not encrypted", path.display()),
        }));
    }
    store
        .export_copy(&a.out, None)
        .map_err(|e| Failure::from_store(e, lang))?;
    eprintln!(
        "{}",
        lang.pick(
            "已写出明文副本：其中的个人信息不再受密钥保护，用完请删除",
            "wrote the plain copy: the personal data in it is no longer protected by the key; delete it when done",
        )
    );
    println!("{}", a.out.display());
    Ok(())
}

fn refuse_existing(source: &Path, out: &Path, lang: Lang) -> CmdResult {
    if out.exists() || out == source {
        return Err(Failure::refused(
            StoreError::Exists {
                path: out.to_path_buf(),
            }
            .message(lang),
        ));
    }
    Ok(())
}
