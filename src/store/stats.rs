//! Counts for the status line and `jingong stats`.

use super::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PendingCounts {
    pub workers: i64,
    pub events: i64,
    pub services: i64,
}

impl PendingCounts {
    pub fn total(&self) -> i64 {
        self.workers + self.events + self.services
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct BasicStats {
    pub workers: i64,
    pub members: i64,
    pub joined_here: i64,
    pub hardship: i64,
    pub services: i64,
    /// (kind code, live services of that kind), in catalog order, zeros included.
    pub services_by_kind: Vec<(String, i64)>,
}

impl Store {
    /// Record versions not yet in any exported batch.
    pub fn pending_counts(&self) -> Result<PendingCounts> {
        let count = |table: &str| -> Result<i64> {
            Ok(self.conn.query_row(
                &format!("SELECT count(*) FROM {table} WHERE version > exported_version"),
                [],
                |r| r.get(0),
            )?)
        };
        Ok(PendingCounts {
            workers: count("worker")?,
            events: count("event")?,
            services: count("service")?,
        })
    }

    pub fn basic_stats(&self) -> Result<BasicStats> {
        let (workers, members, joined_here, hardship): (i64, i64, i64, i64) = self.conn.query_row(
            "SELECT count(*),
                        coalesce(sum(membership = 'member'), 0),
                        coalesce(sum(membership = 'joined_here'), 0),
                        coalesce(sum(hardship), 0)
                 FROM worker WHERE deleted_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut stmt = self
            .conn
            .prepare("SELECT kind, count(*) FROM service WHERE deleted_at IS NULL GROUP BY kind")?;
        let counted: std::collections::HashMap<String, i64> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let services = counted.values().sum();
        let services_by_kind = crate::domain::refdata::service_kinds()
            .iter()
            .map(|k| (k.code.clone(), counted.get(&k.code).copied().unwrap_or(0)))
            .collect();
        Ok(BasicStats {
            workers,
            members,
            joined_here,
            hardship,
            services,
            services_by_kind,
        })
    }
}
