//! Field-test fixes (issue 14) and printing sheets from the TUI (issue 15), driven by keys.

use calamine::{Reader, Xlsx, open_workbook};
use jingong::domain::{EventInput, Membership, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;
use std::path::Path;

use crate::support::tui::*;

/// The district field's line on the new-worker form, as the officer reads it.
fn district_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("所属区"))
        .unwrap_or_else(|| panic!("no district line on:\n{screen}"))
        .to_string()
}

#[test]
fn typing_a_prefix_in_a_choice_list_picks_the_prefix_match_first() {
    let (_dir, db, _store) = database_with_officer();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f3 tab tab tab tab tab tab");
    // 河西区 comes before 西青区 in the district list; 西 must still choose 西青区.
    type_text(&mut app, "西");
    keys(&mut app, "enter");
    let line = district_line(&screen_at(&app, 100, 30));
    assert!(line.contains("西青区"), "{line}");
    assert!(!line.contains("河西区"), "{line}");
}

/// 买买提·艾力 registered, the app open on his page.
fn app_on_a_worker(db: &std::path::Path, store: &mut Store) -> (App, String) {
    let worker = store
        .add_worker(&WorkerInput {
            name: "买买提·艾力".into(),
            id_number: id("65010219900307123"),
            phone: "13912345678".into(),
            employer: "天津港建设工程有限公司".into(),
            district_code: "120101".into(),
            membership: Membership::JoinedHere,
            ..Default::default()
        })
        .unwrap();
    let mut app = open_app(db, Lang::Zh);
    type_text(&mut app, "mmt");
    keys(&mut app, "enter");
    assert!(screen_at(&app, 100, 30).contains("职工：买买提·艾力"));
    (app, worker.uid)
}

/// The date field's line without its format hint (which shows an example date itself).
fn date_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("日期"))
        .unwrap_or_else(|| panic!("no date line on:\n{screen}"))
        .replace("格式 2026-03-15，留空为今天", "")
}

#[test]
fn typing_into_a_proposed_date_replaces_it() {
    let (_dir, db, mut store) = database_with_officer();
    let (mut app, _) = app_on_a_worker(&db, &mut store);
    keys(&mut app, "h");
    assert!(date_line(&screen_at(&app, 100, 30)).contains("2026-03-15"));
    type_text(&mut app, "2026-11-28");
    let screen = screen_at(&app, 100, 30);
    let line = date_line(&screen);
    assert!(line.contains("2026-11-28"), "{screen}");
    assert!(!line.contains("2026-03-15"), "{screen}");
}

#[test]
fn backspace_edits_a_proposed_date_instead_of_replacing_it() {
    let (_dir, db, mut store) = database_with_officer();
    let (mut app, uid) = app_on_a_worker(&db, &mut store);
    keys(&mut app, "h backspace");
    type_text(&mut app, "4");
    // Once edited, the value is the officer's: further keys go in at the caret.
    keys(&mut app, "left");
    type_text(&mut app, "1");
    keys(&mut app, "backspace");
    let line = date_line(&screen_at(&app, 100, 30));
    assert!(line.contains("2026-03-14"), "{line}");
    // Consent is the last field; saving records the edited date.
    for _ in 0..8 {
        keys(&mut app, "tab");
    }
    keys(&mut app, "space f2");
    let services = store.services_of_worker(&uid).unwrap();
    assert_eq!(services.len(), 1, "{}", screen_at(&app, 100, 30));
    assert_eq!(services[0].served_on.to_string(), "2026-03-14");
}

// ---- sheets printed from the events and attendee lists (issue 15) ---------------------------

const EVENT_NAME: &str = "冬送温暖·西青宿舍";

/// An event paying 500 yuan to each attendee; `attendees` workers recorded in it.
fn event_with_attendees(store: &mut Store, attendees: u32) -> String {
    let event = store
        .add_event(&EventInput {
            name: EVENT_NAME.into(),
            kind: "winter_warmth".into(),
            held_on: Some(clock().today()),
            place: "西青区某宿舍".into(),
            district_code: "120111".into(),
            default_quantity: 1,
            default_amount_fen: 50_000,
        })
        .unwrap()
        .uid;
    for n in 1..=attendees {
        let worker = store
            .add_worker(&WorkerInput {
                name: format!("工人{n:02}"),
                id_number: id(&format!("12010119900101{n:03}")),
                phone: format!("138{:08}", 10_000_000 + n),
                ..Default::default()
            })
            .unwrap()
            .uid;
        store.record_event_service(&event, &worker).unwrap();
    }
    event
}

/// The first cell of the workbook's only sheet: the title.
fn title_cell(path: &Path) -> String {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range.get((0, 0)).map(|c| c.to_string()).unwrap_or_default()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn p_on_the_events_list_writes_the_payout_sheet_into_the_batches_folder() {
    let (dir, db, mut store) = database_with_officer();
    event_with_attendees(&mut store, 3);
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f6 p");
    assert!(screen_at(&app, 100, 30).contains("打印哪种表格"));
    // Filtered by the pinyin of 发放签领表, then the path offered beside the database.
    type_text(&mut app, "ff");
    keys(&mut app, "enter");
    let out = dir
        .path()
        .join("batches")
        .join(format!("{EVENT_NAME}-签领表.xlsx"));
    assert!(screen_at(&app, 100, 30).contains("签领表.xlsx"));
    assert!(
        !out.exists(),
        "nothing is written before the path is confirmed"
    );
    keys(&mut app, "enter");
    assert!(out.exists(), "{}", screen_at(&app, 100, 30));
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);
    assert_eq!(title_cell(&out), format!("{EVENT_NAME}发放签领表"));
    let message = app.message().unwrap_or_default().to_string();
    assert!(message.contains("已写入发放签领表"), "{message}");
    assert!(message.contains("3 人，合计 1500.00 元"), "{message}");
    assert!(message.contains(&out.display().to_string()), "{message}");
}

#[test]
fn p_on_the_attendee_list_writes_a_sign_in_sheet_where_the_officer_typed() {
    let (dir, db, mut store) = database_with_officer();
    event_with_attendees(&mut store, 2);
    let mut app = open_app(&db, Lang::En);
    keys(&mut app, "f6 a p");
    type_text(&mut app, "signin");
    keys(&mut app, "enter ctrl-u");
    let out = dir.path().join("到场.xlsx");
    type_text(&mut app, &out.display().to_string());
    keys(&mut app, "enter");
    assert_eq!(title_cell(&out), format!("{EVENT_NAME}签到表"));
    let message = app.message().unwrap_or_default().to_string();
    assert!(message.contains("Sign-in sheet written to"), "{message}");
}

#[test]
fn a_sheet_of_an_event_without_attendees_is_refused_in_the_status_line() {
    let (dir, db, mut store) = database_with_officer();
    event_with_attendees(&mut store, 0);
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f6 p");
    let message = app.message().unwrap_or_default().to_string();
    assert!(message.contains("还没有任何参加人员"), "{message}");
    assert!(
        !message.contains("--expected"),
        "no command-line advice on a screen: {message}"
    );
    // No popup opened, and nothing was written.
    assert!(!screen_at(&app, 100, 30).contains("打印哪种表格"));
    assert!(!dir.path().join("batches").exists());
}

// ---- a status message belongs to the screen that said it (issue 14 #3) ----------------------

#[test]
fn a_refusal_is_gone_once_its_form_is_left() {
    let (_dir, db, mut store) = database_with_officer();
    let (mut app, _) = app_on_a_worker(&db, &mut store);
    // Saved without the consent ticked: refused, said in the status line.
    keys(&mut app, "h f2");
    assert!(app.message().is_some_and(|m| m.contains("未保存")));
    keys(&mut app, "esc");
    let screen = screen_at(&app, 100, 30);
    assert!(screen.contains("职工：买买提·艾力"), "{screen}");
    assert_eq!(app.message(), None, "{screen}");
    assert!(!screen.contains("未保存"), "{screen}");
}

#[test]
fn what_a_form_said_as_it_closed_stays_on_the_page_below_until_that_is_left() {
    let (_dir, db, mut store) = database_with_officer();
    let (mut app, _) = app_on_a_worker(&db, &mut store);
    keys(&mut app, "h");
    for _ in 0..8 {
        keys(&mut app, "tab");
    }
    keys(&mut app, "space f2");
    let said = "已登记 免费查体：买买提·艾力";
    assert!(screen_at(&app, 100, 30).contains(said));
    // F1 and back: the help screen closing is not the worker page closing.
    keys(&mut app, "f1 esc");
    assert!(screen_at(&app, 100, 30).contains(said));
    keys(&mut app, "esc");
    let screen = screen_at(&app, 100, 30);
    assert!(!screen.contains(said), "{screen}");
    assert_eq!(app.message(), None);
}

#[test]
fn esc_clearing_quick_entry_line_clears_the_problem_reported_about_it() {
    let (_dir, db, mut store) = database_with_officer();
    event_with_attendees(&mut store, 0);
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f6 enter");
    // A valid number with its check digit changed.
    let valid = id("12010119900101123");
    let last = valid.chars().last().unwrap();
    let wrong = if last == '0' { '1' } else { '0' };
    type_text(&mut app, &format!("{}{wrong}", &valid[..17]));
    keys(&mut app, "enter");
    assert!(screen_at(&app, 100, 30).contains("校验位应为"));
    keys(&mut app, "esc");
    let screen = screen_at(&app, 100, 30);
    assert!(!screen.contains("校验位应为"), "{screen}");
    assert!(
        screen.contains(EVENT_NAME),
        "Esc cleared the line, it did not leave: {screen}"
    );
}

#[test]
fn snapshot_the_sheet_popups() {
    for (lang, tag) in langs() {
        let (_dir, db, mut store) = database_with_officer();
        event_with_attendees(&mut store, 2);
        let mut app = open_app(&db, lang);
        keys(&mut app, "f6 p");
        let terminal = render(&app, 80, 24);
        assert_borders_intact(&buffer_text(terminal.backend().buffer()));
        insta::assert_snapshot!(
            format!("sheet_kind_{tag}"),
            plain_screen(terminal.backend().buffer())
        );
        // The path step shows a temporary folder: its frame and the offered name are checked.
        keys(&mut app, "enter");
        for (width, height) in [(80, 24), (160, 40)] {
            let text = screen_at(&app, width, height);
            assert_borders_intact(&text);
            assert!(text.contains("签领表.xlsx"), "{text}");
        }
    }
}

#[test]
fn the_home_footer_names_events_batches_and_statistics_at_80_columns() {
    let (_dir, db, _store) = database_with_officer();
    for (lang, _) in langs() {
        let app = open_app(&db, lang);
        let screen = screen_at(&app, 80, 24);
        let footer = screen.lines().nth(22).unwrap_or_default().to_string();
        for key in ["F3", "F6", "F7", "F9", "F1", "Ctrl-Q"] {
            assert!(
                footer.contains(key),
                "{key} missing in {lang:?}: {footer:?}"
            );
        }
    }
}
