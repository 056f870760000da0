//! The parts of `city stats` beyond the headline counts (`Breakdown`): persons served,
//! registrations in the period, the per-month series (the twelve months ending today, as the
//! laptop shows them whatever the period), the money handed out, and the figures per
//! district. Here they are counted from the records (the scan the rollups are checked
//! against, and persons served in a period of odd days); `stats_rollups` reads them from the
//! rollups, through the same assembly.
//!
//! Definitions follow the laptop's (src/store/stats/scan.rs) with a person in place of a
//! record: a person registered when their first live record was made (`created_at`, compared
//! as text like the laptop's), lives in the district of the record they show, and has the
//! services of all their records.

use super::Result;
use super::stats::{PERSONS, SERVICES};
use crate::store::stats::{MonthAmount, MonthCount, WorkerCounts};
use chrono::{Days, Months, NaiveDate};
use postgres::Transaction;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Months in the series, the current one last (the laptop's `SERIES_MONTHS`).
const SERIES_MONTHS: u32 = crate::store::stats::SERIES_MONTHS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    /// Amounts of the live services served in the period.
    pub total_fen: i64,
    /// Per service kind, only kinds with an amount (as the laptop's `money.by_kind_fen`).
    pub by_kind_fen: BTreeMap<String, i64>,
    /// The series months.
    pub by_month: Vec<MonthAmount>,
}

impl Money {
    pub fn new(by_kind_fen: BTreeMap<String, i64>, by_month: Vec<MonthAmount>) -> Money {
        Money {
            total_fen: by_kind_fen.values().sum(),
            by_kind_fen,
            by_month,
        }
    }
}

/// One district's figures in the period (the district of each person's shown record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictFigures {
    pub district_code: String,
    pub workers: i64,
    pub records: i64,
    pub hardship: i64,
    pub services: i64,
    pub amount_fen: i64,
}

/// The figures beyond the headline counts, from either source.
pub struct Breakdown {
    pub served: i64,
    pub hardship_served: i64,
    pub new_workers: WorkerCounts,
    pub new_workers_by_month: Vec<MonthCount>,
    pub services_by_month: Vec<MonthCount>,
    pub money: Money,
    pub by_district: Vec<DistrictFigures>,
}

/// Every figure of the breakdown counted from the records.
pub fn breakdown(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Breakdown> {
    let (served, hardship_served) = served(tx, district, from, to)?;
    let new_workers = new_workers(tx, district, from, to)?;
    let (new_workers_by_month, services_by_month, money_by_month) = monthly(tx, district, today)?;
    let by_kind_fen = money_by_kind(tx, district, from, to)?;
    Ok(Breakdown {
        served,
        hardship_served,
        new_workers,
        new_workers_by_month,
        services_by_month,
        money: Money::new(by_kind_fen, money_by_month),
        by_district: by_district(tx, district, from, to)?,
    })
}

/// Persons with a live service in the period, and the hardship persons among them.
pub fn served(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(i64, i64)> {
    let row = tx.query_one(
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE sw.hardship) {PERSONS}
               AND EXISTS (SELECT 1 FROM workers o JOIN services s ON s.worker_uid = o.uid
                            WHERE o.person_id = p.id AND s.deleted_at IS NULL
                              AND s.served_on >= $2 AND s.served_on <= $3)"
        ),
        &[district, &from, &to],
    )?;
    Ok((row.get(0), row.get(1)))
}

/// A person's registration day: their first live record's `created_at`.
const FIRST_MADE: &str = "(SELECT min(o.created_at COLLATE \"C\") FROM workers o
                           WHERE o.person_id = p.id AND o.deleted_at IS NULL)";

/// Persons registered between two days (inclusive), counted like the headline figures.
pub fn new_workers(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<WorkerCounts> {
    let row = tx.query_one(
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE sw.membership = 'member'),
                    count(*) FILTER (WHERE sw.membership = 'joined_here'),
                    count(*) FILTER (WHERE sw.hardship)
             {PERSONS} AND {FIRST_MADE} >= $2 AND {FIRST_MADE} < $3"
        ),
        &[district, &day(from), &day(next_day(to))],
    )?;
    Ok(worker_counts(&row))
}

/// Workers, members, joined here and hardship, the first four columns of a row.
pub(super) fn worker_counts(row: &postgres::Row) -> WorkerCounts {
    WorkerCounts {
        workers: row.get(0),
        members: row.get(1),
        joined_here: row.get(2),
        hardship: row.get(3),
    }
}

/// The series months ending with today's: registrations and services per month.
pub fn monthly(
    tx: &mut Transaction,
    district: &Option<String>,
    today: NaiveDate,
) -> Result<(Vec<MonthCount>, Vec<MonthCount>, Vec<MonthAmount>)> {
    let months = SeriesMonths::ending(today);
    let mut registered: HashMap<String, i64> = HashMap::new();
    for row in tx.query(
        &format!(
            "SELECT substr(made, 1, 7), count(*) FROM (SELECT {FIRST_MADE} AS made {PERSONS}) m
              WHERE made >= $2 AND made < $3 GROUP BY 1"
        ),
        &[district, &day(months.first), &day(next_day(months.last))],
    )? {
        registered.insert(row.get(0), row.get(1));
    }
    let mut served: HashMap<String, (i64, i64)> = HashMap::new();
    for row in tx.query(
        &format!(
            "SELECT to_char(s.served_on, 'YYYY-MM'), count(*), coalesce(sum(s.amount_fen), 0)::bigint
             {SERVICES} AND s.served_on >= $2 AND s.served_on <= $3 GROUP BY 1"
        ),
        &[district, &months.first, &months.last],
    )? {
        served.insert(row.get(0), (row.get(1), row.get(2)));
    }
    Ok(months.series(&registered, &served))
}

/// The months of the series, the current one last, and the first and last day they cover.
pub(super) struct SeriesMonths {
    months: Vec<NaiveDate>,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl SeriesMonths {
    pub fn ending(today: NaiveDate) -> SeriesMonths {
        let months = crate::store::period::months_ending(today, SERIES_MONTHS);
        let first = months.first().copied().unwrap_or(today);
        let last = months.last().copied().unwrap_or(today);
        let last = (last + Months::new(1)).pred_opt().unwrap_or(last);
        SeriesMonths {
            months,
            first,
            last,
        }
    }

    /// Registrations, services and amounts per month, from counts keyed by `YYYY-MM`
    /// (registrations; services with their amounts).
    pub fn series(
        &self,
        registered: &HashMap<String, i64>,
        served: &HashMap<String, (i64, i64)>,
    ) -> (Vec<MonthCount>, Vec<MonthCount>, Vec<MonthAmount>) {
        let label = |m: &NaiveDate| m.format("%Y-%m").to_string();
        let count_series = |counted: &dyn Fn(&str) -> i64| -> Vec<MonthCount> {
            self.months
                .iter()
                .map(|m| MonthCount {
                    month: label(m),
                    count: counted(&label(m)),
                })
                .collect()
        };
        let new_by_month = count_series(&|m| registered.get(m).copied().unwrap_or(0));
        let services_by_month = count_series(&|m| served.get(m).map_or(0, |s| s.0));
        let money_by_month = self
            .months
            .iter()
            .map(|m| MonthAmount {
                month: label(m),
                amount_fen: served.get(&label(m)).map_or(0, |s| s.1),
            })
            .collect();
        (new_by_month, services_by_month, money_by_month)
    }
}

/// Amounts per kind in the period; the kinds with none are left out, as on the laptop.
pub fn money_by_kind(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, i64>> {
    let rows = tx.query(
        &format!(
            "SELECT s.kind, sum(s.amount_fen)::bigint
             {SERVICES} AND s.served_on >= $2 AND s.served_on <= $3
             GROUP BY s.kind HAVING sum(s.amount_fen) <> 0"
        ),
        &[district, &from, &to],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Every district with a live person or a service in the period, by code.
pub fn by_district(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DistrictFigures>> {
    let rows = tx.query(
        &format!(
            "WITH people AS (
                SELECT sw.district_code, count(*) AS workers,
                       sum((SELECT count(*) FROM workers o
                             WHERE o.person_id = p.id AND o.deleted_at IS NULL))::bigint AS records,
                       count(*) FILTER (WHERE sw.hardship) AS hardship
                {PERSONS} GROUP BY sw.district_code),
             served AS (
                SELECT sw.district_code, count(*) AS services,
                       coalesce(sum(s.amount_fen), 0)::bigint AS amount_fen
                {SERVICES} AND s.served_on >= $2 AND s.served_on <= $3
                GROUP BY sw.district_code)
             SELECT district_code, coalesce(p.workers, 0), coalesce(p.records, 0),
                    coalesce(p.hardship, 0), coalesce(s.services, 0), coalesce(s.amount_fen, 0)
               FROM people p FULL JOIN served s USING (district_code)
              ORDER BY district_code"
        ),
        &[district, &from, &to],
    )?;
    Ok(rows.iter().map(district_figures).collect())
}

/// A district's row: code, workers, records, hardship, services, amount.
pub(super) fn district_figures(r: &postgres::Row) -> DistrictFigures {
    DistrictFigures {
        district_code: r.get(0),
        workers: r.get(1),
        records: r.get(2),
        hardship: r.get(3),
        services: r.get(4),
        amount_fen: r.get(5),
    }
}

pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}
