//! The statistics screen driven through the default keymap at 80×24: its three tabs in both
//! languages, choosing the period and the district, a custom period, and opening a hardship
//! worker who was not served.

use chrono::NaiveDate;
use jingong::domain::idcard::with_check_digit;
use jingong::domain::{HealthCheck, LegalAid, Membership, ServiceInput, WorkerInput};
use jingong::text::Lang;
use jingong::tui::app::App;
use std::path::PathBuf;

use crate::support::tui::*;

fn day(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// Four workers in 和平 (two hardship, one of them never served) and one in 河西; services
/// across the first quarter of 2026 and the end of 2025.
fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    let mut add_worker = |name: &str, first17: &str, district: &str, hardship: bool| {
        store
            .add_worker(&WorkerInput {
                name: name.into(),
                id_number: with_check_digit(first17),
                phone: "13812345678".into(),
                employer: "中建八局天津分公司".into(),
                district_code: district.into(),
                membership: Membership::JoinedHere,
                hardship,
                ..Default::default()
            })
            .unwrap()
            .uid
    };
    let wang = add_worker("王建国", "13010219850612331", "120101", false);
    let zhang = add_worker("张秀英", "12010319780101004", "120101", true);
    add_worker("买买提·艾力", "65010219900307123", "120101", true);
    let liu = add_worker("刘洋", "41030319871021590", "120103", false);
    let service = |kind: &str, on: &str| ServiceInput {
        kind: kind.into(),
        served_on: day(on),
        quantity: 1,
        ..Default::default()
    };
    for (uid, input) in [
        (&wang, service("winter_warmth", "2026-01-20")),
        (&wang, service("job", "2025-12-05")),
        (&zhang, service("summer_cooling", "2026-02-02")),
        (&zhang, service("culture", "2026-03-01")),
        (&liu, service("job", "2026-03-03")),
    ] {
        store.add_service(uid, &input).unwrap();
    }
    store
        .add_service(
            &wang,
            &ServiceInput {
                health: Some(HealthCheck {
                    provider: "和平医院".into(),
                    referral: true,
                    follow_up_on: day("2026-04-01"),
                    consent_by: "李明".into(),
                    consent_at: NOW.into(),
                    ..Default::default()
                }),
                ..service("health_check", "2026-03-01")
            },
        )
        .unwrap();
    store
        .add_service(
            &wang,
            &ServiceInput {
                legal: Some(LegalAid {
                    category: "wage_arrears".into(),
                    status: "mediating".into(),
                    claimed_fen: 800_000,
                    recovered_fen: 200_000,
                    ..Default::default()
                }),
                ..service("legal_aid", "2026-02-10")
            },
        )
        .unwrap();
    Fixture { _dir: dir, db }
}

fn open_app(fx: &Fixture, lang: Lang) -> App {
    crate::support::tui::open_app(&fx.db, lang)
}

fn screen_text(app: &App) -> String {
    screen_at(app, 80, 24)
}

#[test]
fn snapshot_statistics_tabs_in_both_languages() {
    let fx = seeded();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut app = open_app(&fx, lang);
        keys(&mut app, "f9");
        insta::assert_snapshot!(
            format!("stats_overview_{tag}"),
            plain_screen(render(&app, 80, 24).backend().buffer())
        );
        keys(&mut app, "tab");
        insta::assert_snapshot!(
            format!("stats_services_{tag}"),
            plain_screen(render(&app, 80, 24).backend().buffer())
        );
        keys(&mut app, "tab");
        insta::assert_snapshot!(
            format!("stats_hardship_{tag}"),
            plain_screen(render(&app, 80, 24).backend().buffer())
        );
        keys(&mut app, "p");
        insta::assert_snapshot!(
            format!("stats_period_picker_{tag}"),
            plain_screen(render(&app, 80, 24).backend().buffer())
        );
    }
}

#[test]
fn the_screen_opens_on_this_quarter_in_the_officers_district() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f9");
    let screen = screen_text(&app);
    assert!(
        screen.contains("本季度 2026-01-01～2026-03-31 · 区：和平区"),
        "{screen}"
    );
    // 和平: 王建国, 张秀英, 买买提·艾力; this quarter 王建国 and 张秀英 were served.
    assert!(screen.contains("期间受服务 2 / 3 人（66.7%）"), "{screen}");
    assert!(screen.contains("在办案件 1 件"), "{screen}");
}

#[test]
fn period_and_district_are_chosen_from_lists() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f9 p down enter");
    let screen = screen_text(&app);
    assert!(screen.contains("本年 2026-01-01～2026-12-31"), "{screen}");
    keys(&mut app, "d pageup enter");
    let screen = screen_text(&app);
    assert!(screen.contains("· 区：全部区"), "{screen}");
    // All four workers; 刘洋 of 河西 was served too.
    assert!(screen.contains("期间受服务 3 / 4 人（75.0%）"), "{screen}");
    // Filtering the district list by pinyin initials.
    keys(&mut app, "d");
    type_text(&mut app, "hx");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("· 区：河西区"), "{screen}");
    assert!(screen.contains("期间受服务 1 / 1 人（100.0%）"), "{screen}");
}

#[test]
fn a_custom_period_is_typed_and_checked() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f9 p pagedown enter");
    assert!(screen_text(&app).contains("Custom period"));
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "2025-12-01");
    keys(&mut app, "tab ctrl-u");
    type_text(&mut app, "2025-12-31");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(screen.contains("2025-12-01～2025-12-31"), "{screen}");
    // Only 王建国's job in December 2025.
    assert!(screen.contains("served 1 of 3 (33.3%)"), "{screen}");
    // A date that does not exist is refused in the popup.
    keys(&mut app, "p pagedown enter ctrl-u");
    type_text(&mut app, "2026-02-30");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(screen.contains("not a date: 2026-02-30"), "{screen}");
}

#[test]
fn enter_opens_a_hardship_worker_not_served() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f9 tab tab");
    let screen = screen_text(&app);
    assert!(
        screen.contains("期间内未受服务的困难职工：1 人"),
        "{screen}"
    );
    assert!(screen.contains("买买提·艾力"), "{screen}");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("职工详情") || screen.contains("买买提·艾力"),
        "{screen}"
    );
    assert!(!screen.contains("期间内未受服务的困难职工"), "{screen}");
    keys(&mut app, "esc");
    assert!(screen_text(&app).contains("期间内未受服务的困难职工：1 人"));
}
