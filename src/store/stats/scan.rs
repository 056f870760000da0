//! The figures counted straight from the record tables: the definition of every figure, used
//! to check the rollups, for reach over periods that are not whole months, and for the
//! hardship list.

use super::{
    EventAmount, FOLLOW_UP_HORIZON_DAYS, HealthFigures, LegalAmounts, Result, Source, Sql,
    StatsQuery, UnservedWorker, WorkerCounts, money, needs, next_day, ymd,
};
use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

pub(super) struct Scan<'c>(pub &'c Connection);

/// Live services of live workers in the district, as `s` joined to `w`.
const LIVE_SERVICES: &str = " FROM service s JOIN worker w ON w.id = s.worker_id
    WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL";

impl Source for Scan<'_> {
    fn need_counts(&self, query: &StatsQuery) -> Result<Vec<needs::NeedCount>> {
        needs::scan_counts(self.0, query)
    }

    fn hardship_open_needs(&self, query: &StatsQuery) -> Result<i64> {
        needs::scan_hardship_open(self.0, query)
    }

    fn worker_counts(
        &self,
        query: &StatsQuery,
        created: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<WorkerCounts> {
        let mut sql = Sql::new(
            "SELECT count(*), total(membership = 'member'), total(membership = 'joined_here'),
                    total(hardship)
             FROM worker WHERE deleted_at IS NULL",
        );
        sql.district("district_code", &query.district);
        if let Some((from, to)) = created {
            sql.push(" AND created_at >= ?", ymd(from))
                .push(" AND created_at < ?", ymd(next_day(to)));
        }
        sql.row(self.0, |r| {
            Ok(WorkerCounts {
                workers: r.get(0)?,
                members: r.get::<_, f64>(1)? as i64,
                joined_here: r.get::<_, f64>(2)? as i64,
                hardship: r.get::<_, f64>(3)? as i64,
            })
        })
    }

    fn registrations_by_month(
        &self,
        query: &StatsQuery,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        let mut sql = Sql::new(
            "SELECT substr(created_at, 1, 7), count(*) FROM worker WHERE deleted_at IS NULL",
        );
        sql.district("district_code", &query.district)
            .push(" AND created_at >= ?", ymd(first))
            .push(" AND created_at < ?", ymd(next_day(last)))
            .text(" GROUP BY 1");
        sql.map(self.0)
    }

    fn services_by_kind(&self, query: &StatsQuery) -> Result<HashMap<String, i64>> {
        let mut sql = Sql::new("SELECT s.kind, count(*)");
        sql.text(LIVE_SERVICES)
            .district("w.district_code", &query.district)
            .push(" AND s.served_on >= ?", ymd(query.from))
            .push(" AND s.served_on <= ?", ymd(query.to))
            .text(" GROUP BY s.kind");
        sql.map(self.0)
    }

    fn services_by_month(
        &self,
        query: &StatsQuery,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        let mut sql = Sql::new("SELECT substr(s.served_on, 1, 7), count(*)");
        sql.text(LIVE_SERVICES)
            .district("w.district_code", &query.district)
            .push(" AND s.served_on >= ?", ymd(first))
            .push(" AND s.served_on <= ?", ymd(last))
            .text(" GROUP BY 1");
        sql.map(self.0)
    }

    fn health(&self, query: &StatsQuery, today: NaiveDate) -> Result<HealthFigures> {
        let mut sql = Sql::new(
            "SELECT count(*),
                    total(coalesce((SELECT referral FROM health_check WHERE service_id = s.id), 0))",
        );
        sql.text(LIVE_SERVICES)
            .text(" AND s.kind = 'health_check'")
            .district("w.district_code", &query.district)
            .push(" AND s.served_on >= ?", ymd(query.from))
            .push(" AND s.served_on <= ?", ymd(query.to));
        let (checks, referred) =
            sql.row(self.0, |r| Ok((r.get(0)?, r.get::<_, f64>(1)? as i64)))?;
        let horizon = today
            .checked_add_days(Days::new(FOLLOW_UP_HORIZON_DAYS))
            .unwrap_or(today);
        let mut sql = Sql::new("SELECT ");
        sql.push("total(h.follow_up_on >= ?", ymd(today))
            .push(" AND (h.follow_up_on <= ?", ymd(horizon))
            .push(" OR h.follow_up_on BETWEEN ?", ymd(query.from))
            .push(" AND ?)), ", ymd(query.to))
            .push("total(h.follow_up_on < ?)", ymd(today))
            .text(" FROM health_check h JOIN service s ON s.id = h.service_id")
            .text(" JOIN worker w ON w.id = s.worker_id")
            .text(" WHERE h.follow_up_on IS NOT NULL AND s.deleted_at IS NULL")
            .text(" AND w.deleted_at IS NULL")
            .district("w.district_code", &query.district)
            .text(
                " AND NOT EXISTS (
                     SELECT 1 FROM service later
                          JOIN health_check lh ON lh.service_id = later.id
                     WHERE later.worker_id = s.worker_id AND later.deleted_at IS NULL
                       AND later.served_on > s.served_on)",
            );
        let (due, overdue) = sql.row(self.0, |r| {
            Ok((r.get::<_, f64>(0)? as i64, r.get::<_, f64>(1)? as i64))
        })?;
        Ok(HealthFigures {
            checks,
            referred,
            follow_ups_due: due,
            follow_ups_overdue: overdue,
        })
    }

    fn legal(&self, query: &StatsQuery) -> Result<(HashMap<String, i64>, LegalAmounts)> {
        // The latest visit of a case is the one no live visit follows.
        let heads = |sql: &mut Sql| {
            sql.text(" FROM legal_aid l JOIN service s ON s.id = l.service_id")
                .text(" JOIN worker w ON w.id = s.worker_id")
                .text(" WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL")
                .text(
                    " AND NOT EXISTS (
                         SELECT 1 FROM legal_aid f JOIN service fs ON fs.id = f.service_id
                         WHERE f.follows_uid = s.uid AND fs.deleted_at IS NULL)",
                )
                .district("w.district_code", &query.district);
        };
        let mut sql = Sql::new("SELECT l.category, count(*)");
        heads(&mut sql);
        sql.text(" AND l.status NOT IN ('resolved', 'referred') GROUP BY l.category");
        let open = sql.map(self.0)?;
        let mut sql = Sql::new(
            "SELECT count(*), total(l.status IN ('resolved', 'referred')), total(l.claimed_fen),
                    total(l.recovered_fen)",
        );
        heads(&mut sql);
        sql.push(" AND s.served_on >= ?", ymd(query.from))
            .push(" AND s.served_on <= ?", ymd(query.to));
        let amounts = sql.row(self.0, |r| {
            Ok(LegalAmounts {
                cases: r.get(0)?,
                closed: r.get::<_, f64>(1)? as i64,
                claimed_fen: r.get::<_, f64>(2)? as i64,
                recovered_fen: r.get::<_, f64>(3)? as i64,
            })
        })?;
        Ok((open, amounts))
    }

    fn amounts_by_kind(&self, query: &StatsQuery) -> Result<HashMap<String, i64>> {
        let mut sql = Sql::new("SELECT s.kind, sum(s.amount_fen)");
        sql.text(LIVE_SERVICES)
            .district("w.district_code", &query.district)
            .push(" AND s.served_on >= ?", ymd(query.from))
            .push(" AND s.served_on <= ?", ymd(query.to))
            .text(" GROUP BY s.kind HAVING sum(s.amount_fen) <> 0");
        sql.map(self.0)
    }

    fn amounts_by_month(
        &self,
        query: &StatsQuery,
        (first, last): (NaiveDate, NaiveDate),
    ) -> Result<HashMap<String, i64>> {
        let mut sql = Sql::new("SELECT substr(s.served_on, 1, 7), sum(s.amount_fen)");
        sql.text(LIVE_SERVICES)
            .district("w.district_code", &query.district)
            .push(" AND s.served_on >= ?", ymd(first))
            .push(" AND s.served_on <= ?", ymd(last))
            .text(" GROUP BY 1 HAVING sum(s.amount_fen) <> 0");
        sql.map(self.0)
    }

    fn event_totals(&self, query: &StatsQuery) -> Result<(i64, i64, i64)> {
        money::event_totals(self.0, &event_parts(), query)
    }

    fn top_events(&self, query: &StatsQuery, limit: usize) -> Result<Vec<EventAmount>> {
        money::top_events(self.0, &event_parts(), query, limit)
    }

    fn served(&self, query: &StatsQuery) -> Result<(i64, i64)> {
        let mut sql =
            Sql::new("SELECT count(*), total(w.hardship) FROM worker w WHERE w.deleted_at IS NULL");
        sql.district("w.district_code", &query.district);
        served_clause(&mut sql, query, true);
        sql.row(self.0, |r| Ok((r.get(0)?, r.get::<_, f64>(1)? as i64)))
    }
}

/// Live services of live workers with an event, by event and workplace district.
fn event_parts() -> String {
    format!(
        "(SELECT s.event_id, w.district_code, count(*) AS services,
                 sum(s.amount_fen) AS amount_fen{LIVE_SERVICES} AND s.event_id IS NOT NULL
          GROUP BY 1, 2)"
    )
}

/// `AND [NOT] EXISTS` a live service of worker `w` in the period.
fn served_clause(sql: &mut Sql, query: &StatsQuery, served: bool) {
    sql.text(if served {
        " AND EXISTS"
    } else {
        " AND NOT EXISTS"
    })
    .text(" (SELECT 1 FROM service s WHERE s.worker_id = w.id AND s.deleted_at IS NULL")
    .push(" AND s.served_on >= ?", ymd(query.from))
    .push(" AND s.served_on <= ?)", ymd(query.to));
}

/// Hardship workers without a live service in the period, by district then registration:
/// the order of the partial index, so a page reads only as far as it needs.
pub(super) fn unserved_hardship_rows(
    conn: &Connection,
    query: &StatsQuery,
    offset: usize,
    limit: usize,
) -> Result<Vec<UnservedWorker>> {
    let mut sql = Sql::new(
        "SELECT w.id, w.uid, w.name, w.district_code, w.phone, w.employer,
                (SELECT max(ls.served_on) FROM service ls
                 WHERE ls.worker_id = w.id AND ls.deleted_at IS NULL)
         FROM worker w WHERE w.deleted_at IS NULL AND w.hardship = 1",
    );
    sql.district("w.district_code", &query.district);
    served_clause(&mut sql, query, false);
    sql.push(" ORDER BY w.district_code, w.id LIMIT ?", limit as i64)
        .push(" OFFSET ?", offset as i64);
    sql.rows(conn, |r| {
        Ok(UnservedWorker {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
            district_code: r.get(3)?,
            phone: r.get(4)?,
            employer: r.get(5)?,
            last_served_on: r
                .get::<_, Option<String>>(6)?
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
        })
    })
}
