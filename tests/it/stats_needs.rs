//! Demand beside supply and the mutual-aid claims in the statistics: figures of a small
//! database built by hand checked against counting and summing the records directly (needs
//! answered, open and closed by hand; services of answering and other kinds; two districts,
//! two months and the days at a period's edge), the rollups against the records after a worker
//! moves and is withdrawn, the hardship list's order, the CSV and XLSX of `stats --needs
//! --claims`, and demo needs and claims that keep the domain's rules.

use crate::support::fixture::{TestDb, officer};
use chrono::{DateTime, NaiveDate};
use jingong::domain::claims::{ClaimDraft, ClaimStatus, ClaimStepDraft};
use jingong::domain::idcard::check_digit;
use jingong::domain::needs::{NeedInput, need_kind};
use jingong::domain::{Membership, ServiceInput, WorkerInput};
use jingong::store::stats::Statistics;
use jingong::store::{Clock, StatsQuery, Store};
use std::collections::HashMap;

mod demo;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(store: &mut Store, day: &str) {
    store.set_clock(Clock::fixed(
        DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap(),
    ));
}

/// An ID number born 1988-05; `female` picks the gender digit.
fn id_number(seq: u32, female: bool) -> String {
    let order = seq * 2 + u32::from(!female);
    let first17 = format!("120101198805{:02}{:03}", 1 + seq % 28, order);
    format!("{first17}{}", check_digit(first17.as_bytes()))
}

fn worker(store: &mut Store, seq: u32, district: &str, hardship: bool, card: &str) -> String {
    store
        .add_worker(&WorkerInput {
            name: format!("职工{seq}"),
            id_number: id_number(seq, seq.is_multiple_of(2)),
            district_code: district.into(),
            hardship,
            membership: if card.is_empty() {
                Membership::NotMember
            } else {
                Membership::Member
            },
            card_no: card.into(),
            ..Default::default()
        })
        .unwrap()
        .uid
}

fn need(store: &mut Store, worker: &str, kind: &str, raised: &str) -> String {
    let input = NeedInput {
        kind: kind.into(),
        raised_on: d(raised),
        note: String::new(),
    };
    store.add_need(worker, &input).unwrap().uid
}

fn serve(store: &mut Store, worker: &str, kind: &str, on: &str) {
    let input = ServiceInput {
        kind: kind.into(),
        served_on: Some(d(on)),
        quantity: 1,
        ..Default::default()
    };
    store.add_service(worker, &input).unwrap();
}

const HEPING: &str = "120101";
const HEXI: &str = "120103";

/// Workers: 0 (和平, hardship), 1 (和平), 2 (河西, hardship), 3 (河西), 4 (和平, member, a
/// woman), 5 (河西, member, a man). Needs, as of 2026-05-20:
/// - 0 wage_arrears 03-10, answered by `rights` 03-20; 0 housing 03-05, open;
/// - 1 job 04-02, closed by hand; 1 health 04-30, open (its `health` service on 04-20 came
///   before it);
/// - 2 health 03-31, open (a `culture` service 04-05 does not answer it); 2 skills_training
///   04-01, answered by `skills` 04-10;
/// - 3 legal_advice 02-28, open (before the period of March and April).
fn build() -> (Store, Vec<String>) {
    build_on(Store::open_in_memory().unwrap())
}

fn build_on(mut store: Store) -> (Store, Vec<String>) {
    at(&mut store, "2026-01-05");
    store.set_officer(&officer()).unwrap();
    let w = vec![
        worker(&mut store, 0, HEPING, true, ""),
        worker(&mut store, 1, HEPING, false, ""),
        worker(&mut store, 2, HEXI, true, ""),
        worker(&mut store, 3, HEXI, false, ""),
        worker(&mut store, 4, HEPING, false, "6217000012345678"),
        worker(&mut store, 5, HEXI, false, "6217000087654321"),
    ];
    at(&mut store, "2026-05-20");
    need(&mut store, &w[0], "wage_arrears", "2026-03-10");
    serve(&mut store, &w[0], "rights", "2026-03-20");
    need(&mut store, &w[0], "housing", "2026-03-05");
    let job = need(&mut store, &w[1], "job", "2026-04-02");
    store.close_need(&job, "已自行找到工作", None).unwrap();
    serve(&mut store, &w[1], "health", "2026-04-20");
    need(&mut store, &w[1], "health", "2026-04-30");
    need(&mut store, &w[2], "health", "2026-03-31");
    serve(&mut store, &w[2], "culture", "2026-04-05");
    need(&mut store, &w[2], "skills_training", "2026-04-01");
    serve(&mut store, &w[2], "skills", "2026-04-10");
    need(&mut store, &w[3], "legal_advice", "2026-02-28");
    (store, w)
}

fn period(from: &str, to: &str, district: Option<&str>) -> StatsQuery {
    StatsQuery::custom(d(from), d(to), district.map(String::from))
}

/// Needs counted straight from the records: (kind, state) → count, for the period.
fn direct_needs(store: &Store, q: &StatsQuery) -> HashMap<(String, String), i64> {
    let district = q.district.clone().unwrap_or_default();
    let mut stmt = jingong::testing::connection(store)
        .prepare(
            "SELECT n.kind, n.state, count(*) FROM need n JOIN worker w ON w.id = n.worker_id
             WHERE n.deleted_at IS NULL AND w.deleted_at IS NULL
               AND n.raised_on BETWEEN ?1 AND ?2 AND (?3 = '' OR w.district_code = ?3)
             GROUP BY 1, 2",
        )
        .unwrap();
    stmt.query_map([q.from.to_string(), q.to.to_string(), district], |r| {
        Ok(((r.get(0)?, r.get(1)?), r.get(2)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Services of the period whose kind answers `need_kind`, counted from the records.
fn direct_answering(store: &Store, q: &StatsQuery, need_kind_code: &str) -> i64 {
    let kinds = &need_kind(need_kind_code).unwrap().answered_by;
    let district = q.district.clone().unwrap_or_default();
    kinds
        .iter()
        .map(|kind| -> i64 {
            jingong::testing::connection(store)
                .query_row(
                    "SELECT count(*) FROM service s JOIN worker w ON w.id = s.worker_id
                     WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL AND s.kind = ?4
                       AND s.served_on BETWEEN ?1 AND ?2
                       AND (?3 = '' OR w.district_code = ?3)",
                    [
                        q.from.to_string(),
                        q.to.to_string(),
                        district.clone(),
                        kind.clone(),
                    ],
                    |r| r.get(0),
                )
                .unwrap()
        })
        .sum()
}

fn assert_needs_match_records(store: &Store, q: &StatsQuery, what: &str) {
    let stats = store.statistics(q).unwrap();
    let direct = direct_needs(store, q);
    for k in &stats.needs.by_kind {
        let count = |state: &str| {
            direct
                .get(&(k.kind.clone(), state.to_string()))
                .copied()
                .unwrap_or(0)
        };
        let t = &k.tally;
        assert_eq!(
            (t.open, t.answered, t.closed),
            (count("open"), count("answered"), count("closed")),
            "{what}: {}",
            k.kind
        );
        assert_eq!(t.raised, t.open + t.answered + t.closed, "{what}");
        assert_eq!(
            k.answering_services,
            direct_answering(store, q, &k.kind),
            "{what}: services answering {}",
            k.kind
        );
    }
    assert_eq!(
        stats.needs.total.raised,
        direct.values().sum::<i64>(),
        "{what}"
    );
    assert_eq!(stats, store.statistics_by_scan(q).unwrap(), "{what}");
}

fn tally(stats: &Statistics, kind: &str) -> (i64, i64, i64, i64) {
    let k = stats.needs.by_kind.iter().find(|k| k.kind == kind).unwrap();
    let t = k.tally;
    (t.raised, t.open, t.answered, t.closed)
}

#[test]
fn demand_beside_supply_matches_counting_the_records() {
    let (mut store, w) = build();
    let spring = period("2026-03-01", "2026-04-30", None);
    let stats = store.statistics(&spring).unwrap();
    // Worked out by hand: 6 raised in March and April (legal_advice of 02-28 is not).
    let n = &stats.needs;
    assert_eq!(
        (
            n.total.raised,
            n.total.open,
            n.total.answered,
            n.total.closed
        ),
        (6, 3, 2, 1)
    );
    assert_eq!(tally(&stats, "wage_arrears"), (1, 0, 1, 0));
    assert_eq!(tally(&stats, "health"), (2, 2, 0, 0));
    assert_eq!(tally(&stats, "job"), (1, 0, 0, 1));
    assert_eq!(tally(&stats, "legal_advice"), (0, 0, 0, 0));
    let services = |kind: &str| {
        let k = n.by_kind.iter().find(|k| k.kind == kind).unwrap();
        k.answering_services
    };
    // `rights` answers unpaid wages and legal advice; `health` health and counselling;
    // `culture` cultural life; `skills` skills training.
    assert_eq!(services("wage_arrears"), 1);
    assert_eq!(services("legal_advice"), 1);
    assert_eq!(services("health"), 1);
    assert_eq!(services("counselling"), 1);
    assert_eq!(services("culture"), 1);
    assert_eq!(services("skills_training"), 1);
    assert_eq!(services("job"), 0);
    let months: Vec<(&str, i64, i64)> = n
        .by_month
        .iter()
        .map(|m| (m.month.as_str(), m.tally.raised, m.tally.open))
        .collect();
    assert_eq!(months, [("2026-03", 3, 2), ("2026-04", 3, 1)]);
    let districts: Vec<(&str, i64)> = n
        .by_district
        .iter()
        .map(|x| (x.district_code.as_str(), x.tally.raised))
        .collect();
    assert_eq!(districts, [(HEPING, 4), (HEXI, 2)]);
    let hexi = store
        .statistics(&period("2026-03-01", "2026-04-30", Some(HEXI)))
        .unwrap();
    assert_eq!(hexi.needs.total.raised, 2);
    assert_eq!(tally(&hexi, "skills_training"), (1, 0, 1, 0));

    // The edges: 03-31 and 04-01 only; and 02-28 .. 03-05 crossing into March.
    let edge = store
        .statistics(&period("2026-03-31", "2026-04-01", None))
        .unwrap();
    assert_eq!(edge.needs.total.raised, 2);
    assert_eq!(tally(&edge, "health"), (1, 1, 0, 0));
    let across = store
        .statistics(&period("2026-02-28", "2026-03-05", None))
        .unwrap();
    assert_eq!(tally(&across, "legal_advice"), (1, 1, 0, 0));
    assert_eq!(tally(&across, "housing"), (1, 1, 0, 0));

    let periods = [
        spring.clone(),
        period("2026-03-01", "2026-04-30", Some(HEPING)),
        period("2026-03-31", "2026-04-01", None),
        period("2026-02-28", "2026-03-05", Some(HEXI)),
        period("2026-03-10", "2026-04-15", None),
        period("2026-01-01", "2026-12-31", None),
    ];
    for q in &periods {
        assert_needs_match_records(&store, q, "as built");
    }
    // Worker 2 moves to 和平 and stops being a hardship worker; worker 0 is withdrawn; a
    // later `job` service does not answer the closed need.
    let mut moved = store.worker_by_uid(&w[2]).unwrap().unwrap().input;
    moved.district_code = HEPING.into();
    moved.hardship = false;
    store.update_worker(&w[2], &moved, None).unwrap();
    store.withdraw_worker(&w[0], "重复登记", None).unwrap();
    serve(&mut store, &w[1], "job", "2026-05-01");
    for q in &periods {
        assert_needs_match_records(&store, q, "after a move and a withdrawal");
    }
    let after = store.statistics(&spring).unwrap();
    assert_eq!(after.needs.total.raised, 4);
    assert_eq!(tally(&after, "job"), (1, 0, 0, 1));
    assert_eq!(after.needs.hardship_open.total, 0);
}

#[test]
fn hardship_workers_needs_open_longest_come_first_and_page() {
    let (mut store, w) = build();
    // Two more open needs of hardship worker 0 and one of worker 2, on known days.
    need(&mut store, &w[0], "schooling", "2026-01-15");
    need(&mut store, &w[2], "counselling", "2026-05-19");
    need(&mut store, &w[0], "culture", "2026-05-10");
    let q = period("2026-03-01", "2026-05-31", None);
    let stats = store.statistics(&q).unwrap();
    let rows: Vec<(&str, &str, i64)> = stats
        .needs
        .hardship_open
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.kind.as_str(), r.days_open))
        .collect();
    // Open needs of hardship workers 0 and 2 raised up to 05-31, oldest first; not worker
    // 1's or 3's; days counted to 2026-05-20.
    assert_eq!(
        rows,
        [
            ("职工0", "schooling", 125),
            ("职工0", "housing", 76),
            ("职工2", "health", 50),
            ("职工0", "culture", 10),
            ("职工2", "counselling", 1),
        ]
    );
    assert_eq!(stats.needs.hardship_open.total, 5);
    let page = store.hardship_open_needs(&q, 1, 2).unwrap();
    assert_eq!(page.total, 5);
    let kinds: Vec<&str> = page.rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["housing", "health"]);
    // Up to the end of March only; and 河西 only.
    let march = store.hardship_open_needs(&period("2026-03-01", "2026-03-31", None), 0, 50);
    assert_eq!(march.unwrap().total, 3);
    let hexi = store.hardship_open_needs(&period("2026-03-01", "2026-05-31", Some(HEXI)), 0, 50);
    let hexi = hexi.unwrap();
    assert_eq!(hexi.total, 2);
    assert!(hexi.rows.iter().all(|r| r.district_code == HEXI));
    let kinds: Vec<&str> = hexi.rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["health", "counselling"]);
    let heping = period("2026-03-01", "2026-05-31", Some(HEPING));
    let second = store.hardship_open_needs(&heping, 1, 1).unwrap();
    assert_eq!(second.total, 3);
    assert_eq!(second.rows[0].kind, "housing");
}

fn claim(store: &mut Store, worker: &str, day: &str, draft: ClaimDraft) -> String {
    at(store, day);
    let draft = ClaimDraft {
        protection_start: "2026-01-01".into(),
        protection_end: "2026-12-31".into(),
        ..draft
    };
    store.add_claim(worker, &draft).unwrap().record.uid
}

fn step(store: &mut Store, uid: &str, day: &str, status: &str, documents: &str) {
    at(store, day);
    let draft = ClaimStepDraft {
        status: status.into(),
        documents: (!documents.is_empty()).then(|| documents.into()),
        ..Default::default()
    };
    store.update_claim(uid, &draft, None).unwrap();
}

const ILLNESS_DOCS: &str = "diagnosis,id_card,member_card,bank_card";

/// Worker 4 (和平, a woman): critical illness recorded 03-05 and paid ¥10,000 on 04-10;
/// recovery money ¥1,500 recorded 04-12, submitted; women's health ¥12,000 recorded 02-27,
/// paid 03-15. Worker 5 (河西): a fire, ¥8,000, recorded 04-20, rejected; critical illness
/// recorded 05-02, collecting.
fn with_claims() -> (Store, Vec<String>) {
    with_claims_on(Store::open_in_memory().unwrap())
}

fn with_claims_on(store: Store) -> (Store, Vec<String>) {
    let (mut store, w) = build_on(store);
    let illness = ClaimDraft {
        claim_type: "critical_illness".into(),
        diagnosed_on: "2026-03-02".into(),
        documents: ILLNESS_DOCS.into(),
        ..Default::default()
    };
    let paid = claim(&mut store, &w[4], "2026-03-05", illness.clone());
    step(&mut store, &paid, "2026-03-20", "submitted", "");
    step(&mut store, &paid, "2026-04-01", "approved", "");
    at(&mut store, "2026-04-10");
    let pay = |on: &str, yuan: &str| ClaimStepDraft {
        status: "paid".into(),
        paid: yuan.into(),
        paid_on: on.into(),
        ..Default::default()
    };
    store
        .update_claim(&paid, &pay("2026-04-10", "10000"), None)
        .unwrap();
    let recovery = ClaimDraft {
        claim_type: "recovery_condolence".into(),
        diagnosed_on: "2026-04-01".into(),
        amount: "1500".into(),
        documents: ILLNESS_DOCS.into(),
        ..Default::default()
    };
    let submitted = claim(&mut store, &w[4], "2026-04-12", recovery);
    step(&mut store, &submitted, "2026-04-13", "submitted", "");
    let women = ClaimDraft {
        claim_type: "women_health".into(),
        diagnosed_on: "2026-02-20".into(),
        amount: "12000".into(),
        documents: ILLNESS_DOCS.into(),
        ..Default::default()
    };
    let earlier = claim(&mut store, &w[4], "2026-02-27", women);
    step(&mut store, &earlier, "2026-03-01", "submitted", "");
    step(&mut store, &earlier, "2026-03-02", "approved", "");
    at(&mut store, "2026-03-15");
    store
        .update_claim(&earlier, &pay("2026-03-15", "12000"), None)
        .unwrap();
    let fire = ClaimDraft {
        claim_type: "household_fire".into(),
        fire_on: "2026-04-15".into(),
        amount: "8000".into(),
        documents: "fire_certificate,id_card,member_card,bank_card".into(),
        ..Default::default()
    };
    let rejected = claim(&mut store, &w[5], "2026-04-20", fire);
    step(&mut store, &rejected, "2026-04-21", "submitted", "");
    at(&mut store, "2026-04-25");
    let reject = ClaimStepDraft {
        status: "rejected".into(),
        reason: "火灾发生在出租屋外".into(),
        ..Default::default()
    };
    store.update_claim(&rejected, &reject, None).unwrap();
    claim(&mut store, &w[5], "2026-05-02", illness);
    at(&mut store, "2026-05-20");
    (store, w)
}

/// (claims, claimed, paid) of live claims recorded in the period, summed from the records.
fn direct_claims(store: &Store, q: &StatsQuery, status: Option<&str>) -> (i64, i64, i64) {
    let district = q.district.clone().unwrap_or_default();
    jingong::testing::connection(store)
        .query_row(
            "SELECT count(*), coalesce(sum(c.amount_fen), 0), coalesce(sum(c.paid_fen), 0)
             FROM claim c JOIN worker w ON w.id = c.worker_id
             WHERE c.deleted_at IS NULL AND w.deleted_at IS NULL
               AND substr(c.created_at, 1, 10) BETWEEN ?1 AND ?2
               AND (?3 = '' OR w.district_code = ?3) AND (?4 = '' OR c.status = ?4)",
            [
                q.from.to_string(),
                q.to.to_string(),
                district,
                status.unwrap_or("").to_string(),
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

#[test]
fn claim_figures_match_summing_the_records() {
    let (store, _) = with_claims();
    let spring = period("2026-03-01", "2026-04-30", None);
    let stats = store.statistics(&spring).unwrap();
    let c = &stats.claims;
    // By hand: three recorded in March and April, ¥10,000 + ¥1,500 + ¥8,000 claimed, ¥10,000
    // paid on them; ¥10,000 + ¥12,000 paid in the period.
    assert_eq!(
        (c.total.claims, c.total.claimed_fen, c.total.paid_fen),
        (3, 1_950_000, 1_000_000)
    );
    assert_eq!(c.paid_in_period_fen, 2_200_000);
    let t = c.total;
    assert_eq!(
        (t.claims, t.claimed_fen, t.paid_fen),
        direct_claims(&store, &spring, None)
    );
    for s in &c.by_status {
        let x = s.tally;
        assert_eq!(
            (x.claims, x.claimed_fen, x.paid_fen),
            direct_claims(&store, &spring, Some(&s.status)),
            "{}",
            s.status
        );
    }
    let illness = c
        .by_type
        .iter()
        .find(|t| t.claim_type == "critical_illness");
    let illness = illness.unwrap();
    let paid_at = ClaimStatus::ALL
        .iter()
        .position(|s| *s == ClaimStatus::Paid);
    assert_eq!(illness.by_status[paid_at.unwrap()], 1);
    assert_eq!(illness.tally.claims, 1);
    let fire = c.by_type.iter().find(|t| t.claim_type == "household_fire");
    let rejected_at = ClaimStatus::ALL
        .iter()
        .position(|s| *s == ClaimStatus::Rejected);
    assert_eq!(fire.unwrap().by_status[rejected_at.unwrap()], 1);
    let months: Vec<(&str, i64, i64, i64)> = c
        .by_month
        .iter()
        .map(|m| (m.month.as_str(), m.claims, m.claimed_fen, m.paid_fen))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-03", 1, 1_000_000, 1_200_000),
            ("2026-04", 2, 950_000, 1_000_000)
        ]
    );
    let districts: Vec<(&str, i64, i64)> = c
        .by_district
        .iter()
        .map(|x| {
            (
                x.district_code.as_str(),
                x.tally.claims,
                x.tally.claimed_fen,
            )
        })
        .collect();
    assert_eq!(districts, [(HEPING, 2, 1_150_000), (HEXI, 1, 800_000)]);
    for q in [
        period("2026-03-01", "2026-04-30", Some(HEXI)),
        period("2026-02-27", "2026-03-05", None),
        period("2026-02-28", "2026-05-02", Some(HEPING)),
        period("2026-01-01", "2026-12-31", None),
    ] {
        let c = store.statistics(&q).unwrap().claims;
        let t = c.total;
        assert_eq!(
            (t.claims, t.claimed_fen, t.paid_fen),
            direct_claims(&store, &q, None)
        );
    }
}

#[test]
fn stats_needs_and_claims_write_csv_and_xlsx_with_masked_ids() {
    let t = TestDb::with_officer();
    drop(with_claims_on(t.store()));
    let csv = t.path().join("needs.csv");
    let out = t
        .cmd()
        .args([
            "stats",
            "--needs",
            "--claims",
            "--from",
            "2026-03-01",
            "--to",
            "2026-04-30",
        ])
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(
        text.contains("期间提出的诉求（按类别）与对应服务"),
        "{text}"
    );
    assert!(text.contains("欠薪维权,wage_arrears,1,0,1,0,1"), "{text}");
    assert!(text.contains("合计,,6,3,2,1,"), "{text}");
    assert!(text.contains("2026-03,3,2,1,0"), "{text}");
    assert!(
        text.contains("重大疾病首次确诊,critical_illness,0,0,0,1,0,1,10000.00,10000.00"),
        "{text}"
    );
    assert!(text.contains("期间发放合计,,,22000.00"), "{text}");
    // The hardship list: worker 0's housing need first, ID masked.
    let id = id_number(0, true);
    assert!(!text.contains(&id), "an ID number in full: {text}");
    assert!(text.contains("职工0,"), "{text}");
    let out = t
        .cmd()
        .args([
            "stats",
            "--needs",
            "--json",
            "--from",
            "2026-03-01",
            "--to",
            "2026-04-30",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["needs"]["total"]["raised"], 6);
    assert_eq!(json["needs"]["hardship_open_total"], 2);
    let first = &json["needs"]["hardship_open"][0];
    assert_eq!(first["kind"], "housing");
    assert_ne!(first["id_number"], id_number(0, true));
    assert!(json.get("claims").is_none(), "only the views asked for");
    let xlsx = t.path().join("needs.xlsx");
    let out = t
        .cmd()
        .args([
            "--lang",
            "en",
            "stats",
            "--claims",
            "--from",
            "2026-03-01",
            "--to",
            "2026-04-30",
        ])
        .arg("--xlsx")
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let strings = zip_text(&xlsx, "xl/sharedStrings.xml");
    assert!(
        strings.contains("Critical illness, first diagnosis"),
        "{strings}"
    );
    assert!(strings.contains("Paid in the period"), "{strings}");
    let sheets = sheet_names(&xlsx);
    assert_eq!(
        sheets,
        [
            "Claims by type",
            "Claims by status",
            "Claims by district",
            "Claims by month"
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&xlsx).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

fn zip_text(path: &std::path::Path, member: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(member).unwrap(), &mut xml).unwrap();
    xml
}

/// The sheet names of a workbook, from its `xl/workbook.xml`.
fn sheet_names(path: &std::path::Path) -> Vec<String> {
    let xml = zip_text(path, "xl/workbook.xml");
    xml.split("<sheet ")
        .skip(1)
        .filter_map(|s| s.split("name=\"").nth(1)?.split('"').next())
        .map(String::from)
        .collect()
}

#[test]
fn the_need_migration_fills_the_counts_of_needs_already_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let (store, _) = build_on(Store::open(&path).unwrap());
    // A database of the schema before the need rollups, its needs already there: the counts
    // are wrong until the migration fills them again.
    jingong::testing::connection(&store)
        .execute_batch("UPDATE stat_need_day SET needs = needs + 7; PRAGMA user_version = 16;")
        .unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    at(&mut store, "2026-05-20");
    for q in [
        period("2026-03-01", "2026-04-30", None),
        period("2026-03-31", "2026-04-01", Some(HEXI)),
    ] {
        assert_needs_match_records(&store, &q, "after the upgrade");
    }
    assert_eq!(
        store
            .statistics(&period("2026-03-01", "2026-04-30", None))
            .unwrap()
            .needs
            .total
            .raised,
        6
    );
}
