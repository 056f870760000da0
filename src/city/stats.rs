//! `city stats`: the figures of `jingong stats` (period, district) computed in PostgreSQL over
//! every laptop's records, counting each person once (docs/batch-format.md, "Merge rule",
//! step 4): a person is live while one of their records is, lives in the district of the
//! record they show, and has the services of all their records. On laptops with no person in
//! common the figures are the sums of the laptops' own; `merged_records` says how many live
//! records were folded into another's person.
//!
//! The definitions follow the laptop's (src/store/stats/scan.rs): services are the live ones
//! served in the period; a legal-aid case is its latest live visit (one no live visit follows).
//! Registrations, the monthly series, money and the districts are in `stats_series`.

use super::stats_series::{self, DistrictFigures, Money};
use super::{Result, rollup};
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

/// The figures from the rollups the ingest keeps (`rollup`): a year over the whole city
/// reads a few thousand rows instead of every record.
pub fn compute(
    client: &mut Client,
    from: NaiveDate,
    to: NaiveDate,
    district: Option<&str>,
    today: NaiveDate,
) -> Result<CityStats> {
    let mut tx = read_only(client)?;
    let district_param = district.map(str::to_string);
    let (f, served) = rollup::read(&mut tx, from, to, district)?;
    let r = from_records(&mut tx, &district_param, from, to, today, served)?;
    tx.commit()?;
    let mut services_by_kind = catalog_kinds();
    let mut services = 0;
    for (kind, n) in f.services_by_kind {
        services += n;
        *services_by_kind.entry(kind).or_default() += n;
    }
    Ok(CityStats {
        from,
        to,
        district: district.map(str::to_string),
        workers: f.workers,
        members: f.members,
        joined_here: f.joined_here,
        hardship: f.hardship,
        records: f.workers + f.merged_records,
        merged_records: f.merged_records,
        new_workers: r.new_workers,
        new_workers_by_month: r.new_workers_by_month,
        services,
        services_by_kind,
        services_by_month: r.services_by_month,
        health: Health {
            checks: f.health_checks,
            referred: f.referred,
        },
        legal: Legal {
            open_cases: f.open_cases,
            cases_in_period: f.cases_in_period,
            claimed_fen: f.claimed_fen,
            recovered_fen: f.recovered_fen,
        },
        reach: Reach {
            served: r.served,
            registered: f.workers,
        },
        hardship_unserved: HardshipUnserved {
            total: f.hardship - r.hardship_served,
        },
        money: r.money,
        by_district: r.by_district,
    })
}

/// The figures the rollups do not hold, read from the records: who was served in the period
/// (and of them the hardship persons), registrations, the monthly series, money and the
/// districts (`stats_series`).
struct FromRecords {
    served: i64,
    hardship_served: i64,
    new_workers: WorkerCounts,
    new_workers_by_month: Vec<MonthCount>,
    services_by_month: Vec<MonthCount>,
    money: Money,
    by_district: Vec<DistrictFigures>,
}

fn from_records(
    tx: &mut postgres::Transaction,
    district_param: &Option<String>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    served_from_rollups: Option<i64>,
) -> Result<FromRecords> {
    // Persons served in the period: the rollups know it for whole months; the hardship ones
    // among them are few, so only they are looked up in the records then.
    let who = match served_from_rollups {
        Some(_) => "sw.hardship",
        None => "true",
    };
    let served = tx.query_one(
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE sw.hardship) {PERSONS} AND {who}
               AND EXISTS (SELECT 1 FROM workers o JOIN services s ON s.worker_uid = o.uid
                            WHERE o.person_id = p.id AND s.deleted_at IS NULL
                              AND s.served_on >= $2 AND s.served_on <= $3)"
        ),
        &[district_param, &from, &to],
    )?;
    let served_count: i64 = served.get(0);
    let new_workers = stats_series::new_workers(tx, district_param, from, to)?;
    let (new_workers_by_month, services_by_month, money_by_month) =
        stats_series::monthly(tx, district_param, today)?;
    let by_kind_fen = stats_series::money_by_kind(tx, district_param, from, to)?;
    let by_district = stats_series::by_district(tx, district_param, from, to)?;
    Ok(FromRecords {
        served: served_from_rollups.unwrap_or(served_count),
        hardship_served: served.get(1),
        new_workers,
        new_workers_by_month,
        services_by_month,
        money: Money {
            total_fen: by_kind_fen.values().sum(),
            by_kind_fen,
            by_month: money_by_month,
        },
        by_district,
    })
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
    let mut services_by_kind = catalog_kinds();
    let mut services = 0;
    for row in tx.query(
        &format!("SELECT s.kind, count(*) {SERVICES} {period} GROUP BY s.kind"),
        &[&district_param, &from, &to],
    )? {
        let n: i64 = row.get(1);
        services += n;
        *services_by_kind.entry(row.get(0)).or_default() += n;
    }
    let health = tx.query_one(
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE s.hc_referral)
             {SERVICES} {period} AND s.kind = 'health_check'"
        ),
        &[&district_param, &from, &to],
    )?;
    // A case is its latest live visit: one that no live visit follows.
    let heads = "AND s.legal_aid IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM services f
                     WHERE f.la_follows_uid = s.uid::text AND f.deleted_at IS NULL)";
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
    let r = from_records(&mut tx, &district_param, from, to, today, None)?;
    tx.commit()?;
    let workers: i64 = people.get(0);
    let merged_records: i64 = people.get(4);
    Ok(CityStats {
        from,
        to,
        district: district.map(str::to_string),
        workers,
        members: people.get(1),
        joined_here: people.get(2),
        hardship: people.get(3),
        records: workers + merged_records,
        merged_records,
        new_workers: r.new_workers,
        new_workers_by_month: r.new_workers_by_month,
        services,
        services_by_kind,
        services_by_month: r.services_by_month,
        health: Health {
            checks: health.get(0),
            referred: health.get(1),
        },
        legal: Legal {
            open_cases: open,
            cases_in_period: legal.get(0),
            claimed_fen: legal.get(1),
            recovered_fen: legal.get(2),
        },
        reach: Reach {
            served: r.served,
            registered: workers,
        },
        hardship_unserved: HardshipUnserved {
            total: people.get::<_, i64>(3) - r.hardship_served,
        },
        money: r.money,
        by_district: r.by_district,
    })
}
