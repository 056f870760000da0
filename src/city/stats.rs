//! `city stats`: the figures of `jingong stats` (period, district) computed in PostgreSQL over
//! every laptop's records, counting each person once (docs/batch-format.md, "Merge rule",
//! step 4): a person is live while one of their records is, lives in the district of the
//! record they show, and has the services of all their records. On laptops with no person in
//! common the figures are the sums of the laptops' own; `merged_records` says how many live
//! records were folded into another's person.
//!
//! The definitions follow the laptop's (src/store/stats/scan.rs): services are the live ones
//! served in the period; a legal-aid case is its latest live visit (one no live visit follows).

use super::{Result, rollup};
use crate::domain::refdata;
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
    /// Live records beyond the first of each live person.
    pub merged_records: i64,
    pub services: i64,
    /// Every kind of the catalog, zeros included, as the laptop's JSON lists them.
    pub services_by_kind: BTreeMap<String, i64>,
    pub health: Health,
    pub legal: Legal,
    pub reach: Reach,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    pub served: i64,
    pub registered: i64,
}

/// Live persons in the district, as `p` with their shown record `sw`.
const PERSONS: &str = "FROM persons p JOIN workers sw ON sw.uid = p.shown_uid
    WHERE NOT p.withdrawn AND ($1::text IS NULL OR sw.district_code = $1)";

/// Live services of live persons in the district, as `s`.
const SERVICES: &str = "FROM services s
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
) -> Result<CityStats> {
    let mut tx = read_only(client)?;
    let (f, served) = rollup::read(&mut tx, from, to, district)?;
    let served = match served {
        Some(n) => n,
        None => served_by_scan(&mut tx, from, to, &district.map(str::to_string))?,
    };
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
        merged_records: f.merged_records,
        services,
        services_by_kind,
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
            served,
            registered: f.workers,
        },
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

/// Live persons served at least once in the period, from the records.
fn served_by_scan(
    tx: &mut postgres::Transaction,
    from: NaiveDate,
    to: NaiveDate,
    district: &Option<String>,
) -> Result<i64> {
    Ok(tx
        .query_one(
            &format!(
                "SELECT count(*) {PERSONS}
                   AND EXISTS (SELECT 1 FROM workers o JOIN services s ON s.worker_uid = o.uid
                                WHERE o.person_id = p.id AND s.deleted_at IS NULL
                                  AND s.served_on >= $2 AND s.served_on <= $3)"
            ),
            &[district, &from, &to],
        )?
        .get(0))
}

/// The same figures computed from the records themselves: what the rollups must always
/// equal (the tests compare them), and slow on a city's millions of records.
pub fn compute_by_scan(
    client: &mut Client,
    from: NaiveDate,
    to: NaiveDate,
    district: Option<&str>,
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
    let served = served_by_scan(&mut tx, from, to, &district_param)?;
    tx.commit()?;
    let workers: i64 = people.get(0);
    Ok(CityStats {
        from,
        to,
        district: district.map(str::to_string),
        workers,
        members: people.get(1),
        joined_here: people.get(2),
        hardship: people.get(3),
        merged_records: people.get(4),
        services,
        services_by_kind,
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
            served,
            registered: workers,
        },
    })
}
