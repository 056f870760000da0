//! Money in the statistics: totals of a small database built by hand compared with sums worked
//! out by hand, and the money rollups compared with summing the records after edits,
//! withdrawals and a bulk demo load.

use crate::support::fixture::officer;
use chrono::{DateTime, NaiveDate};
use jingong::demo::{DemoOptions, Rng, fill};
use jingong::domain::idcard::check_digit;
use jingong::domain::{EventInput, LegalAid, ServiceInput, WorkerInput};
use jingong::store::stats::Statistics;
use jingong::store::{Clock, StatsQuery, Store};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(store: &mut Store, day: &str) {
    store.set_clock(Clock::fixed(
        DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap(),
    ));
}

fn id_number(seq: u32) -> String {
    let first17 = format!("120101198805{:02}{:03}", 1 + seq % 28, seq);
    format!("{first17}{}", check_digit(first17.as_bytes()))
}

fn given(kind: &str, on: &str, yuan: i64) -> ServiceInput {
    ServiceInput {
        kind: kind.into(),
        served_on: Some(d(on)),
        quantity: 1,
        amount_fen: yuan * 100,
        ..Default::default()
    }
}

fn visit(on: &str, claimed: i64, recovered: i64, follows: Option<String>) -> ServiceInput {
    ServiceInput {
        legal: Some(LegalAid {
            category: "wage_arrears".into(),
            status: if recovered > 0 { "mediating" } else { "open" }.into(),
            claimed_fen: claimed,
            recovered_fen: recovered,
            follows_uid: follows,
            ..Default::default()
        }),
        ..given("legal_aid", on, 0)
    }
}

fn year_2026(district: Option<&str>) -> StatsQuery {
    StatsQuery::custom(d("2026-01-01"), d("2026-12-31"), district.map(String::from))
}

/// Twenty workers, fifteen at a 夏送清凉 event of ¥50 each (ten in 和平 120101, five in 河西
/// 120103); a ¥500 送温暖; a withdrawn ¥300 relief payment; a ¥100 送温暖 edited to ¥250; a
/// wage case of two visits; and a 2025 payment outside the year.
fn build() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    at(&mut store, "2026-01-05");
    store.set_officer(&officer()).unwrap();
    let workers: Vec<String> = (0..20)
        .map(|i| {
            store
                .add_worker(&WorkerInput {
                    name: format!("职工{i}"),
                    id_number: id_number(i + 1),
                    district_code: if i < 10 { "120101" } else { "120103" }.into(),
                    ..Default::default()
                })
                .unwrap()
                .uid
        })
        .collect();
    at(&mut store, "2026-11-29");
    let event = store
        .add_event(&EventInput {
            name: "夏送清凉进工地".into(),
            kind: "summer_cooling".into(),
            held_on: Some(d("2026-07-15")),
            default_quantity: 1,
            default_amount_fen: 5_000,
            ..Default::default()
        })
        .unwrap()
        .uid;
    for worker in &workers[..15] {
        store.record_event_service(&event, worker).unwrap();
    }
    store
        .add_service(&workers[0], &given("warmth", "2026-06-10", 500))
        .unwrap();
    let withdrawn = store
        .add_service(&workers[1], &given("relief_money", "2026-06-11", 300))
        .unwrap()
        .uid;
    store
        .withdraw_service(&withdrawn, "录入有误", None)
        .unwrap();
    let edited = store
        .add_service(&workers[12], &given("warmth", "2026-10-05", 100))
        .unwrap()
        .uid;
    store
        .update_service(&edited, &given("warmth", "2026-10-05", 250), None)
        .unwrap();
    let first = store
        .add_service(&workers[2], &visit("2026-08-01", 800_000, 0, None))
        .unwrap()
        .uid;
    store
        .add_service(
            &workers[2],
            &visit("2026-09-01", 800_000, 300_000, Some(first)),
        )
        .unwrap();
    store
        .add_service(&workers[3], &given("relief_money", "2025-12-20", 999))
        .unwrap();
    store
}

fn month(stats: &Statistics, month: &str) -> i64 {
    let found = stats.money.by_month.iter().find(|m| m.month == month);
    found.expect("the month is in the series").amount_fen
}

fn kinds(stats: &Statistics) -> Vec<(&str, i64)> {
    let by_kind = stats.money.by_kind.iter();
    by_kind.map(|k| (k.kind.as_str(), k.amount_fen)).collect()
}

#[test]
fn money_totals_match_sums_worked_out_by_hand() {
    let store = build();
    let all = store.statistics(&year_2026(None)).unwrap();
    // ¥500 + 15 × ¥50 + ¥250 (the edit, once); the withdrawn ¥300 and the 2025 ¥999 not.
    assert_eq!(all.money.total_fen, 50_000 + 75_000 + 25_000);
    assert_eq!(
        kinds(&all),
        [("warmth", 50_000 + 25_000), ("summer_cooling", 75_000)]
    );
    assert_eq!(month(&all, "2026-06"), 50_000);
    assert_eq!(month(&all, "2026-07"), 75_000);
    assert_eq!(month(&all, "2026-10"), 25_000);
    assert_eq!(month(&all, "2026-09"), 0);
    assert_eq!(all.money.events, 1);
    assert_eq!(all.money.event_services, 15);
    assert_eq!(all.money.event_amount_fen, 75_000);
    let event = &all.money.top_events[0];
    assert_eq!(
        (event.name.as_str(), event.services, event.amount_fen),
        ("夏送清凉进工地", 15, 75_000)
    );
    // The case's latest visit: claimed ¥8,000 once (not twice), recovered ¥3,000.
    assert_eq!(all.legal.claimed_fen, 800_000);
    assert_eq!(all.legal.recovered_fen, 300_000);

    // 河西: five of the event's people (¥250) and the edited ¥250.
    let hexi = store.statistics(&year_2026(Some("120103"))).unwrap();
    assert_eq!(hexi.money.total_fen, 25_000 + 25_000);
    assert_eq!(hexi.money.event_services, 5);
    assert_eq!(hexi.money.top_events[0].amount_fen, 25_000);
    assert_eq!(hexi.legal.claimed_fen, 0);

    // Part of a month (from the daily amounts): 2026-06-11 .. 2026-07-20.
    let odd = StatsQuery::custom(d("2026-06-11"), d("2026-07-20"), None);
    assert_eq!(store.statistics(&odd).unwrap().money.total_fen, 75_000);
    let last_year = StatsQuery::custom(d("2025-12-01"), d("2025-12-31"), None);
    let last_year = store.statistics(&last_year).unwrap();
    assert_eq!(last_year.money.total_fen, 99_900);
    assert_eq!(last_year.money.events, 0);
    for query in [year_2026(None), year_2026(Some("120103")), odd] {
        assert_eq!(
            store.statistics(&query).unwrap(),
            store.statistics_by_scan(&query).unwrap()
        );
    }
}

/// The amounts summed straight from the records, for all districts.
fn direct_sum(store: &Store, from: &str, to: &str) -> i64 {
    jingong::testing::connection(store)
        .query_row(
            "SELECT coalesce(sum(s.amount_fen), 0) FROM service s JOIN worker w
             ON w.id = s.worker_id
             WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL
               AND s.served_on BETWEEN ?1 AND ?2",
            [from, to],
            |r| r.get(0),
        )
        .unwrap()
}

fn assert_money_agrees(store: &Store, what: &str) {
    let periods = [
        ("2025-01-01", "2026-12-31"),
        ("2026-01-01", "2026-12-31"),
        ("2025-03-17", "2026-02-09"),
        ("2026-11-03", "2026-11-21"),
    ];
    for (from, to) in periods {
        let query = StatsQuery::custom(d(from), d(to), None);
        let fast = store.statistics(&query).unwrap();
        assert_eq!(
            fast.money.total_fen,
            direct_sum(store, from, to),
            "{what}: {from}..{to}"
        );
        assert_eq!(fast, store.statistics_by_scan(&query).unwrap(), "{what}");
        let district = StatsQuery::custom(d(from), d(to), Some("120101".into()));
        assert_eq!(
            store.statistics(&district).unwrap(),
            store.statistics_by_scan(&district).unwrap(),
            "{what}: 120101"
        );
    }
}

#[test]
fn the_money_rollups_equal_a_direct_sum_after_a_bulk_load_and_edits() {
    let mut store = Store::open_in_memory().unwrap();
    at(&mut store, "2026-11-29");
    store.set_officer(&officer()).unwrap();
    let options = DemoOptions {
        workers: 400,
        services_per_worker: 3,
        seed: 23,
    };
    fill(&mut store, options, |_| {}).unwrap();
    let paid: i64 = jingong::testing::connection(&store)
        .query_row(
            "SELECT count(*) FROM service WHERE amount_fen > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(paid > 20, "the demo hands out money: {paid}");
    assert_money_agrees(&store, "after the bulk load");

    let uids: Vec<String> = jingong::testing::connection(&store)
        .prepare("SELECT uid FROM worker WHERE deleted_at IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut rng = Rng::new(8);
    for (i, uid) in uids.iter().enumerate().step_by(5) {
        let services = store.services_of_worker(uid).unwrap();
        for service in services.iter().filter(|s| !s.deleted) {
            if rng.chance(40) {
                let mut input = ServiceInput {
                    kind: service.kind.clone(),
                    served_on: Some(service.served_on),
                    place: service.place.clone(),
                    quantity: service.quantity,
                    amount_fen: service.amount_fen + 1_234,
                    note: service.note.clone(),
                    event_uid: service.event_uid.clone(),
                    health: service.health.clone(),
                    legal: service.legal.clone(),
                };
                if rng.chance(30) {
                    input.served_on = Some(d("2026-11-10"));
                }
                store.update_service(&service.uid, &input, None).unwrap();
            } else if rng.chance(20) {
                store
                    .withdraw_service(&service.uid, "录入有误", None)
                    .unwrap();
            }
        }
        if i % 3 == 0 {
            let worker = store.worker_by_uid(uid).unwrap().unwrap();
            let mut input = worker.input.clone();
            input.district_code = if i % 2 == 0 { "120101" } else { "120116" }.into();
            store.update_worker(uid, &input, None).unwrap();
        }
        if i % 7 == 0 {
            store.withdraw_worker(uid, "录入有误", None).unwrap();
        }
    }
    assert_money_agrees(&store, "after edits and withdrawals");
}

#[test]
fn the_cli_reports_money_in_text_json_and_csv() {
    use crate::support::fixture::TestDb;
    let db = TestDb::with_officer();
    let worker = db.add_worker(
        "王建国",
        &crate::support::tui::id("13010219850612331"),
        "13812345678",
    );
    {
        let mut store = db.store();
        store
            .add_service(&worker, &given("warmth", "2026-11-03", 500))
            .unwrap();
    }
    let out = db
        .cmd()
        .args([
            "stats",
            "--json",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["money"]["total_fen"], 50_000);
    assert_eq!(json["money"]["by_kind_fen"]["warmth"], 50_000);
    let out = db
        .cmd()
        .args(["stats", "--from", "2026-11-01", "--to", "2026-11-30"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("期间发放金额（按项目）"), "{text}");
    assert!(text.contains("500.00"), "{text}");
    let csv = db.dir.path().join("stats.csv");
    let out = db
        .cmd()
        .args([
            "stats",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--csv",
        ])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.contains("2026-11,500.00"), "{csv}");
}
