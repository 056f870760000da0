//! `city stats` read from the rollups the ingest keeps (`rollup`): a year over the whole city
//! reads a few thousand rows instead of every record. Days, kinds and districts are exact for
//! any period; persons served are exact from `stat_reach` for a period of whole months (a
//! year, a quarter, a month), and any other period counts them from the records.

use super::Result;
use super::stats::Headline;
use super::stats_series::{self, Breakdown, Money, SeriesMonths, day, next_day};
use chrono::{Datelike, NaiveDate};
use postgres::Transaction;
use std::collections::{BTreeMap, HashMap};

/// Both halves of the figures for the period and district (`None`: the city).
pub fn read(
    tx: &mut Transaction,
    from: NaiveDate,
    to: NaiveDate,
    district: &Option<String>,
    today: NaiveDate,
) -> Result<(Headline, Breakdown)> {
    let people = tx.query_one(
        "SELECT coalesce(sum(workers), 0)::bigint, coalesce(sum(members), 0)::bigint,
                coalesce(sum(joined_here), 0)::bigint, coalesce(sum(hardship), 0)::bigint,
                coalesce(sum(merged_records), 0)::bigint
           FROM stat_persons WHERE $1::text IS NULL OR district_code = $1",
        &[district],
    )?;
    let mut services_by_kind = BTreeMap::new();
    let mut by_kind_fen = BTreeMap::new();
    for row in tx.query(
        &format!(
            "SELECT kind, sum(services)::bigint, sum(amount_fen)::bigint FROM stat_service_day
              WHERE {IN_DISTRICT} AND served_on BETWEEN $2 AND $3 GROUP BY kind"
        ),
        &[district, &from, &to],
    )? {
        let kind: String = row.get(0);
        let amount: i64 = row.get(2);
        if amount != 0 {
            by_kind_fen.insert(kind.clone(), amount);
        }
        services_by_kind.insert(kind, row.get(1));
    }
    let period = tx.query_one(
        &format!(
            "SELECT coalesce(sum(services) FILTER (WHERE kind = 'health_check'), 0)::bigint,
                    coalesce(sum(referred) FILTER (WHERE kind = 'health_check'), 0)::bigint,
                    coalesce(sum(legal_cases), 0)::bigint, coalesce(sum(claimed_fen), 0)::bigint,
                    coalesce(sum(recovered_fen), 0)::bigint
               FROM stat_service_day WHERE {IN_DISTRICT} AND served_on BETWEEN $2 AND $3"
        ),
        &[district, &from, &to],
    )?;
    let open_cases: i64 = tx
        .query_one(
            &format!(
                "SELECT coalesce(sum(open_cases), 0)::bigint FROM stat_service_day
                  WHERE {IN_DISTRICT} AND open_cases <> 0"
            ),
            &[district],
        )?
        .get(0);
    let headline = Headline {
        workers: people.get(0),
        members: people.get(1),
        joined_here: people.get(2),
        hardship: people.get(3),
        merged_records: people.get(4),
        services_by_kind,
        health_checks: period.get(0),
        referred: period.get(1),
        open_cases,
        cases_in_period: period.get(2),
        claimed_fen: period.get(3),
        recovered_fen: period.get(4),
    };
    let (served, hardship_served) = match served_in_whole_months(tx, from, to, district)? {
        Some(counts) => counts,
        None => stats_series::served(tx, district, from, to)?,
    };
    let (new_workers_by_month, services_by_month, money_by_month) = monthly(tx, district, today)?;
    let breakdown = Breakdown {
        served,
        hardship_served,
        new_workers: new_workers(tx, district, from, to)?,
        new_workers_by_month,
        services_by_month,
        money: Money::new(by_kind_fen, money_by_month),
        by_district: by_district(tx, district, from, to)?,
    };
    Ok((headline, breakdown))
}

const IN_DISTRICT: &str = "($1::text IS NULL OR district_code = $1)";

/// Persons served and the hardship ones among them, when the period is whole months: a
/// person first served within the run is the one row whose previous month falls before it.
fn served_in_whole_months(
    tx: &mut Transaction,
    from: NaiveDate,
    to: NaiveDate,
    district: &Option<String>,
) -> Result<Option<(i64, i64)>> {
    let whole_months = from.day() == 1 && to.succ_opt().is_none_or(|next| next.day() == 1);
    if !whole_months {
        return Ok(None);
    }
    let row = tx.query_one(
        &format!(
            "SELECT coalesce(sum(persons), 0)::bigint, coalesce(sum(hardship_persons), 0)::bigint
               FROM stat_reach
              WHERE {IN_DISTRICT} AND month BETWEEN $2 AND $3 AND prev_month < $2"
        ),
        &[district, &from, &to],
    )?;
    Ok(Some((row.get(0), row.get(1))))
}

/// Persons registered between two days (inclusive); days are text as in `stat_registered`.
fn new_workers(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<crate::store::stats::WorkerCounts> {
    let row = tx.query_one(
        &format!(
            "SELECT coalesce(sum(workers), 0)::bigint, coalesce(sum(members), 0)::bigint,
                    coalesce(sum(joined_here), 0)::bigint, coalesce(sum(hardship), 0)::bigint
               FROM stat_registered
              WHERE {IN_DISTRICT} AND made_on >= $2 AND made_on < $3"
        ),
        &[district, &day(from), &day(next_day(to))],
    )?;
    Ok(stats_series::worker_counts(&row))
}

type Series = (
    Vec<crate::store::stats::MonthCount>,
    Vec<crate::store::stats::MonthCount>,
    Vec<crate::store::stats::MonthAmount>,
);

/// The series months ending with today's: registrations, services and amounts per month.
fn monthly(tx: &mut Transaction, district: &Option<String>, today: NaiveDate) -> Result<Series> {
    let months = SeriesMonths::ending(today);
    let mut registered: HashMap<String, i64> = HashMap::new();
    for row in tx.query(
        &format!(
            "SELECT substr(made_on, 1, 7), sum(workers)::bigint FROM stat_registered
              WHERE {IN_DISTRICT} AND made_on >= $2 AND made_on < $3 GROUP BY 1"
        ),
        &[district, &day(months.first), &day(next_day(months.last))],
    )? {
        registered.insert(row.get(0), row.get(1));
    }
    let mut served: HashMap<String, (i64, i64)> = HashMap::new();
    for row in tx.query(
        &format!(
            "SELECT to_char(served_on, 'YYYY-MM'), sum(services)::bigint,
                    sum(amount_fen)::bigint
               FROM stat_service_day
              WHERE {IN_DISTRICT} AND served_on BETWEEN $2 AND $3 GROUP BY 1"
        ),
        &[district, &months.first, &months.last],
    )? {
        served.insert(row.get(0), (row.get(1), row.get(2)));
    }
    Ok(months.series(&registered, &served))
}

/// Every district with a live person or a service in the period, by code.
fn by_district(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<stats_series::DistrictFigures>> {
    let rows = tx.query(
        &format!(
            "WITH people AS (
                SELECT district_code, sum(workers) AS workers,
                       sum(workers + merged_records) AS records, sum(hardship) AS hardship
                  FROM stat_persons WHERE {IN_DISTRICT} GROUP BY district_code),
             served AS (
                SELECT district_code, sum(services) AS services, sum(amount_fen) AS amount_fen
                  FROM stat_service_day
                 WHERE {IN_DISTRICT} AND served_on BETWEEN $2 AND $3
                 GROUP BY district_code)
             SELECT district_code, coalesce(p.workers, 0)::bigint, coalesce(p.records, 0)::bigint,
                    coalesce(p.hardship, 0)::bigint, coalesce(s.services, 0)::bigint,
                    coalesce(s.amount_fen, 0)::bigint
               FROM people p FULL JOIN served s USING (district_code)
              ORDER BY district_code"
        ),
        &[district, &from, &to],
    )?;
    Ok(rows.iter().map(stats_series::district_figures).collect())
}
