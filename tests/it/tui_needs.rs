//! Needs (诉求) and mutual-aid claims (互助保障) in the TUI through the default keymap: the
//! worker page shows both, `n` opens the needs checklist, a new health check offers it (Esc
//! skips), `c` records a claim on its form and `u` takes it a step.

use jingong::domain::Membership;
use jingong::domain::claims::{ClaimDraft, ClaimStatus};
use jingong::domain::needs::{NeedInput, NeedState};
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

/// 王秀兰, a card-holding member, who asked for a job on 2026-03-01 and holds a critical
/// illness claim (documents partly collected) under her protection period.
fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    let wang = add_member_wang(&mut store);
    store
        .add_need(
            &wang,
            &NeedInput {
                kind: "job".into(),
                raised_on: day("2026-03-01"),
                note: String::new(),
            },
        )
        .unwrap();
    store
        .add_claim(
            &wang,
            &ClaimDraft {
                claim_type: "critical_illness".into(),
                diagnosed_on: "2026-03-01".into(),
                documents: "diagnosis,id_card".into(),
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

fn screen_text(app: &App) -> String {
    screen_at(app, 100, 30)
}

fn snap(app: &App, name: &str) {
    let terminal = render(app, 100, 30);
    assert_borders_intact(&buffer_text(terminal.backend().buffer()));
    insta::assert_snapshot!(name, plain_screen(terminal.backend().buffer()));
}

fn open_wang(fx: &Fixture, lang: Lang) -> App {
    let mut app = open_app(&fx.db, lang);
    type_text(&mut app, "wxl");
    keys(&mut app, "enter");
    assert!(screen_text(&app).contains("王秀兰"));
    app
}

#[test]
fn the_worker_page_shows_needs_and_claims_and_the_checklist_in_both_languages() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_wang(&fx, lang);
        snap(&app, &format!("detail_with_needs_and_claims_{tag}"));
        keys(&mut app, "n");
        snap(&app, &format!("needs_checklist_{tag}"));
        keys(&mut app, "esc");
        let shown = screen_text(&app);
        assert!(!shown.contains("[ ]"), "Esc leaves the checklist:\n{shown}");
    }
    assert_eq!(
        store(&fx).needs_of_worker(&fx.wang).unwrap().len(),
        1,
        "Esc records nothing"
    );
}

#[test]
fn ticking_needs_records_them_and_an_open_one_cannot_be_ticked_again() {
    let fx = seeded();
    let mut app = open_wang(&fx, Lang::Zh);
    // The catalog order: 欠薪维权, 技能培训, 就业岗位 (already open), 子女入学 …
    keys(
        &mut app,
        "n space down space down space down space pagedown",
    );
    type_text(&mut app, "想学电工 证书");
    keys(&mut app, "enter");
    let needs = store(&fx).needs_of_worker(&fx.wang).unwrap();
    let mut kinds: Vec<&str> = needs.iter().map(|n| n.kind.as_str()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["job", "schooling", "skills_training", "wage_arrears"]
    );
    assert!(needs.iter().all(|n| n.state == NeedState::Open));
    let noted: Vec<&str> = needs.iter().map(|n| n.note.as_str()).collect();
    assert_eq!(
        noted.iter().filter(|n| **n == "想学电工 证书").count(),
        3,
        "{noted:?}"
    );
    assert!(
        screen_text(&app).contains("已为 王秀兰 登记 3 项诉求"),
        "{}",
        screen_text(&app)
    );
}

#[test]
fn after_a_health_check_the_checklist_is_offered_and_esc_skips_it() {
    let fx = seeded();
    {
        let mut s = store(&fx);
        s.add_need(
            &fx.wang,
            &NeedInput {
                kind: "health".into(),
                raised_on: day("2026-03-10"),
                note: String::new(),
            },
        )
        .unwrap();
    }
    let mut app = open_wang(&fx, Lang::Zh);
    keys(&mut app, "h");
    // Eight fields down to the consent box, ticked, then saved.
    keys(&mut app, "tab tab tab tab tab tab tab tab space f2");
    let shown = screen_text(&app);
    assert!(
        shown.contains("王秀兰 的诉求") && shown.contains("[ ]"),
        "{shown}"
    );
    keys(&mut app, "esc");
    assert!(
        screen_text(&app).contains("职工：王秀兰"),
        "{}",
        screen_text(&app)
    );
    let needs = store(&fx).needs_of_worker(&fx.wang).unwrap();
    let health = needs.iter().find(|n| n.kind == "health").unwrap();
    assert_eq!(
        health.state,
        NeedState::Answered,
        "the check answered the health need"
    );
    assert_eq!(needs.len(), 2);
}

#[test]
fn a_claim_is_recorded_on_its_form_and_refused_values_show_under_their_fields() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_wang(&fx, lang);
        keys(&mut app, "m");
        snap(&app, &format!("claim_form_{tag}"));
        keys(&mut app, "esc");
    }
    let mut app = open_wang(&fx, Lang::Zh);
    keys(&mut app, "m");
    // household_fire is the third type; the fire date (4 fields down), 20000 yuan: too much.
    keys(&mut app, "right right right tab tab tab tab");
    type_text(&mut app, "2026-02-14");
    keys(&mut app, "tab");
    type_text(&mut app, "20000");
    keys(&mut app, "f2");
    let shown = screen_text(&app);
    assert!(
        shown.contains("此类型最高 10000.00 元，不能超过"),
        "{shown}"
    );
    assert_eq!(store(&fx).claims_of_worker(&fx.wang).unwrap().len(), 1);
    keys(&mut app, "backspace");
    keys(&mut app, "f2");
    let claims = store(&fx).claims_of_worker(&fx.wang).unwrap();
    assert_eq!(claims.len(), 2, "{}", screen_text(&app));
    assert_eq!(claims[0].claim_type, "household_fire");
    assert_eq!(claims[0].amount_fen, 200_000);
}

#[test]
fn the_newest_unsettled_claim_is_taken_a_step_on_its_form() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_wang(&fx, lang);
        keys(&mut app, "u");
        snap(&app, &format!("claim_step_{tag}"));
        keys(&mut app, "esc");
    }
    let mut app = open_wang(&fx, Lang::Zh);
    // Submitting with two documents missing is refused under the checklist's rule.
    keys(&mut app, "u right f2");
    let shown = screen_at(&app, 160, 30);
    assert!(shown.contains("还缺：会员服务卡、银行卡"), "{shown}");
    // Tick the two (the third and fourth documents), then save.
    keys(&mut app, "tab tab tab space tab space f2");
    let claim = store(&fx).claims_of_worker(&fx.wang).unwrap().remove(0);
    assert_eq!(
        claim.progress.status,
        ClaimStatus::Submitted,
        "{}",
        screen_text(&app)
    );
    assert_eq!(claim.progress.documents.len(), 4);
}

#[test]
fn the_claim_form_of_a_non_member_says_so_before_anything_is_typed() {
    let fx = seeded();
    {
        let mut s = store(&fx);
        let mut worker = s.worker_by_uid(&fx.wang).unwrap().unwrap();
        worker.input.membership = Membership::NotMember;
        s.update_worker(&fx.wang, &worker.input, None).unwrap();
    }
    let mut app = open_wang(&fx, Lang::En);
    keys(&mut app, "m");
    let shown = screen_text(&app);
    assert!(
        shown.contains("membership: mutual-aid claims are for union members only"),
        "{shown}"
    );
}
