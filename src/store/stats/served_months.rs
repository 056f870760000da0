//! Fills `stat_worker_month` and `stat_reach` (and after a bulk load `stat_service_day`,
//! `stat_amount_day` and `stat_event_amount`) from the records in one pass. In SQL the same fill groups three million services by worker and
//! month in a temporary B-tree and sorts them again for the window functions (22 s of CPU on
//! 1,000,000 workers), and the daily rollup looks up each service's worker at random; the
//! live-service index already yields services in worker and date order, and the worker table
//! in worker order, so merging the two needs no sort and no random lookup.

use rusqlite::{Connection, params};
use std::collections::HashMap;

/// One served month of a worker, as the pass meets it.
struct Month {
    month: String,
    first_day: String,
    last_day: String,
}

/// One live service as the pass reads it.
struct TalliedService {
    worker_id: i64,
    served_on: String,
    kind: String,
    referral: i64,
    amount_fen: i64,
    event_id: Option<i64>,
}

/// One day, kind and district of the daily rollups.
#[derive(Default)]
struct DayCount {
    services: i64,
    referred: i64,
    amount_fen: i64,
}

/// A live worker's district and hardship flag.
struct LiveWorker {
    id: i64,
    district_code: String,
    hardship: bool,
}

/// What the pass fills besides the served months and reach.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fill {
    ServedMonths,
    /// Also the daily service rollup (empty: a bulk load refills every rollup).
    ServedMonthsAndDays,
}

/// Services by day, kind and district with their referrals and amounts, counted in memory with
/// small keys (about 100,000 of them on a district's data) and written once at the end; and
/// the services and amounts of each event by district.
#[derive(Default)]
struct DayTally {
    counts: HashMap<(u32, u8, u16), DayCount>,
    events: HashMap<(i64, u16), (i64, i64)>,
    days: HashMap<u32, String>,
    kinds: Vec<String>,
    districts: HashMap<String, u16>,
    district_names: Vec<String>,
}

impl DayTally {
    fn add(&mut self, service: &TalliedService, district: &str) {
        let served_on = service.served_on.as_str();
        let kind = service.kind.as_str();
        // "YYYY-MM-DD" as a number keeps the key small; the text is kept once per day.
        let day: u32 = served_on
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0u32, |n, b| {
                n.wrapping_mul(10).wrapping_add(u32::from(b - b'0'))
            });
        self.days
            .entry(day)
            .or_insert_with(|| served_on.to_string());
        let kind_index = match self.kinds.iter().position(|k| k == kind) {
            Some(i) => i,
            None => {
                self.kinds.push(kind.to_string());
                self.kinds.len() - 1
            }
        } as u8;
        let district_index = match self.districts.get(district) {
            Some(&i) => i,
            None => {
                let i = self.district_names.len() as u16;
                self.districts.insert(district.to_string(), i);
                self.district_names.push(district.to_string());
                i
            }
        };
        let entry = self
            .counts
            .entry((day, kind_index, district_index))
            .or_default();
        entry.services += 1;
        entry.referred += service.referral;
        entry.amount_fen += service.amount_fen;
        if let Some(event_id) = service.event_id {
            let event = self.events.entry((event_id, district_index)).or_default();
            event.0 += 1;
            event.1 += service.amount_fen;
        }
    }

    fn write(self, conn: &Connection) -> rusqlite::Result<()> {
        let mut insert = conn.prepare(
            "INSERT INTO stat_service_day (served_on, kind, district_code, services, referred)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut insert_amount = conn.prepare(
            "INSERT INTO stat_amount_day (served_on, kind, district_code, amount_fen)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((day, kind, district), count) in self.counts {
            let key = (
                &self.days[&day],
                &self.kinds[usize::from(kind)],
                &self.district_names[usize::from(district)],
            );
            insert.execute(params![key.0, key.1, key.2, count.services, count.referred])?;
            if count.amount_fen != 0 {
                insert_amount.execute(params![key.0, key.1, key.2, count.amount_fen])?;
            }
        }
        let mut insert_event = conn.prepare(
            "INSERT INTO stat_event_amount (event_id, district_code, services, amount_fen)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((event_id, district), (services, amount_fen)) in self.events {
            insert_event.execute(params![
                event_id,
                self.district_names[usize::from(district)],
                services,
                amount_fen
            ])?;
        }
        Ok(())
    }
}

/// Where the pass writes: the served-month rows, and the reach tallies kept in memory (a few
/// thousand keys) until the end.
struct Rows<'c> {
    insert: rusqlite::Statement<'c>,
    reach: HashMap<(String, String, String, bool), i64>,
}

impl Rows<'_> {
    /// Writes the months of `worker_id` if `worker` is that worker (live).
    fn write(
        &mut self,
        worker_id: i64,
        months: &[Month],
        worker: &Option<LiveWorker>,
    ) -> rusqlite::Result<()> {
        let Some(w) = worker.as_ref().filter(|w| w.id == worker_id) else {
            return Ok(());
        };
        for (i, m) in months.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| &months[p]);
            let prev_month = prev.map_or("", |p| p.month.as_str());
            self.insert.execute(params![
                worker_id,
                m.month,
                prev_month,
                w.district_code,
                w.hardship,
                m.first_day,
                m.last_day,
                prev.map_or("", |p| p.last_day.as_str()),
                months.get(i + 1).map_or("", |n| n.month.as_str()),
            ])?;
            *self
                .reach
                .entry((
                    w.district_code.clone(),
                    m.month.clone(),
                    prev_month.to_string(),
                    w.hardship,
                ))
                .or_default() += 1;
        }
        Ok(())
    }
}

/// Fills the (empty) served-month and reach rollups. Runs while their triggers are absent.
pub(crate) fn fill_served_months(conn: &Connection, what: Fill) -> rusqlite::Result<()> {
    // Rows arrive in worker order; the by-month index is cheaper built once afterwards.
    let by_month: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE name = 'stat_worker_month_by_month'",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch("DROP INDEX stat_worker_month_by_month")?;
    fill(conn, what)?;
    conn.execute_batch(&by_month)
}

fn fill(conn: &Connection, what: Fill) -> rusqlite::Result<()> {
    let mut workers = conn.prepare(
        "SELECT id, district_code, hardship FROM worker WHERE deleted_at IS NULL ORDER BY id",
    )?;
    let mut workers = workers.query_map([], |r| {
        Ok(LiveWorker {
            id: r.get(0)?,
            district_code: r.get(1)?,
            hardship: r.get(2)?,
        })
    })?;
    let days = what == Fill::ServedMonthsAndDays;
    let mut services = conn.prepare(if days {
        "SELECT s.worker_id, s.served_on, s.kind, coalesce(h.referral, 0), s.amount_fen,
                s.event_id
         FROM service s INDEXED BY service_live_worker
              LEFT JOIN health_check h ON h.service_id = s.id
         WHERE s.deleted_at IS NULL ORDER BY s.worker_id, s.served_on"
    } else {
        "SELECT worker_id, served_on, '', 0, 0, NULL FROM service INDEXED BY service_live_worker
         WHERE deleted_at IS NULL ORDER BY worker_id, served_on"
    })?;
    let mut services = services.query_map([], |r| {
        Ok(TalliedService {
            worker_id: r.get(0)?,
            served_on: r.get(1)?,
            kind: r.get(2)?,
            referral: r.get(3)?,
            amount_fen: r.get(4)?,
            event_id: r.get(5)?,
        })
    })?;
    let mut tally = DayTally::default();
    let mut out = Rows {
        insert: conn.prepare(
            "INSERT INTO stat_worker_month (worker_id, month, prev_month, district_code, hardship,
                                            first_day, last_day, prev_last_day, next_month)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?,
        reach: HashMap::new(),
    };
    let mut worker = workers.next().transpose()?;
    let mut months: Vec<Month> = Vec::new();
    let mut current: Option<i64> = None;
    for service in services.by_ref() {
        let service = service?;
        let worker_id = service.worker_id;
        if current != Some(worker_id) {
            if let Some(done) = current {
                out.write(done, &months, &worker)?;
                months.clear();
            }
            current = Some(worker_id);
            // Deleted workers are absent from the worker pass; their services count nowhere.
            while worker.as_ref().is_some_and(|w| w.id < worker_id) {
                worker = workers.next().transpose()?;
            }
        }
        if days && let Some(w) = worker.as_ref().filter(|w| w.id == worker_id) {
            tally.add(&service, &w.district_code);
        }
        let served_on = service.served_on;
        // `get`, not a byte slice: a malformed date from an old batch must not panic here.
        let month = served_on.get(..7).unwrap_or(&served_on);
        match months.last_mut() {
            Some(last) if last.month == month => last.last_day = served_on,
            _ => months.push(Month {
                month: month.to_string(),
                first_day: served_on.clone(),
                last_day: served_on,
            }),
        }
    }
    if let Some(done) = current {
        out.write(done, &months, &worker)?;
    }

    let mut insert_reach = conn.prepare(
        "INSERT INTO stat_reach (district_code, month, prev_month, hardship, workers)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for ((district_code, month, prev_month, hardship), workers) in out.reach {
        insert_reach.execute(params![district_code, month, prev_month, hardship, workers])?;
    }
    if days {
        tally.write(conn)?;
    }
    Ok(())
}
