//! Times `Store::statistics` on a database: `cargo run --release --example stats_timing -- DB`.
//! Prints the time of each run for this month, quarter, year and one district.

#![forbid(unsafe_code)]

use jingong::store::{Period, StatsQuery, Store};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: stats_timing DB [DISTRICT]");
    let district = std::env::args().nth(2).unwrap_or_else(|| "120103".into());
    let opened = Instant::now();
    let store = Store::open(std::path::Path::new(&path)).expect("open");
    println!("open (and migrate): {:?}", opened.elapsed());
    let today = store.clock().today();
    for (label, period, district) in [
        ("month", Period::Month, None),
        ("quarter", Period::Quarter, None),
        ("year", Period::Year, None),
        ("year", Period::Year, None),
        ("year+district", Period::Year, Some(district.clone())),
        ("quarter+district", Period::Quarter, Some(district.clone())),
    ] {
        let query = StatsQuery::new(period, today, district);
        time(&store, label, &query);
    }
    // Periods that do not start and end with a month: the head and tail months are counted
    // from the served-month rows.
    let custom = [
        ("custom 03-15..09-10", "2026-03-15", "2026-09-10", None),
        ("custom 2025-01-02..", "2025-01-02", "2026-11-28", None),
        ("custom 11-03..11-20", "2026-11-03", "2026-11-20", None),
        (
            "custom odd+district",
            "2026-03-15",
            "2026-09-10",
            Some(district.clone()),
        ),
    ];
    for (label, from, to, district) in custom {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        time(
            &store,
            label,
            &StatsQuery::custom(day(from), day(to), district),
        );
    }
}

fn time(store: &Store, label: &str, query: &StatsQuery) {
    let started = Instant::now();
    let stats = store.statistics(query).expect("statistics");
    println!(
        "{label:20} {:>8.1} ms  workers {} services {} reach {} hardship unserved {} money {} fen, {} events",
        started.elapsed().as_secs_f64() * 1000.0,
        stats.workers.workers,
        stats.services,
        stats.reach.served,
        stats.hardship_unserved.total,
        stats.money.total_fen,
        stats.money.events
    );
}
