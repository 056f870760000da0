//! Every statistics figure on a small database built by hand, compared with numbers worked out
//! by hand below; and the rollups compared with counting the records themselves after many
//! kinds of change.

use crate::support::fixture::officer;
use chrono::{DateTime, Datelike, NaiveDate};
use jingong::demo::{DemoOptions, Rng, fill};
use jingong::domain::idcard::check_digit;
use jingong::domain::{HealthCheck, LegalAid, Membership, ServiceInput, WorkerInput};
use jingong::store::stats::{CategoryCount, KindCount, MonthCount, Statistics};
use jingong::store::{Clock, Period, StatsQuery, Store};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(store: &mut Store, day: &str) {
    store.set_clock(Clock::fixed(
        DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap(),
    ));
}

/// A valid ID number: a Tianjin region, a birth date and a sequence number.
fn id_number(seq: u32) -> String {
    let first17 = format!("120101199001{:02}{:03}", 1 + seq % 28, seq);
    format!("{first17}{}", check_digit(first17.as_bytes()))
}

struct Built {
    store: Store,
    w3_uid: String,
}

fn plain(kind: &str, on: &str) -> ServiceInput {
    ServiceInput {
        kind: kind.into(),
        served_on: Some(d(on)),
        quantity: 1,
        ..Default::default()
    }
}

fn check(on: &str, referral: bool, follow_up_on: Option<&str>) -> ServiceInput {
    ServiceInput {
        health: Some(HealthCheck {
            provider: "天津市职工医院".into(),
            referral,
            follow_up_on: follow_up_on.map(d),
            consent_by: "李明".into(),
            consent_at: format!("{on}T09:00:00+08:00"),
            ..Default::default()
        }),
        ..plain("health_check", on)
    }
}

fn legal(on: &str, category: &str, status: &str, claimed: i64, recovered: i64) -> ServiceInput {
    ServiceInput {
        legal: Some(LegalAid {
            category: category.into(),
            status: status.into(),
            claimed_fen: claimed,
            recovered_fen: recovered,
            ..Default::default()
        }),
        ..plain("legal_aid", on)
    }
}

/// Six workers in two districts (120101 和平, 120103 河西), one deleted; sixteen services,
/// one deleted and two belonging to the deleted worker.
fn build() -> Built {
    let mut store = Store::open_in_memory().unwrap();
    at(&mut store, "2025-06-10");
    store.set_officer(&officer()).unwrap();
    let mut seq = 0;
    let mut worker = |store: &mut Store,
                      day: &str,
                      name: &str,
                      district: &str,
                      membership: Membership,
                      hardship: bool| {
        at(store, day);
        seq += 1;
        store
            .add_worker(&WorkerInput {
                name: name.into(),
                id_number: id_number(seq),
                phone: format!("1380000{seq:04}"),
                district_code: district.into(),
                membership,
                hardship,
                employer: "中建八局天津分公司".into(),
                ..Default::default()
            })
            .unwrap()
            .uid
    };
    use Membership::*;
    let w1 = worker(&mut store, "2025-06-10", "张伟", "120101", Member, true);
    let w2 = worker(
        &mut store,
        "2026-03-05",
        "李娜",
        "120101",
        JoinedHere,
        false,
    );
    let w3 = worker(&mut store, "2026-11-02", "王强", "120101", NotMember, true);
    let w4 = worker(&mut store, "2026-02-20", "刘洋", "120103", Member, false);
    let w5 = worker(&mut store, "2026-11-20", "陈静", "120103", NotMember, true);
    let w6 = worker(&mut store, "2026-04-01", "赵敏", "120103", JoinedHere, true);
    at(&mut store, "2026-11-29");
    // S1..S16 as worked out in `figures_for_the_year_in_all_districts`.
    for (worker, input) in [
        (&w1, plain("job", "2026-01-15")),                     // S1
        (&w1, check("2026-03-10", true, Some("2026-04-10"))),  // S2
        (&w1, check("2026-05-20", false, Some("2026-12-10"))), // S3
        (&w2, plain("culture", "2026-03-06")),                 // S4
        (&w2, check("2026-06-01", true, Some("2026-09-01"))),  // S5
    ] {
        store.add_service(worker, &input).unwrap();
    }
    // S6 opens a wage case; S7 follows it up.
    let s6 = store
        .add_service(
            &w2,
            &legal("2026-07-01", "wage_arrears", "open", 800_000, 0),
        )
        .unwrap()
        .uid;
    let mut s7 = legal("2026-09-15", "wage_arrears", "mediating", 800_000, 300_000);
    s7.legal.as_mut().unwrap().follows_uid = Some(s6);
    store.add_service(&w2, &s7).unwrap();
    store
        .add_service(
            &w4,
            &legal("2026-10-10", "work_injury", "resolved", 500_000, 500_000),
        )
        .unwrap(); // S8
    store.add_service(&w4, &plain("job", "2025-12-20")).unwrap(); // S9
    let s10 = store
        .add_service(&w4, &plain("job", "2026-11-03"))
        .unwrap()
        .uid;
    store.add_service(&w6, &plain("job", "2026-05-05")).unwrap(); // S11
    store
        .add_service(&w6, &check("2026-06-06", false, Some("2026-07-01")))
        .unwrap(); // S12
    store
        .add_service(&w5, &check("2026-11-25", false, Some("2027-03-01")))
        .unwrap(); // S13
    store
        .add_service(
            &w3,
            &legal("2025-11-15", "labour_contract", "open", 200_000, 0),
        )
        .unwrap(); // S14
    store
        .add_service(&w1, &plain("books", "2026-11-28"))
        .unwrap(); // S15
    store
        .add_service(&w4, &check("2026-11-10", true, Some("2026-12-30")))
        .unwrap(); // S16
    store.withdraw_service(&s10, "录入有误", None).unwrap();
    store.withdraw_worker(&w6, "录入有误", None).unwrap();
    Built { store, w3_uid: w3 }
}

fn kinds(stats: &Statistics) -> Vec<(&str, i64)> {
    stats
        .services_by_kind
        .iter()
        .filter(|k| k.count != 0)
        .map(|k| (k.kind.as_str(), k.count))
        .collect()
}

fn months(series: &[MonthCount]) -> Vec<(&str, i64)> {
    series
        .iter()
        .filter(|m| m.count != 0)
        .map(|m| (m.month.as_str(), m.count))
        .collect()
}

fn open_cases(stats: &Statistics) -> Vec<(&str, i64)> {
    stats
        .legal
        .open_by_category
        .iter()
        .filter(|c| c.cases != 0)
        .map(|c| (c.category.as_str(), c.cases))
        .collect()
}

fn year_2026(district: Option<&str>) -> StatsQuery {
    StatsQuery::this_year(d("2026-11-29"), district.map(String::from))
}

#[test]
fn figures_for_the_year_in_all_districts() {
    let built = build();
    let stats = built.store.statistics(&year_2026(None)).unwrap();
    assert_eq!(
        (stats.query.from, stats.query.to),
        (d("2026-01-01"), d("2026-12-31"))
    );
    assert_eq!(stats.today, d("2026-11-29"));

    // Live workers W1..W5 (W6 deleted). Members W1, W4; joined here W2; hardship W1, W3, W5.
    assert_eq!(stats.workers.workers, 5);
    assert_eq!(stats.workers.members, 2);
    assert_eq!(stats.workers.joined_here, 1);
    assert_eq!(stats.workers.hardship, 3);
    // Registered in 2026: W2 (03-05), W3 (11-02), W4 (02-20), W5 (11-20); W1 was 2025.
    // Of them member W4, joined here W2, hardship W3 and W5.
    assert_eq!(stats.new_workers.workers, 4);
    assert_eq!(stats.new_workers.members, 1);
    assert_eq!(stats.new_workers.joined_here, 1);
    assert_eq!(stats.new_workers.hardship, 2);
    // Months 2025-12..2026-11: Feb W4, Mar W2, Nov W3 and W5 (Apr's W6 is deleted).
    assert_eq!(stats.new_workers_by_month.len(), 12);
    assert_eq!(stats.new_workers_by_month[0].month, "2025-12");
    assert_eq!(
        months(&stats.new_workers_by_month),
        [("2026-02", 1), ("2026-03", 1), ("2026-11", 2)]
    );

    // Live services of live workers served in 2026: S1 job; S2 S3 S5 S13 S16 health checks;
    // S4 culture; S6 S7 S8 legal aid; S15 books = 11. Not counted: S9 and S14 (2025), S10
    // (deleted), S11 and S12 (deleted worker).
    assert_eq!(stats.services, 11);
    assert_eq!(
        kinds(&stats),
        [
            ("job", 1),
            ("culture", 1),
            ("health_check", 5),
            ("legal_aid", 3),
            ("books", 1)
        ]
    );
    assert_eq!(
        stats.services_by_kind.len(),
        18,
        "every kind, zeros included"
    );
    assert_eq!(
        stats.services_by_kind[0],
        KindCount {
            kind: "job".into(),
            count: 1
        }
    );
    // Per month: 2025-12 S9; Jan S1; Mar S2 S4; May S3; Jun S5; Jul S6; Sep S7; Oct S8;
    // Nov S13 S15 S16 (S10 deleted). S14 (2025-11) is before the series.
    assert_eq!(
        months(&stats.services_by_month),
        [
            ("2025-12", 1),
            ("2026-01", 1),
            ("2026-03", 2),
            ("2026-05", 1),
            ("2026-06", 1),
            ("2026-07", 1),
            ("2026-09", 1),
            ("2026-10", 1),
            ("2026-11", 3)
        ]
    );

    // Health checks in 2026: S2 S3 S5 S13 S16 = 5; referred S2 S5 S16 = 3.
    // Follow-ups: S2's (04-10) is done by S3 (a later check of W1). S3's 12-10 is within 30
    // days of 11-29: due. S16's 12-30 is past 30 days but inside the period: due. S5's 09-01
    // is past with no later check of W2: overdue. S13's 2027-03-01 is neither. S12 belongs to
    // the deleted worker.
    assert_eq!(stats.health.checks, 5);
    assert_eq!(stats.health.referred, 3);
    assert_eq!(stats.health.follow_ups_due, 2);
    assert_eq!(stats.health.follow_ups_overdue, 1);

    // Cases: S6→S7 (latest S7, mediating: open), S8 (resolved), S14 (open, 2025).
    // Open now: wage arrears (S7), labour contract (S14).
    assert_eq!(
        open_cases(&stats),
        [("wage_arrears", 1), ("labour_contract", 1)]
    );
    assert_eq!(stats.legal.open_cases, 2);
    assert_eq!(stats.legal.open_by_category.len(), 6);
    // Latest visits in 2026: S7 and S8. Claimed 8000 + 5000 yuan, recovered 3000 + 5000; S6's
    // repeated claim does not count twice.
    assert_eq!(stats.legal.cases_in_period, 2);
    assert_eq!(stats.legal.claimed_fen, 1_300_000);
    assert_eq!(stats.legal.recovered_fen, 800_000);

    // Served in 2026: W1, W2, W4, W5; W3's only service is from 2025. 4 of 5 = 80.0%.
    assert_eq!(stats.reach.served, 4);
    assert_eq!(stats.reach.registered, 5);
    assert_eq!(stats.reach.per_mille(), 800);
    // Hardship W1, W3, W5; only W3 was not served in 2026. Last served 2025-11-15 (S14).
    assert_eq!(stats.hardship_unserved.total, 1);
    assert_eq!(stats.hardship_unserved.workers.len(), 1);
    let w3 = &stats.hardship_unserved.workers[0];
    assert_eq!(
        (w3.uid.as_str(), w3.name.as_str()),
        (built.w3_uid.as_str(), "王强")
    );
    assert_eq!(w3.last_served_on, Some(d("2025-11-15")));
}

#[test]
fn figures_for_one_district() {
    let built = build();
    // 和平 120101: W1 (member, hardship), W2 (joined here), W3 (hardship, new in 2026).
    let heping = built.store.statistics(&year_2026(Some("120101"))).unwrap();
    assert_eq!(heping.workers.workers, 3);
    assert_eq!(heping.workers.members, 1);
    assert_eq!(heping.workers.joined_here, 1);
    assert_eq!(heping.workers.hardship, 2);
    assert_eq!(heping.new_workers.workers, 2); // W2, W3
    assert_eq!(heping.new_workers.hardship, 1); // W3
    // W1: S1 S2 S3 S15; W2: S4 S5 S6 S7.
    assert_eq!(heping.services, 8);
    assert_eq!(
        kinds(&heping),
        [
            ("job", 1),
            ("culture", 1),
            ("health_check", 3),
            ("legal_aid", 2),
            ("books", 1)
        ]
    );
    // Checks S2 S3 S5; referred S2 S5; due S3; overdue S5.
    assert_eq!(heping.health.checks, 3);
    assert_eq!(heping.health.referred, 2);
    assert_eq!(heping.health.follow_ups_due, 1);
    assert_eq!(heping.health.follow_ups_overdue, 1);
    // Open S7 and S14; in 2026 only S7: 8000 claimed, 3000 recovered.
    assert_eq!(heping.legal.open_cases, 2);
    assert_eq!(heping.legal.cases_in_period, 1);
    assert_eq!(heping.legal.claimed_fen, 800_000);
    assert_eq!(heping.legal.recovered_fen, 300_000);
    // W1 and W2 served of 3: 66.67% -> 667 per mille.
    assert_eq!(heping.reach.served, 2);
    assert_eq!(heping.reach.per_mille(), 667);
    assert_eq!(heping.hardship_unserved.total, 1);

    // 河西 120103: W4 (member), W5 (hardship); W6 deleted with its S11 and S12.
    let hexi = built.store.statistics(&year_2026(Some("120103"))).unwrap();
    assert_eq!(hexi.workers.workers, 2);
    assert_eq!(hexi.workers.members, 1);
    assert_eq!(hexi.workers.joined_here, 0);
    assert_eq!(hexi.workers.hardship, 1);
    // S8, S13, S16 (S9 is 2025, S10 deleted).
    assert_eq!(hexi.services, 3);
    assert_eq!(kinds(&hexi), [("health_check", 2), ("legal_aid", 1)]);
    assert_eq!(
        months(&hexi.services_by_month),
        [("2025-12", 1), ("2026-10", 1), ("2026-11", 2)]
    );
    assert_eq!(hexi.health.checks, 2);
    assert_eq!(hexi.health.referred, 1);
    assert_eq!(hexi.health.follow_ups_due, 1);
    assert_eq!(hexi.health.follow_ups_overdue, 0);
    assert_eq!(hexi.legal.open_cases, 0);
    assert_eq!(
        hexi.legal.open_by_category[2],
        CategoryCount {
            category: "work_injury".into(),
            cases: 0
        }
    );
    assert_eq!(hexi.legal.cases_in_period, 1);
    assert_eq!(hexi.legal.claimed_fen, 500_000);
    assert_eq!(hexi.legal.recovered_fen, 500_000);
    assert_eq!(hexi.reach.served, 2);
    assert_eq!(hexi.reach.per_mille(), 1000);
    assert_eq!(hexi.hardship_unserved.total, 0);

    // The districts add up to the whole.
    let all = built.store.statistics(&year_2026(None)).unwrap();
    assert_eq!(heping.services + hexi.services, all.services);
    assert_eq!(heping.reach.served + hexi.reach.served, all.reach.served);
}

#[test]
fn periods_that_are_not_whole_months_are_counted_exactly() {
    let built = build();
    // 03-06..06-01: S3 (W1, 05-20), S4 (W2, 03-06), S5 (W2, 06-01); S2 (03-10, W1) too.
    let custom = StatsQuery::custom(d("2026-03-06"), d("2026-06-01"), None);
    let stats = built.store.statistics(&custom).unwrap();
    assert_eq!(stats.services, 4);
    assert_eq!(stats.reach.served, 2); // W1, W2
    // Hardship W1 (served), W3 and W5 (not): 2, listed by district then registration.
    assert_eq!(stats.hardship_unserved.total, 2);
    let names: Vec<&str> = stats
        .hardship_unserved
        .workers
        .iter()
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(names, ["王强", "陈静"]);
    // Whole months March..June give the same reach from the rollup.
    let months = StatsQuery::custom(d("2026-03-01"), d("2026-06-30"), None);
    assert_eq!(built.store.statistics(&months).unwrap().reach.served, 2);
    // Paging the list.
    let page = built.store.hardship_unserved(&custom, 1, 10).unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.workers.len(), 1);
    assert_eq!(page.workers[0].name, "陈静");
}

#[test]
fn period_helpers() {
    let today = d("2026-11-29");
    let q = StatsQuery::this_month(today, None);
    assert_eq!((q.from, q.to), (d("2026-11-01"), d("2026-11-30")));
    let q = StatsQuery::this_quarter(today, Some("120101".into()));
    assert_eq!((q.from, q.to), (d("2026-10-01"), d("2026-12-31")));
    assert_eq!(q.district.as_deref(), Some("120101"));
    let q = StatsQuery::new(Period::Year, today, None);
    assert_eq!((q.from, q.to), (d("2026-01-01"), d("2026-12-31")));
}

/// The rollups must say exactly what counting the records says, whatever was written.
pub(crate) fn assert_rollups_agree(store: &Store, what: &str) {
    let today = store.clock().today();
    let districts = [None, Some("120101".to_string()), Some("120116".to_string())];
    for district in districts {
        for query in [
            StatsQuery::this_year(today, district.clone()),
            StatsQuery::this_month(today, district.clone()),
            StatsQuery::custom(d("2025-01-01"), d("2026-12-31"), district.clone()),
            StatsQuery::custom(d("2026-02-01"), d("2026-07-31"), district.clone()),
            StatsQuery::custom(d("2025-12-15"), d("2026-04-10"), district.clone()),
            StatsQuery::custom(d("2026-06-03"), d("2026-06-20"), district.clone()),
        ]
        .into_iter()
        .chain(odd_periods(district.clone()))
        {
            let fast = store.statistics(&query).unwrap();
            let slow = store.statistics_by_scan(&query).unwrap();
            assert_eq!(fast, slow, "{what}: {query:?}");
        }
    }
}

/// Periods that start and end on any day: within one month, in adjacent months, from the
/// first of a month to the middle of another, across a year.
fn odd_periods(district: Option<String>) -> Vec<StatsQuery> {
    let first = d("2024-12-01");
    let mut rng = Rng::new(29);
    (0..40)
        .map(|i| {
            let from = first + chrono::Days::new(rng.below(760));
            let length = match i % 4 {
                0 => rng.below(28),
                1 => rng.below(62),
                2 => rng.below(400),
                _ => 0,
            };
            let from = if i % 5 == 0 {
                from.with_day(1).unwrap()
            } else {
                from
            };
            StatsQuery::custom(from, from + chrono::Days::new(length), district.clone())
        })
        .collect()
}

#[test]
fn rollups_follow_every_kind_of_change() {
    let mut built = build();
    let store = &mut built.store;
    assert_rollups_agree(store, "hand-made");
    fill(
        store,
        DemoOptions {
            workers: 400,
            services_per_worker: 3,
            seed: 11,
        },
        |_| {},
    )
    .unwrap();
    assert_rollups_agree(store, "after demo data");
    // Move, re-flag, delete workers; delete services; add follow-ups and later checks.
    let mut rng = Rng::new(5);
    let uids: Vec<String> = jingong::testing::connection(store)
        .prepare("SELECT uid FROM worker WHERE deleted_at IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let districts = ["120101", "120103", "120116", ""];
    for (i, uid) in uids.iter().enumerate().step_by(7) {
        let worker = store.worker_by_uid(uid).unwrap().unwrap();
        let mut input = worker.input.clone();
        input.district_code = (*rng.pick(&districts)).to_string();
        input.hardship = rng.chance(50);
        input.membership = if rng.chance(50) {
            Membership::Member
        } else {
            Membership::NotMember
        };
        store.update_worker(uid, &input, None).unwrap();
        let services = store.services_of_worker(uid).unwrap();
        if let Some(first) = services.first()
            && i % 3 == 0
        {
            store
                .withdraw_service(&first.uid, "录入有误", None)
                .unwrap();
        }
        if i % 5 == 0 {
            store
                .add_service(uid, &check("2026-11-01", i % 2 == 0, Some("2026-11-15")))
                .unwrap();
        }
        if i % 11 == 0 {
            let open = store.open_legal_cases(uid).unwrap();
            if let Some(case) = open.first() {
                let mut next = legal("2026-11-20", "wage_arrears", "resolved", 100_000, 90_000);
                next.legal.as_mut().unwrap().follows_uid = Some(case.uid.clone());
                store.add_service(uid, &next).unwrap();
            }
        }
        if i % 13 == 0 {
            store.withdraw_worker(uid, "录入有误", None).unwrap();
        }
    }
    assert_rollups_agree(store, "after edits");
}

#[test]
fn a_bulk_load_into_an_empty_database_fills_the_rollups() {
    let mut store = Store::open_in_memory().unwrap();
    at(&mut store, "2026-11-29");
    store.set_officer(&officer()).unwrap();
    fill(
        &mut store,
        DemoOptions {
            workers: 500,
            services_per_worker: 3,
            seed: 17,
        },
        |_| {},
    )
    .unwrap();
    assert_rollups_agree(&store, "after a bulk load");
}

#[test]
fn the_upgrade_fills_the_rollups_from_existing_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut store = Store::open(&path).unwrap();
        at(&mut store, "2026-11-29");
        store.set_officer(&officer()).unwrap();
        fill(
            &mut store,
            DemoOptions {
                workers: 300,
                services_per_worker: 2,
                seed: 3,
            },
            |_| {},
        )
        .unwrap();
        // Back to the schema before statistics: drop everything migrations 4 and 5 made, then
        // reopen to upgrade.
        let conn = jingong::testing::connection(&store);
        let made: Vec<(String, String)> = conn
            .prepare(
                "SELECT type, name FROM sqlite_master
                 WHERE name LIKE 'stat\\_%' ESCAPE '\\' AND type IN ('view', 'table')
                    OR name IN ('service_live_worker', 'worker_live_district',
                                'worker_live_hardship', 'legal_aid_follows', 'worker_deleted')",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(made.len() > 10, "{made:?}");
        let triggers: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master
                 WHERE type = 'trigger' AND name LIKE 'stat\\_%' ESCAPE '\\'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for name in triggers {
            conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
        }
        for (kind, name) in made {
            conn.execute_batch(&format!("DROP {kind} IF EXISTS {name}"))
                .unwrap();
        }
        // And the columns later migrations add, so they can add them again.
        conn.execute_batch(
            "ALTER TABLE worker DROP COLUMN withdraw_reason;
             ALTER TABLE event DROP COLUMN withdraw_reason;
             ALTER TABLE service DROP COLUMN withdraw_reason;
             ALTER TABLE audit DROP COLUMN reason;
             ALTER TABLE legal_aid DROP COLUMN outcome;
             ALTER TABLE worker DROP COLUMN erase_reason;
             ALTER TABLE service DROP COLUMN erase_reason;
             ALTER TABLE worker DROP COLUMN protection_start;
             ALTER TABLE worker DROP COLUMN protection_end;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    at(&mut store, "2026-11-29");
    assert_eq!(
        store.schema_version().unwrap(),
        jingong::store::schema::LATEST
    );
    let stats = store.statistics(&year_2026(None)).unwrap();
    assert_eq!(stats.workers.workers, 300);
    assert_rollups_agree(&store, "after the upgrade");
}
