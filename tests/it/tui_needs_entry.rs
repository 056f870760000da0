//! Needs put right from the worker's page (default keymap): `x` lists the worker's needs and
//! claims; there `x` closes an open need by hand with an optional note after asking, and `w`
//! withdraws a need or a claim recorded by mistake, with its reason.

use jingong::domain::claims::ClaimDraft;
use jingong::domain::needs::{NeedInput, NeedState};
use jingong::domain::{Membership, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;
use std::path::PathBuf;

use crate::support::tui::*;

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    wang: String,
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 王秀兰, a member who asked for a job and for housing, with one mutual-aid claim.
fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    let wang = add_member_wang(&mut store);
    for kind in ["job", "housing"] {
        store
            .add_need(
                &wang,
                &NeedInput {
                    kind: kind.into(),
                    raised_on: day("2026-03-01"),
                    note: String::new(),
                },
            )
            .unwrap();
    }
    store
        .add_claim(
            &wang,
            &ClaimDraft {
                claim_type: "critical_illness".into(),
                diagnosed_on: "2026-03-01".into(),
                protection_start: "2025-07-01".into(),
                protection_end: "2026-06-30".into(),
                ..Default::default()
            },
        )
        .unwrap();
    Fixture {
        _dir: dir,
        db,
        wang,
    }
}

fn store(fx: &Fixture) -> Store {
    open_store(&fx.db)
}

fn snap(app: &App, name: &str) {
    let terminal = render(app, 100, 30);
    assert_borders_intact(&buffer_text(terminal.backend().buffer()));
    insta::assert_snapshot!(name, plain_screen(terminal.backend().buffer()));
}

fn open_records(fx: &Fixture, lang: Lang) -> App {
    let mut app = open_app(&fx.db, lang);
    type_text(&mut app, "wxl");
    keys(&mut app, "enter");
    keys(&mut app, "x");
    app
}

fn need_state(fx: &Fixture, kind: &str) -> Option<(NeedState, String)> {
    store(fx)
        .needs_of_worker(&fx.wang)
        .unwrap()
        .into_iter()
        .find(|n| n.kind == kind)
        .map(|n| (n.state, n.close_note))
}

#[test]
fn a_need_is_closed_by_hand_with_a_note_after_the_popup_asks() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let app = open_records(&fx, lang);
        snap(&app, &format!("aid_records_{tag}"));
    }
    let mut app = open_records(&fx, Lang::Zh);
    // Rows: the two open needs (newest raised first, then by entry), then the claim.
    let first = store(&fx).needs_of_worker(&fx.wang).unwrap()[0]
        .kind
        .clone();
    keys(&mut app, "x");
    snap(&app, "aid_records_close_popup_zh");
    // Esc: nothing closed.
    keys(&mut app, "esc");
    assert_eq!(need_state(&fx, &first).unwrap().0, NeedState::Open);
    keys(&mut app, "x");
    type_text(&mut app, "已自行找到工作");
    keys(&mut app, "enter");
    assert_eq!(
        need_state(&fx, &first),
        Some((NeedState::Closed, "已自行找到工作".to_string()))
    );
    // Closing it again is refused with its state named; nothing changes.
    keys(&mut app, "x");
    let shown = screen_at(&app, 100, 30);
    assert!(shown.contains("已关闭"), "{shown}");
    assert!(
        !shown.contains("可写备注"),
        "no popup for a closed need:\n{shown}"
    );
}

#[test]
fn a_need_and_a_claim_recorded_by_mistake_are_withdrawn_with_their_reason() {
    let fx = seeded();
    let mut app = open_records(&fx, Lang::En);
    keys(&mut app, "w");
    // An empty reason is refused in place.
    keys(&mut app, "enter");
    assert_eq!(store(&fx).needs_of_worker(&fx.wang).unwrap().len(), 2);
    type_text(&mut app, "wrong worker");
    keys(&mut app, "enter");
    let needs = store(&fx).needs_of_worker(&fx.wang).unwrap();
    assert_eq!(needs.len(), 1, "one need withdrawn");
    // The claim is the last row.
    keys(&mut app, "end w");
    type_text(&mut app, "typed twice");
    keys(&mut app, "enter");
    assert!(store(&fx).claims_of_worker(&fx.wang).unwrap().is_empty());
    snap(&app, "aid_records_after_withdrawals_en");
}

// ---- quick entry ---------------------------------------------------------------------------

/// 王建国 registered, and a summer-cooling event today (a kind that answers no need).
fn event_fixture() -> (tempfile::TempDir, PathBuf, String, String) {
    let (dir, db, mut store) = database_with_officer();
    let wang = store
        .add_worker(&WorkerInput {
            name: "王建国".into(),
            id_number: id("13010219850612331"),
            phone: "13812345678".into(),
            district_code: "120101".into(),
            membership: Membership::JoinedHere,
            ..Default::default()
        })
        .unwrap()
        .uid;
    let event = store
        .add_event(&jingong::domain::EventInput {
            name: "夏送清凉·南开工地".into(),
            kind: "summer_cooling".into(),
            held_on: Some(day("2026-03-15")),
            place: "南开区某工地".into(),
            district_code: "120104".into(),
            default_quantity: 1,
            default_amount_fen: 0,
        })
        .unwrap()
        .uid;
    (dir, db, wang, event)
}

/// How many the event served, and the worker's live needs (kind, state) by kind.
fn served_and_needs(
    db: &std::path::Path,
    event: &str,
    worker: &str,
) -> (usize, Vec<(String, NeedState)>) {
    let store = open_store(db);
    let mut kinds: Vec<(String, NeedState)> = store
        .needs_of_worker(worker)
        .unwrap()
        .into_iter()
        .map(|n| (n.kind, n.state))
        .collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    (store.event_attendees(event, 0, 10).unwrap().len(), kinds)
}

#[test]
fn quick_entry_ticks_needs_for_the_worker_by_digits_in_four_more_keys() {
    for (lang, tag) in langs() {
        let (_dir, db, wang, event) = event_fixture();
        let mut app = open_app(&db, lang);
        keys(&mut app, "f6 enter");
        type_text(&mut app, &id("13010219850612331"));
        keys(&mut app, "ctrl-t");
        // Digits now tick: 1 欠薪维权, 3 就业岗位; 3 twice unticks, once more ticks again.
        type_text(&mut app, "1333");
        snap(&app, &format!("quick_entry_needs_ticked_{tag}"));
        keys(&mut app, "enter");
        assert_eq!(
            served_and_needs(&db, &event, &wang),
            (
                1,
                vec![
                    ("job".to_string(), NeedState::Open),
                    ("wage_arrears".to_string(), NeedState::Open)
                ]
            )
        );
        let shown = screen_at(&app, 100, 30);
        assert!(
            shown.contains("登记诉求 2 项") || shown.contains("2 need(s) raised"),
            "{shown}"
        );
        // The next worker starts with nothing ticked and the digits typing again.
        assert!(
            !shown.contains("✓就业岗位") && !shown.contains("✓A job"),
            "{shown}"
        );
        type_text(&mut app, "13");
        assert!(screen_at(&app, 100, 30).contains("13"));
    }
}

#[test]
fn undo_in_quick_entry_takes_back_the_needs_ticked_with_the_record_and_redo_brings_them_back() {
    let (_dir, db, wang, event) = event_fixture();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f6 enter");
    type_text(&mut app, &id("13010219850612331"));
    keys(&mut app, "ctrl-t");
    type_text(&mut app, "13");
    keys(&mut app, "enter");
    let live = |db: &PathBuf| served_and_needs(db, &event, &wang);
    let ticked = vec![
        ("job".to_string(), NeedState::Open),
        ("wage_arrears".to_string(), NeedState::Open),
    ];
    assert_eq!(live(&db), (1, ticked.clone()));
    keys(&mut app, "ctrl-z");
    let shown = screen_at(&app, 100, 30);
    assert_eq!(live(&db), (0, vec![]), "{shown}");
    assert!(shown.contains("同时登记的诉求 2 项一并撤销"), "{shown}");
    keys(&mut app, "ctrl-r");
    let shown = screen_at(&app, 100, 30);
    assert_eq!(live(&db), (1, ticked), "{shown}");
    assert!(shown.contains("诉求 2 项一并恢复"), "{shown}");
}

#[test]
fn the_roster_import_preview_counts_the_needs_to_raise_and_the_import_raises_them() {
    let (dir, db, wang, _event) = event_fixture();
    let file = dir.path().join("诉求名单.csv");
    std::fs::write(
        &file,
        format!(
            "姓名,身份证号,手机号,诉求\n王建国,{},13812345678,欠薪维权、住房\n",
            id("13010219850612331")
        ),
    )
    .unwrap();
    let mut app = open_app(&db, Lang::Zh);
    keys(&mut app, "f6 i");
    app.handle_event(&ratatui::crossterm::event::Event::Paste(
        file.display().to_string(),
    ));
    // For the selected event, dry run first.
    keys(&mut app, "tab space f2");
    let shown = screen_at(&app, 100, 30);
    assert!(shown.contains("预演"), "{shown}");
    assert!(shown.contains("新登记诉求 2 项"), "{shown}");
    let store = open_store(&db);
    assert!(
        store.needs_of_worker(&wang).unwrap().is_empty(),
        "a dry run raises nothing"
    );
    keys(&mut app, "enter");
    let shown = screen_at(&app, 100, 30);
    assert!(shown.contains("新登记诉求 2 项"), "{shown}");
    let open: Vec<String> = store
        .needs_of_worker(&wang)
        .unwrap()
        .into_iter()
        .filter(|n| n.state == NeedState::Open)
        .map(|n| n.kind)
        .collect();
    assert_eq!(open.len(), 2, "{open:?}");
}
