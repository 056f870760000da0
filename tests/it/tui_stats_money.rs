//! The statistics screen's money tab at 80×24 and 120×40 in both languages: the amounts by
//! kind, the months, the events held and the legal-aid amounts, with ¥ and two decimals.

use chrono::NaiveDate;
use jingong::domain::idcard::with_check_digit;
use jingong::domain::{EventInput, LegalAid, ServiceInput, WorkerInput};
use jingong::text::Lang;
use std::path::PathBuf;

use crate::support::tui::*;

fn day(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

/// In 和平 this quarter (the screen's default): a ¥500 送温暖, a 夏送清凉 event of three
/// people at ¥50, and a wage case claimed ¥8,000 with ¥2,000 recovered at its second visit.
fn seeded() -> (tempfile::TempDir, PathBuf) {
    let (dir, db, mut store) = database_with_officer();
    let workers: Vec<String> = ["王建国", "张秀英", "刘洋"]
        .iter()
        .zip([
            "13010219850612331",
            "12010319780101004",
            "41030319871021590",
        ])
        .map(|(name, first17)| {
            store
                .add_worker(&WorkerInput {
                    name: (*name).into(),
                    id_number: with_check_digit(first17),
                    district_code: "120101".into(),
                    ..Default::default()
                })
                .unwrap()
                .uid
        })
        .collect();
    let service = |kind: &str, on: &str, fen: i64| ServiceInput {
        kind: kind.into(),
        served_on: day(on),
        quantity: 1,
        amount_fen: fen,
        ..Default::default()
    };
    store
        .add_service(&workers[0], &service("warmth", "2026-01-20", 50_000))
        .unwrap();
    let event = store
        .add_event(&EventInput {
            name: "夏送清凉进工地".into(),
            kind: "summer_cooling".into(),
            held_on: day("2026-02-02"),
            default_quantity: 1,
            default_amount_fen: 5_000,
            ..Default::default()
        })
        .unwrap()
        .uid;
    for worker in &workers {
        store.record_event_service(&event, worker).unwrap();
    }
    let legal = |on: &str, recovered: i64, follows: Option<String>| ServiceInput {
        legal: Some(LegalAid {
            category: "wage_arrears".into(),
            status: "mediating".into(),
            claimed_fen: 800_000,
            recovered_fen: recovered,
            follows_uid: follows,
            ..Default::default()
        }),
        ..service("legal_aid", on, 0)
    };
    let first = store
        .add_service(&workers[1], &legal("2026-02-10", 0, None))
        .unwrap()
        .uid;
    store
        .add_service(&workers[1], &legal("2026-03-01", 200_000, Some(first)))
        .unwrap();
    (dir, db)
}

#[test]
fn the_money_tab_shows_the_amounts_worked_out_by_hand() {
    let (_dir, db) = seeded();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f9 tab tab tab");
    let screen = screen_at(&app, 80, 24);
    assert_borders_intact(&screen);
    // ¥500 + 3 × ¥50.
    assert!(screen.contains("期间发放金额 ¥650.00"), "{screen}");
    assert!(screen.contains("¥500.00"), "{screen}");
    assert!(screen.contains("¥150.00"), "{screen}");
    assert!(screen.contains("26-01    ¥500.00"), "{screen}");
    assert!(
        screen.contains("期间举办的活动 1 场：3 人次，¥150.00"),
        "{screen}"
    );
    assert!(screen.contains("夏送清凉进工地"), "{screen}");
    // The case's latest visit, once.
    assert!(screen.contains("请求金额 ¥8000.00"), "{screen}");
    assert!(screen.contains("追回金额 ¥2000.00"), "{screen}");
    insta::assert_snapshot!("stats_money_zh_80x24", screen);
    insta::assert_snapshot!("stats_money_zh_120x40", screen_at(&app, 120, 40));

    let mut app = open_app(&db, Lang::En);
    keys(&mut app, "f9 tab tab tab");
    let screen = screen_at(&app, 80, 24);
    assert!(screen.contains("Money handed out ¥650.00"), "{screen}");
    assert!(
        screen.contains("Events held: 1, 3 served, ¥150.00"),
        "{screen}"
    );
    insta::assert_snapshot!("stats_money_en_80x24", screen);
    insta::assert_snapshot!("stats_money_en_120x40", screen_at(&app, 120, 40));
}
