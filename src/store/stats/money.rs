//! Money handed out: amounts by kind and by month, and the events with their amounts.

use super::{Result, Source, StatsQuery};
use crate::domain::refdata;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Events listed with the figures, most money first; the totals cover them all.
pub const MONEY_EVENTS: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KindAmount {
    pub kind: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonthAmount {
    pub month: String,
    pub amount_fen: i64,
}

/// One live event held in the period: its live services and their amounts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventAmount {
    pub uid: String,
    pub name: String,
    pub kind: String,
    pub held_on: String,
    pub services: i64,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct MoneyFigures {
    /// All amounts of live services served in the period.
    pub total_fen: i64,
    /// The kinds with money in the period: catalog order, then kinds this build does not know.
    pub by_kind: Vec<KindAmount>,
    /// Amounts per month, the statistics' series months.
    pub by_month: Vec<MonthAmount>,
    /// Live events held in the period that have live services, and their totals.
    pub events: i64,
    pub event_services: i64,
    pub event_amount_fen: i64,
    /// The first `MONEY_EVENTS` of those events, most money first.
    pub top_events: Vec<EventAmount>,
}

pub(super) fn assemble(
    source: &impl Source,
    query: &StatsQuery,
    months: &[NaiveDate],
    series: (NaiveDate, NaiveDate),
) -> Result<MoneyFigures> {
    let mut amounts = source.amounts_by_kind(query)?;
    amounts.retain(|_, fen| *fen != 0);
    let total_fen = amounts.values().sum();
    let mut by_kind: Vec<KindAmount> = refdata::service_kinds()
        .iter()
        .filter_map(|k| {
            amounts.remove(&k.code).map(|amount_fen| KindAmount {
                kind: k.code.clone(),
                amount_fen,
            })
        })
        .collect();
    let mut unknown: Vec<KindAmount> = amounts
        .into_iter()
        .map(|(kind, amount_fen)| KindAmount { kind, amount_fen })
        .collect();
    unknown.sort_by(|a, b| a.kind.cmp(&b.kind));
    by_kind.extend(unknown);
    let per_month: HashMap<String, i64> = source.amounts_by_month(query, series)?;
    let by_month = months
        .iter()
        .map(|m| {
            let month = m.format("%Y-%m").to_string();
            let amount_fen = per_month.get(&month).copied().unwrap_or(0);
            MonthAmount { month, amount_fen }
        })
        .collect();
    let (events, event_services, event_amount_fen) = source.event_totals(query)?;
    let top_events = if events > 0 {
        source.top_events(query, MONEY_EVENTS)?
    } else {
        Vec::new()
    };
    Ok(MoneyFigures {
        total_fen,
        by_kind,
        by_month,
        events,
        event_services,
        event_amount_fen,
        top_events,
    })
}

/// The live events held in the period with their services and amounts summed from `parts`
/// (a table or subquery of event_id, district_code, services, amount_fen), one row per event:
/// id, services, amount_fen. Names are looked up only for the events listed: reading every
/// event row of a two-year period cost four times the sums.
fn events_sql(parts: &str, query: &StatsQuery) -> super::Sql {
    let mut sql = super::Sql::new(&format!(
        "SELECT t.event_id AS id, sum(t.services) AS services, sum(t.amount_fen) AS amount_fen
         FROM {parts} t
         WHERE t.event_id IN (SELECT id FROM event INDEXED BY event_held_on
                              WHERE deleted_at IS NULL"
    ));
    sql.push(" AND held_on >= ?", super::ymd(query.from))
        .push(" AND held_on <= ?)", super::ymd(query.to))
        .district("t.district_code", &query.district)
        .text(" GROUP BY t.event_id HAVING sum(t.services) <> 0");
    sql
}

pub(super) fn event_totals(
    conn: &rusqlite::Connection,
    parts: &str,
    query: &StatsQuery,
) -> Result<(i64, i64, i64)> {
    let inner = events_sql(parts, query);
    let mut sql = super::Sql::new(&format!(
        "SELECT count(*), coalesce(sum(services), 0), coalesce(sum(amount_fen), 0) FROM ({})",
        inner.text
    ));
    sql.params = inner.params;
    sql.row(conn, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
}

pub(super) fn top_events(
    conn: &rusqlite::Connection,
    parts: &str,
    query: &StatsQuery,
    limit: usize,
) -> Result<Vec<EventAmount>> {
    const ORDER: &str = " ORDER BY amount_fen DESC, services DESC, id";
    let mut inner = events_sql(parts, query);
    inner.push(&format!("{ORDER} LIMIT ?"), limit as i64);
    let mut sql = super::Sql::new(&format!(
        "SELECT e.uid, e.name, e.kind, e.held_on, a.services, a.amount_fen, a.id
         FROM ({}) a JOIN event e ON e.id = a.id
         ORDER BY a.amount_fen DESC, a.services DESC, a.id",
        inner.text
    ));
    sql.params = inner.params;
    sql.rows(conn, |r| {
        Ok(EventAmount {
            uid: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            held_on: r.get(3)?,
            services: r.get(4)?,
            amount_fen: r.get(5)?,
        })
    })
}
