//! Numbered migrations under `PRAGMA user_version` (the list and its SQL files are in
//! `migrations/`). Each runs in its own transaction; a database newer than this build is
//! refused rather than guessed at.

pub use super::migrations::{MIGRATIONS, Migration, SEARCH_KEYS_REBUILT_IN, Step};
use rusqlite::Connection;

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The schema version of the database file at `path`, read without changing it; None when it
/// cannot be read that way (absent, not a database, encrypted). Lets a caller say before
/// opening that an upgrade, possibly minutes long on a large file, is about to run.
pub fn version_on_disk(path: &std::path::Path) -> Option<i64> {
    if !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .ok()
}

/// Brings `conn` to the latest schema. Returns the version found before upgrading.
pub fn migrate(conn: &mut Connection) -> Result<i64, MigrateError> {
    migrate_to(conn, LATEST)
}

/// Brings `conn` up to schema `target` (tests use it to build an older database). Returns the
/// version found before upgrading.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64, MigrateError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > LATEST {
        return Err(MigrateError::Newer { found });
    }
    for migration in MIGRATIONS
        .iter()
        .filter(|m| m.number > found && m.number <= target)
    {
        let tx = conn.transaction()?;
        for step in migration.steps {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Rust(run) => run(&tx)?,
            }
        }
        tx.pragma_update(None, "user_version", migration.number)?;
        tx.commit()?;
    }
    Ok(found)
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("database schema {found} is newer than this program knows")]
    Newer { found: i64 },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}
