//! Field-test fixes (issue 14) and printing sheets from the TUI (issue 15), driven by keys.

use jingong::text::Lang;

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
