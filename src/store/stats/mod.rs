//! Figures for the statistics screen, `jingong stats` and the status line.
//!
//! What counts, so that every report means the same thing:
//! - Only live rows count: a deleted worker, a deleted service, and the services of a deleted
//!   worker are left out everywhere.
//! - The district is the worker's workplace district (`worker.district_code`), also for
//!   services: a service counts where its worker works.
//! - "Workers" are all live workers registered up to now ("registered in total"); "new" are
//!   those whose record was created in the period (by the China-time date of `created_at`).
//! - Services, health checks and legal-aid amounts count by the day served (`served_on`).
//! - Reach is the share of live workers (in total) with at least one live service in the
//!   period; the hardship list holds live hardship workers with none in the period.
//! - Follow-ups: a health check's follow-up is done once the worker has a later health check.
//!   One not done is overdue when its date is before today, and due when its date is today or
//!   later and within `FOLLOW_UP_HORIZON_DAYS` or inside the period.
//! - Legal aid: a case is the chain of visits linked by `follows_uid`; its state is its latest
//!   visit (the one no live visit follows). Open cases are those whose latest visit is not
//!   resolved or referred, as of now; the amounts are those of the latest visits of cases whose
//!   latest visit falls in the period, so a claim repeated at a follow-up counts once.
//! - Money handed out is the `amount_fen` of live services by the day served (an edited
//!   amount counts at its new value, a withdrawn service not at all); an event's figures are
//!   all its live services, whatever day served, for the live events held in the period.
//! - Needs count by the day raised and stand as they are now (open, answered, closed); beside
//!   each kind, the services of the period of the kinds that answer it (`needs`). Claims
//!   count by the day recorded, and money paid also by the day paid (`claims`).

use super::period::months_ending;
use super::{Result, Store};
use crate::domain::refdata;
mod rollup;
mod served_months;
pub(crate) use served_months::{Fill, fill_served_months};
mod claims;
mod money;
mod needs;
mod scan;
pub use claims::{
    ClaimDistrictFigures, ClaimFigures, ClaimMonthFigures, ClaimStatusFigures, ClaimTally,
    ClaimTypeFigures,
};
pub use money::{EventAmount, KindAmount, MONEY_EVENTS, MoneyFigures, MonthAmount};
pub use needs::{
    NeedDistrictFigures, NeedFigures, NeedKindFigures, NeedMonthFigures, NeedTally, OpenNeedPage,
    OpenNeedRow,
};

use chrono::{Days, Months, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::collections::HashMap;

/// Months shown in the per-month series, the current month last.
pub const SERIES_MONTHS: u32 = 12;
/// How far ahead an upcoming follow-up counts as due.
pub const FOLLOW_UP_HORIZON_DAYS: u64 = 30;
/// Rows of the hardship list returned with the figures; page on with `hardship_unserved`.
pub const FIRST_PAGE: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PendingCounts {
    pub workers: i64,
    pub events: i64,
    pub services: i64,
    /// Format 3: needs and mutual-aid claims.
    pub needs: i64,
    pub claims: i64,
}

impl PendingCounts {
    pub fn total(&self) -> i64 {
        self.workers + self.events + self.services + self.needs + self.claims
    }
}

/// The period (both days included) and the district the figures are for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatsQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// A Tianjin district code, or all districts.
    pub district: Option<String>,
}

impl StatsQuery {
    pub fn new(period: super::Period, today: NaiveDate, district: Option<String>) -> StatsQuery {
        let (from, to) = period.range(today);
        StatsQuery { from, to, district }
    }
    pub fn this_month(today: NaiveDate, district: Option<String>) -> StatsQuery {
        StatsQuery::new(super::Period::Month, today, district)
    }
    pub fn this_quarter(today: NaiveDate, district: Option<String>) -> StatsQuery {
        StatsQuery::new(super::Period::Quarter, today, district)
    }
    pub fn this_year(today: NaiveDate, district: Option<String>) -> StatsQuery {
        StatsQuery::new(super::Period::Year, today, district)
    }
    pub fn custom(from: NaiveDate, to: NaiveDate, district: Option<String>) -> StatsQuery {
        StatsQuery { from, to, district }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct WorkerCounts {
    pub workers: i64,
    pub members: i64,
    pub joined_here: i64,
    pub hardship: i64,
}

/// A count for one calendar month, `month` as "YYYY-MM".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonthCount {
    pub month: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct HealthFigures {
    /// Health checks served in the period.
    pub checks: i64,
    /// Of those, how many were referred on.
    pub referred: i64,
    pub follow_ups_due: i64,
    pub follow_ups_overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CategoryCount {
    pub category: String,
    pub cases: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct LegalFigures {
    /// Cases open now, by category in reference-data order, zeros included.
    pub open_by_category: Vec<CategoryCount>,
    pub open_cases: i64,
    /// Cases whose latest visit falls in the period, and the amounts of those visits.
    pub cases_in_period: i64,
    /// Of those, the cases closed (结案: resolved or referred).
    pub closed_in_period: i64,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Reach {
    /// Live workers served at least once in the period.
    pub served: i64,
    /// All live workers: the base of the share.
    pub registered: i64,
}

impl Reach {
    /// The share in tenths of a percent, rounded half up (integer, so reports agree exactly).
    pub fn per_mille(&self) -> i64 {
        if self.registered == 0 {
            0
        } else {
            (self.served * 2000 + self.registered) / (self.registered * 2)
        }
    }
}

/// One row of the list of hardship workers not served in the period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnservedWorker {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub district_code: String,
    pub phone: String,
    pub employer: String,
    /// The last live service ever, if any.
    pub last_served_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct UnservedPage {
    /// All hardship workers not served in the period (not just this page).
    pub total: i64,
    pub workers: Vec<UnservedWorker>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Statistics {
    pub query: StatsQuery,
    /// The day "today" was when the figures were taken (follow-ups, series).
    pub today: NaiveDate,
    /// All live workers, registered in total.
    pub workers: WorkerCounts,
    /// Workers registered in the period.
    pub new_workers: WorkerCounts,
    /// Registrations per month, `SERIES_MONTHS` months ending with this month.
    pub new_workers_by_month: Vec<MonthCount>,
    /// Services in the period.
    pub services: i64,
    /// Services in the period by kind, in catalog order, zeros included.
    pub services_by_kind: Vec<KindCount>,
    /// Services per month, `SERIES_MONTHS` months ending with this month.
    pub services_by_month: Vec<MonthCount>,
    pub health: HealthFigures,
    pub legal: LegalFigures,
    pub reach: Reach,
    /// Hardship workers not served in the period: the count and the first page.
    pub hardship_unserved: UnservedPage,
    /// Money handed out in the period (legal-aid amounts are in `legal`).
    pub money: MoneyFigures,
    /// What workers asked for in the period beside the services that answer it.
    pub needs: NeedFigures,
    /// Mutual-aid claims recorded in the period.
    pub claims: ClaimFigures,
}

/// The day after `day`, for half-open ranges over `created_at` timestamps.
fn next_day(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// SQL text and its positional parameters, built together so they never drift apart.
struct Sql {
    text: String,
    params: Vec<Value>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            params: Vec::new(),
        }
    }
    /// Appends `text`, in which `?` stands for `value`.
    fn push(&mut self, text: &str, value: impl Into<Value>) -> &mut Sql {
        self.text.push_str(text);
        self.params.push(value.into());
        self
    }
    fn text(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }
    fn district(&mut self, column: &str, district: &Option<String>) -> &mut Sql {
        if let Some(code) = district {
            self.push(&format!(" AND {column} = ?"), code.clone());
        }
        self
    }
    fn row<T>(
        &self,
        conn: &Connection,
        f: impl FnOnce(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<T> {
        Ok(conn.query_row(&self.text, params_from_iter(self.params.iter()), f)?)
    }
    /// Rows of (text key, count) as a map.
    fn map(&self, conn: &Connection) -> Result<HashMap<String, i64>> {
        Ok(self
            .rows(conn, |r| Ok((r.get(0)?, r.get(1)?)))?
            .into_iter()
            .collect())
    }
    fn rows<T>(
        &self,
        conn: &Connection,
        mut f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = conn.prepare_cached(&self.text)?;
        let rows = stmt
            .query_map(params_from_iter(self.params.iter()), |r| f(r))?
            .collect::<rusqlite::Result<Vec<T>>>()?;
        Ok(rows)
    }
}

/// Where the figures come from: the rollup tables (fast) or the record tables themselves (the
/// definition, kept to check the rollups against and for periods the rollups cannot answer).
trait Source {
    /// Live workers of the district, all or those created within the days given.
    fn worker_counts(
        &self,
        query: &StatsQuery,
        created: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<WorkerCounts>;
    /// Registrations keyed by "YYYY-MM", within the days given.
    fn registrations_by_month(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>>;
    /// Services keyed by kind code, in the period.
    fn services_by_kind(&self, query: &StatsQuery) -> Result<HashMap<String, i64>>;
    /// Services keyed by "YYYY-MM", within the days given.
    fn services_by_month(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>>;
    fn health(&self, query: &StatsQuery, today: NaiveDate) -> Result<HealthFigures>;
    /// Open cases keyed by category, and the cases and amounts of the period.
    fn legal(&self, query: &StatsQuery) -> Result<(HashMap<String, i64>, LegalAmounts)>;
    /// Live workers with a live service in the period: all, and of them hardship.
    fn served(&self, query: &StatsQuery) -> Result<(i64, i64)>;
    /// Amounts of live services keyed by kind code, in the period.
    fn amounts_by_kind(&self, query: &StatsQuery) -> Result<HashMap<String, i64>>;
    /// Amounts of live services keyed by "YYYY-MM", within the days given.
    fn amounts_by_month(
        &self,
        query: &StatsQuery,
        days: (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>>;
    /// Live events held in the period with live services: how many, and their services and
    /// amounts in total.
    fn event_totals(&self, query: &StatsQuery) -> Result<(i64, i64, i64)>;
    /// The first `limit` of those events, most money first.
    fn top_events(&self, query: &StatsQuery, limit: usize) -> Result<Vec<EventAmount>>;
    /// Live needs of live workers raised in the period, counted by kind, month, district and
    /// state.
    fn need_counts(&self, query: &StatsQuery) -> Result<Vec<needs::NeedCount>>;
    /// Open needs of live hardship workers raised up to the period's end.
    fn hardship_open_needs(&self, query: &StatsQuery) -> Result<i64>;
}

#[derive(Debug, Clone, Copy, Default)]
struct LegalAmounts {
    cases: i64,
    closed: i64,
    claimed_fen: i64,
    recovered_fen: i64,
}

/// The first and last day of the series months.
fn series_days(months: &[NaiveDate]) -> (NaiveDate, NaiveDate) {
    let first = months.first().copied().unwrap_or_default();
    let last = months.last().copied().unwrap_or_default();
    (first, (last + Months::new(1)).pred_opt().unwrap_or(last))
}

fn month_series(months: &[NaiveDate], counted: &HashMap<String, i64>) -> Vec<MonthCount> {
    months
        .iter()
        .map(|m| {
            let month = m.format("%Y-%m").to_string();
            let count = counted.get(&month).copied().unwrap_or(0);
            MonthCount { month, count }
        })
        .collect()
}

fn assemble(
    source: &impl Source,
    conn: &Connection,
    query: &StatsQuery,
    today: NaiveDate,
) -> Result<Statistics> {
    let months = months_ending(today, SERIES_MONTHS);
    let series = series_days(&months);
    let workers = source.worker_counts(query, None)?;
    let new_workers = source.worker_counts(query, Some((query.from, query.to)))?;
    let new_workers_by_month =
        month_series(&months, &source.registrations_by_month(query, series)?);
    let by_kind = source.services_by_kind(query)?;
    let services_by_kind: Vec<KindCount> = refdata::service_kinds()
        .iter()
        .map(|k| KindCount {
            kind: k.code.clone(),
            count: by_kind.get(&k.code).copied().unwrap_or(0),
        })
        .collect();
    // Kinds this build does not know (from a newer laptop's batch) still count in the total.
    let services = by_kind.values().sum();
    let services_by_month = month_series(&months, &source.services_by_month(query, series)?);
    let health = source.health(query, today)?;
    let (open, amounts) = source.legal(query)?;
    let legal = LegalFigures {
        open_by_category: refdata::legal_aid_categories()
            .iter()
            .map(|c| CategoryCount {
                category: c.code.clone(),
                cases: open.get(&c.code).copied().unwrap_or(0),
            })
            .collect(),
        open_cases: open.values().sum(),
        cases_in_period: amounts.cases,
        closed_in_period: amounts.closed,
        claimed_fen: amounts.claimed_fen,
        recovered_fen: amounts.recovered_fen,
    };
    let (served, hardship_served) = source.served(query)?;
    let money = money::assemble(source, query, &months, series)?;
    let open_total = source.hardship_open_needs(query)?;
    let needs = needs::assemble(
        &source.need_counts(query)?,
        &by_kind,
        query,
        open_needs_page(conn, query, today, open_total, 0, FIRST_PAGE)?,
    );
    let claims = claims::claim_figures(conn, query)?;
    Ok(Statistics {
        query: query.clone(),
        today,
        workers,
        new_workers,
        new_workers_by_month,
        services,
        services_by_kind,
        services_by_month,
        health,
        legal,
        reach: Reach {
            served,
            registered: workers.workers,
        },
        hardship_unserved: unserved_page(
            conn,
            query,
            workers.hardship - hardship_served,
            0,
            FIRST_PAGE,
        )?,
        money,
        needs,
        claims,
    })
}

/// A page of the `total` open needs of hardship workers; none looked for past the end.
fn open_needs_page(
    conn: &Connection,
    query: &StatsQuery,
    today: NaiveDate,
    total: i64,
    offset: usize,
    limit: usize,
) -> Result<OpenNeedPage> {
    let rows = if usize::try_from(total).unwrap_or(0) > offset {
        needs::hardship_open_rows(conn, query, today, offset, limit)?
    } else {
        Vec::new()
    };
    Ok(OpenNeedPage { total, rows })
}

/// A page of the `total` unserved hardship workers. Finding none means looking at every
/// hardship worker (about 450 ms on 1,000,000 workers), so a page known to be empty is not
/// looked for.
fn unserved_page(
    conn: &Connection,
    query: &StatsQuery,
    total: i64,
    offset: usize,
    limit: usize,
) -> Result<UnservedPage> {
    let workers = if usize::try_from(total).unwrap_or(0) > offset {
        scan::unserved_hardship_rows(conn, query, offset, limit)?
    } else {
        Vec::new()
    };
    Ok(UnservedPage { total, workers })
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
            needs: count("need")?,
            claims: count("claim")?,
        })
    }

    /// Every figure of the statistics screen for `query`, as of the store's clock, from the
    /// rollup tables (reach over a period that is not whole months is counted exactly).
    pub fn statistics(&self, query: &StatsQuery) -> Result<Statistics> {
        let today = self.clock.today();
        // One read transaction: every figure sees the same database even while others write.
        let tx = self.conn.unchecked_transaction()?;
        let stats = assemble(&rollup::Rollup(&tx), &tx, query, today)?;
        tx.finish()?;
        Ok(stats)
    }

    /// The same figures counted from the record tables alone: slow on a large database, but
    /// the definition the rollups must agree with.
    #[doc(hidden)]
    pub fn statistics_by_scan(&self, query: &StatsQuery) -> Result<Statistics> {
        assemble(
            &scan::Scan(&self.conn),
            &self.conn,
            query,
            self.clock.today(),
        )
    }

    /// A page of the hardship workers with no live service in the period, ordered by
    /// district and registration; `total` counts them all.
    pub fn hardship_unserved(
        &self,
        query: &StatsQuery,
        offset: usize,
        limit: usize,
    ) -> Result<UnservedPage> {
        let source = rollup::Rollup(&self.conn);
        let all = source.worker_counts(query, None)?.hardship;
        let (_, served) = source.served(query)?;
        unserved_page(&self.conn, query, all - served, offset, limit)
    }

    /// A page of the open needs of live hardship workers raised up to the period's end, the
    /// longest waiting first; `total` counts them all.
    pub fn hardship_open_needs(
        &self,
        query: &StatsQuery,
        offset: usize,
        limit: usize,
    ) -> Result<OpenNeedPage> {
        let total = rollup::Rollup(&self.conn).hardship_open_needs(query)?;
        open_needs_page(&self.conn, query, self.clock.today(), total, offset, limit)
    }
}
