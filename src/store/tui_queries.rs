//! Queries the TUI needs beyond the shared search: pages of the unfiltered workers list that
//! do not count the whole table again, and that read pages near the end from the other end of
//! the index, so End on a million workers answers at once.

use super::search::{Rank, SearchHit};
use super::{Result, Store};
use chrono::NaiveDate;

const PAGE_SQL_NEWEST_FIRST: &str =
    "SELECT w.id, w.uid, w.name, w.id_number, w.gender, w.birth_date,
        w.phone, w.employer,
        (SELECT max(s.served_on) FROM service s WHERE s.worker_id = w.id AND s.deleted_at IS NULL)
     FROM worker w WHERE w.deleted_at IS NULL ORDER BY w.id DESC LIMIT ?1 OFFSET ?2";

const PAGE_SQL_OLDEST_FIRST: &str =
    "SELECT w.id, w.uid, w.name, w.id_number, w.gender, w.birth_date,
        w.phone, w.employer,
        (SELECT max(s.served_on) FROM service s WHERE s.worker_id = w.id AND s.deleted_at IS NULL)
     FROM worker w WHERE w.deleted_at IS NULL ORDER BY w.id ASC LIMIT ?1 OFFSET ?2";

impl Store {
    /// Rows `offset..offset + limit` of every live worker, newest registration first (the
    /// order of `search("")`), given the `total` the caller already has.
    pub fn browse_page(&self, offset: usize, limit: usize, total: usize) -> Result<Vec<SearchHit>> {
        let offset = offset.min(total);
        let limit = limit.min(total - offset);
        let from_end = total - offset - limit;
        // Skipping rows costs one step each: skip from whichever end is nearer.
        let (sql, skip, reverse) = if from_end < offset {
            (PAGE_SQL_OLDEST_FIRST, from_end, true)
        } else {
            (PAGE_SQL_NEWEST_FIRST, offset, false)
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut hits = stmt
            .query_map([limit as i64, skip as i64], |r| {
                let date = |s: Option<String>| {
                    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
                };
                Ok(SearchHit {
                    id: r.get(0)?,
                    uid: r.get(1)?,
                    name: r.get(2)?,
                    id_number: r.get(3)?,
                    gender: r.get(4)?,
                    birth_date: date(r.get(5)?).unwrap_or_default(),
                    phone: r.get(6)?,
                    employer: r.get(7)?,
                    last_served_on: date(r.get(8)?),
                    rank: Rank::Exact,
                })
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
