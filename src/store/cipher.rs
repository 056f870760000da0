//! Encryption at rest with SQLCipher, in builds with the `encryption` feature.
//!
//! A key is applied first thing on every connection the program opens (the main one, the
//! search thread's reader, a backup's target), so no page is ever read or written in clear.
//! Converting a file between plain and encrypted goes through `sqlcipher_export` into a
//! temporary file that is checked and then renamed: a failure leaves no half-written output.

use super::error::{Result, StoreError};
use super::{Store, create_private_file};
use rusqlite::Connection;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Whether this build can read and write encrypted databases.
pub const AVAILABLE: bool = cfg!(feature = "encryption");

/// A database key as the officer typed it. Wiped from memory when dropped and never printed
/// (not even by `{:?}`), so it cannot end up in a log line or a panic message.
#[derive(Clone)]
pub struct Key(zeroize::Zeroizing<String>);

impl Key {
    /// `None` for an empty key: SQLCipher takes an empty key to mean "no encryption", which
    /// would silently write a plain file.
    pub fn new(text: impl Into<String>) -> Option<Key> {
        let text = zeroize::Zeroizing::new(text.into());
        if text.is_empty() {
            None
        } else {
            Some(Key(text))
        }
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.expose() == other.expose()
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

/// What the first bytes of a database file say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// No file yet: opening creates it.
    Missing,
    /// A file of zero bytes (made by `create_private_file`, or by hand): like a new one.
    Empty,
    /// Starts with SQLite's own header: readable by anyone who has the file.
    Plain,
    /// Anything else: encrypted, damaged, or not a database at all. An encrypted file's
    /// first bytes are random salt, so it cannot be told from junk without the key.
    NotPlain,
    /// There but not readable (permissions, a folder): opening reports why.
    Unreadable,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub fn file_state(path: &Path) -> FileState {
    let Ok(mut file) = std::fs::File::open(path) else {
        return if path.exists() {
            FileState::Unreadable
        } else {
            FileState::Missing
        };
    };
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(_) => return FileState::Unreadable,
        }
    }
    match read {
        0 => FileState::Empty,
        16 if &head == SQLITE_HEADER => FileState::Plain,
        _ => FileState::NotPlain,
    }
}

/// Gives a fresh connection its key, before anything reads the file. SQLCipher's own log is
/// silenced: it writes to stderr, which is the screen under the TUI, and a wrong key is
/// reported by the program in the officer's language instead.
pub(crate) fn apply_key(conn: &Connection, key: Option<&Key>) -> Result<()> {
    if let Some(key) = key {
        if !AVAILABLE {
            return Err(StoreError::NoEncryption);
        }
        conn.pragma_update(None, "key", key.expose())?;
    }
    if AVAILABLE {
        // Returns a row on SQLCipher; a plain SQLite ignores the pragma.
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    }
    Ok(())
}

/// The error for a file whose pages cannot be read with the key given (or without one).
pub(crate) fn unreadable(path: &Path, key: Option<&Key>) -> StoreError {
    let path = path.to_path_buf();
    match (key, file_state(&path)) {
        (Some(_), _) => StoreError::WrongKey { path },
        (None, FileState::NotPlain) if AVAILABLE => StoreError::KeyNeeded { path },
        (None, _) => StoreError::NotADatabase { path },
    }
}

impl Store {
    /// Whether this connection reads an encrypted file.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Another read-only connection to the same file, with the same key: for work off the
    /// UI thread.
    pub fn open_another_reader(&self) -> Result<Store> {
        self.opener().open(super::Access::ReadOnly)
    }

    /// What a thread needs to open its own connection to this database, key included.
    pub fn opener(&self) -> Opener {
        Opener {
            path: self.path.clone(),
            key: self.key.clone(),
        }
    }

    /// Changes the key of an encrypted database in place. Other connections to the file
    /// must be closed: they would go on with the old key.
    pub fn rekey(&mut self, new: &Key) -> Result<()> {
        if !AVAILABLE {
            return Err(StoreError::NoEncryption);
        }
        if self.key.is_none() {
            return Err(StoreError::NotEncrypted {
                path: self.path.clone(),
            });
        }
        // SQLCipher rewrites every page under the new key in one transaction; pages still in
        // the WAL would be left under the old one, so the WAL is emptied first and the
        // rewrite done in rollback-journal mode.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(StoreError::Busy);
        }
        let rekeyed = self.conn.pragma_update(None, "rekey", new.expose());
        let restored: rusqlite::Result<String> =
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0));
        rekeyed?;
        restored?;
        self.key = Some(new.clone());
        // Proves the new key opens the file before the officer is told it changed.
        let check = Store::open_keyed(&self.path, super::Access::ReadOnly, Some(new.clone()))?;
        drop(check);
        Ok(())
    }

    /// Writes a copy of this database to `dest`, encrypted with `key`, or plain when `key` is
    /// `None`. The copy is made in a temporary file beside `dest`, opened again to prove it
    /// reads, and only then renamed to `dest`; `dest` must not exist.
    pub fn export_copy(&self, dest: &Path, key: Option<&Key>) -> Result<()> {
        if !AVAILABLE {
            return Err(StoreError::NoEncryption);
        }
        if dest.exists() {
            return Err(StoreError::Exists {
                path: dest.to_path_buf(),
            });
        }
        let partial = partial_path(dest);
        // A leftover from an earlier run that was cut short: never a finished copy.
        let _ = std::fs::remove_file(&partial);
        create_private_file(&partial)?;
        let written = self.export_into(&partial, key).and_then(|()| {
            let check = Store::open_keyed(&partial, super::Access::ReadOnly, key.cloned())?;
            let verdict: String = check
                .conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            Ok(verdict)
        });
        match written {
            Ok(verdict) if verdict == "ok" => {}
            Ok(verdict) => {
                let _ = std::fs::remove_file(&partial);
                return Err(StoreError::CopyDamaged { detail: verdict });
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        }
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, dest)?;
        sync_parent(dest);
        Ok(())
    }

    fn export_into(&self, partial: &Path, key: Option<&Key>) -> Result<()> {
        let text = partial.to_str().ok_or_else(|| StoreError::CannotOpen {
            path: partial.to_path_buf(),
            reason: "path is not valid UTF-8".into(),
        })?;
        let key_text = key.map_or("", Key::expose);
        self.conn.execute(
            "ATTACH DATABASE ?1 AS jingong_copy KEY ?2",
            rusqlite::params![text, key_text],
        )?;
        let result = (|| -> Result<()> {
            self.conn
                .query_row("SELECT sqlcipher_export('jingong_copy')", [], |_| Ok(()))?;
            // sqlcipher_export copies tables and rows but not the header's schema version,
            // which the migrations go by.
            let version = self.schema_version()?;
            self.conn
                .pragma_update(Some("jingong_copy"), "user_version", version)?;
            Ok(())
        })();
        let detached = self.conn.execute("DETACH DATABASE jingong_copy", []);
        result?;
        detached?;
        Ok(())
    }
}

/// `.NAME.partial` beside `dest`: on the same file system, so the rename is atomic.
fn partial_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "jingong.db".into());
    dest.with_file_name(format!(".{name}.partial"))
}

/// Makes the rename itself durable; a file system that cannot sync a folder is no reason to
/// fail a copy that is complete.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_key_is_no_key() {
        assert!(Key::new("").is_none());
        assert!(Key::new("x").is_some());
    }

    #[test]
    fn a_key_is_never_printed() {
        let key = Key::new("秘密-secret").unwrap();
        assert_eq!(format!("{key:?}"), "Key(..)");
    }

    #[test]
    fn file_states() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        assert_eq!(file_state(&path), FileState::Missing);
        std::fs::write(&path, b"").unwrap();
        assert_eq!(file_state(&path), FileState::Empty);
        std::fs::write(&path, b"SQLite format 3\0rest of the header").unwrap();
        assert_eq!(file_state(&path), FileState::Plain);
        std::fs::write(&path, [0x5au8; 64]).unwrap();
        assert_eq!(file_state(&path), FileState::NotPlain);
        assert_eq!(file_state(dir.path()), FileState::Unreadable);
    }
}

/// The path and key of a database, to open another connection to it on a thread of its own
/// (an export, a roster import): one opened by path alone would lack the key.
#[derive(Clone)]
pub struct Opener {
    path: std::path::PathBuf,
    key: Option<Key>,
}

impl Opener {
    pub fn open(&self, access: super::Access) -> Result<Store> {
        Store::open_keyed(&self.path, access, self.key.clone())
    }
}
