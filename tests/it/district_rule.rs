//! Issue 14 #2 and #5: one district rule for a new worker (the officer's, shown and
//! changeable, unless a roster row gives one; an empty cell never changes a registered
//! worker's district); statistics say which district filter is on and reopen on the last
//! one chosen; quick entry says people and records apart.

use crate::support::fixture::TestDb;
use crate::support::tui::*;
use jingong::domain::{EventInput, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;
use std::path::Path;

fn wang() -> String {
    id("13010219850612331")
}

fn snap(app: &App, name: &str, width: u16, height: u16) {
    let terminal = render(app, width, height);
    assert_borders_intact(&buffer_text(terminal.backend().buffer()));
    insta::assert_snapshot!(name, plain_screen(terminal.backend().buffer()));
}

fn district_of(db: &Path, id_number: &str) -> String {
    Store::open(db)
        .unwrap()
        .worker_by_id_number(id_number)
        .unwrap()
        .unwrap()
        .input
        .district_code
}

#[test]
fn the_worker_form_from_home_shows_and_saves_the_officers_district() {
    let (_dir, db, _store) = database_with_officer();
    for (lang, tag) in langs() {
        let mut app = open_app(&db, lang);
        keys(&mut app, "f3");
        let screen = screen_at(&app, 80, 24);
        let line = screen
            .lines()
            .find(|l| l.contains("所属区") || l.contains("District"))
            .unwrap_or_else(|| panic!("no district line:\n{screen}"));
        assert!(line.contains("和平区") || line.contains("Heping"), "{line}");
        snap(&app, &format!("new_worker_form_district_{tag}"), 80, 24);
        snap(
            &app,
            &format!("new_worker_form_district_wide_{tag}"),
            140,
            40,
        );
    }
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f3");
    type_text(&mut app, "王建国");
    keys(&mut app, "tab");
    type_text(&mut app, &wang());
    keys(&mut app, "tab");
    type_text(&mut app, "13812345678");
    keys(&mut app, "f2");
    assert_eq!(district_of(&db, &wang()), "120101");
}

#[test]
fn a_roster_row_registering_someone_takes_the_officers_district_unless_it_gives_one() {
    let t = TestDb::with_officer();
    let hexi = id("12010319780101004");
    let new_one = id("65010219900307123");
    t.cmd()
        .args(["worker", "add", "--name", "张秀英", "--id-number", &hexi])
        .args(["--phone", "18622221111", "--district", "120103"])
        .assert()
        .success();
    let roster = t.path().join("roster.csv");
    std::fs::write(
        &roster,
        format!(
            "姓名,身份证号,手机号,所属区\n\
             王建国,{},13812345678,\n\
             张秀英,{hexi},18622221111,\n\
             买买提·艾力,{new_one},13912345678,西青区\n",
            wang()
        ),
    )
    .unwrap();
    t.cmd()
        .args(["import", "roster"])
        .arg(&roster)
        .assert()
        .success();
    assert_eq!(
        district_of(&t.db, &wang()),
        "120101",
        "a new row: the officer's"
    );
    assert_eq!(
        district_of(&t.db, &hexi),
        "120103",
        "an empty cell changes nothing"
    );
    assert_eq!(
        district_of(&t.db, &new_one),
        "120111",
        "the row's own district"
    );
}

/// The line of the statistics screen naming the period and the district filter.
fn stats_heading(app: &App) -> String {
    let screen = screen_at(app, 80, 24);
    screen
        .lines()
        .find(|l| l.contains("2026-01-01"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn statistics_name_the_district_filter_and_reopen_on_the_last_choice() {
    let (_dir, db, _store) = database_with_officer();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f9");
    assert!(
        stats_heading(&app).contains("区：和平区"),
        "{}",
        screen_at(&app, 80, 24)
    );
    keys(&mut app, "d pageup enter");
    assert!(
        stats_heading(&app).contains("区：全部区"),
        "{}",
        screen_at(&app, 80, 24)
    );
    drop(app);
    // Another session on the same database opens on the choice made last time.
    for (lang, tag) in langs() {
        let mut app = open_app(&db, lang);
        keys(&mut app, "f9");
        let heading = stats_heading(&app);
        assert!(
            heading.contains("区：全部区") || heading.contains("District: All districts"),
            "{heading}"
        );
        snap(&app, &format!("stats_district_filter_{tag}"), 80, 24);
        snap(&app, &format!("stats_district_filter_wide_{tag}"), 140, 40);
    }
}

#[test]
fn quick_entry_counts_people_and_records_apart() {
    let (_dir, db, mut store) = database_with_officer();
    store
        .add_worker(&WorkerInput {
            name: "王建国".into(),
            id_number: wang(),
            phone: "13812345678".into(),
            ..Default::default()
        })
        .unwrap();
    store
        .add_event(&EventInput {
            name: "夏送清凉·南开工地".into(),
            kind: "summer_cooling".into(),
            held_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 15),
            place: "南开区某工地".into(),
            district_code: "120104".into(),
            default_quantity: 1,
            default_amount_fen: 0,
        })
        .unwrap();
    drop(store);
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f6 enter");
    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    type_text(&mut app, &wang());
    keys(&mut app, "enter f2");
    let screen = screen_at(&app, 80, 24);
    // This sitting's count is of records too, not of people.
    assert!(
        screen.contains("本活动已服务 1 人 · 2 条记录 · 本次录入 2 条"),
        "{screen}"
    );
    // The events list's 人数 column counts people too.
    keys(&mut app, "esc");
    let screen = screen_at(&app, 100, 30);
    let row = screen
        .lines()
        .find(|l| l.contains("夏送清凉·南开工地") && l.contains("2026-03-15"))
        .unwrap_or_else(|| panic!("no event row:\n{screen}"));
    assert!(row.trim_end().ends_with(" 1"), "{row}");
    for (lang, tag) in langs() {
        let mut app = open_app(&db, lang);
        keys(&mut app, "f6 enter");
        let screen = screen_at(&app, 80, 24);
        assert!(
            screen.contains("本活动已服务 1 人 · 2 条记录")
                || screen.contains("People served here: 1 · records: 2"),
            "{screen}"
        );
        snap(
            &app,
            &format!("quick_entry_people_and_records_{tag}"),
            80,
            24,
        );
        snap(
            &app,
            &format!("quick_entry_people_and_records_wide_{tag}"),
            140,
            40,
        );
    }
    // `jingong event list` says the same, and its JSON carries both counts.
    let listed = crate::support::bin::stdout_of(
        crate::support::bin::jingong_in(&db, "zh").args(["event", "list"]),
    );
    assert!(listed.contains("1 人 2 条"), "{listed}");
    let json: serde_json::Value = serde_json::from_str(&crate::support::bin::stdout_of(
        crate::support::bin::jingong(&db).args(["event", "list", "--json"]),
    ))
    .unwrap();
    let event = &json["events"][0];
    assert_eq!(
        (&event["people_count"], &event["served_count"]),
        (&1.into(), &2.into()),
        "{json}"
    );
}
