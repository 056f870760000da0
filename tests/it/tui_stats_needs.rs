//! The statistics screen's needs (诉求) and mutual-aid (互助保障) tabs at 80×24 in both
//! languages: demand beside supply by kind with the open bars and the hardship workers' needs
//! open longest (ID numbers masked), and the claims by type and status with their amounts.

use chrono::NaiveDate;
use jingong::domain::claims::{ClaimDraft, ClaimStepDraft};
use jingong::domain::needs::NeedInput;
use jingong::domain::{Membership, ServiceInput, WorkerInput};
use jingong::text::Lang;
use std::path::PathBuf;

use crate::support::tui::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const ILLNESS_DOCS: &str = "diagnosis,id_card,member_card,bank_card";

/// In 和平 this quarter (the screen's default, as of 2026-03-15): 王建国 (hardship) raised
/// unpaid wages on 01-10 (answered by `rights` on 01-20) and housing on 02-01 (open); 张秀英
/// asked for a job on 02-15 (closed by hand) and health care on 03-01 (open); 刘洋, a member
/// with a card, has a critical-illness claim paid ¥10,000 and a recovery-money claim of
/// ¥1,500 still collecting documents.
fn seeded() -> (tempfile::TempDir, PathBuf) {
    let (dir, db, mut store) = database_with_officer();
    let people = [
        ("王建国", "13010219850612331", true, ""),
        ("张秀英", "12010319780101004", false, ""),
        ("刘洋", "41030319871021590", false, "6217000012345678"),
    ];
    let workers: Vec<String> = people
        .iter()
        .map(|(name, first17, hardship, card)| {
            store
                .add_worker(&WorkerInput {
                    name: (*name).into(),
                    id_number: id(first17),
                    district_code: "120101".into(),
                    hardship: *hardship,
                    membership: if card.is_empty() {
                        Membership::NotMember
                    } else {
                        Membership::Member
                    },
                    card_no: (*card).into(),
                    ..Default::default()
                })
                .unwrap()
                .uid
        })
        .collect();
    let need = |kind: &str, on: &str| NeedInput {
        kind: kind.into(),
        raised_on: day(on),
        note: String::new(),
    };
    store
        .add_need(&workers[0], &need("wage_arrears", "2026-01-10"))
        .unwrap();
    store
        .add_service(
            &workers[0],
            &ServiceInput {
                kind: "rights".into(),
                served_on: Some(day("2026-01-20")),
                quantity: 1,
                ..Default::default()
            },
        )
        .unwrap();
    store
        .add_need(&workers[0], &need("housing", "2026-02-01"))
        .unwrap();
    let job = store
        .add_need(&workers[1], &need("job", "2026-02-15"))
        .unwrap()
        .uid;
    store.close_need(&job, "已自行找到工作", None).unwrap();
    store
        .add_need(&workers[1], &need("health", "2026-03-01"))
        .unwrap();
    let claim = |kind: &str, amount: &str| ClaimDraft {
        claim_type: kind.into(),
        diagnosed_on: "2026-02-10".into(),
        amount: amount.into(),
        documents: ILLNESS_DOCS.into(),
        protection_start: "2026-01-01".into(),
        protection_end: "2026-12-31".into(),
        ..Default::default()
    };
    let paid = store
        .add_claim(&workers[2], &claim("critical_illness", ""))
        .unwrap()
        .record
        .uid;
    for status in ["submitted", "approved"] {
        let step = ClaimStepDraft {
            status: status.into(),
            ..Default::default()
        };
        store.update_claim(&paid, &step, None).unwrap();
    }
    let pay = ClaimStepDraft {
        status: "paid".into(),
        paid: "10000".into(),
        paid_on: "2026-03-14".into(),
        ..Default::default()
    };
    store.update_claim(&paid, &pay, None).unwrap();
    let mut recovery = claim("recovery_condolence", "1500");
    recovery.documents = "diagnosis".into();
    store.add_claim(&workers[2], &recovery).unwrap();
    (dir, db)
}

#[test]
fn the_needs_tab_shows_demand_beside_supply_and_the_hardship_list() {
    let (_dir, db) = seeded();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f9 tab tab tab tab");
    let screen = screen_at(&app, 80, 24);
    assert_borders_intact(&screen);
    assert!(
        screen.contains("期间提出诉求 4 · 未解决 2 · 已回应 1 · 已关闭 1"),
        "{screen}"
    );
    // Unpaid wages: raised 1, answered 1, and the one `rights` service beside it.
    let wages = screen.lines().find(|l| l.contains("欠薪维权")).unwrap();
    let figures: Vec<&str> = wages.split_whitespace().skip(1).collect();
    assert_eq!(&figures[..6], ["1", "0", "1", "0", "1", "0"], "{wages}");
    // 王建国's housing need, open 42 days, his ID number masked.
    assert!(
        screen.contains("困难职工未解决的诉求（等待最久在前）： 1"),
        "{screen}"
    );
    let row = screen.lines().find(|l| l.contains("王建国")).unwrap();
    assert!(row.contains("住房") && row.contains("2026-02-01") && row.contains("42 天"));
    assert!(!screen.contains(&id("13010219850612331")), "{screen}");
    insta::assert_snapshot!("stats_needs_zh_80x24", screen);

    let mut app = open_app(&db, Lang::En);
    keys(&mut app, "f9 tab tab tab tab");
    let screen = screen_at(&app, 80, 24);
    assert_borders_intact(&screen);
    assert!(
        screen.contains("Needs raised 4 · open 2 · answered 1 · closed 1"),
        "{screen}"
    );
    assert!(screen.contains("42 days"), "{screen}");
    insta::assert_snapshot!("stats_needs_en_80x24", screen);
}

#[test]
fn the_mutual_aid_tab_shows_claims_by_type_and_status_with_amounts() {
    let (_dir, db) = seeded();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f9 tab tab tab tab tab");
    let screen = screen_at(&app, 80, 24);
    assert_borders_intact(&screen);
    assert!(
        screen.contains("期间登记的互助保障申请 2 · 申请 ¥11500.00 · 已发放 ¥10000.00"),
        "{screen}"
    );
    let illness = screen
        .lines()
        .find(|l| l.contains("重大疾病首次确诊"))
        .unwrap();
    assert!(illness.contains("¥10000.00"), "{illness}");
    let recovery = screen.lines().find(|l| l.contains("康复慰问金")).unwrap();
    let counts: Vec<&str> = recovery.split_whitespace().skip(1).take(5).collect();
    assert_eq!(counts, ["1", "0", "0", "0", "0"], "{recovery}");
    assert!(screen.contains("和平区"), "{screen}");
    insta::assert_snapshot!("stats_claims_zh_80x24", screen);

    let mut app = open_app(&db, Lang::En);
    keys(&mut app, "f9 tab tab tab tab tab");
    let screen = screen_at(&app, 80, 24);
    assert_borders_intact(&screen);
    assert!(
        screen.contains("Mutual-aid claims recorded 2 · claimed ¥11500.00 · paid ¥10000.00"),
        "{screen}"
    );
    insta::assert_snapshot!("stats_claims_en_80x24", screen);
}

#[test]
fn the_hardship_needs_list_pages_in_as_the_selection_moves_and_enter_opens_the_worker() {
    let (_dir, db) = seeded();
    let mut store = open_store(&db);
    // 70 more hardship workers, each with a need open since a day of their own: 71 in all,
    // more than the first page the figures bring (50).
    let surnames = ["赵", "钱", "孙", "李", "周", "吴", "郑", "冯"];
    let given = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
    for i in 0..70usize {
        let name = format!("{}{}{}", surnames[i / 9], given[i % 9], given[(i + 4) % 9]);
        let uid = store
            .add_worker(&WorkerInput {
                name,
                id_number: id(&format!("12010119900101{i:03}")),
                district_code: "120101".into(),
                hardship: true,
                ..Default::default()
            })
            .unwrap()
            .uid;
        let raised = day("2026-01-01") + chrono::Days::new(i as u64);
        store
            .add_need(
                &uid,
                &NeedInput {
                    kind: "housing".into(),
                    raised_on: raised,
                    note: String::new(),
                },
            )
            .unwrap();
    }
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f9 tab tab tab tab");
    app.settle();
    let screen = screen_at(&app, 80, 24);
    assert!(
        screen.contains("困难职工未解决的诉求（等待最久在前）： 71"),
        "{screen}"
    );
    // The newest need is the 71st row: beyond the first page, loaded as the selection goes.
    keys(&mut app, "end");
    app.settle();
    keys(&mut app, "end");
    let screen = screen_at(&app, 80, 24);
    let last = format!("{}{}{}", surnames[69 / 9], given[69 % 9], given[73 % 9]);
    let row = screen
        .lines()
        .find(|l| l.starts_with('▸'))
        .unwrap_or_else(|| panic!("a selected row: {screen}"));
    assert!(
        row.contains(&last) && row.contains("2026-03-11"),
        "{screen}"
    );
    assert!(
        !screen.contains('…'),
        "every row in view is loaded: {screen}"
    );
    keys(&mut app, "enter");
    let screen = screen_at(&app, 80, 24);
    assert!(screen.lines().next().unwrap().contains(&last), "{screen}");
}
