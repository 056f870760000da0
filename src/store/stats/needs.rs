//! Demand beside supply: what workers asked for in the period, by kind, month and district,
//! where it stands now (open, answered by a service, closed by hand), next to the services
//! delivered in the period of the kinds that answer it; and the hardship workers' needs that
//! have waited longest.
//!
//! What counts: live needs of live workers raised in the period (by `raised_on`), in the
//! worker's workplace district, as every other figure. The state is the need's state now. The
//! open-longest list holds the open needs of live hardship workers raised up to the period's
//! last day, oldest first.

use super::rollup::{Cut, cut};
use super::{Result, Sql, StatsQuery, next_day, ymd};
use crate::domain::needs::need_kinds;
use crate::domain::refdata;
use crate::store::period::first_of_month;
use chrono::{Months, NaiveDate};
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};

/// Where needs stand now, of those raised in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct NeedTally {
    pub raised: i64,
    pub open: i64,
    pub answered: i64,
    pub closed: i64,
}

impl NeedTally {
    fn add(&mut self, state: &str, needs: i64) {
        self.raised += needs;
        match state {
            "open" => self.open += needs,
            "answered" => self.answered += needs,
            _ => self.closed += needs,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NeedKindFigures {
    pub kind: String,
    #[serde(flatten)]
    pub tally: NeedTally,
    /// Services delivered in the period of the kinds that answer this need (a service kind
    /// that answers two needs counts beside both).
    pub answering_services: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NeedMonthFigures {
    pub month: String,
    #[serde(flatten)]
    pub tally: NeedTally,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NeedDistrictFigures {
    pub district_code: String,
    #[serde(flatten)]
    pub tally: NeedTally,
}

/// One open need of a hardship worker (the caller masks the ID number).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenNeedRow {
    pub worker_uid: String,
    pub name: String,
    pub id_number: String,
    pub district_code: String,
    pub kind: String,
    pub raised_on: NaiveDate,
    /// Days from raising to the day the figures were taken.
    pub days_open: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct OpenNeedPage {
    /// All open needs of hardship workers raised up to the period's end (not just this page).
    pub total: i64,
    pub rows: Vec<OpenNeedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct NeedFigures {
    pub total: NeedTally,
    /// Catalog order, zeros included, then kinds this build does not know.
    pub by_kind: Vec<NeedKindFigures>,
    /// Every month of the period, zeros included.
    pub by_month: Vec<NeedMonthFigures>,
    /// Districts with needs, in reference-data order, then codes this build does not know.
    pub by_district: Vec<NeedDistrictFigures>,
    /// The hardship workers' open needs, the longest waiting first: the count and first page.
    pub hardship_open: OpenNeedPage,
}

/// Live needs counted by kind, month raised, district, state and hardship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NeedCount {
    pub kind: String,
    pub month: String,
    pub district_code: String,
    pub state: String,
    pub needs: i64,
}

fn read_counts(conn: &Connection, sql: &Sql, out: &mut Vec<NeedCount>) -> Result<()> {
    out.extend(sql.rows(conn, |r| {
        Ok(NeedCount {
            kind: r.get(0)?,
            month: r.get(1)?,
            district_code: r.get(2)?,
            state: r.get(3)?,
            needs: r.get(4)?,
        })
    })?);
    Ok(())
}

/// The counts of the period from the rollups: whole months from the monthly table, the odd
/// days at either end from the daily one.
pub(super) fn rollup_counts(conn: &Connection, query: &StatsQuery) -> Result<Vec<NeedCount>> {
    let mut out = Vec::new();
    let Cut { months, days } = cut((query.from, query.to));
    if let Some((first, last)) = months {
        let mut sql =
            Sql::new("SELECT kind, month, district_code, state, sum(needs) FROM stat_need_month");
        sql.push(" WHERE month >= ?", first)
            .push(" AND month <= ?", last)
            .district("district_code", &query.district)
            .text(" GROUP BY 1, 2, 3, 4 HAVING sum(needs) <> 0");
        read_counts(conn, &sql, &mut out)?;
    }
    for (from, to) in days {
        let mut sql = Sql::new(
            "SELECT kind, substr(raised_on, 1, 7), district_code, state, sum(needs)
             FROM stat_need_day",
        );
        sql.push(" WHERE raised_on >= ?", ymd(from))
            .push(" AND raised_on <= ?", ymd(to))
            .district("district_code", &query.district)
            .text(" GROUP BY 1, 2, 3, 4 HAVING sum(needs) <> 0");
        read_counts(conn, &sql, &mut out)?;
    }
    Ok(out)
}

/// The same counts from the records: the definition the rollups must agree with.
pub(super) fn scan_counts(conn: &Connection, query: &StatsQuery) -> Result<Vec<NeedCount>> {
    let mut out = Vec::new();
    let mut sql = Sql::new(
        "SELECT n.kind, substr(n.raised_on, 1, 7), w.district_code, n.state, count(*)
         FROM need n JOIN worker w ON w.id = n.worker_id
         WHERE n.deleted_at IS NULL AND w.deleted_at IS NULL",
    );
    sql.push(" AND n.raised_on >= ?", ymd(query.from))
        .push(" AND n.raised_on <= ?", ymd(query.to))
        .district("w.district_code", &query.district)
        .text(" GROUP BY 1, 2, 3, 4");
    read_counts(conn, &sql, &mut out)?;
    Ok(out)
}

/// Open needs of live hardship workers raised up to the period's end, from the rollups: the
/// months before the last one from the monthly table, the last month's days from the daily.
pub(super) fn rollup_hardship_open(conn: &Connection, query: &StatsQuery) -> Result<i64> {
    let last_month = first_of_month(query.to);
    let mut sql = Sql::new(
        "SELECT coalesce(sum(needs), 0) FROM stat_need_month
         WHERE state = 'open' AND hardship",
    );
    sql.push(" AND month < ?", last_month.format("%Y-%m").to_string())
        .district("district_code", &query.district);
    let before: i64 = sql.row(conn, |r| r.get(0))?;
    let mut sql = Sql::new(
        "SELECT coalesce(sum(needs), 0) FROM stat_need_day WHERE state = 'open' AND hardship",
    );
    sql.push(" AND raised_on >= ?", ymd(last_month))
        .push(" AND raised_on <= ?", ymd(query.to))
        .district("district_code", &query.district);
    let last: i64 = sql.row(conn, |r| r.get(0))?;
    Ok(before + last)
}

pub(super) fn scan_hardship_open(conn: &Connection, query: &StatsQuery) -> Result<i64> {
    let mut sql = Sql::new(
        "SELECT count(*) FROM need n JOIN worker w ON w.id = n.worker_id
         WHERE n.state = 'open' AND n.deleted_at IS NULL AND w.deleted_at IS NULL
           AND w.hardship",
    );
    sql.push(" AND n.raised_on <= ?", ymd(query.to))
        .district("w.district_code", &query.district);
    sql.row(conn, |r| r.get(0))
}

/// A page of the open needs of live hardship workers, the oldest raised first. For all
/// districts, a walk along the open needs' index that stops once the page is full; for one
/// district, that walk would pass some hundred other needs for each one kept (29 ms on a
/// 200,000-worker demo), so the district's hardship workers are read through their own index
/// and their open needs sorted (1 ms).
pub(super) fn hardship_open_rows(
    conn: &Connection,
    query: &StatsQuery,
    today: NaiveDate,
    offset: usize,
    limit: usize,
) -> Result<Vec<OpenNeedRow>> {
    const COLUMNS: &str = "SELECT w.uid, w.name, w.id_number, w.district_code, n.kind, n.raised_on";
    let mut sql = match &query.district {
        None => Sql::new(&format!(
            "{COLUMNS} FROM need n INDEXED BY need_open_raised JOIN worker w ON w.id = n.worker_id
             WHERE w.hardship AND w.deleted_at IS NULL"
        )),
        Some(code) => {
            let mut sql = Sql::new(&format!(
                "{COLUMNS} FROM worker w INDEXED BY worker_live_hardship
                 JOIN need n INDEXED BY need_open_of_worker ON n.worker_id = w.id
                 WHERE w.hardship = 1 AND w.deleted_at IS NULL"
            ));
            sql.push(" AND w.district_code = ?", code.clone());
            sql
        }
    };
    sql.text(" AND n.state = 'open' AND n.deleted_at IS NULL")
        .push(" AND n.raised_on <= ?", ymd(query.to))
        .push(" ORDER BY n.raised_on, n.id LIMIT ?", limit as i64)
        .push(" OFFSET ?", offset as i64);
    sql.rows(conn, |r| {
        let raised: String = r.get(5)?;
        let raised_on = NaiveDate::parse_from_str(&raised, "%Y-%m-%d").unwrap_or(today);
        Ok(OpenNeedRow {
            worker_uid: r.get(0)?,
            name: r.get(1)?,
            id_number: r.get(2)?,
            district_code: r.get(3)?,
            kind: r.get(4)?,
            raised_on,
            days_open: (today - raised_on).num_days(),
        })
    })
}

/// The months of the period, first to last, as "YYYY-MM".
pub(super) fn period_months(query: &StatsQuery) -> Vec<String> {
    let mut months = Vec::new();
    let mut month = first_of_month(query.from);
    let end = next_day(query.to);
    while month < end {
        months.push(month.format("%Y-%m").to_string());
        month = month + Months::new(1);
    }
    months
}

/// The figures from the counts of the period, the services delivered in it by kind, and the
/// hardship list's total and first page.
pub(super) fn assemble(
    counts: &[NeedCount],
    services_by_kind: &HashMap<String, i64>,
    query: &StatsQuery,
    hardship_open: OpenNeedPage,
) -> NeedFigures {
    let mut total = NeedTally::default();
    let mut kinds: HashMap<&str, NeedTally> = HashMap::new();
    let mut months: HashMap<&str, NeedTally> = HashMap::new();
    let mut districts: BTreeMap<&str, NeedTally> = BTreeMap::new();
    for c in counts {
        total.add(&c.state, c.needs);
        kinds.entry(&c.kind).or_default().add(&c.state, c.needs);
        months.entry(&c.month).or_default().add(&c.state, c.needs);
        districts
            .entry(&c.district_code)
            .or_default()
            .add(&c.state, c.needs);
    }
    let mut by_kind: Vec<NeedKindFigures> = need_kinds()
        .iter()
        .map(|k| NeedKindFigures {
            kind: k.code.clone(),
            tally: kinds.remove(k.code.as_str()).unwrap_or_default(),
            answering_services: k
                .answered_by
                .iter()
                .map(|s| services_by_kind.get(s).copied().unwrap_or(0))
                .sum(),
        })
        .collect();
    let mut unknown: Vec<NeedKindFigures> = kinds
        .into_iter()
        .map(|(kind, tally)| NeedKindFigures {
            kind: kind.to_string(),
            tally,
            answering_services: 0,
        })
        .collect();
    unknown.sort_by(|a, b| a.kind.cmp(&b.kind));
    by_kind.extend(unknown);
    let by_month = period_months(query)
        .into_iter()
        .map(|month| NeedMonthFigures {
            tally: months.get(month.as_str()).copied().unwrap_or_default(),
            month,
        })
        .collect();
    let mut by_district: Vec<NeedDistrictFigures> = refdata::tianjin_districts()
        .iter()
        .filter_map(|d| {
            districts
                .remove(d.code.as_str())
                .map(|tally| NeedDistrictFigures {
                    district_code: d.code.clone(),
                    tally,
                })
        })
        .collect();
    by_district.extend(
        districts
            .into_iter()
            .map(|(code, tally)| NeedDistrictFigures {
                district_code: code.to_string(),
                tally,
            }),
    );
    NeedFigures {
        total,
        by_kind,
        by_month,
        by_district,
        hardship_open,
    }
}
