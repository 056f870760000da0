//! The figures read from the rollup tables of migration 4, which triggers keep in step with
//! every write: a few thousand small rows instead of millions of records.

use super::scan::Scan;
use super::{
    FOLLOW_UP_HORIZON_DAYS, HealthFigures, LegalAmounts, Result, Source, Sql, StatsQuery,
    WorkerCounts, next_day, ymd,
};
use chrono::{Datelike, Days, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

pub(super) struct Rollup<'c>(pub &'c Connection);

fn month(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

impl Source for Rollup<'_> {
    fn worker_counts(
        &self,
        query: &StatsQuery,
        created: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<WorkerCounts> {
        let mut sql = Sql::new(
            "SELECT coalesce(sum(workers), 0),
                    coalesce(sum(CASE WHEN membership = 'member' THEN workers END), 0),
                    coalesce(sum(CASE WHEN membership = 'joined_here' THEN workers END), 0),
                    coalesce(sum(CASE WHEN hardship THEN workers END), 0)
             FROM stat_worker_day WHERE workers <> 0",
        );
        sql.district("district_code", &query.district);
        if let Some((from, to)) = created {
            sql.push(" AND registered_on >= ?", ymd(from))
                .push(" AND registered_on <= ?", ymd(to));
        }
        sql.row(self.0, |r| {
            Ok(WorkerCounts {
                workers: r.get(0)?,
                members: r.get(1)?,
                joined_here: r.get(2)?,
                hardship: r.get(3)?,
            })
        })
    }

    fn registrations_by_month(
        &self,
        query: &StatsQuery,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        let mut sql =
            Sql::new("SELECT substr(registered_on, 1, 7), sum(workers) FROM stat_worker_day");
        sql.push(" WHERE registered_on >= ?", ymd(first))
            .push(" AND registered_on <= ?", ymd(last))
            .district("district_code", &query.district)
            .text(" GROUP BY 1");
        sql.map(self.0)
    }

    fn services_by_kind(&self, query: &StatsQuery) -> Result<HashMap<String, i64>> {
        let mut sql = Sql::new("SELECT kind, sum(services) FROM stat_service_day");
        sql.push(" WHERE served_on >= ?", ymd(query.from))
            .push(" AND served_on <= ?", ymd(query.to))
            .district("district_code", &query.district)
            .text(" GROUP BY kind HAVING sum(services) <> 0");
        sql.map(self.0)
    }

    fn services_by_month(
        &self,
        query: &StatsQuery,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        let mut sql =
            Sql::new("SELECT substr(served_on, 1, 7), sum(services) FROM stat_service_day");
        sql.push(" WHERE served_on >= ?", ymd(first))
            .push(" AND served_on <= ?", ymd(last))
            .district("district_code", &query.district)
            .text(" GROUP BY 1");
        sql.map(self.0)
    }

    fn health(&self, query: &StatsQuery, today: NaiveDate) -> Result<HealthFigures> {
        let mut sql = Sql::new(
            "SELECT coalesce(sum(services), 0), coalesce(sum(referred), 0) FROM stat_service_day",
        );
        sql.push(" WHERE served_on >= ?", ymd(query.from))
            .push(" AND served_on <= ?", ymd(query.to))
            .text(" AND kind = 'health_check'")
            .district("district_code", &query.district);
        let (checks, referred) = sql.row(self.0, |r| Ok((r.get(0)?, r.get(1)?)))?;
        let horizon = today
            .checked_add_days(Days::new(FOLLOW_UP_HORIZON_DAYS))
            .unwrap_or(today);
        let mut sql = Sql::new("SELECT ");
        sql.push("coalesce(sum(follow_up_on >= ?", ymd(today))
            .push(" AND (follow_up_on <= ?", ymd(horizon))
            .push(" OR follow_up_on BETWEEN ?", ymd(query.from))
            .push(" AND ?)), 0), ", ymd(query.to))
            .push("coalesce(sum(follow_up_on < ?), 0)", ymd(today))
            .text(" FROM stat_follow_up WHERE 1")
            .district("district_code", &query.district);
        let (due, overdue) = sql.row(self.0, |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(HealthFigures {
            checks,
            referred,
            follow_ups_due: due,
            follow_ups_overdue: overdue,
        })
    }

    fn legal(&self, query: &StatsQuery) -> Result<(HashMap<String, i64>, LegalAmounts)> {
        let mut sql = Sql::new("SELECT category, sum(cases) FROM stat_legal_open WHERE 1");
        sql.district("district_code", &query.district)
            .text(" GROUP BY category HAVING sum(cases) <> 0");
        let open = sql.map(self.0)?;
        let mut sql = Sql::new(
            "SELECT coalesce(sum(cases), 0), coalesce(sum(claimed_fen), 0),
                    coalesce(sum(recovered_fen), 0)
             FROM stat_legal_day",
        );
        sql.push(" WHERE served_on >= ?", ymd(query.from))
            .push(" AND served_on <= ?", ymd(query.to))
            .district("district_code", &query.district);
        let amounts = sql.row(self.0, |r| {
            Ok(LegalAmounts {
                cases: r.get(0)?,
                claimed_fen: r.get(1)?,
                recovered_fen: r.get(2)?,
            })
        })?;
        Ok((open, amounts))
    }

    fn served(&self, query: &StatsQuery) -> Result<(i64, i64)> {
        let whole_months = query.from.day() == 1 && next_day(query.to).day() == 1;
        if !whole_months {
            return Scan(self.0).served(query);
        }
        // A worker served in months m1..m2 has exactly one served month there whose previous
        // served month is before m1: the first one.
        let first = month(query.from);
        let mut sql = Sql::new(
            "SELECT coalesce(sum(workers), 0), coalesce(sum(workers * hardship), 0)
             FROM stat_reach",
        );
        sql.push(" WHERE month >= ?", first.clone())
            .push(" AND month <= ?", month(query.to))
            .push(" AND prev_month < ?", first)
            .district("district_code", &query.district);
        sql.row(self.0, |r| Ok((r.get(0)?, r.get(1)?)))
    }
}
