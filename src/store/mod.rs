//! The SQLite store: one `Store` owns the connection and every write stamps `updated_at`,
//! bumps `version` and appends to `audit` in one transaction. SQL belongs under here (the city
//! has its own in `src/city`); each table's columns are spelled once, in `tables/`.

pub(crate) mod aid_erasure;
pub mod audit_log;
pub mod backup_state;
pub mod batch_checks;
pub mod batch_queries;
pub(crate) mod bulk;
pub mod cipher;
pub mod claims;
pub mod clock;
pub mod conflicts;
pub mod corrections;
pub mod drafts;
pub mod erasure;
pub mod error;
pub mod event_entry;
pub mod event_sheet;
pub mod events;
pub mod legal_cases;
pub mod merge_apply;
pub mod merge_writes;
pub mod migrations;
pub mod need_corrections;
pub mod need_entry;
pub mod need_reevaluation;
pub mod needs;
pub mod officer;
pub mod period;
pub mod receipts;
pub mod roster_changes;
pub mod roster_import;
pub mod schema;
pub mod seal_recipients;
pub mod search;
pub mod search_keys;
pub mod services;
pub mod stats;
pub mod tables;
pub mod tui_queries;
pub mod version;
pub mod worker_links;
pub mod workers;

pub use cipher::{Key, Opener};
pub use clock::Clock;
pub use error::{Result, StoreError};
pub use period::Period;
pub use search::{SearchHit, SearchPage};
pub use stats::{Statistics, StatsQuery};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another process's transaction before giving up with a message.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    /// The current officer's row id, once a profile exists.
    officer_id: Option<i64>,
    /// The SQLCipher key this file was opened with, for the further connections it needs.
    key: Option<Key>,
}

/// How to open: read-write creating the file, or read-only for a background reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

impl Store {
    /// Opens (creating when absent) and upgrades the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Access::ReadWrite)
    }

    /// A second connection on the same file for queries off the UI thread.
    pub fn open_reader(path: &Path) -> Result<Store> {
        Store::open_with(path, Access::ReadOnly)
    }

    pub fn open_with(path: &Path, access: Access) -> Result<Store> {
        Store::open_keyed(path, access, None)
    }

    /// Opens with a SQLCipher key (builds with the `encryption` feature): a new file is
    /// created encrypted; an existing one must have been encrypted with this key.
    pub fn open_keyed(path: &Path, access: Access, key: Option<Key>) -> Result<Store> {
        // A key for a plain file is refused rather than ignored: the officer believes the data
        // is protected, and it is not.
        if key.is_some() && cipher::file_state(path) == cipher::FileState::Plain {
            return Err(StoreError::NotEncrypted {
                path: path.to_path_buf(),
            });
        }
        let creating = !path.exists();
        if creating && access == Access::ReadWrite {
            create_private_file(path)?;
        }
        let flags = match access {
            Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        configure(&mut conn, path, key.as_ref())?;
        if access == Access::ReadWrite {
            // WAL must be set by a writer; its -wal and -shm files inherit the main file's mode.
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| classify_open_error(e, path))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "WAL not available");
            }
            schema::migrate(&mut conn).map_err(|e| match e {
                schema::MigrateError::Newer { found } => StoreError::NewerSchema {
                    found,
                    supported: schema::LATEST,
                },
                schema::MigrateError::Sqlite(e) => classify_open_error(e, path),
            })?;
        } else {
            let found: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(|e| classify_open_error(e, path))?;
            if found > schema::LATEST {
                return Err(StoreError::NewerSchema {
                    found,
                    supported: schema::LATEST,
                });
            }
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            clock: Clock::from_env(),
            officer_id: None,
            key,
        };
        if access == Access::ReadWrite {
            store.ensure_device_id()?;
        }
        store.officer_id = store.current_officer_id()?;
        Ok(store)
    }

    /// An in-memory database, for tests of the store itself.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&mut conn, Path::new(":memory:"), None)?;
        schema::migrate(&mut conn).map_err(|e| match e {
            schema::MigrateError::Newer { found } => StoreError::NewerSchema {
                found,
                supported: schema::LATEST,
            },
            schema::MigrateError::Sqlite(e) => e.into(),
        })?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            clock: Clock::from_env(),
            officer_id: None,
            key: None,
        };
        store.ensure_device_id()?;
        Ok(store)
    }

    /// A new in-memory store holding a copy of `template` (schema, officer, device): for the
    /// fuzz target, which needs a fresh database for every input and would otherwise spend
    /// most of its time running the migrations again.
    #[cfg(feature = "testing")]
    pub fn open_in_memory_copy(template: &Store) -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(&template.conn, &mut conn)?.run_to_completion(
            i32::MAX,
            std::time::Duration::ZERO,
            None,
        )?;
        configure(&mut conn, Path::new(":memory:"), None)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
            clock: template.clock,
            officer_id: template.officer_id,
            key: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The raw connection, for the batch layer's transactions inside the crate. Tests and
    /// benchmarks reach it through `testing::connection`.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// This database's device id: a UUID made once, carried by every batch it exports.
    pub fn device_id(&self) -> Result<String> {
        meta_get(&self.conn, "device_id")?.ok_or_else(|| StoreError::NotFound {
            what: "device_id".into(),
        })
    }

    fn ensure_device_id(&mut self) -> Result<()> {
        if meta_get(&self.conn, "device_id")?.is_none() {
            let id = uuid::Uuid::now_v7().to_string();
            self.conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('device_id', ?1)",
                [id],
            )?;
        }
        Ok(())
    }

    /// The officer id for a write, or the error that says how to set a profile.
    fn require_officer(&self) -> Result<i64> {
        self.officer_id.ok_or(StoreError::NoOfficer)
    }

    /// Copies the database through SQLite's online backup API: consistent even while another
    /// process writes. The copy is created owner-only, and encrypted with this database's key
    /// when it has one: a backup must not be the way around the encryption.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            std::fs::remove_file(dest)?;
        }
        create_private_file(dest)?;
        let mut target = Connection::open(dest)?;
        cipher::apply_key(&target, self.key.as_ref())?;
        // Like every connection that writes: nothing deleted stays readable in free pages.
        target.pragma_update(None, "secure_delete", "ON")?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
        }
        // The copy is a plain rollback-journal file: one file to carry on a USB stick.
        target.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

fn configure(conn: &mut Connection, path: &Path, key: Option<&Key>) -> Result<()> {
    // The key goes first: SQLCipher reads nothing until it has one.
    cipher::apply_key(conn, key)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Writers take the write lock when their transaction begins. A deferred transaction that
    // read first and then tries to write fails at once with BUSY_SNAPSHOT if another process
    // committed meanwhile, without waiting: with IMMEDIATE, the busy timeout applies.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    // Reading the schema is the first thing that touches the file's pages: a file that is not
    // a database, or an encrypted one read with the wrong key or none, fails here, and gets
    // a message that says which.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match classify_open_error(e, path) {
        StoreError::NotADatabase { path } => cipher::unreadable(&path, key),
        other => other,
    })?;
    // secure_delete: deleted and overwritten content is zeroed in the file, so an erasure (or
    // any edit) leaves no old personal data in free pages.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16000;
         PRAGMA secure_delete = ON;",
    )
    .map_err(|e| classify_open_error(e, path))?;
    Ok(())
}

fn classify_open_error(err: rusqlite::Error, path: &Path) -> StoreError {
    use rusqlite::ErrorCode;
    if let rusqlite::Error::SqliteFailure(e, _) = &err {
        match e.code {
            ErrorCode::NotADatabase => {
                return StoreError::NotADatabase {
                    path: path.to_path_buf(),
                };
            }
            ErrorCode::CannotOpen => {
                return StoreError::CannotOpen {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                };
            }
            _ => {}
        }
    }
    err.into()
}

/// Creates an empty file readable by the owner only (0600 on Unix) so SQLite and its WAL
/// inherit that mode. The folder is created too when missing, owner-only.
pub fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        create_private_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| StoreError::CannotOpen {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(())
}

pub fn create_private_dir_all(path: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path).map_err(|e| StoreError::CannotOpen {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(())
}
