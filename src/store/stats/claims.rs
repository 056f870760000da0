//! Mutual-aid claims in the statistics: the claims recorded in the period by type and status,
//! the amounts claimed and paid on them, per district and month; and the money paid out in
//! the period whenever the claim was recorded.
//!
//! What counts: live claims of live members in the member's workplace district. A claim
//! belongs to the day it was recorded (China time); "paid" beside it is what was paid on it so
//! far. The per-month "paid" column and `paid_in_period_fen` go by the day paid instead, so a
//! claim recorded in one month and paid in the next shows its payment where it happened.
//! Claims are few (members who claimed), so these read the claims through their indexes on
//! the day recorded and the day paid rather than a rollup.

use super::{Result, Sql, StatsQuery, next_day, ymd};
use crate::domain::claims::{ClaimStatus, claim_types};
use crate::domain::refdata;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ClaimTally {
    pub claims: i64,
    pub claimed_fen: i64,
    pub paid_fen: i64,
}

impl ClaimTally {
    fn add(&mut self, other: ClaimTally) {
        self.claims += other.claims;
        self.claimed_fen += other.claimed_fen;
        self.paid_fen += other.paid_fen;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimStatusFigures {
    pub status: String,
    #[serde(flatten)]
    pub tally: ClaimTally,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimTypeFigures {
    pub claim_type: String,
    /// Claims in each status, in `ClaimStatus::ALL` order.
    pub by_status: Vec<i64>,
    #[serde(flatten)]
    pub tally: ClaimTally,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimDistrictFigures {
    pub district_code: String,
    #[serde(flatten)]
    pub tally: ClaimTally,
}

/// A month of the period: claims recorded in it and their amounts claimed, and what was paid
/// in it (on any claim).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimMonthFigures {
    pub month: String,
    pub claims: i64,
    pub claimed_fen: i64,
    pub paid_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ClaimFigures {
    /// Claims recorded in the period.
    pub total: ClaimTally,
    /// Every status, in `ClaimStatus::ALL` order, zeros included.
    pub by_status: Vec<ClaimStatusFigures>,
    /// Catalog order, zeros included, then types this build does not know.
    pub by_type: Vec<ClaimTypeFigures>,
    /// Districts with claims, in reference-data order, then codes this build does not know.
    pub by_district: Vec<ClaimDistrictFigures>,
    /// Every month of the period.
    pub by_month: Vec<ClaimMonthFigures>,
    /// Paid in the period (by the day paid), whenever the claim was recorded.
    pub paid_in_period_fen: i64,
}

struct ClaimCount {
    claim_type: String,
    status: String,
    district_code: String,
    month: String,
    tally: ClaimTally,
}

/// Live claims of live members in the district, as `c` joined to `w`.
const LIVE_CLAIMS: &str = " FROM claim c JOIN worker w ON w.id = c.worker_id
    WHERE c.deleted_at IS NULL AND w.deleted_at IS NULL";

pub(super) fn claim_figures(conn: &Connection, query: &StatsQuery) -> Result<ClaimFigures> {
    let mut sql = Sql::new(
        "SELECT c.claim_type, c.status, w.district_code, substr(c.created_at, 1, 7), count(*),
                sum(c.amount_fen), sum(c.paid_fen)",
    );
    sql.text(LIVE_CLAIMS)
        .push(" AND c.created_at >= ?", ymd(query.from))
        .push(" AND c.created_at < ?", ymd(next_day(query.to)))
        .district("w.district_code", &query.district)
        .text(" GROUP BY 1, 2, 3, 4");
    let counts = sql.rows(conn, |r| {
        Ok(ClaimCount {
            claim_type: r.get(0)?,
            status: r.get(1)?,
            district_code: r.get(2)?,
            month: r.get(3)?,
            tally: ClaimTally {
                claims: r.get(4)?,
                claimed_fen: r.get(5)?,
                paid_fen: r.get(6)?,
            },
        })
    })?;
    let mut sql = Sql::new("SELECT substr(c.paid_on, 1, 7), sum(c.paid_fen)");
    sql.text(LIVE_CLAIMS)
        .push(" AND c.paid_on >= ?", ymd(query.from))
        .push(" AND c.paid_on <= ?", ymd(query.to))
        .district("w.district_code", &query.district)
        .text(" GROUP BY 1");
    let paid_by_month = sql.map(conn)?;
    Ok(assemble(&counts, &paid_by_month, query))
}

fn assemble(
    counts: &[ClaimCount],
    paid_by_month: &HashMap<String, i64>,
    query: &StatsQuery,
) -> ClaimFigures {
    let status_at = |code: &str| ClaimStatus::ALL.iter().position(|s| s.code() == code);
    let mut total = ClaimTally::default();
    let mut statuses = vec![ClaimTally::default(); ClaimStatus::ALL.len()];
    let mut types: HashMap<&str, (Vec<i64>, ClaimTally)> = HashMap::new();
    let mut districts: BTreeMap<&str, ClaimTally> = BTreeMap::new();
    let mut months: HashMap<&str, ClaimTally> = HashMap::new();
    for c in counts {
        total.add(c.tally);
        let at = status_at(&c.status);
        if let Some(at) = at {
            statuses[at].add(c.tally);
        }
        let entry = types
            .entry(&c.claim_type)
            .or_insert_with(|| (vec![0; ClaimStatus::ALL.len()], ClaimTally::default()));
        if let Some(at) = at {
            entry.0[at] += c.tally.claims;
        }
        entry.1.add(c.tally);
        districts.entry(&c.district_code).or_default().add(c.tally);
        months.entry(&c.month).or_default().add(c.tally);
    }
    let by_status = ClaimStatus::ALL
        .iter()
        .zip(statuses)
        .map(|(s, tally)| ClaimStatusFigures {
            status: s.code().to_string(),
            tally,
        })
        .collect();
    let mut by_type: Vec<ClaimTypeFigures> = claim_types()
        .iter()
        .map(|t| {
            let (by_status, tally) = types
                .remove(t.code.as_str())
                .unwrap_or_else(|| (vec![0; ClaimStatus::ALL.len()], ClaimTally::default()));
            ClaimTypeFigures {
                claim_type: t.code.clone(),
                by_status,
                tally,
            }
        })
        .collect();
    let mut unknown: Vec<ClaimTypeFigures> = types
        .into_iter()
        .map(|(code, (by_status, tally))| ClaimTypeFigures {
            claim_type: code.to_string(),
            by_status,
            tally,
        })
        .collect();
    unknown.sort_by(|a, b| a.claim_type.cmp(&b.claim_type));
    by_type.extend(unknown);
    let mut by_district: Vec<ClaimDistrictFigures> = refdata::tianjin_districts()
        .iter()
        .filter_map(|d| {
            districts
                .remove(d.code.as_str())
                .map(|tally| ClaimDistrictFigures {
                    district_code: d.code.clone(),
                    tally,
                })
        })
        .collect();
    by_district.extend(
        districts
            .into_iter()
            .map(|(code, tally)| ClaimDistrictFigures {
                district_code: code.to_string(),
                tally,
            }),
    );
    let by_month = super::needs::period_months(query)
        .into_iter()
        .map(|month| {
            let recorded = months.get(month.as_str()).copied().unwrap_or_default();
            ClaimMonthFigures {
                claims: recorded.claims,
                claimed_fen: recorded.claimed_fen,
                paid_fen: paid_by_month.get(&month).copied().unwrap_or(0),
                month,
            }
        })
        .collect();
    ClaimFigures {
        total,
        by_status,
        by_type,
        by_district,
        by_month,
        paid_in_period_fen: paid_by_month.values().sum(),
    }
}
