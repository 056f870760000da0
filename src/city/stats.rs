//! `city stats`: the figures of `jingong stats` (period, district) computed in PostgreSQL over
//! every laptop's records, counting each person once (docs/batch-format.md, "Merge rule",
//! step 4): a person is live while one of their records is, lives in the district of the
//! record they show, and has the services of all their records. On laptops with no person in
//! common the figures are the sums of the laptops' own; `merged_records` says how many live
//! records were folded into another's person.
//!
//! The definitions follow the laptop's (src/store/stats/scan.rs): services are the live ones
//! served in the period; a legal-aid case is its latest live visit (one no live visit follows).
//! Registrations, the monthly series, money and the districts are in `stats_series`; what
//! `compute` reads instead of the records, in `stats_rollups`.

use super::Result;
use super::stats_series::{self, Breakdown, DistrictFigures, Money};
use crate::domain::refdata;
use crate::store::stats::{MonthCount, WorkerCounts};
use chrono::NaiveDate;
use postgres::Client;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CityStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub district: Option<String>,
    pub workers: i64,
    pub members: i64,
    pub joined_here: i64,
    pub hardship: i64,
    /// Live worker records of the live persons (people vs records: `workers` counts persons).
    pub records: i64,
    /// Live records beyond the first of each live person.
    pub merged_records: i64,
    /// Persons first registered in the period.
    pub new_workers: WorkerCounts,
    /// The twelve months ending today, as on the laptop.
    pub new_workers_by_month: Vec<MonthCount>,
    pub services: i64,
    /// Every kind of the catalog, zeros included, as the laptop's JSON lists them.
    pub services_by_kind: BTreeMap<String, i64>,
    pub services_by_month: Vec<MonthCount>,
    pub health: Health,
    pub legal: Legal,
    pub reach: Reach,
    pub hardship_unserved: HardshipUnserved,
    pub money: Money,
    pub by_district: Vec<DistrictFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub checks: i64,
    pub referred: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Legal {
    pub open_cases: i64,
    pub cases_in_period: i64,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
}

/// Hardship persons with no live service in the period: the count only (the laptop's list
/// of names is for the office that serves them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HardshipUnserved {
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    pub served: i64,
    pub registered: i64,
}

/// Live persons in the district, as `p` with their shown record `sw`.
pub(super) const PERSONS: &str = "FROM persons p JOIN workers sw ON sw.uid = p.shown_uid
    WHERE NOT p.withdrawn AND ($1::text IS NULL OR sw.district_code = $1)";

/// Live services of live persons in the district, as `s`.
pub(super) const SERVICES: &str = "FROM services s
    JOIN workers w ON w.uid = s.worker_uid
    JOIN persons p ON p.id = w.person_id
    JOIN workers sw ON sw.uid = p.shown_uid
    WHERE s.deleted_at IS NULL AND NOT p.withdrawn
      AND ($1::text IS NULL OR sw.district_code = $1)";

/// Whether the service `s` is a legal-aid case as counted: its latest live visit, one no
/// live visit follows.
pub(super) const CASE_HEAD: &str = "(s.legal_aid IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM services f WHERE f.la_follows_uid = s.uid::text AND f.deleted_at IS NULL))";

/// The headline counts, from either source (`Breakdown` has the rest).
pub struct Headline {
    pub workers: i64,
    pub members: i64,
    pub joined_here: i64,
    pub hardship: i64,
    pub merged_records: i64,
    /// Kinds with services in the period (the catalog's others are added as zeros).
    pub services_by_kind: BTreeMap<String, i64>,
    pub health_checks: i64,
    pub referred: i64,
    pub open_cases: i64,
    pub cases_in_period: i64,
    pub claimed_fen: i64,
    pub recovered_fen: i64,
}

/// The figures from the rollups the ingest keeps (`stats_rollups`): a year over the whole
/// city reads a few thousand rows instead of every record.
pub fn compute(
    client: &mut Client,
    from: NaiveDate,
    to: NaiveDate,
    district: Option<&str>,
    today: NaiveDate,
) -> Result<CityStats> {
    let mut tx = read_only(client)?;
    let district_param = district.map(str::to_string);
    let (headline, breakdown) =
        super::stats_rollups::read(&mut tx, from, to, &district_param, today)?;
    tx.commit()?;
    Ok(assemble(from, to, district_param, headline, breakdown))
}

fn assemble(
    from: NaiveDate,
    to: NaiveDate,
    district: Option<String>,
    h: Headline,
    b: Breakdown,
) -> CityStats {
    let mut services_by_kind = catalog_kinds();
    let mut services = 0;
    for (kind, n) in h.services_by_kind {
        services += n;
        *services_by_kind.entry(kind).or_default() += n;
    }
    CityStats {
        from,
        to,
        district,
        workers: h.workers,
        members: h.members,
        joined_here: h.joined_here,
        hardship: h.hardship,
        records: h.workers + h.merged_records,
        merged_records: h.merged_records,
        new_workers: b.new_workers,
        new_workers_by_month: b.new_workers_by_month,
        services,
        services_by_kind,
        services_by_month: b.services_by_month,
        health: Health {
            checks: h.health_checks,
            referred: h.referred,
        },
        legal: Legal {
            open_cases: h.open_cases,
            cases_in_period: h.cases_in_period,
            claimed_fen: h.claimed_fen,
            recovered_fen: h.recovered_fen,
        },
        reach: Reach {
            served: b.served,
            registered: h.workers,
        },
        hardship_unserved: HardshipUnserved {
            total: h.hardship - b.hardship_served,
        },
        money: b.money,
        by_district: b.by_district,
    }
}

fn read_only(client: &mut Client) -> Result<postgres::Transaction<'_>> {
    Ok(client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()?)
}

fn catalog_kinds() -> BTreeMap<String, i64> {
    refdata::service_kinds()
        .iter()
        .map(|k| (k.code.to_string(), 0))
        .collect()
}

/// The same figures computed from the records themselves: what the rollups must always
/// equal (the tests compare them), and slow on a city's millions of records.
pub fn compute_by_scan(
    client: &mut Client,
    from: NaiveDate,
    to: NaiveDate,
    district: Option<&str>,
    today: NaiveDate,
) -> Result<CityStats> {
    let mut tx = read_only(client)?;
    let district_param = district.map(str::to_string);
    let people = tx.query_one(
        &format!(
            "SELECT count(*),
                    count(*) FILTER (WHERE sw.membership = 'member'),
                    count(*) FILTER (WHERE sw.membership = 'joined_here'),
                    count(*) FILTER (WHERE sw.hardship),
                    coalesce(sum((SELECT count(*) FROM workers o
                                   WHERE o.person_id = p.id AND o.deleted_at IS NULL) - 1), 0)::bigint
             {PERSONS}"
        ),
        &[&district_param],
    )?;
    let period = "AND s.served_on >= $2 AND s.served_on <= $3";
    let services_by_kind = tx
        .query(
            &format!("SELECT s.kind, count(*) {SERVICES} {period} GROUP BY s.kind"),
            &[&district_param, &from, &to],
        )?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let health = tx.query_one(
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE s.hc_referral)
             {SERVICES} {period} AND s.kind = 'health_check'"
        ),
        &[&district_param, &from, &to],
    )?;
    let heads = format!("AND {CASE_HEAD}");
    let open: i64 = tx
        .query_one(
            &format!(
                "SELECT count(*) {SERVICES} {heads}
                   AND s.la_status NOT IN ('resolved', 'referred')"
            ),
            &[&district_param],
        )?
        .get(0);
    let legal = tx.query_one(
        &format!(
            "SELECT count(*), coalesce(sum(s.la_claimed_fen), 0)::bigint,
                    coalesce(sum(s.la_recovered_fen), 0)::bigint
             {SERVICES} {heads} {period}"
        ),
        &[&district_param, &from, &to],
    )?;
    let breakdown = stats_series::breakdown(&mut tx, &district_param, from, to, today)?;
    tx.commit()?;
    let headline = Headline {
        workers: people.get(0),
        members: people.get(1),
        joined_here: people.get(2),
        hardship: people.get(3),
        merged_records: people.get(4),
        services_by_kind,
        health_checks: health.get(0),
        referred: health.get(1),
        open_cases: open,
        cases_in_period: legal.get(0),
        claimed_fen: legal.get(1),
        recovered_fen: legal.get(2),
    };
    Ok(assemble(from, to, district_param, headline, breakdown))
}
