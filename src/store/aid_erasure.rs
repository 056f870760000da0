//! A worker's needs and mutual-aid claims at the erasure of the person (PIPL art. 47): each is
//! tombstoned with its free text and dates blanked (a claim's dates are health and death
//! data), at a new version, with an `erase` audit row, in the erasure's transaction.

use super::Result;
use super::version::next_version;
use super::workers::audit;
use rusqlite::{Connection, params};

/// Blanks and tombstones every need and claim of worker row `worker_id`; their uids join
/// `erased_uids` (whose audit reasons the erasure clears). Returns how many.
pub(crate) fn erase_needs_and_claims(
    conn: &Connection,
    worker_id: i64,
    now: &str,
    officer_id: i64,
    erased_uids: &mut Vec<String>,
) -> Result<usize> {
    let mut erased = 0;
    for table in ["need", "claim"] {
        let rows: Vec<(i64, String, i64)> = conn
            .prepare(&format!(
                "SELECT id, uid, version FROM {table} WHERE worker_id = ?1"
            ))?
            .query_map([worker_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let blank = match table {
            "need" => "note = '', close_note = ''",
            _ => {
                "note = '', reason = '', documents = '', diagnosed_on = NULL,
                 accident_on = NULL, died_on = NULL, fire_on = NULL, paid_on = NULL"
            }
        };
        for (id, uid, version) in rows {
            let version = next_version(version)?;
            conn.execute(
                &format!(
                    "UPDATE {table} SET {blank}, withdraw_reason = '', version = ?2,
                        updated_at = ?3, officer_id = ?4, deleted_at = coalesce(deleted_at, ?3)
                     WHERE id = ?1"
                ),
                params![id, version, now, officer_id],
            )?;
            audit(conn, now, officer_id, table, &uid, version, "erase", "")?;
            erased_uids.push(uid);
            erased += 1;
        }
    }
    Ok(erased)
}
