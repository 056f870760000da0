//! Queries the TUI needs beyond the shared search: pages of the unfiltered workers list that
//! do not count the whole table again, and that read pages near the end from the other end of
//! the index, so End on a million workers answers at once.

use super::search::{Rank, SearchHit};
use super::tables::worker::{HIT_COLUMNS, hit_from_row};
use super::{Result, Store};
use std::sync::LazyLock;

/// A page of live workers in registration order (`ASC` or `DESC`).
fn page_sql(order: &str) -> String {
    format!(
        "SELECT {HIT_COLUMNS} FROM worker w WHERE w.deleted_at IS NULL
         ORDER BY w.id {order} LIMIT ?1 OFFSET ?2"
    )
}

impl Store {
    /// Rows `offset..offset + limit` of every live worker, newest registration first (the
    /// order of `search("")`), given the `total` the caller already has.
    pub fn browse_page(&self, offset: usize, limit: usize, total: usize) -> Result<Vec<SearchHit>> {
        let offset = offset.min(total);
        let limit = limit.min(total - offset);
        let from_end = total - offset - limit;
        // Skipping rows costs one step each: skip from whichever end is nearer.
        static OLDEST_FIRST: LazyLock<String> = LazyLock::new(|| page_sql("ASC"));
        static NEWEST_FIRST: LazyLock<String> = LazyLock::new(|| page_sql("DESC"));
        let (sql, skip, reverse) = if from_end < offset {
            (&*OLDEST_FIRST, from_end, true)
        } else {
            (&*NEWEST_FIRST, offset, false)
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut hits = stmt
            .query_map([limit as i64, skip as i64], |r| {
                hit_from_row(r, Rank::Exact)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if reverse {
            hits.reverse();
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{Membership, Officer, WorkerInput};
    use crate::store::Store;

    #[test]
    fn pages_from_either_end_match_the_search_order() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .set_officer(&Officer {
                name: "李明".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .unwrap();
        for i in 0..30u32 {
            let first17 = format!("1201011990010{:04}", 1000 + i);
            store
                .add_worker(&WorkerInput {
                    name: "王建国".into(),
                    id_number: crate::domain::idcard::with_check_digit(&first17),
                    phone: String::new(),
                    membership: Membership::Member,
                    ..Default::default()
                })
                .unwrap();
        }
        let all = store.search("", 0, 100).unwrap();
        assert_eq!(all.total, 30);
        for (offset, limit) in [(0, 10), (5, 10), (20, 10), (25, 10), (28, 5)] {
            let page = store.browse_page(offset, limit, 30).unwrap();
            let expected: Vec<i64> = all
                .hits
                .iter()
                .skip(offset)
                .take(limit)
                .map(|h| h.id)
                .collect();
            let got: Vec<i64> = page.iter().map(|h| h.id).collect();
            assert_eq!(got, expected, "offset {offset} limit {limit}");
        }
    }
}
