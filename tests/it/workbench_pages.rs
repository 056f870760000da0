//! Issue 14, the pages that are new or answer more: a failed verification remembered in the
//! batch list, drafts announced at start and listed, and a worker's page that answers the
//! next question one key away. The fixture is `workbench`'s.

use crate::support::tui::*;
use crate::workbench::{Fixture, footer, open, screen, seeded, snap, snap_in};
use jingong::batch::export::{ExportOptions, ExportOutcome, export};
use jingong::text::Lang;
use std::path::{Path, PathBuf};

// ---- #10: a failed verification is remembered ----

fn export_now(fx: &Fixture) -> PathBuf {
    let outcome = export(
        &mut fx.store(),
        &ExportOptions {
            out_dir: fx.dir.path().join("batches"),
            ..Default::default()
        },
        &mut |_| {},
    )
    .unwrap();
    match outcome {
        ExportOutcome::Written { summary, .. } => summary.path,
        ExportOutcome::NothingNew { .. } => panic!("nothing was waiting"),
    }
}

fn tamper(batch: &Path) -> String {
    let path = batch.join("workers.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"version\":1", "\"version\":0", 1)).unwrap();
    text
}

#[test]
fn a_failed_verification_shows_in_the_list_until_one_passes() {
    let fx = seeded();
    let batch = export_now(&fx);
    let original = tamper(&batch);
    let mut app = open(&fx, Lang::Zh);
    keys(&mut app, "f7 enter esc");
    let text = screen(&app);
    let row = text.lines().find(|l| l.starts_with('▸')).unwrap();
    assert!(row.contains("未通过"), "{text}");
    assert!(!row.contains("完成"), "{text}");
    assert!(
        text.contains("校验未通过：2 个问题，首个在 workers.jsonl:1"),
        "{text}"
    );

    // After a restart the list still says so.
    drop(app);
    let mut app = open(&fx, Lang::En);
    keys(&mut app, "f7");
    let text = screen(&app);
    assert!(text.contains("failed"), "{text}");
    assert!(
        text.contains("2 problem(s), the first at workers.jsonl:1"),
        "{text}"
    );
    snap_in(&fx, &app, "batches_failed_verify_en", (80, 24));
    snap_in(&fx, &app, "batches_failed_verify_wide_en", (140, 40));

    // Mended and verified again: complete.
    std::fs::write(batch.join("workers.jsonl"), original).unwrap();
    keys(&mut app, "enter esc");
    let text = screen(&app);
    assert!(!text.contains("failed"), "{text}");
    assert!(text.contains("complete"), "{text}");
    drop(app);
    let app = open(&fx, Lang::Zh);
    assert!(fx.store().failed_batch_checks().unwrap().is_empty());
    drop(app);
}

#[test]
fn snapshot_the_batch_list_with_a_failed_verification_in_chinese() {
    let fx = seeded();
    let batch = export_now(&fx);
    tamper(&batch);
    let mut app = open(&fx, Lang::Zh);
    keys(&mut app, "f7 enter esc");
    snap_in(&fx, &app, "batches_failed_verify_zh", (80, 24));
    snap_in(&fx, &app, "batches_failed_verify_wide_zh", (140, 40));
}

// ---- drafts announced at start ----

fn leave_drafts(fx: &Fixture) {
    let store = fx.store();
    let draft = |values: serde_json::Value| {
        serde_json::json!({ "saved_at": "2026-03-14T17:20:00+08:00", "values": values }).to_string()
    };
    store
        .save_draft("worker:new", &draft(serde_json::json!({ "name": "李四" })))
        .unwrap();
    store
        .save_draft(
            &format!("service:{}:health_check", fx.wang),
            &draft(serde_json::json!({ "provider": "和平医院" })),
        )
        .unwrap();
}

#[test]
fn drafts_are_announced_at_start_and_one_key_lists_and_opens_them() {
    let fx = seeded();
    leave_drafts(&fx);
    let mut app = open(&fx, Lang::Zh);
    let text = screen(&app);
    assert!(text.contains("有 2 份未保存的草稿：按 F5 查看"), "{text}");
    assert!(footer(&app).contains("F5"), "{}", footer(&app));
    keys(&mut app, "f5");
    let text = screen(&app);
    assert!(text.contains("未保存的草稿"), "{text}");
    assert!(text.contains("登记新职工"), "{text}");
    assert!(text.contains("免费查体：王建国"), "{text}");
    // Enter opens the form, which offers the draft back (the two were saved at the same
    // instant, so the list orders them by form: the health check first).
    keys(&mut app, "enter");
    let text = screen(&app);
    assert!(text.contains("免费查体：王建国"), "{text}");
    assert!(text.contains("草稿"), "the draft is offered: {text}");
    keys(&mut app, "y");
    assert!(screen(&app).contains("和平医院"), "{}", screen(&app));
    // Leaving the restored form without saving discards that draft: one is left, and the
    // home screen says so when the officer is back there.
    keys(&mut app, "esc y esc");
    let text = screen(&app);
    assert!(text.contains("有 1 份未保存的草稿"), "{text}");
    // Discarding the other from the list: none is announced any more.
    let mut app = open(&fx, Lang::En);
    assert!(screen(&app).contains("1 unsaved draft: F5 shows it"));
    keys(&mut app, "f5 d esc");
    assert!(!screen(&app).contains("unsaved draft"), "{}", screen(&app));
}

#[test]
fn snapshot_the_drafts_list_and_the_announcement() {
    for (lang, tag) in langs() {
        let fx = seeded();
        leave_drafts(&fx);
        let mut app = open(&fx, lang);
        snap(&app, &format!("home_drafts_{tag}"), (80, 24));
        snap(&app, &format!("home_drafts_wide_{tag}"), (140, 40));
        keys(&mut app, "f5");
        snap(&app, &format!("drafts_{tag}"), (80, 24));
        snap(&app, &format!("drafts_wide_{tag}"), (140, 40));
    }
}

// ---- a worker's page answers the next question ----

#[test]
fn the_worker_page_answers_the_next_question_each_one_key_away() {
    let fx = seeded();
    let mut app = open(&fx, Lang::Zh);
    keys(&mut app, "enter");
    let text = screen(&app);
    assert!(
        text.contains("2026 年：法律援助 2 · 免费查体 2 · 夏送清凉 1 (F5)"),
        "{text}"
    );
    assert!(text.contains("未结案件 1 (c) | 待复查"), "{text}");
    assert!(text.contains("待复查 1，最早 2026-04-01 (f)"), "{text}");

    keys(&mut app, "c");
    let text = screen(&app);
    assert!(
        text.contains("服务记录：未结案件的记录（2 条，共 6 条"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.contains("2026-02-20")), "{text}");
    keys(&mut app, "f");
    let text = screen(&app);
    assert!(text.contains("服务记录：待复查的体检（1 条"), "{text}");
    assert!(text.contains("复查 2026-04-01"), "{text}");
    // F5 steps through this year's kinds, then shows all again.
    keys(&mut app, "f5");
    assert!(
        screen(&app).contains("2026 年的法律援助（2 条"),
        "{}",
        screen(&app)
    );
    keys(&mut app, "f5 f5 f5");
    assert!(screen(&app).contains("服务记录（6 条"), "{}", screen(&app));
    // Esc first shows every record, then leaves.
    keys(&mut app, "c esc");
    assert!(screen(&app).contains("服务记录（6 条"));
    keys(&mut app, "esc");
    assert!(screen(&app).contains("搜索"), "{}", screen(&app));
}

#[test]
fn snapshot_the_worker_page_with_its_answers() {
    for (lang, tag) in langs() {
        let fx = seeded();
        let mut app = open(&fx, lang);
        keys(&mut app, "enter");
        snap(&app, &format!("worker_page_{tag}"), (80, 24));
        snap(&app, &format!("worker_page_wide_{tag}"), (160, 40));
        keys(&mut app, "c");
        snap(&app, &format!("worker_page_open_cases_{tag}"), (80, 24));
    }
}
