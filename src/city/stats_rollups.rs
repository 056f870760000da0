//! `city stats` read from the rollups the ingest keeps (`rollup`): a year over the whole city
//! reads a few thousand rows instead of every record. A period of whole months (a year, a
//! quarter, a month) is read from the rollups alone; any other period reads its odd days at
//! either end from the records (the services served then, and persons served in it).

use super::Result;
use super::stats::{CASE_HEAD, Headline, SERVICES};
use super::stats_series::{self, Breakdown, Money, SeriesMonths, day, next_day};
use chrono::{Datelike, Months, NaiveDate};
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
    let served_in_period = services_in_period(tx, district, from, to)?;
    let mut services_by_kind = BTreeMap::new();
    let mut by_kind_fen = BTreeMap::new();
    let mut period = ServiceSums::default();
    let mut health = ServiceSums::default();
    for ((kind, _), sums) in &served_in_period {
        *services_by_kind.entry(kind.clone()).or_insert(0) += sums.services;
        *by_kind_fen.entry(kind.clone()).or_insert(0) += sums.amount_fen;
        period.add(sums, 1);
        if kind == "health_check" {
            health.add(sums, 1);
        }
    }
    by_kind_fen.retain(|_, fen| *fen != 0);
    let open_cases: i64 = tx
        .query_one(
            &format!(
                "SELECT coalesce(sum(open_cases), 0)::bigint FROM stat_service_month
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
        health_checks: health.services,
        referred: health.referred,
        open_cases,
        cases_in_period: period.legal_cases,
        claimed_fen: period.claimed_fen,
        recovered_fen: period.recovered_fen,
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
        by_district: by_district(tx, district, &served_in_period)?,
    };
    Ok((headline, breakdown))
}

/// One kind's services in one district over a period, summed as `stat_service_month` sums
/// them.
#[derive(Debug, Default)]
struct ServiceSums {
    services: i64,
    referred: i64,
    legal_cases: i64,
    claimed_fen: i64,
    recovered_fen: i64,
    amount_fen: i64,
}

impl ServiceSums {
    /// From a row of `services`, `referred`, `legal_cases`, `claimed_fen`, `recovered_fen`
    /// and `amount_fen` after the kind and the district.
    fn from_row(row: &postgres::Row) -> ServiceSums {
        ServiceSums {
            services: row.get(2),
            referred: row.get(3),
            legal_cases: row.get(4),
            claimed_fen: row.get(5),
            recovered_fen: row.get(6),
            amount_fen: row.get(7),
        }
    }

    /// Adds `other` (`sign` 1) or takes it off (-1).
    fn add(&mut self, other: &ServiceSums, sign: i64) {
        self.services += sign * other.services;
        self.referred += sign * other.referred;
        self.legal_cases += sign * other.legal_cases;
        self.claimed_fen += sign * other.claimed_fen;
        self.recovered_fen += sign * other.recovered_fen;
        self.amount_fen += sign * other.amount_fen;
    }
}

/// The period's services by kind and district, as `split_into_months` reads them: months
/// from the rollup, days from the records, as the scan counts them.
fn services_in_period(
    tx: &mut Transaction,
    district: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<(String, String), ServiceSums>> {
    let (months, days) = split_into_months(from, to);
    let from_rollup = format!(
        "SELECT kind, district_code, sum(services)::bigint, sum(referred)::bigint,
                sum(legal_cases)::bigint, sum(claimed_fen)::bigint, sum(recovered_fen)::bigint,
                sum(amount_fen)::bigint
           FROM stat_service_month
          WHERE {IN_DISTRICT} AND month >= $2 AND month < $3
          GROUP BY 1, 2"
    );
    let from_records = format!(
        "SELECT kind, district_code, count(*), count(*) FILTER (WHERE referral),
                count(*) FILTER (WHERE head),
                coalesce(sum(la_claimed_fen) FILTER (WHERE head), 0)::bigint,
                coalesce(sum(la_recovered_fen) FILTER (WHERE head), 0)::bigint,
                coalesce(sum(amount_fen), 0)::bigint
           FROM (SELECT s.kind, sw.district_code, s.hc_referral AS referral, s.la_claimed_fen,
                        s.la_recovered_fen, s.amount_fen, {CASE_HEAD} AS head
                 {SERVICES} AND s.served_on >= $2 AND s.served_on < $3) served
          GROUP BY 1, 2"
    );
    let mut reads: Vec<(&str, Days, i64)> = Vec::new();
    if let Some(months) = months {
        reads.push((&from_rollup, months, 1));
    }
    reads.extend(
        days.into_iter()
            .map(|(range, sign)| (from_records.as_str(), range, sign)),
    );
    let mut sums: BTreeMap<(String, String), ServiceSums> = BTreeMap::new();
    for (sql, (start, end), sign) in reads {
        for row in tx.query(sql, &[district, &start, &end])? {
            sums.entry((row.get(0), row.get(1)))
                .or_default()
                .add(&ServiceSums::from_row(&row), sign);
        }
    }
    // A kind and district whose days taken off were all its month had: no services in the
    // period, and not listed (as the scan lists none).
    sums.retain(|_, sums| sums.services != 0);
    Ok(sums)
}

/// Days `start..end`.
type Days = (NaiveDate, NaiveDate);

/// `from..=to` as one run of months read from the rollup and days read from the records, each
/// added (1) or taken off (-1), none empty: every whole month is in the run, and a month the
/// period covers in part is either its days in the period or, when those are more, the whole
/// month less its days outside the period. So no more than half a month is read from the
/// records at either end (a period within one month: the month less both ends, or its days).
fn split_into_months(from: NaiveDate, to: NaiveDate) -> (Option<Days>, Vec<(Days, i64)>) {
    let end = next_day(to);
    let month_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let month_after = |m: NaiveDate| m.checked_add_months(Months::new(1)).unwrap_or(end);
    let mut months: Option<Days> = None;
    let mut days = Vec::new();
    let mut take_month = |month: Days| {
        months = Some(match months {
            Some((first, _)) => (first, month.1),
            None => month,
        });
    };
    let mut cursor = from;
    while cursor < end {
        let month = (month_of(cursor), month_after(month_of(cursor)));
        let piece_end = end.min(month.1);
        let inside = (piece_end - cursor).num_days();
        let outside = (month.1 - month.0).num_days() - inside;
        if outside < inside {
            take_month(month);
            for outside in [(month.0, cursor), (piece_end, month.1)] {
                if outside.0 < outside.1 {
                    days.push((outside, -1));
                }
            }
        } else {
            days.push(((cursor, piece_end), 1));
        }
        cursor = piece_end;
    }
    (months, days)
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
            "SELECT to_char(month, 'YYYY-MM'), sum(services)::bigint,
                    sum(amount_fen)::bigint
               FROM stat_service_month
              WHERE {IN_DISTRICT} AND month BETWEEN $2 AND $3 GROUP BY 1"
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
    served_in_period: &BTreeMap<(String, String), ServiceSums>,
) -> Result<Vec<stats_series::DistrictFigures>> {
    let mut figures: BTreeMap<String, stats_series::DistrictFigures> = BTreeMap::new();
    let blank = |code: &str| stats_series::DistrictFigures {
        district_code: code.to_string(),
        workers: 0,
        records: 0,
        hardship: 0,
        services: 0,
        amount_fen: 0,
    };
    for row in tx.query(
        &format!(
            "SELECT district_code, sum(workers)::bigint, sum(workers + merged_records)::bigint,
                    sum(hardship)::bigint
               FROM stat_persons WHERE {IN_DISTRICT} GROUP BY district_code"
        ),
        &[district],
    )? {
        let code: String = row.get(0);
        let entry = figures.entry(code.clone()).or_insert_with(|| blank(&code));
        entry.workers = row.get(1);
        entry.records = row.get(2);
        entry.hardship = row.get(3);
    }
    for ((_, code), sums) in served_in_period {
        let entry = figures.entry(code.clone()).or_insert_with(|| blank(code));
        entry.services += sums.services;
        entry.amount_fen += sums.amount_fen;
    }
    Ok(figures.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::split_into_months;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    type Shown = (String, String);

    fn split(from: &str, to: &str) -> (Option<Shown>, Vec<(Shown, i64)>) {
        let show = |(a, b): (NaiveDate, NaiveDate)| (a.to_string(), b.to_string());
        let (months, days) = split_into_months(d(from), d(to));
        (
            months.map(show),
            days.into_iter().map(|(r, sign)| (show(r), sign)).collect(),
        )
    }

    fn range(a: &str, b: &str) -> Shown {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn whole_months_are_read_from_the_rollup_alone() {
        assert_eq!(
            split("2026-01-01", "2026-12-31"),
            (Some(range("2026-01-01", "2027-01-01")), vec![])
        );
        assert_eq!(
            split("2024-02-01", "2024-02-29"),
            (Some(range("2024-02-01", "2024-03-01")), vec![])
        );
    }

    #[test]
    fn a_month_covered_in_part_is_read_as_its_fewer_days() {
        // 14 days of March before the period against 17 in it; 10 of November after it
        // against 20 in it: both months whole, less those days.
        assert_eq!(
            split("2026-03-15", "2026-11-20"),
            (
                Some(range("2026-03-01", "2026-12-01")),
                vec![
                    (range("2026-03-01", "2026-03-15"), -1),
                    (range("2026-11-21", "2026-12-01"), -1)
                ]
            )
        );
        // One day of October and one of December in the period: those days alone.
        assert_eq!(
            split("2026-10-31", "2026-12-01"),
            (
                Some(range("2026-11-01", "2026-12-01")),
                vec![
                    (range("2026-10-31", "2026-11-01"), 1),
                    (range("2026-12-01", "2026-12-02"), 1)
                ]
            )
        );
        // The first half of a month as its days; the last 16 days of one as the month less 15.
        assert_eq!(
            split("2026-11-01", "2026-11-15"),
            (None, vec![(range("2026-11-01", "2026-11-16"), 1)])
        );
        assert_eq!(
            split("2026-10-16", "2026-10-31"),
            (
                Some(range("2026-10-01", "2026-11-01")),
                vec![(range("2026-10-01", "2026-10-16"), -1)]
            )
        );
    }

    #[test]
    fn a_period_within_one_month_is_the_month_less_both_ends_when_they_are_fewer() {
        assert_eq!(
            split("2026-11-02", "2026-11-29"),
            (
                Some(range("2026-11-01", "2026-12-01")),
                vec![
                    (range("2026-11-01", "2026-11-02"), -1),
                    (range("2026-11-30", "2026-12-01"), -1)
                ]
            )
        );
        assert_eq!(
            split("2026-11-10", "2026-11-12"),
            (None, vec![(range("2026-11-10", "2026-11-13"), 1)])
        );
    }
}
