//! Times `Store::statistics` on a database: `cargo run --release --example stats_timing -- DB`.
//! Prints the time of each run for this month, quarter, year and one district.

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
        let started = Instant::now();
        let stats = store.statistics(&query).expect("statistics");
        println!(
            "{label:18} {:>8.1} ms  workers {} services {} reach {} hardship unserved {}",
            started.elapsed().as_secs_f64() * 1000.0,
            stats.workers.workers,
            stats.services,
            stats.reach.served,
            stats.hardship_unserved.total
        );
    }
}
