//! Issue 14, the officer's workbench: one function-key scheme, footers that say what a key
//! does there, and the smaller field-test findings, one assertion (at least) per finding. The
//! fixture here is shared with `workbench_pages` (a failed verification remembered, drafts
//! announced at start, a worker's page that answers the next question).

use jingong::domain::{EventInput, HealthCheck, LegalAid, Membership, ServiceInput, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::action::Action;
use jingong::tui::app::App;
use jingong::tui::keymap::{Chord, Context, Keymap, VIM_KEYMAP};
use jingong::tui::widgets::labels::event_summary;
use ratatui::crossterm::event::Event;
use std::path::PathBuf;

use crate::support::tui::*;

pub(crate) fn date(s: &str) -> Option<chrono::NaiveDate> {
    Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn wang_input() -> WorkerInput {
    WorkerInput {
        name: "王建国".into(),
        id_number: id("13010219850612331"),
        phone: "13812345678".into(),
        employer: "中建八局天津分公司第三项目部".into(),
        worksite: "地铁七号线工地".into(),
        trade: "钢筋工".into(),
        district_code: "120101".into(),
        membership: Membership::JoinedHere,
        hardship: true,
        ..Default::default()
    }
}

pub(crate) struct Fixture {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) db: PathBuf,
    pub(crate) wang: String,
}

impl Fixture {
    pub(crate) fn store(&self) -> Store {
        open_store(&self.db)
    }
}

/// 王建国 with this year's services (two health checks, the later one waiting for its
/// follow-up; an open legal case of two visits; a summer-cooling package) and one service of
/// last year.
pub(crate) fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    let wang = store.add_worker(&wang_input()).unwrap().uid;
    let health = |on: &str, follow_up: Option<&str>| ServiceInput {
        kind: "health_check".into(),
        served_on: date(on),
        place: "地铁七号线工地".into(),
        quantity: 1,
        health: Some(HealthCheck {
            provider: "和平医院".into(),
            blood_pressure: "135/85".into(),
            follow_up_on: follow_up.and_then(date),
            consent_by: "李明".into(),
            consent_at: NOW.into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    store
        .add_service(&wang, &health("2026-01-10", Some("2026-02-10")))
        .unwrap();
    store
        .add_service(&wang, &health("2026-03-01", Some("2026-04-01")))
        .unwrap();
    let legal = |on: &str, status: &str, follows: Option<String>| ServiceInput {
        kind: "legal_aid".into(),
        served_on: date(on),
        place: "和平区职工服务中心".into(),
        quantity: 1,
        legal: Some(LegalAid {
            category: "wage_arrears".into(),
            description: "拖欠三个月工资".into(),
            status: status.into(),
            claimed_fen: 800000,
            recovered_fen: 0,
            follows_uid: follows,
        }),
        ..Default::default()
    };
    let first = store
        .add_service(&wang, &legal("2026-02-05", "open", None))
        .unwrap();
    store
        .add_service(&wang, &legal("2026-03-05", "mediating", Some(first.uid)))
        .unwrap();
    for (kind, on) in [("summer_cooling", "2026-02-20"), ("warmth", "2025-12-01")] {
        store
            .add_service(
                &wang,
                &ServiceInput {
                    kind: kind.into(),
                    served_on: date(on),
                    quantity: 1,
                    amount_fen: 5000,
                    ..Default::default()
                },
            )
            .unwrap();
    }
    drop(store);
    // A fixed device id: batch names carry it, and snapshots show them.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'device_id'",
            ["01a225a5-3d00-7252-982b-18fa8bd01e73"],
        )
        .unwrap();
    Fixture { dir, db, wang }
}

pub(crate) fn open(fx: &Fixture, lang: Lang) -> App {
    open_app(&fx.db, lang)
}

pub(crate) fn screen(app: &App) -> String {
    screen_at(app, 80, 24)
}

/// Snapshots are named after this module (`it__workbench__…`), also those of
/// `workbench_pages`, which draw through here.
pub(crate) fn snap(app: &App, name: &str, (width, height): (u16, u16)) {
    let terminal = render(app, width, height);
    insta::assert_snapshot!(name.to_string(), plain_screen(terminal.backend().buffer()));
}

/// A snapshot of a screen that names the temporary folder: named the same on every run, and
/// the ends of lines trimmed (its length varies).
pub(crate) fn snap_in(fx: &Fixture, app: &App, name: &str, (width, height): (u16, u16)) {
    let terminal = render(app, width, height);
    let text = plain_screen(terminal.backend().buffer())
        .replace(&fx.dir.path().display().to_string(), "/tmp/t")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(name.to_string(), text);
}

/// The footer row of an 80×24 screen.
pub(crate) fn footer(app: &App) -> String {
    screen(app).lines().nth(22).unwrap_or_default().to_string()
}

// ---- #6: one function-key scheme ----

#[test]
fn every_function_key_means_one_thing_on_every_screen() {
    // The scheme of keymaps/default.toml's header, as (key, the actions that are that meaning).
    let scheme: [(&str, &[Action]); 9] = [
        ("f2", &[Action::Save, Action::Yes]),
        (
            "f3",
            &[
                Action::NewWorker,
                Action::NewEvent,
                Action::LogService,
                Action::Export,
            ],
        ),
        ("f4", &[Action::OpenPicker, Action::Edit, Action::Period]),
        (
            "f5",
            &[
                Action::Attendees,
                Action::OpenExisting,
                Action::FilterKind,
                Action::Drafts,
            ],
        ),
        ("f6", &[Action::Events]),
        ("f7", &[Action::Batches]),
        ("f8", &[Action::ImportRoster, Action::ImportBatch]),
        ("f9", &[Action::Statistics]),
        ("f10", &[Action::Settings]),
    ];
    let keymap = Keymap::default_keymap().unwrap();
    for (spec, meanings) in scheme {
        let key = Chord::parse(spec).unwrap();
        for context in Context::ALL {
            for binding in keymap.bindings(context) {
                if binding.keys.contains(&key) {
                    assert!(
                        meanings.contains(&binding.action),
                        "{spec} means {:?} in {context:?}, outside the scheme",
                        binding.action
                    );
                }
            }
        }
    }
    // The field test's clash: F6/F7 were health check / legal aid on a worker's page.
    let f = |s| Chord::parse(s).unwrap();
    assert_eq!(keymap.lookup(Context::Detail, f("f6")), None);
    assert_eq!(keymap.lookup(Context::Detail, f("f7")), None);
    assert_eq!(keymap.lookup(Context::List, f("f6")), Some(Action::Events));
    // The letters that existed still work.
    for (context, key, action) in [
        (Context::Detail, "h", Action::LogHealthCheck),
        (Context::Detail, "l", Action::LogLegalAid),
        (Context::Detail, "s", Action::LogService),
        (Context::Detail, "E", Action::Edit),
        (Context::Stats, "p", Action::Period),
        (Context::Stats, "d", Action::District),
        (Context::Batches, "e", Action::Export),
        (Context::Batches, "i", Action::ImportBatch),
        (Context::Events, "n", Action::NewEvent),
        (Context::Events, "i", Action::ImportRoster),
    ] {
        assert_eq!(keymap.lookup(context, f(key)), Some(action), "{key}");
    }
}

#[test]
fn the_import_screen_footer_says_start_as_its_text_does() {
    let fx = seeded();
    for (lang, start, save) in [(Lang::Zh, "开始", "保存"), (Lang::En, "Start", "Save")] {
        let mut app = open(&fx, lang);
        keys(&mut app, "f6 f8");
        let text = screen(&app);
        assert!(
            text.contains(lang.pick("按 F2 开始", "Press F2 to start")),
            "{text}"
        );
        let footer = footer(&app);
        assert!(footer.contains(&format!("F2  {start}")), "{footer}");
        assert!(!footer.contains(&format!("F2  {save}")), "{footer}");
    }
}

// ---- #8: the smaller findings ----

#[test]
fn the_blood_pressure_hint_reads_as_a_format_not_a_reading() {
    let fx = seeded();
    let mut app = open(&fx, Lang::Zh);
    keys(&mut app, "enter h");
    let text = screen(&app);
    let row = text.lines().find(|l| l.contains("血压")).unwrap();
    assert!(row.contains("格式 收缩压/舒张压，如 120/80"), "{row}");
}

#[test]
fn a_health_check_event_header_shows_no_quantity_or_amount() {
    let (_dir, _db, mut store) = database_with_officer();
    let event = |kind: &str, amount| EventInput {
        name: "活动".into(),
        kind: kind.into(),
        held_on: date("2026-03-15"),
        place: "南开区某工地".into(),
        district_code: "120104".into(),
        default_quantity: 1,
        default_amount_fen: amount,
    };
    let check = store.add_event(&event("health_check", 0)).unwrap().uid;
    let check = store.event_by_uid(&check).unwrap().unwrap();
    let cooling = store.add_event(&event("summer_cooling", 5000)).unwrap().uid;
    let cooling = store.event_by_uid(&cooling).unwrap().unwrap();
    assert!(!event_summary(&check, Lang::Zh).contains("每人"));
    assert!(!event_summary(&check, Lang::En).contains("each"));
    assert!(event_summary(&cooling, Lang::Zh).contains("每人 1 份 ¥50.00"));
}

#[test]
fn at_80x24_the_hardship_value_and_the_pending_count_show_whole() {
    let fx = seeded();
    let mut app = open(&fx, Lang::Zh);
    // A database path as long as a real one under a home folder.
    app.set_db_label("/home/officer/文档/津工数据/和平区总工会/2026/jingong.db");
    keys(&mut app, "enter");
    let text = screen(&app);
    assert!(text.contains("困难职工 是"), "{text}");
    let status = text.lines().nth(23).unwrap();
    assert!(status.contains("待导出 7 条"), "{status}");
}

#[test]
fn keys_do_nothing_behind_the_too_small_notice() {
    let fx = seeded();
    let mut app = open(&fx, Lang::Zh);
    let small = screen_at(&app, 60, 20);
    assert!(small.contains("窗口太小"), "{small}");
    keys(&mut app, "f3");
    assert!(
        !screen(&app).contains("津工 · 登记新职工"),
        "F3 acted unseen"
    );
    // The same after the terminal says it shrank, and again once it grew.
    app.handle_event(&Event::Resize(70, 20));
    keys(&mut app, "f6");
    assert!(
        !screen(&app).contains("津工 · 服务活动"),
        "{}",
        screen(&app)
    );
    app.handle_event(&Event::Resize(80, 24));
    keys(&mut app, "f3");
    assert!(
        screen(&app).contains("津工 · 登记新职工"),
        "{}",
        screen(&app)
    );
}

#[test]
fn a_user_binding_that_takes_a_key_names_the_action_that_lost_it() {
    let (_dir, db, store) = database_with_officer();
    drop(store);
    let mut keymap = Keymap::default_keymap().unwrap();
    keymap
        .apply_text(
            "keymap.toml",
            r#"list = [ { action = "batches", keys = ["f9"] } ]"#,
            false,
        )
        .unwrap();
    let store = open_store(&db);
    let mut app = App::new(store, keymap, Lang::Zh);
    app.settle();
    let message = app.message().unwrap_or_default().to_string();
    assert!(message.contains("F9"), "{message}");
    assert!(message.contains("「统计」"), "{message}");
    // The help of the list says it too.
    keys(&mut app, "f1");
    let help = screen_at(&app, 100, 40);
    assert!(help.contains("你的按键配置拿走的键"), "{help}");
    assert!(
        help.contains("F9 现在是「批次」，「统计」（职工列表）不再用此键"),
        "{help}"
    );
    // Without a user file nothing is said.
    let app = open_app(&db, Lang::Zh);
    assert_eq!(app.message(), None);
}

#[test]
fn ctrl_u_in_help_is_what_ctrl_u_does() {
    let (_dir, db, store) = database_with_officer();
    drop(store);
    let ctrl_u = Chord::parse("ctrl-u").unwrap();
    // Default keymap: Ctrl-U clears the search, and help says so.
    let mut app = open_app(&db, Lang::Zh);
    type_text(&mut app, "wang");
    keys(&mut app, "ctrl-u");
    assert!(!screen(&app).contains("wang"), "{}", screen(&app));
    keys(&mut app, "f1");
    let help = screen_at(&app, 100, 40);
    assert!(help.contains("Ctrl-U 清空"), "{help}");
    // Vim keymap: Ctrl-U pages up in the list, and help does not promise it clears.
    let mut vim = Keymap::default_keymap().unwrap();
    vim.apply_text("vim.toml", VIM_KEYMAP, true).unwrap();
    assert_eq!(vim.lookup(Context::List, ctrl_u), Some(Action::PageUp));
    let store = open_store(&db);
    let mut app = App::new(store, vim, Lang::Zh);
    app.settle();
    keys(&mut app, "f1");
    let help = screen_at(&app, 100, 40);
    assert!(help.contains("Ctrl-U"), "{help}");
    assert!(!help.contains("Ctrl-U 清空"), "{help}");
}

#[test]
fn help_descriptions_are_whole_phrases() {
    let keymap = Keymap::default_keymap().unwrap();
    for context in Context::ALL {
        for binding in keymap.bindings(context) {
            assert!(
                !binding.desc_zh.ends_with('的'),
                "{context:?} {:?}: {}",
                binding.action,
                binding.desc_zh
            );
        }
    }
}

#[test]
fn at_200x50_the_month_chart_spans_the_width() {
    let fx = seeded();
    let mut app = open(&fx, Lang::Zh);
    keys(&mut app, "f9 tab");
    let text = screen_at(&app, 200, 50);
    // The month labels' row: the twelfth month's label sits near the right edge.
    let row = text
        .lines()
        .find(|l| l.contains("26-01") && l.contains("26-03"))
        .unwrap_or_else(|| panic!("{text}"));
    let last = row.trim_end().len();
    assert!(last > 150, "the last bar ends at column {last}:\n{text}");
    // And no bar is taller than the chart's cap.
    let bar_rows = text.lines().filter(|l| l.contains('█')).count();
    assert!(bar_rows <= 14 + 9, "{bar_rows} rows of bars:\n{text}");
}

#[test]
fn english_says_1_event_and_names_rights_protection_whole() {
    let fx = seeded();
    let mut store = fx.store();
    store
        .add_event(&EventInput {
            name: "Summer cooling".into(),
            kind: "summer_cooling".into(),
            held_on: date("2026-03-15"),
            place: "site".into(),
            district_code: "120101".into(),
            default_quantity: 1,
            default_amount_fen: 0,
        })
        .unwrap();
    store
        .add_service(
            &fx.wang,
            &ServiceInput {
                kind: "rights".into(),
                served_on: date("2026-03-02"),
                quantity: 1,
                ..Default::default()
            },
        )
        .unwrap();
    drop(store);
    let mut app = open(&fx, Lang::En);
    keys(&mut app, "f6");
    let text = screen(&app);
    assert!(text.contains("1 event"), "{text}");
    assert!(!text.contains("1 events"), "{text}");
    keys(&mut app, "esc f9 tab");
    let text = screen(&app);
    assert!(text.contains("Rights protection"), "{text}");
    // Labels that head a field or a value start with a capital, as the column headings do.
    keys(&mut app, "esc enter");
    let text = screen(&app);
    assert!(
        text.contains("Hardship yes") || text.contains("Hardship Yes"),
        "{text}"
    );
    assert!(text.contains("Phone "), "{text}");
    keys(&mut app, "f4");
    let text = screen(&app);
    assert!(
        text.contains("Name *") && text.contains("Employer"),
        "{text}"
    );
}

#[test]
fn snapshot_the_statistics_chart_at_200x50() {
    for (lang, tag) in langs() {
        let fx = seeded();
        let mut app = open(&fx, lang);
        keys(&mut app, "f9 tab");
        snap(&app, &format!("stats_services_200x50_{tag}"), (200, 50));
    }
}

#[test]
fn the_conflicts_footer_says_enter_keeps_the_side() {
    let fx = seeded();
    let mut app = open(&fx, Lang::Zh);
    keys(&mut app, "f7 c");
    let footer = footer(&app);
    assert!(footer.contains("Enter  保留所选一方"), "{footer}");
    assert!(!footer.contains("校验批次"), "{footer}");
}
