//! Correcting records in the TUI through the default keymap: withdraw a service from the
//! worker's history with a reason, correct one in its form, withdraw an event whose attendees
//! have services (asked first), withdraw from the attendee list, and a closed legal-aid case
//! on the worker page.

use chrono::NaiveDate;
use jingong::domain::{EventInput, LegalAid, Membership, ServiceInput, WorkerInput};
use jingong::store::Store;
use jingong::store::legal_cases::CaseClosing;
use jingong::text::Lang;
use jingong::tui::app::App;
use std::path::PathBuf;

use crate::support::tui::*;

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    wang: String,
    zhang: String,
    event: String,
}

fn date(day: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

fn worker(name: &str, id_number: &str, phone: &str) -> WorkerInput {
    WorkerInput {
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.into(),
        district_code: "120101".into(),
        membership: Membership::JoinedHere,
        ..Default::default()
    }
}

/// 王建国 with a relief payment (older) and a book gift (newer); 张秀英; an event where both
/// were given a summer cooling package.
fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    let wang = store
        .add_worker(&worker("王建国", &id("13010219850612331"), "13812345678"))
        .unwrap()
        .uid;
    let zhang = store
        .add_worker(&worker("张秀英", &id("12010319780101004"), "18622221111"))
        .unwrap()
        .uid;
    for (kind, day, amount_fen) in [
        ("relief_money", "2026-01-20", 30_000),
        ("books", "2026-02-01", 0),
    ] {
        store
            .add_service(
                &wang,
                &ServiceInput {
                    kind: kind.into(),
                    served_on: date(day),
                    quantity: 1,
                    amount_fen,
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let event = store
        .add_event(&EventInput {
            name: "夏送清凉·南开工地".into(),
            kind: "summer_cooling".into(),
            held_on: date("2026-03-10"),
            place: "南开区某工地".into(),
            district_code: "120104".into(),
            default_quantity: 1,
            default_amount_fen: 0,
        })
        .unwrap()
        .uid;
    store.record_event_service(&event, &wang).unwrap();
    store.record_event_service(&event, &zhang).unwrap();
    Fixture {
        _dir: dir,
        db,
        wang,
        zhang,
        event,
    }
}

fn store(fx: &Fixture) -> Store {
    Store::open(&fx.db).unwrap()
}

fn screen_text(app: &App) -> String {
    screen_at(app, 100, 30)
}

/// The kinds of a worker's live services, newest first.
fn live_kinds(fx: &Fixture, worker: &str) -> Vec<String> {
    store(fx)
        .services_of_worker(worker)
        .unwrap()
        .into_iter()
        .map(|s| s.kind)
        .collect()
}

fn open_wang(fx: &Fixture) -> App {
    let mut app = open_app(&fx.db, Lang::Zh);
    type_text(&mut app, "wjg");
    keys(&mut app, "enter");
    assert!(screen_text(&app).contains("职工：王建国"));
    app
}

#[test]
fn withdraw_a_service_from_the_history_with_a_reason() {
    let fx = seeded();
    let mut app = open_wang(&fx);
    assert_eq!(
        live_kinds(&fx, &fx.wang),
        ["summer_cooling", "books", "relief_money"]
    );
    // The oldest record, the relief payment.
    keys(&mut app, "end w");
    let screen = screen_text(&app);
    assert!(
        screen.contains("撤回 王建国 的这条“2026-01-20 帮扶金”记录"),
        "{screen}"
    );
    assert_borders_intact(&buffer_text(render(&app, 100, 30).backend().buffer()));
    // Esc cancels; nothing changes.
    keys(&mut app, "esc");
    assert_eq!(live_kinds(&fx, &fx.wang).len(), 3);
    // No reason: refused in the popup, which stays open.
    keys(&mut app, "w enter");
    assert!(screen_text(&app).contains("撤回原因：必填"));
    assert_eq!(live_kinds(&fx, &fx.wang).len(), 3);
    type_text(&mut app, "金额录错，重新登记");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("已撤回：2026-01-20 帮扶金"), "{screen}");
    assert!(screen.contains("服务记录（2 条"), "{screen}");
    assert_eq!(live_kinds(&fx, &fx.wang), ["summer_cooling", "books"]);

    let store = store(&fx);
    let withdrawn: Vec<_> = store
        .audit_entries(Some(&fx.wang), 50)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "withdraw")
        .collect();
    assert_eq!(withdrawn.len(), 1);
    assert_eq!(withdrawn[0].reason, "金额录错，重新登记");
    assert_eq!(withdrawn[0].officer, "李明");
    assert_eq!(
        store
            .withdraw_reason("service", &withdrawn[0].record_uid)
            .unwrap()
            .as_deref(),
        Some("金额录错，重新登记")
    );
}

#[test]
fn correct_the_selected_service_in_its_form() {
    let fx = seeded();
    let mut app = open_wang(&fx);
    keys(&mut app, "end e");
    let screen = screen_text(&app);
    assert!(screen.contains("修改已登记的记录"), "{screen}");
    assert!(screen.contains("300.00"), "the form is filled: {screen}");
    // kind, date, place, quantity, amount
    keys(&mut app, "tab tab tab tab ctrl-u");
    type_text(&mut app, "500");
    keys(&mut app, "f2");
    assert!(screen_text(&app).contains("已保存修改"));
    let relief = store(&fx)
        .services_of_worker(&fx.wang)
        .unwrap()
        .into_iter()
        .find(|s| s.kind == "relief_money")
        .unwrap();
    assert_eq!((relief.amount_fen, relief.version), (50_000, 2));
    assert_eq!(relief.served_on, date("2026-01-20").unwrap());
}

#[test]
fn withdraw_an_event_with_attendees_asks_about_their_services() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f6 w");
    type_text(&mut app, "活动取消");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("该活动有2条参加人员的服务记录"), "{screen}");
    assert_borders_intact(&buffer_text(render(&app, 100, 30).backend().buffer()));
    // No: nothing is withdrawn.
    keys(&mut app, "n");
    assert!(screen_text(&app).contains("未撤回"));
    assert!(!store(&fx).event_by_uid(&fx.event).unwrap().unwrap().deleted);
    assert_eq!(live_kinds(&fx, &fx.zhang), ["summer_cooling"]);

    keys(&mut app, "w");
    type_text(&mut app, "活动取消");
    keys(&mut app, "enter y");
    let screen = screen_text(&app);
    assert!(
        screen.contains("已撤回活动 夏送清凉·南开工地，连同 2 条服务记录"),
        "{screen}"
    );
    assert!(store(&fx).event_by_uid(&fx.event).unwrap().unwrap().deleted);
    assert!(live_kinds(&fx, &fx.zhang).is_empty());
    assert_eq!(live_kinds(&fx, &fx.wang), ["books", "relief_money"]);
    assert_eq!(
        store(&fx)
            .withdraw_reason("event", &fx.event)
            .unwrap()
            .as_deref(),
        Some("活动取消")
    );
}

#[test]
fn withdraw_a_service_from_the_attendee_list() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    // The latest recorded first: 张秀英.
    keys(&mut app, "f6 a w");
    type_text(&mut app, "未到场");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("已撤回：张秀英"), "{screen}");
    let names: Vec<String> = store(&fx)
        .event_attendees(&fx.event, 0, 10)
        .unwrap()
        .into_iter()
        .map(|a| a.worker_name)
        .collect();
    assert_eq!(names, ["王建国"]);
}

#[test]
fn the_worker_page_shows_a_closed_case_with_its_amounts() {
    let fx = seeded();
    {
        let mut store = store(&fx);
        store.set_clock(clock());
        let visit = store
            .add_service(
                &fx.zhang,
                &ServiceInput {
                    kind: "legal_aid".into(),
                    served_on: date("2026-02-10"),
                    quantity: 1,
                    legal: Some(LegalAid {
                        category: "wage_arrears".into(),
                        status: "open".into(),
                        claimed_fen: 800_000,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
            .unwrap()
            .uid;
        store
            .close_legal_case(
                &visit,
                &CaseClosing {
                    outcome: "mediated".into(),
                    recovered_fen: Some(600_000),
                    note: String::new(),
                    closed_on: None,
                },
            )
            .unwrap();
    }
    let mut app = open_app(&fx.db, Lang::Zh);
    type_text(&mut app, "zxy");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("法律援助案件 1 件（未结 0）"), "{screen}");
    assert!(
        screen.contains("欠薪 已结案·调解结案 主张 ¥8000.00 追回 ¥6000.00"),
        "{screen}"
    );
}

#[test]
fn the_event_question_in_english_shows_its_answer_keys() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::En);
    keys(&mut app, "f6 w");
    type_text(&mut app, "cancelled");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("attendee services are recorded"),
        "{screen}"
    );
    assert!(screen.contains("[y] Yes"), "{screen}");
    keys(&mut app, "esc");
    assert!(!store(&fx).event_by_uid(&fx.event).unwrap().unwrap().deleted);
}
