//! The write side of `import batch` (the rules are in `batch::merge`): the one transaction a
//! batch is merged in, its bookkeeping rows, and the bulk mode a large batch is merged in.
//!
//! Bulk mode applies exactly the same per-record rules; what it changes is the work done
//! around them. The statistics triggers are suspended for the transaction and the rollups
//! refilled once from the records before the commit (a trigger run per service cost about
//! 100 µs, most of a large merge), and the page cache is large enough to hold the indexes a
//! large batch touches in random places. Both end with the transaction: a crash or an error
//! rolls the dropped triggers back with everything else.

use super::{Result, bulk};
use rusqlite::Connection;

/// Page cache while a large batch is merged: its uids, ID numbers, search keys and audit rows
/// land all over their indexes, and re-reading evicted pages dominated the merge.
const BULK_CACHE_KIB: i64 = -262_144;

/// When a batch is merged in bulk mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkChoice {
    /// Bulk mode when the batch is large, absolutely and against what is here already: the
    /// refill reads every record, so it pays only when the batch brings a good share of them.
    BySize,
    /// Always (tests compare both modes on the same batch).
    Always,
    /// Never.
    Never,
}

/// Fewest records a batch needs for bulk mode.
const BULK_MIN_RECORDS: u64 = 20_000;
/// Bulk mode also needs the batch to hold at least 1/RATIO of the records already here: the
/// refill costs about what the triggers cost for a tenth of the database.
const BULK_SHARE_RATIO: u64 = 8;

impl BulkChoice {
    /// The choice for this run: by size, unless a test build was told otherwise through
    /// `JINGONG_BULK_MERGE` (`always` or `never`).
    pub fn from_env() -> BulkChoice {
        #[cfg(feature = "testing")]
        match std::env::var("JINGONG_BULK_MERGE").as_deref() {
            Ok("always") => return BulkChoice::Always,
            Ok("never") => return BulkChoice::Never,
            _ => {}
        }
        BulkChoice::BySize
    }

    fn applies(self, conn: &Connection, incoming_records: u64) -> Result<bool> {
        Ok(match self {
            BulkChoice::Always => true,
            BulkChoice::Never => false,
            BulkChoice::BySize => {
                incoming_records >= BULK_MIN_RECORDS
                    && incoming_records.saturating_mul(BULK_SHARE_RATIO) >= records_here(conn)?
            }
        })
    }
}

/// About how many workers and services this database holds (row ids only grow), read
/// without counting.
fn records_here(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT coalesce((SELECT max(id) FROM worker), 0)
              + coalesce((SELECT max(id) FROM service), 0)",
        [],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// A batch's transaction, begun with the write lock taken (IMMEDIATE), so the checks made in
/// it still hold at the commit.
pub struct MergeTransaction {
    bulk: Option<BulkState>,
}

struct BulkState {
    triggers: Vec<(String, String)>,
    cache_pages: i64,
}

impl MergeTransaction {
    /// Begins the transaction of a batch of `incoming_records` lines.
    pub fn begin(
        conn: &Connection,
        choice: BulkChoice,
        incoming_records: u64,
    ) -> Result<MergeTransaction> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let bulk = match choice.applies(conn, incoming_records) {
            Ok(true) => match start_bulk(conn) {
                Ok(state) => Some(state),
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            },
            Ok(false) => None,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        Ok(MergeTransaction { bulk })
    }

    pub fn is_bulk(&self) -> bool {
        self.bulk.is_some()
    }

    /// Refills the rollups (bulk mode) and commits. On an error the transaction is rolled
    /// back: nothing of the batch stays.
    pub fn commit(self, conn: &Connection) -> Result<()> {
        let bulk = self.bulk;
        let done = (|| -> Result<()> {
            if let Some(state) = &bulk {
                let started = std::time::Instant::now();
                let threads = bulk::sort_threads(conn, 2)?;
                bulk::resume_rollups(conn, &state.triggers)?;
                bulk::sort_threads(conn, threads)?;
                tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "bulk merge: rollups refilled"
                );
            }
            conn.execute_batch("COMMIT")?;
            Ok(())
        })();
        if done.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        if let Some(state) = bulk {
            let _ = conn.pragma_update(None, "cache_size", state.cache_pages);
        }
        done
    }

    /// Undoes everything the batch wrote (the suspended triggers come back with it).
    pub fn rollback(self, conn: &Connection) {
        let _ = conn.execute_batch("ROLLBACK");
        if let Some(state) = self.bulk {
            let _ = conn.pragma_update(None, "cache_size", state.cache_pages);
        }
    }
}

fn start_bulk(conn: &Connection) -> Result<BulkState> {
    let cache_pages: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
    let triggers = bulk::suspend_rollups(conn)?;
    Ok(BulkState {
        triggers,
        cache_pages,
    })
}

/// Notes that the batch `batch_id` held version `version` of record `uid`.
pub fn record_batch_item(
    conn: &Connection,
    batch_id: i64,
    table: &str,
    uid: &str,
    version: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO batch_item(batch_id, table_name, record_uid, version)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![batch_id, table, uid, version])?;
    Ok(())
}

/// The officer who wrote the current version of row `id` of record table `table`.
pub fn officer_of_record(conn: &Connection, table: &str, id: i64) -> Result<i64> {
    let sql = match table {
        "worker" => "SELECT officer_id FROM worker WHERE id = ?1",
        "event" => "SELECT officer_id FROM event WHERE id = ?1",
        "service" => "SELECT officer_id FROM service WHERE id = ?1",
        other => panic!("not a record table: {other}"),
    };
    Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
}
