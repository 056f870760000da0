//! Field-test fixes (issue 14) and printing sheets from the TUI (issue 15), driven by keys.

use jingong::domain::{Membership, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;

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
