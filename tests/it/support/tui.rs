//! What the TUI tests share: a fixed clock, the app opened on a database file, keys pressed
//! and text typed the way a terminal sends them, and the screen read back as text.
#![allow(dead_code)]

use jingong::domain::idcard::with_check_digit;
use jingong::store::{Clock, Store};
use jingong::text::Lang;
use jingong::tui::app::App;
use jingong::tui::keymap::{Chord, Keymap};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

pub use super::fixture::TUI_NOW as NOW;

pub fn clock() -> Clock {
    super::fixture::clock_at(NOW)
}

/// A valid ID number from its first 17 digits.
pub fn id(first17: &str) -> String {
    with_check_digit(first17)
}

/// The database at `db` on the tests' fixed clock.
pub fn open_store(db: &Path) -> Store {
    let mut store = Store::open(db).unwrap();
    store.set_clock(clock());
    store
}

/// 王秀兰, a card-holding member in 和平区 (the needs and claims screens' worker). Her uid.
pub fn add_member_wang(store: &mut Store) -> String {
    store
        .add_worker(&jingong::domain::WorkerInput {
            name: "王秀兰".into(),
            id_number: id("13010219850612332"),
            phone: "13812345678".into(),
            district_code: "120101".into(),
            membership: jingong::domain::Membership::Member,
            card_no: "6217000012345678".into(),
            ..Default::default()
        })
        .unwrap()
        .uid
}

pub fn langs() -> [(Lang, &'static str); 2] {
    [(Lang::Zh, "zh"), (Lang::En, "en")]
}

/// A new database file in a folder of its own, the clock fixed and 李明 of 和平区总工会 its
/// officer: where every TUI test starts before adding its own records.
pub fn database_with_officer() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jingong.db");
    let store = super::fixture::store_with_officer(Some(&db), NOW);
    (dir, db, store)
}

/// The app on `db` with the default keymap, its first screen settled.
pub fn open_app(db: &Path, lang: Lang) -> App {
    let mut store = Store::open(db).unwrap();
    store.set_clock(clock());
    let mut app = App::new(store, Keymap::default_keymap().unwrap(), lang);
    app.set_db_label("jingong.db");
    app.settle();
    app
}

pub fn key_event(spec: &str) -> KeyEvent {
    let chord = Chord::parse(spec).unwrap();
    KeyEvent {
        code: chord.code,
        modifiers: chord.mods,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

pub fn char_event(c: char) -> KeyEvent {
    KeyEvent {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

/// Presses keys named like the keymap does, separated by spaces: "f3", "tab", "ctrl-s".
pub fn keys(app: &mut App, specs: &str) {
    for spec in specs.split_whitespace() {
        app.press(key_event(spec));
        app.settle();
    }
}

/// Types text character by character, as a terminal sends it (an input method commits a
/// whole word at once, which arrives as the same characters).
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.press(char_event(c));
    }
    app.settle();
}

pub fn render(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    terminal
}

/// The screen as an officer reads it: the cells under the right half of a wide character are
/// not shown.
pub fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut hidden = 0;
        for x in 0..buf.area.width {
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            hidden = symbol.width().saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

/// The screen as plain text for a snapshot: one line per row, the right halves of wide
/// characters left out (as a terminal shows them) and trailing spaces trimmed.
pub fn plain_screen(buf: &Buffer) -> String {
    buffer_text(buf)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn screen_at(app: &App, width: u16, height: u16) -> String {
    buffer_text(render(app, width, height).backend().buffer())
}

/// Every popup border shows whole, as the terminal will draw it: on each line, as many left
/// corners as right ones and an even number of sides. A two-column character whose right half
/// lies under a popup's left border hides that border (ratatui issue 2526). The status line,
/// which uses `│` as a separator, is left out.
pub fn assert_borders_intact(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    for (y, line) in lines[..lines.len() - 1].iter().enumerate() {
        let count = |c: char| line.chars().filter(|&x| x == c).count();
        assert!(
            count('┌') == count('┐') && count('└') == count('┘') && count('│') % 2 == 0,
            "row {y} shows a broken border:\n{text}"
        );
    }
}
