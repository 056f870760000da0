//! The figures read from the rollup tables of migrations 4 and 13, which triggers keep in step with
//! every write: a few thousand small rows instead of millions of records.

use super::{
    EventAmount, FOLLOW_UP_HORIZON_DAYS, HealthFigures, LegalAmounts, Result, Source, Sql,
    StatsQuery, WorkerCounts, money, needs, next_day, ymd,
};
use crate::store::period::first_of_month;
use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

pub(super) struct Rollup<'c>(pub &'c Connection);

fn month(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// How service totals are keyed.
#[derive(Clone, Copy)]
enum Group {
    Kind,
    Month,
    All,
}

/// A period cut into whole months, read from the monthly rollup, and the days left over at
/// either end, read from the daily one.
#[derive(Debug, PartialEq)]
pub(super) struct Cut {
    /// First and last whole month, "YYYY-MM".
    pub months: Option<(String, String)>,
    pub days: Vec<(NaiveDate, NaiveDate)>,
}

pub(super) fn cut((from, to): (NaiveDate, NaiveDate)) -> Cut {
    if from > to {
        return Cut {
            months: None,
            days: Vec::new(),
        };
    }
    let whole_from = if from.day() == 1 {
        from
    } else {
        first_of_month(from) + Months::new(1)
    };
    // The first day after the last whole month.
    let whole_end = first_of_month(next_day(to));
    if whole_from >= whole_end {
        return Cut {
            months: None,
            days: vec![(from, to)],
        };
    }
    let mut days = Vec::new();
    if from < whole_from {
        days.push((from, whole_from.pred_opt().unwrap_or(whole_from)));
    }
    if whole_end <= to {
        days.push((whole_end, to));
    }
    Cut {
        months: Some((
            month(whole_from),
            month(whole_end.pred_opt().unwrap_or(whole_end)),
        )),
        days,
    }
}

impl Rollup<'_> {
    /// Served workers (all, hardship) over a period that is not whole months, from the served
    /// months of its first and last month (migration 6 says how).
    fn served_in_odd_period(&self, query: &StatsQuery) -> Result<(i64, i64)> {
        let (from, to) = (ymd(query.from), ymd(query.to));
        let (head, tail) = (month(query.from), month(query.to));
        if head == tail {
            return self.served_within_one_month(query);
        }
        // Whole months between the head and the tail, if any.
        let whole = (
            month(first_of_month(query.from) + Months::new(1)),
            month(first_of_month(query.to) - Months::new(1)),
        );
        let head_starts_month = query.from.day() == 1;
        let mut served = (0, 0);
        let mut add = |sql: &mut Sql| -> Result<()> {
            sql.district("district_code", &query.district);
            let (all, hardship): (i64, i64) = sql.row(self.0, |r| Ok((r.get(0)?, r.get(1)?)))?;
            served.0 += all;
            served.1 += hardship;
            Ok(())
        };
        // The head month: every row when the period takes the whole month.
        let mut sql = Sql::new(
            "SELECT count(*), coalesce(sum(hardship), 0)
             FROM stat_worker_month INDEXED BY stat_worker_month_by_month",
        );
        sql.push(" WHERE month = ?", head.clone());
        if !head_starts_month {
            sql.push(" AND (last_day >= ?", from.clone())
                .push(" OR next_month BETWEEN ?", whole.0.clone())
                .push(" AND ?)", whole.1.clone());
        }
        add(&mut sql)?;
        // Whole months: workers whose previous served month is before the head month.
        if whole.0 <= whole.1 {
            let mut sql = Sql::new(
                "SELECT coalesce(sum(workers), 0), coalesce(sum(workers * hardship), 0)
                 FROM stat_reach",
            );
            sql.push(" WHERE month >= ?", whole.0.clone())
                .push(" AND month <= ?", whole.1)
                .push(" AND prev_month < ?", head);
            add(&mut sql)?;
        }
        // The tail month, unless an earlier service in the period counted the worker.
        let mut sql = Sql::new(
            "SELECT count(*), coalesce(sum(hardship), 0)
             FROM stat_worker_month INDEXED BY stat_worker_month_by_month",
        );
        sql.push(" WHERE month = ?", tail)
            .push(" AND first_day <= ?", to)
            .push(" AND prev_last_day < ?", from);
        add(&mut sql)?;
        Ok(served)
    }

    /// Served workers over days within one month: the month's rows whose first or last day
    /// falls in the period, and those whose days straddle it with a service in between.
    fn served_within_one_month(&self, query: &StatsQuery) -> Result<(i64, i64)> {
        let (from, to) = (ymd(query.from), ymd(query.to));
        let mut sql = Sql::new(
            "SELECT count(*), coalesce(sum(hardship), 0)
             FROM stat_worker_month m INDEXED BY stat_worker_month_by_month",
        );
        sql.push(" WHERE month = ?", month(query.from))
            .district("district_code", &query.district)
            .push(" AND last_day >= ?", from.clone())
            .push(" AND first_day <= ?", to.clone())
            .push(" AND (first_day >= ?", from.clone())
            .push(" OR last_day <= ?", to.clone())
            .text(
                " OR EXISTS (SELECT 1 FROM service s INDEXED BY service_live_worker
                             WHERE s.worker_id = m.worker_id AND s.deleted_at IS NULL",
            )
            .push(" AND s.served_on >= ?", from)
            .push(" AND s.served_on <= ?))", to);
        sql.row(self.0, |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// Live services and health-check referrals within `days`, keyed by `group`.
    fn service_totals(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
        group: Group,
        health_checks_only: bool,
    ) -> Result<HashMap<String, (i64, i64)>> {
        let mut totals: HashMap<String, (i64, i64)> = HashMap::new();
        let add = |sql: &mut Sql| -> Result<()> {
            if health_checks_only {
                sql.text(" AND kind = 'health_check'");
            }
            sql.district("district_code", &query.district)
                .text(" GROUP BY 1");
            for (key, services, referred) in sql.rows(self.0, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })? {
                let entry = totals.entry(key).or_default();
                entry.0 += services;
                entry.1 += referred;
            }
            Ok(())
        };
        over_months_and_days(
            days,
            group,
            "sum(services), sum(referred)",
            ("stat_service_month", "stat_service_day"),
            add,
        )?;
        totals.retain(|_, (services, _)| *services != 0);
        Ok(totals)
    }

    /// Amounts of live services within `days`, keyed by `group`: whole months from the
    /// monthly amounts, the odd days from the daily ones.
    fn amount_totals(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
        group: Group,
    ) -> Result<HashMap<String, i64>> {
        let mut totals: HashMap<String, i64> = HashMap::new();
        let add = |sql: &mut Sql| -> Result<()> {
            sql.district("district_code", &query.district)
                .text(" GROUP BY 1");
            for (key, fen) in sql.rows(self.0, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })? {
                *totals.entry(key).or_default() += fen;
            }
            Ok(())
        };
        over_months_and_days(
            days,
            group,
            "sum(amount_fen)",
            ("stat_amount_month", "stat_amount_day"),
            add,
        )?;
        totals.retain(|_, fen| *fen != 0);
        Ok(totals)
    }
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
        let totals = self.service_totals(query, (query.from, query.to), Group::Kind, false)?;
        Ok(totals.into_iter().map(|(k, (n, _))| (k, n)).collect())
    }

    fn services_by_month(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        let totals = self.service_totals(query, days, Group::Month, false)?;
        Ok(totals.into_iter().map(|(k, (n, _))| (k, n)).collect())
    }

    fn health(&self, query: &StatsQuery, today: NaiveDate) -> Result<HealthFigures> {
        let totals = self.service_totals(query, (query.from, query.to), Group::All, true)?;
        let (checks, referred) = totals.values().copied().next().unwrap_or_default();
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
        let mut amounts = sql.row(self.0, |r| {
            Ok(LegalAmounts {
                cases: r.get(0)?,
                closed: 0,
                claimed_fen: r.get(1)?,
                recovered_fen: r.get(2)?,
            })
        })?;
        let mut sql = Sql::new("SELECT count(*) FROM stat_legal_head WHERE NOT is_open");
        sql.push(" AND served_on >= ?", ymd(query.from))
            .push(" AND served_on <= ?", ymd(query.to))
            .district("district_code", &query.district);
        amounts.closed = sql.row(self.0, |r| r.get(0))?;
        Ok((open, amounts))
    }

    fn amounts_by_kind(&self, query: &StatsQuery) -> Result<HashMap<String, i64>> {
        self.amount_totals(query, (query.from, query.to), Group::Kind)
    }

    fn amounts_by_month(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        self.amount_totals(query, days, Group::Month)
    }

    fn event_totals(&self, query: &StatsQuery) -> Result<(i64, i64, i64)> {
        money::event_totals(self.0, "stat_event_amount", query)
    }

    fn top_events(&self, query: &StatsQuery, limit: usize) -> Result<Vec<EventAmount>> {
        money::top_events(self.0, "stat_event_amount", query, limit)
    }

    fn need_counts(&self, query: &StatsQuery) -> Result<Vec<needs::NeedCount>> {
        needs::rollup_counts(self.0, query)
    }

    fn hardship_open_needs(&self, query: &StatsQuery) -> Result<i64> {
        needs::rollup_hardship_open(self.0, query)
    }

    fn served(&self, query: &StatsQuery) -> Result<(i64, i64)> {
        let whole_months = query.from.day() == 1 && next_day(query.to).day() == 1;
        if !whole_months {
            return self.served_in_odd_period(query);
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

/// Selects `columns`, keyed by `group`, from a rollup kept by month and by day: the whole
/// months of `days` from the monthly table, the odd days at either end from the daily one.
/// Each statement is handed to `add`, which adds its filters and reads its rows.
fn over_months_and_days(
    days: (NaiveDate, NaiveDate),
    group: Group,
    columns: &str,
    (month_table, day_table): (&str, &str),
    mut add: impl FnMut(&mut Sql) -> Result<()>,
) -> Result<()> {
    let parts = cut(days);
    if let Some((first, last)) = parts.months {
        let key = match group {
            Group::Kind => "kind",
            Group::Month => "month",
            Group::All => "''",
        };
        let mut sql = Sql::new(&format!("SELECT {key}, {columns} FROM {month_table}"));
        sql.push(" WHERE month >= ?", first)
            .push(" AND month <= ?", last);
        add(&mut sql)?;
    }
    for (from, to) in parts.days {
        let key = match group {
            Group::Kind => "kind",
            Group::Month => "substr(served_on, 1, 7)",
            Group::All => "''",
        };
        let mut sql = Sql::new(&format!("SELECT {key}, {columns} FROM {day_table}"));
        sql.push(" WHERE served_on >= ?", ymd(from))
            .push(" AND served_on <= ?", ymd(to));
        add(&mut sql)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_cut_into_whole_months_and_odd_days() {
        let whole = cut((d("2026-01-01"), d("2026-12-31")));
        assert_eq!(whole.months, Some(("2026-01".into(), "2026-12".into())));
        assert!(whole.days.is_empty());
        let odd = cut((d("2026-01-15"), d("2026-04-10")));
        assert_eq!(odd.months, Some(("2026-02".into(), "2026-03".into())));
        assert_eq!(
            odd.days,
            [
                (d("2026-01-15"), d("2026-01-31")),
                (d("2026-04-01"), d("2026-04-10"))
            ]
        );
        let inside = cut((d("2026-02-03"), d("2026-02-20")));
        assert_eq!(inside.months, None);
        assert_eq!(inside.days, [(d("2026-02-03"), d("2026-02-20"))]);
        let to_month_end = cut((d("2026-02-03"), d("2026-03-31")));
        assert_eq!(
            to_month_end.months,
            Some(("2026-03".into(), "2026-03".into()))
        );
        assert_eq!(to_month_end.days, [(d("2026-02-03"), d("2026-02-28"))]);
        assert_eq!(cut((d("2026-02-03"), d("2026-02-01"))).days, []);
    }
}
