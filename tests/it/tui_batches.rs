//! The batches screen (F7 on the workers list) driven through the default keymap at 80×24:
//! what waits for export, exporting with the gauge, "nothing new", a failed export, the
//! history, and verifying a batch, in both languages.

use chrono::NaiveDate;
use jingong::batch::earlier::verify_in_context;
use jingong::batch::export::{ExportOptions, ExportOutcome, export};
use jingong::domain::idcard::with_check_digit;
use jingong::domain::{Membership, Officer, ServiceInput, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;
use jingong::tui::keymap::Keymap;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use std::path::PathBuf;
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

use crate::support::tui::{assert_borders_intact, key_event, keys, open_store, screen_at};

/// A fixed device id, so that batch names (which carry its last eight digits) are the same
/// on every run.
const DEVICE: &str = "01a225a5-3d00-7252-982b-18fa8bd01e73";

struct Fixture {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Fixture {
    /// Where the screen exports by default, as `jingong export` does: beside the database.
    fn out(&self) -> PathBuf {
        self.dir.path().join("batches")
    }

    fn store(&self) -> Store {
        open_store(&self.db)
    }

    /// Screen text with the temporary folder named the same on every run (and so the ends of
    /// lines that held it trimmed: its length varies with the system).
    fn tidy(&self, text: &str) -> String {
        text.replace(&self.dir.path().display().to_string(), "/tmp/t")
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A database with its officer and a fixed device id, and no records.
fn empty() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jingong.db");
    drop(Store::open(&db).unwrap());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'device_id'",
            [DEVICE],
        )
        .unwrap();
    let fx = Fixture { dir, db };
    fx.store()
        .set_officer(&crate::support::fixture::officer())
        .unwrap();
    fx
}

/// Three workers (one of them then deleted) and two services.
fn seeded() -> Fixture {
    let fx = empty();
    let mut store = fx.store();
    let mut uids = Vec::new();
    for (name, first17) in [
        ("王建国", "13010219850612331"),
        ("张秀英", "12010319780101004"),
        ("买买提·艾力", "65010219900307123"),
    ] {
        let input = WorkerInput {
            name: name.into(),
            id_number: with_check_digit(first17),
            phone: "13812345678".into(),
            employer: "中建八局天津分公司".into(),
            district_code: "120101".into(),
            membership: Membership::JoinedHere,
            ..Default::default()
        };
        uids.push(store.add_worker(&input).unwrap().uid);
    }
    for uid in &uids[..2] {
        store
            .add_service(
                uid,
                &ServiceInput {
                    kind: "summer_cooling".into(),
                    served_on: NaiveDate::from_ymd_opt(2026, 3, 1),
                    quantity: 1,
                    ..Default::default()
                },
            )
            .unwrap();
    }
    store.withdraw_worker(&uids[2], "录入有误", None).unwrap();
    fx
}

/// Exports everything waiting through the library, as the command line would.
fn export_now(fx: &Fixture) -> PathBuf {
    let outcome = export(
        &mut fx.store(),
        &ExportOptions {
            out_dir: fx.out(),
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

fn open_app(fx: &Fixture, lang: Lang) -> App {
    let mut app = App::new(fx.store(), Keymap::default_keymap().unwrap(), lang);
    app.set_db_label("jingong.db");
    app.settle();
    app
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.press(KeyEvent {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        });
    }
}

fn screen_text(app: &App) -> String {
    screen_at(app, 80, 24)
}

/// Every line of the screen is exactly 80 columns: Chinese text never pushes a row wider or
/// leaves it short.
fn assert_rows_fit(text: &str) {
    for (y, line) in text.lines().enumerate() {
        assert_eq!(
            line.width(),
            80,
            "row {y} is {} wide:\n{text}",
            line.width()
        );
    }
}

#[test]
fn waiting_counts_match_the_store_after_registering() {
    let fx = seeded();
    let waiting = fx.store().waiting_for_export().unwrap();
    let pending = fx.store().pending_counts().unwrap();
    // Three worker versions (one a deletion), two services.
    assert_eq!(
        (waiting.workers, waiting.events, waiting.services),
        (pending.workers, pending.events, pending.services)
    );
    assert_eq!(
        (waiting.workers, waiting.services, waiting.deletions),
        (3, 2, 1)
    );
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f7");
    let screen = screen_text(&app);
    assert!(screen.contains("批次：导出与校验"), "{screen}");
    assert!(
        screen.contains("职工 3    活动 0    服务 2    （其中删除 1）"),
        "{screen}"
    );
    assert!(screen.contains("合计 5 条"), "{screen}");
    assert!(screen.contains("还没有批次。"), "{screen}");

    // A service logged elsewhere shows when the screen is opened again.
    let uid = fx.store().search("王建国", 0, 1).unwrap().hits[0]
        .uid
        .clone();
    fx.store()
        .add_service(
            &uid,
            &ServiceInput {
                kind: "job".into(),
                quantity: 1,
                ..Default::default()
            },
        )
        .unwrap();
    keys(&mut app, "esc f7");
    assert!(
        screen_text(&app).contains("服务 3"),
        "{}",
        screen_text(&app)
    );
}

#[test]
fn export_from_the_screen_makes_a_batch_that_verifies_and_empties_the_counts() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f7 e");
    let screen = screen_text(&app);
    assert!(screen.contains("导出新批次"), "{screen}");
    assert!(
        fx.tidy(&screen).contains("/tmp/t/batches"),
        "the command line's default folder: {screen}"
    );
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(
        screen.contains("已导出：职工 3，活动 0，服务 2 → "),
        "{screen}"
    );
    assert!(screen.contains("没有待导出的记录"), "{screen}");
    assert!(screen.contains("职工 0    活动 0    服务 0"), "{screen}");
    assert!(screen.contains("批次记录（共 1 个，最新在前）"), "{screen}");
    assert!(screen.contains("待导出 0 条"), "the status line: {screen}");

    let batches: Vec<PathBuf> = std::fs::read_dir(fx.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(batches.len(), 1, "{batches:?}");
    let batch = &batches[0];
    assert!(batch.ends_with("jingong-120101-8bd01e73-20260315T093000"));
    let store = fx.store();
    let report = verify_in_context(batch, Some(&store), store.clock().today()).unwrap();
    assert!(report.is_valid(), "{:?}", report.problems);
    assert_eq!(report.tallies.map(|t| t.count), [3, 0, 2, 0, 0]);
    assert_eq!(store.pending_counts().unwrap().total(), 0);

    // Enter verifies the batch just made (selected at the top of the history).
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("批次校验通过：职工 3，活动 0，服务 2"),
        "{screen}"
    );
    keys(&mut app, "esc");
    assert!(!screen_text(&app).contains("批次校验通过"));
}

#[test]
fn the_gauge_follows_the_export_step_by_step_and_the_screen_stays_usable() {
    let fx = empty();
    // Enough records for the export to report progress before the end (every 4096).
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_jingong"))
        .arg("--db")
        .arg(&fx.db)
        .args(["demo", "--workers", "1500"])
        .env("JINGONG_DATA_DIR", fx.dir.path().join("data"))
        .env_remove("JINGONG_DB")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let total = fx.store().pending_counts().unwrap().total();
    assert!(total > 4096, "{total}");

    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f7 e");
    app.press(key_event("f2"));
    // Before the first report the gauge says the export is starting.
    assert!(app.working());
    let screen = screen_text(&app);
    assert!(screen.contains("准备导出…"), "{screen}");
    assert!(screen.contains("正在导出"), "{screen}");

    // The thread's messages are taken one at a time: the first is the record count at 4096.
    assert!(app.step_background(Duration::from_secs(30)));
    let screen = screen_text(&app);
    let label = format!("写入记录 4096 / {total}");
    assert!(screen.contains(&label), "{screen}");
    let gauge_row = screen
        .lines()
        .find(|l| l.contains(&label))
        .unwrap()
        .to_string();
    let filled = gauge_row.chars().filter(|&c| c == '█').count();
    // 78 columns of gauge, 4096/total of them filled, less what the label covers.
    let expected = (78.0 * 4096.0 / total as f64).round() as usize;
    assert!(
        filled > 0 && filled <= expected,
        "{filled} of {expected}: {gauge_row}"
    );

    // Keys still work while the export runs; leaving is refused with a reason.
    app.press(key_event("esc"));
    let screen = screen_text(&app);
    assert!(screen.contains("批次：导出与校验"), "{screen}");
    assert!(screen.contains("导出尚未完成，请稍候"), "{screen}");

    let mut labels = Vec::new();
    while app.working() {
        if app.step_background(Duration::from_secs(30)) {
            let screen = screen_text(&app);
            for label in ["写入记录", "标记为已导出…"] {
                if screen.contains(label) {
                    labels.push(label);
                }
            }
        }
    }
    assert!(labels.contains(&"标记为已导出…"), "{labels:?}");
    app.settle();
    let screen = screen_text(&app);
    assert!(!screen.contains('█'), "the gauge is gone: {screen}");
    assert!(screen.contains("已导出：职工 1500"), "{screen}");
    assert_eq!(fx.store().pending_counts().unwrap().total(), 0);
}

#[test]
fn nothing_new_says_so_and_writes_nothing() {
    let fx = empty();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f7");
    assert!(screen_text(&app).contains("没有待导出的记录"));
    keys(&mut app, "e f2");
    let screen = screen_text(&app);
    assert!(
        screen.contains("没有新的记录需要导出，未写入任何文件"),
        "{screen}"
    );
    assert!(!fx.out().exists() || std::fs::read_dir(fx.out()).unwrap().next().is_none());
    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f7 e f2");
    assert!(
        screen_text(&app).contains("Nothing new to export; no files written"),
        "{}",
        screen_text(&app)
    );
}

#[test]
fn a_failed_export_says_why_in_the_ui_language_and_leaves_nothing() {
    let fx = seeded();
    // A folder that cannot be made: a plain file stands where its parent should be.
    let blocker = fx.dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f7 e ctrl-u");
    type_text(&mut app, &blocker.join("batches").display().to_string());
    keys(&mut app, "tab space f2");
    let screen = screen_text(&app);
    assert!(screen.contains("Export failed: "), "{screen}");
    assert!(
        screen.contains("Export failed: ") && fx.tidy(&screen).contains("/tmp/t/not-a-folder"),
        "{screen}"
    );
    // Still waiting, no batch anywhere, no batch row.
    assert!(
        screen.contains("workers 3    events 0    services 2"),
        "{screen}"
    );
    assert_eq!(fx.store().pending_counts().unwrap().total(), 5);
    assert!(fx.store().batches().unwrap().is_empty());
    assert!(!fx.out().exists());

    // The choices are kept for the next try; an empty folder is refused in the form.
    keys(&mut app, "e");
    let screen = screen_text(&app);
    assert!(screen.contains("[x]"), "zip stays ticked: {screen}");
    keys(&mut app, "ctrl-u f2");
    let screen = screen_text(&app);
    assert!(screen.contains("Folder: required"), "{screen}");
    assert!(screen.contains("Export a new batch"), "{screen}");
}

#[test]
fn verifying_a_tampered_batch_lists_its_problems() {
    let fx = seeded();
    let batch = export_now(&fx);
    let path = batch.join("workers.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"version\":1", "\"version\":0", 1)).unwrap();

    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f7 enter");
    let screen = screen_text(&app);
    assert!(screen.contains("校验未通过，共 2 个问题"), "{screen}");
    assert!(screen.contains("• workers.jsonl: "), "the hash: {screen}");
    assert!(screen.contains("• workers.jsonl:1: "), "the line: {screen}");
    assert!(screen.contains("version"), "{screen}");

    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f7 v");
    let screen = screen_text(&app);
    assert!(
        screen.contains("The batch is not valid: 2 problem(s)"),
        "{screen}"
    );
    assert!(
        screen.contains("workers.jsonl:1: field version must be a positive integer"),
        "{screen}"
    );
    // The popup scrolls and closes; the list is there again.
    keys(&mut app, "down pagedown esc");
    assert!(!screen_text(&app).contains("not valid"));

    // A batch that is gone is said to be so.
    std::fs::remove_dir_all(&batch).unwrap();
    keys(&mut app, "enter");
    assert!(
        screen_text(&app).contains("Cannot verify: "),
        "{}",
        screen_text(&app)
    );
}

#[test]
fn snapshot_batches_screen_in_both_languages() {
    let fx = seeded();
    export_now(&fx);
    // One more registration waits for the next batch.
    fx.store()
        .add_worker(&WorkerInput {
            name: "刘洋".into(),
            id_number: with_check_digit("41030319871021590"),
            district_code: "120103".into(),
            ..Default::default()
        })
        .unwrap();
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut app = open_app(&fx, lang);
        keys(&mut app, "f7");
        let screen = fx.tidy(&screen_text(&app));
        assert_rows_fit(&screen_text(&app));
        insta::assert_snapshot!(format!("batches_{tag}"), screen);
        keys(&mut app, "e");
        assert_rows_fit(&screen_text(&app));
        insta::assert_snapshot!(
            format!("batches_options_{tag}"),
            fx.tidy(&screen_text(&app))
        );
        keys(&mut app, "esc enter");
        assert_rows_fit(&screen_text(&app));
        insta::assert_snapshot!(
            format!("batches_verified_{tag}"),
            fx.tidy(&screen_text(&app))
        );
    }
}

#[test]
fn f7_is_in_the_help_of_the_list_and_the_vim_keymap_opens_the_screen_too() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f1");
    let help = screen_text(&app);
    assert!(
        help.lines().any(|l| l.contains("F7") && l.contains("批次")),
        "{help}"
    );
    let mut vim = Keymap::default_keymap().unwrap();
    vim.apply_text("keymaps/vim.toml", jingong::tui::keymap::VIM_KEYMAP, true)
        .unwrap();
    let mut app = App::new(fx.store(), vim, Lang::En);
    app.settle();
    keys(&mut app, "f7");
    let screen = screen_text(&app);
    assert!(screen.contains("Batches: export and verify"), "{screen}");
    // j and k move in the history there; q leaves.
    keys(&mut app, "j k q");
    assert!(screen_text(&app).contains("Workers"));
}

#[test]
fn the_history_is_newest_first_and_pages() {
    let fx = empty();
    for n in 0..13 {
        let first17 = format!("12010119900101{:03}", n * 2 + 1);
        fx.store()
            .add_worker(&WorkerInput {
                name: "测试".into(),
                id_number: with_check_digit(&first17),
                ..Default::default()
            })
            .unwrap();
        export_now(&fx);
    }
    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f7");
    let screen = fx.tidy(&screen_text(&app));
    assert!(screen.contains("Batches (13, newest first)"), "{screen}");
    // Batches of the same second are numbered -2, -3 …: the newest is -13.
    assert!(
        screen.contains("path /tmp/t/batches/jingong-120101-8bd01e73-20260315T093000-13"),
        "{screen}"
    );
    let rows = screen
        .lines()
        .filter(|l| l.contains("2026-03-15 09:30"))
        .count();
    assert_eq!(rows, 10, "a page of the list at 80×24: {screen}");
    keys(&mut app, "pagedown");
    let screen = fx.tidy(&screen_text(&app));
    assert!(screen.contains("T093000-3\n"), "ten down: {screen}");
    keys(&mut app, "end");
    let screen = fx.tidy(&screen_text(&app));
    assert!(screen.contains("T093000\n"), "the oldest: {screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("▸") && l.ends_with("T093000"))
    );
    keys(&mut app, "home");
    assert!(fx.tidy(&screen_text(&app)).contains("T093000-13\n"));
}

#[test]
fn a_badly_damaged_batch_lists_the_first_problems_and_counts_the_rest() {
    let fx = seeded();
    let batch = export_now(&fx);
    let path = batch.join("workers.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for _ in 0..700 {
        text.push_str("not json\n");
    }
    std::fs::write(&path, &text).unwrap();
    // The manifest declares the longer size: a file is never read past its declared size,
    // so only then are the 700 lines read (and found wrong).
    let manifest_path = batch.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    for file in manifest["files"].as_array_mut().unwrap() {
        if file["name"] == "workers.jsonl" {
            file["bytes"] = serde_json::json!(text.len());
        }
    }
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();

    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f7 enter");
    let screen = screen_text(&app);
    assert!(screen.contains("The batch is not valid"), "{screen}");
    // Past the 500 listed, one line says how many more (the hash, the count and 700 lines
    // are wrong: at least 200 left over).
    keys(&mut app, "end");
    let screen = screen_text(&app);
    assert!(
        screen.contains(" more (jingong verify lists them all)"),
        "{screen}"
    );
}

/// Two laptops that registered the same person (one ID number, two phones), each exported
/// once; returns the two batch paths.
fn two_laptops_with_one_person(fx: &Fixture) -> [PathBuf; 2] {
    let mut paths = Vec::new();
    for (name, officer, phone) in [("a", "赵敏", "13800138000"), ("b", "孙丽", "13900139000")] {
        let db = fx.dir.path().join(format!("laptop-{name}.db"));
        let mut store = open_store(&db);
        store
            .set_officer(&Officer {
                name: officer.into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .unwrap();
        store
            .add_worker(&WorkerInput {
                name: "王强".into(),
                id_number: with_check_digit("12010119800101123"),
                phone: phone.into(),
                district_code: "120101".into(),
                ..Default::default()
            })
            .unwrap();
        let outcome = export(
            &mut store,
            &ExportOptions {
                out_dir: fx.dir.path().join(format!("out-{name}")),
                ..Default::default()
            },
            &mut |_| {},
        )
        .unwrap();
        match outcome {
            ExportOutcome::Written { summary, .. } => paths.push(summary.path),
            ExportOutcome::NothingNew { .. } => panic!("nothing was waiting"),
        }
    }
    [paths[0].clone(), paths[1].clone()]
}

#[test]
fn batches_from_other_laptops_are_imported_from_the_screen_and_their_conflict_resolved() {
    let fx = empty();
    let [a, b] = two_laptops_with_one_person(&fx);
    let id_number = with_check_digit("12010119800101123");
    let mut app = open_app(&fx, Lang::Zh);

    // Import: both paths pasted at once, each in quotes; refused input names the field.
    keys(&mut app, "f7 i f2");
    assert!(screen_text(&app).contains("请填写批次文件夹或 zip 的路径"));
    type_text(&mut app, &format!("'{}' \"{}\"", a.display(), b.display()));
    keys(&mut app, "f2");
    let screen = fx.tidy(&screen_text(&app));
    assert!(screen.contains("导入结果"), "{screen}");
    assert_eq!(screen.matches("：已导入 职工").count(), 2, "{screen}");
    assert!(screen.contains("冲突 0"), "{screen}");
    assert!(
        screen.contains("冲突 1"),
        "the second laptop's record: {screen}"
    );
    assert!(screen.contains("冲突记录已保留"), "{screen}");
    assert_borders_intact(&screen);
    keys(&mut app, "esc");
    assert!(
        screen_text(&app).contains("批次记录（共 2 个，最新在前）"),
        "{}",
        screen_text(&app)
    );
    assert_eq!(fx.store().open_conflicts().unwrap().len(), 1);

    // The conflicts view: both sides field by field, masked.
    let shown_phone = fx.store().resolve_worker(&id_number).unwrap().input.phone;
    keys(&mut app, "c");
    let screen = screen_text(&app);
    assert!(screen.contains("同一人在两台电脑登记"), "{screen}");
    assert!(screen.contains("不同：手机号"), "{screen}");
    assert!(screen.contains("120101********123"), "{screen}");
    assert!(screen.contains("138****8000"), "{screen}");
    assert!(screen.contains("139****9000"), "{screen}");
    assert!(!screen.contains(&id_number), "{screen}");
    assert!(!screen.contains("13800138000"), "{screen}");
    // Codes and flags in words, as the worker page says them.
    for raw in ["not_member", "false", "male"] {
        assert!(!screen.contains(raw), "{raw} shown raw:\n{screen}");
    }
    assert!(screen.contains("非会员"), "{screen}");
    assert_rows_fit(&screen);

    // The other side, kept: it becomes the person's record, a new version waiting for export.
    keys(&mut app, "right enter");
    let screen = screen_text(&app);
    assert!(screen.contains("没有待解决的冲突。"), "{screen}");
    let store = fx.store();
    let person = store.resolve_worker(&id_number).unwrap();
    assert_ne!(person.input.phone, shown_phone);
    assert_eq!(person.version, 2);
    assert!(store.open_conflicts().unwrap().is_empty());
    assert_eq!(store.pending_counts().unwrap().workers, 1);
}

#[test]
fn the_conflicts_view_speaks_english_too() {
    let fx = empty();
    let [a, b] = two_laptops_with_one_person(&fx);
    let mut store = fx.store();
    jingong::batch::merge::import_batches(&mut store, &[a, b]).unwrap();
    drop(store);
    let mut app = open_app(&fx, Lang::En);
    keys(&mut app, "f7 c");
    let screen = screen_text(&app);
    assert!(screen.contains("1 open conflicts"), "{screen}");
    assert!(screen.contains("one person on two laptops"), "{screen}");
    assert!(screen.contains("differ: phone"), "{screen}");
    assert!(screen.contains("keep this side"), "{screen}");
    assert!(screen.contains("Not a member"), "{screen}");
    assert_rows_fit(&screen);
}

#[test]
fn an_export_that_ends_under_another_screen_reaches_the_batches_screen() {
    let fx = seeded();
    let mut app = open_app(&fx, Lang::Zh);
    keys(&mut app, "f7 e");
    // F2 starts the export; the conflicts view opens on top before any of its news is in.
    app.press(key_event("f2"));
    app.press(key_event("c"));
    assert!(app.working());
    app.settle();
    assert!(!app.working());
    let screen = screen_text(&app);
    assert!(screen.contains("冲突：逐项比对"), "still on top: {screen}");
    assert!(screen.contains("待导出 0 条"), "the status line: {screen}");

    // Back on the batches screen, the export's end was taken in while it was below.
    keys(&mut app, "esc");
    let screen = screen_text(&app);
    assert!(
        screen.contains("已导出：职工 3，活动 0，服务 2 → "),
        "{screen}"
    );
    assert!(screen.contains("批次记录（共 1 个，最新在前）"), "{screen}");
}
