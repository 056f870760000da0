//! The shipped migrations, in order: each is a list of steps, SQL files from this folder and
//! Rust functions for what SQL does badly (one ordered pass over every service, this build's
//! pinyin rules). Never edit a shipped migration's files: add a migration. The rollup fills
//! that a bulk load runs again are files of their own under `fills/`, shared by both.

use super::search_keys::rebuild_search_keys;
use super::stats::{Fill, fill_served_months};
use rusqlite::Connection;

/// A migration that is one SQL file.
macro_rules! one_file {
    ($number:expr, $name:expr, $file:expr) => {
        Migration {
            number: $number,
            name: $name,
            steps: &[Step::Sql(include_str!($file))],
        }
    };
}

/// One piece of a migration; a migration's steps run in one transaction.
pub enum Step {
    Sql(&'static str),
    Rust(fn(&Connection) -> rusqlite::Result<()>),
}

pub struct Migration {
    /// The `user_version` the database has once this migration ran.
    pub number: i64,
    pub name: &'static str,
    pub steps: &'static [Step],
}

/// Migration n is `MIGRATIONS[n - 1]` (a unit test holds the numbers to that).
pub const MIGRATIONS: &[Migration] = &[
    one_file!(1, "base", "0001_base.sql"),
    one_file!(2, "merge_origin", "0002_merge_origin.sql"),
    one_file!(3, "batch_status", "0003_batch_status.sql"),
    Migration {
        number: 4,
        name: "statistics",
        // The rollups are filled from the rows already there before any trigger exists.
        // Migration 4 also filled the served months and reach by SQL; migration 6 empties and
        // fills them again, so that fill (over a minute on a million workers) is left out.
        steps: &[
            Step::Sql(include_str!("0004_statistics.sql")),
            Step::Sql(FILL_WORKER_DAY),
            Step::Sql(include_str!("fills/service_day.sql")),
            Step::Sql(FILL_LEGAL_AND_FOLLOW_UP),
            Step::Sql(include_str!("0004_statistics_triggers.sql")),
        ],
    },
    Migration {
        number: 5,
        name: "service_months",
        steps: &[
            Step::Sql(include_str!("0005_service_months.sql")),
            Step::Sql(FILL_SERVICE_MONTH),
            Step::Sql(include_str!("0005_service_months_triggers.sql")),
        ],
    },
    Migration {
        number: 6,
        name: "reach_within_months",
        steps: &[
            Step::Sql(include_str!("0006_reach_within_months.sql")),
            Step::Rust(fill_served_months_only),
            Step::Sql(include_str!("0006_reach_within_months_triggers.sql")),
        ],
    },
    one_file!(7, "local_edit_conflict", "0007_local_edit_conflict.sql"),
    one_file!(8, "same_person", "0008_same_person.sql"),
    one_file!(9, "corrections", "0009_corrections.sql"),
    one_file!(10, "receipts", "0010_receipts.sql"),
    one_file!(11, "erasure", "0011_erasure.sql"),
    one_file!(12, "returned_records", "0012_returned_records.sql"),
    one_file!(13, "verification", "0013_verification.sql"),
    Migration {
        number: 14,
        name: "money",
        steps: &[
            Step::Sql(include_str!("0014_money.sql")),
            Step::Sql(include_str!("fills/amount_day.sql")),
            Step::Sql(FILL_AMOUNT_MONTH),
            Step::Sql(include_str!("0014_money_triggers.sql")),
        ],
    },
    one_file!(15, "needs_and_claims", "0015_needs_and_claims.sql"),
    Migration {
        number: SEARCH_KEYS_REBUILT_IN,
        name: "workplace_search",
        steps: &[
            Step::Sql(include_str!("0016_workplace_search.sql")),
            Step::Rust(rebuild_search_keys),
        ],
    },
    Migration {
        number: 17,
        name: "need_answered_here",
        steps: &[Step::Rust(add_need_answered_here)],
    },
    Migration {
        number: 18,
        name: "need_statistics",
        steps: &[
            Step::Sql(include_str!("0018_need_statistics.sql")),
            Step::Sql(FILL_NEED_DAY),
            Step::Sql(FILL_NEED_MONTH),
            Step::Sql(include_str!("0018_need_statistics_triggers.sql")),
        ],
    },
];

/// Migration 17 (`0017_need_answered_here.sql`), run only when the column is missing: a
/// database whose version was set back (the upgrade tests do) may already have it, and SQLite
/// has no `ADD COLUMN IF NOT EXISTS`.
fn add_need_answered_here(conn: &Connection) -> rusqlite::Result<()> {
    let present: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('need') WHERE name = 'answered_here'",
        [],
        |r| r.get(0),
    )?;
    if !present {
        conn.execute_batch(include_str!("0017_need_answered_here.sql"))?;
    }
    Ok(())
}

/// The migration that rebuilds every worker's search keys with this build's pinyin rules.
pub const SEARCH_KEYS_REBUILT_IN: i64 = 16;

const FILL_WORKER_DAY: &str = include_str!("fills/worker_day.sql");
const FILL_LEGAL_AND_FOLLOW_UP: &str = include_str!("fills/legal_and_follow_up.sql");
const FILL_SERVICE_MONTH: &str = include_str!("fills/service_month.sql");
const FILL_AMOUNT_MONTH: &str = include_str!("fills/amount_month.sql");
const FILL_NEED_DAY: &str = include_str!("fills/need_day.sql");
const FILL_NEED_MONTH: &str = include_str!("fills/need_month.sql");

/// Migration 6's fill: the served months and reach (the daily rollup was filled by SQL).
fn fill_served_months_only(conn: &Connection) -> rusqlite::Result<()> {
    fill_served_months(conn, Fill::ServedMonths)
}

/// Fills the (empty) rollup tables from the records, as migrations 4 to 6, 14 and 18 did: run
/// again after a bulk load that went in with the statistics triggers suspended. The daily
/// service and amount rollups are counted in the same ordered pass as the served months
/// (migration 4's SQL looked up each service's worker at random: 7 s of 31 for a
/// 200,000-worker demo), before the monthly rollups are summed from them.
pub(crate) fn fill_rollups(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(FILL_WORKER_DAY)?;
    conn.execute_batch(FILL_LEGAL_AND_FOLLOW_UP)?;
    fill_served_months(conn, Fill::ServedMonthsAndDays)?;
    conn.execute_batch(FILL_SERVICE_MONTH)?;
    conn.execute_batch(FILL_AMOUNT_MONTH)?;
    conn.execute_batch(FILL_NEED_DAY)?;
    conn.execute_batch(FILL_NEED_MONTH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_from_one_and_none_is_empty() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.number, index as i64 + 1, "{}", migration.name);
            assert!(!migration.steps.is_empty(), "{}", migration.name);
        }
        assert!(matches!(
            MIGRATIONS[SEARCH_KEYS_REBUILT_IN as usize - 1].steps.last(),
            Some(Step::Rust(_))
        ));
    }
}
