//! The TUI driven through the real default keymap: key sequences in, database rows out; and
//! snapshots of every screen in Chinese and English.

use jingong::domain::{HealthCheck, LegalAid, Membership, ServiceInput, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;
use jingong::tui::keymap::{Chord, Keymap};
use ratatui::crossterm::event::Event;
use std::path::{Path, PathBuf};

use crate::support::tui::*;

fn worker(name: &str, id_number: &str, phone: &str, employer: &str) -> WorkerInput {
    WorkerInput {
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.into(),
        employer: employer.into(),
        worksite: "地铁七号线工地".into(),
        trade: "钢筋工".into(),
        district_code: "120101".into(),
        membership: Membership::JoinedHere,
        ..Default::default()
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// A database with an officer, a few workers (Han and minority names) and their services.
fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    let wang = store
        .add_worker(&worker(
            "王建国",
            &id("13010219850612331"),
            "13812345678",
            "中建八局天津分公司",
        ))
        .unwrap();
    store
        .add_worker(&worker(
            "买买提·艾力",
            &id("65010219900307123"),
            "13912345678",
            "天津港建设工程有限公司",
        ))
        .unwrap();
    store
        .add_worker(&worker(
            "阿依古丽·买买提",
            &id("65010219950823002"),
            "15022223333",
            "顺丰速运天津分公司",
        ))
        .unwrap();
    store
        .add_worker(&worker(
            "张秀英",
            &id("12010319780101004"),
            "18622221111",
            "河西区某物业公司",
        ))
        .unwrap();
    store
        .add_worker(&worker(
            "扎西·多吉",
            &id("54010219920415003"),
            "",
            "美团外卖天津站",
        ))
        .ok();
    let date = |s: &str| Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    store
        .add_service(
            &wang.uid,
            &ServiceInput {
                kind: "winter_warmth".into(),
                served_on: date("2026-01-20"),
                place: "地铁七号线工地".into(),
                quantity: 1,
                amount_fen: 50000,
                ..Default::default()
            },
        )
        .unwrap();
    let first_visit = store
        .add_service(
            &wang.uid,
            &ServiceInput {
                kind: "legal_aid".into(),
                served_on: date("2026-02-10"),
                place: "和平区职工服务中心".into(),
                quantity: 1,
                legal: Some(LegalAid {
                    category: "wage_arrears".into(),
                    description: "拖欠三个月工资".into(),
                    status: "mediating".into(),
                    claimed_fen: 800000,
                    recovered_fen: 0,
                    follows_uid: None,
                }),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .add_service(
            &wang.uid,
            &ServiceInput {
                kind: "legal_aid".into(),
                served_on: date("2026-03-10"),
                place: "和平区职工服务中心".into(),
                quantity: 1,
                legal: Some(LegalAid {
                    category: "wage_arrears".into(),
                    description: "调解成功，已全额支付".into(),
                    status: "resolved".into(),
                    claimed_fen: 800000,
                    recovered_fen: 800000,
                    follows_uid: Some(first_visit.uid),
                }),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .add_service(
            &wang.uid,
            &ServiceInput {
                kind: "health_check".into(),
                served_on: date("2026-03-01"),
                place: "地铁七号线工地".into(),
                quantity: 1,
                health: Some(HealthCheck {
                    provider: "和平医院".into(),
                    blood_pressure: "135/85".into(),
                    glucose_tenths: Some(56),
                    findings: "血压偏高".into(),
                    referral: false,
                    follow_up_on: date("2026-06-01"),
                    consent_by: "李明".into(),
                    consent_at: NOW.into(),
                }),
                ..Default::default()
            },
        )
        .unwrap();
    Fixture { _dir: dir, db }
}

fn screen_text(app: &App) -> String {
    screen_at(app, 100, 30)
}

fn snap(app: &App, name: &str) {
    let terminal = render(app, 100, 30);
    assert_borders_intact(&buffer_text(terminal.backend().buffer()));
    insta::assert_snapshot!(name, plain_screen(terminal.backend().buffer()));
}

fn live_workers(db: &Path) -> Vec<jingong::store::SearchHit> {
    Store::open(db).unwrap().search("", 0, 100).unwrap().hits
}

// ---- flows -------------------------------------------------------------------------------

#[test]
fn first_run_sets_the_officer_then_shows_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let mut app = open_app(&db, Lang::Zh);
    assert!(screen_text(&app).contains("首次使用"));
    type_text(&mut app, "李明");
    keys(&mut app, "tab");
    type_text(&mut app, "和平区总工会");
    keys(&mut app, "tab");
    type_text(&mut app, "hp");
    keys(&mut app, "enter f2");
    assert!(screen_text(&app).contains("还没有登记职工"));
    let officer = Store::open(&db).unwrap().officer().unwrap().unwrap();
    assert_eq!(officer.name, "李明");
    assert_eq!(officer.district_code, "120101");
}

#[test]
fn register_a_worker_by_keys() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f3");
    type_text(&mut app, "古丽娜·阿不都");
    keys(&mut app, "tab");
    type_text(&mut app, &id("65010219980214002"));
    assert!(screen_text(&app).contains("出生 1998-02-14 · 28 岁 · 女 · 籍贯 新疆维吾尔自治区"));
    keys(&mut app, "tab");
    type_text(&mut app, "137 1234 5678");
    keys(&mut app, "tab");
    type_text(&mut app, "天津一汽丰田协作厂");
    keys(&mut app, "tab tab");
    type_text(&mut app, "钢");
    assert!(screen_text(&app).contains("以前填过：钢筋工"));
    keys(&mut app, "f4 enter tab");
    type_text(&mut app, "xq");
    keys(&mut app, "enter tab tab tab space f2");
    let screen = screen_text(&app);
    assert!(screen.contains("职工：古丽娜·阿不都"), "{screen}");
    let store = Store::open(&fx.db).unwrap();
    let w = store
        .worker_by_id_number(&id("65010219980214002"))
        .unwrap()
        .unwrap();
    assert_eq!(w.input.name, "古丽娜·阿不都");
    assert_eq!(w.input.phone, "13712345678");
    assert_eq!(w.input.trade, "钢筋工");
    assert_eq!(w.input.district_code, "120111");
    assert!(w.input.hardship);
    assert_eq!(w.input.membership, Membership::JoinedHere);
    assert_eq!(store.load_draft("worker:new").unwrap(), None);
}

#[test]
fn a_failed_save_keeps_the_form_and_says_why() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::En);
    keys(&mut app, "f3");
    type_text(&mut app, "Test Person");
    keys(&mut app, "tab");
    type_text(&mut app, "120101199003071234");
    keys(&mut app, "tab");
    type_text(&mut app, "12345");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(
        screen.contains("ID number: check digit should be"),
        "{screen}"
    );
    assert!(
        screen.contains("phone: must be an 11-digit mobile number"),
        "{screen}"
    );
    assert!(
        screen.contains("Not saved: 2 fields need fixing"),
        "{screen}"
    );
    assert_eq!(live_workers(&fx.db).len(), 5);
}

#[test]
fn an_id_number_already_registered_offers_that_worker() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f3 tab");
    app.handle_event(&Event::Paste(id("65010219900307123")));
    app.settle();
    let screen = screen_text(&app);
    assert!(
        screen.contains("该身份证号已登记为 买买提·艾力"),
        "{screen}"
    );
    // Trying to save anyway: still said once, with the key, and no record uid.
    keys(&mut app, "tab");
    type_text(&mut app, "18622221111");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert_eq!(screen.matches("已登记为").count(), 1, "{screen}");
    let holder = Store::open(&fx.db)
        .unwrap()
        .resolve_worker(&id("65010219900307123"))
        .unwrap();
    assert!(!screen.contains(&holder.uid), "{screen}");
    // The name is missing too: two fields, one an error, one the note above.
    assert!(screen.contains("未保存：有 2 项需要修改"), "{screen}");
    keys(&mut app, "f5");
    assert!(screen_text(&app).contains("职工：买买提·艾力"));
}

#[test]
fn same_name_and_phone_is_a_warning_not_a_block() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f3");
    type_text(&mut app, "张秀英");
    keys(&mut app, "tab");
    type_text(&mut app, &id("12010419800202002"));
    keys(&mut app, "tab");
    type_text(&mut app, "18622221111");
    assert!(screen_text(&app).contains("已有同名同手机号的职工"));
    keys(&mut app, "f2");
    assert_eq!(live_workers(&fx.db).len(), 6);
}

fn open_worker(app: &mut App, query: &str) {
    type_text(app, query);
    keys(app, "enter");
}

#[test]
fn log_a_health_check_only_with_consent() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    open_worker(&mut app, "mmt");
    assert!(screen_text(&app).contains("职工：买买提·艾力"));
    keys(&mut app, "h");
    keys(&mut app, "tab");
    type_text(&mut app, "地铁七号线工地");
    keys(&mut app, "tab");
    type_text(&mut app, "天津市第一中心医院");
    keys(&mut app, "tab");
    type_text(&mut app, "128/82");
    keys(&mut app, "tab");
    type_text(&mut app, "5.4");
    keys(&mut app, "tab");
    type_text(&mut app, "未见异常");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(screen.contains("记录健康信息须经职工单独同意"), "{screen}");
    let store = Store::open(&fx.db).unwrap();
    let uid = store
        .worker_by_id_number(&id("65010219900307123"))
        .unwrap()
        .unwrap()
        .uid;
    assert!(store.services_of_worker(&uid).unwrap().is_empty());
    // Save moved the focus to the consent box, the field to fix.
    keys(&mut app, "space f2");
    assert!(screen_text(&app).contains("已登记 免费查体：买买提·艾力"));
    let services = store.services_of_worker(&uid).unwrap();
    assert_eq!(services.len(), 1);
    let h = services[0].health.as_ref().unwrap();
    assert_eq!(h.blood_pressure, "128/82");
    assert_eq!(h.glucose_tenths, Some(54));
    assert_eq!(h.provider, "天津市第一中心医院");
    assert_eq!(h.consent_by, "李明");
    assert_eq!(services[0].served_on.to_string(), "2026-03-15");
}

#[test]
fn log_legal_aid_and_follow_the_case_up() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    open_worker(&mut app, "张秀英");
    keys(&mut app, "l tab");
    type_text(&mut app, "河西区职工服务中心");
    keys(&mut app, "tab tab");
    type_text(&mut app, "qx");
    keys(&mut app, "enter tab tab");
    type_text(&mut app, "5000");
    keys(&mut app, "tab tab");
    type_text(&mut app, "欠薪两个月");
    // Saved: the needs checklist is offered, and skipped.
    keys(&mut app, "f2 esc");
    let store = Store::open(&fx.db).unwrap();
    let uid = store
        .worker_by_id_number(&id("12010319780101004"))
        .unwrap()
        .unwrap()
        .uid;
    let open = store.open_legal_cases(&uid).unwrap();
    assert_eq!(open.len(), 1);
    let first = open[0].clone();
    assert_eq!(first.legal.as_ref().unwrap().claimed_fen, 500000);
    assert_eq!(first.legal.as_ref().unwrap().status, "open");

    // The follow-up: pick the open case, which copies its category and claim.
    keys(&mut app, "l tab tab f4 down enter tab tab");
    type_text(&mut app, "yjj");
    keys(&mut app, "enter tab tab");
    type_text(&mut app, "5000");
    keys(&mut app, "f2 esc");
    let services = store.services_of_worker(&uid).unwrap();
    assert_eq!(services.len(), 2);
    let follow = services
        .iter()
        .find(|s| s.uid != first.uid)
        .unwrap()
        .legal
        .clone()
        .unwrap();
    assert_eq!(follow.follows_uid.as_deref(), Some(first.uid.as_str()));
    assert_eq!(follow.category, "wage_arrears");
    assert_eq!(follow.status, "resolved");
    assert_eq!(follow.claimed_fen, 500000);
    assert_eq!(follow.recovered_fen, 500000);
    assert!(store.open_legal_cases(&uid).unwrap().is_empty());
    assert!(screen_text(&app).contains("↳ 接续 2026-03-15 的案件"));
}

#[test]
fn log_a_delivered_service() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    open_worker(&mut app, "zxdj");
    keys(&mut app, "s");
    type_text(&mut app, "xsql");
    keys(&mut app, "enter tab ctrl-u");
    type_text(&mut app, "2026-03-14");
    keys(&mut app, "tab");
    type_text(&mut app, "美团外卖天津站");
    keys(&mut app, "tab ctrl-u");
    type_text(&mut app, "2");
    keys(&mut app, "tab");
    type_text(&mut app, "60");
    keys(&mut app, "ctrl-s");
    let store = Store::open(&fx.db).unwrap();
    let uid = store
        .worker_by_id_number(&id("54010219920415003"))
        .unwrap()
        .unwrap()
        .uid;
    let services = store.services_of_worker(&uid).unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].kind, "summer_cooling");
    assert_eq!(services[0].quantity, 2);
    assert_eq!(services[0].amount_fen, 6000);
    assert_eq!(services[0].served_on.to_string(), "2026-03-14");
}

#[test]
fn edit_a_worker() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    open_worker(&mut app, "wjg");
    // `e` and Enter correct the selected service; F4 ("change", issue 14's key scheme) edits
    // the worker.
    keys(&mut app, "f4 tab tab tab ctrl-u");
    type_text(&mut app, "天津大桥新材集团");
    keys(&mut app, "f2");
    assert!(screen_text(&app).contains("天津大桥新材集团"));
    let w = Store::open(&fx.db)
        .unwrap()
        .worker_by_id_number(&id("13010219850612331"))
        .unwrap()
        .unwrap();
    assert_eq!(w.input.employer, "天津大桥新材集团");
    assert_eq!(w.version, 2);
}

#[test]
fn withdraw_a_worker_with_a_reason() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    open_worker(&mut app, "zxy");
    keys(&mut app, "d esc");
    assert_eq!(live_workers(&fx.db).len(), 5);
    // No reason, no withdrawal: the popup says why and stays.
    keys(&mut app, "d enter");
    assert!(screen_text(&app).contains("撤回原因：必填"));
    assert_eq!(live_workers(&fx.db).len(), 5);
    type_text(&mut app, "误登记");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("已撤回：张秀英"), "{screen}");
    assert_eq!(live_workers(&fx.db).len(), 4);
    let w = Store::open(&fx.db)
        .unwrap()
        .resolve_worker(&id("12010319780101004"));
    assert!(w.is_err(), "the deleted worker is not found any more");
}

#[test]
fn esc_on_a_changed_form_asks_first() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f3");
    type_text(&mut app, "王");
    keys(&mut app, "esc");
    assert!(screen_text(&app).contains("放弃未保存的修改"));
    keys(&mut app, "n");
    assert!(screen_text(&app).contains("登记新职工"));
    keys(&mut app, "esc y");
    assert!(screen_text(&app).contains("共 5 人"));
    assert_eq!(
        Store::open(&fx.db)
            .unwrap()
            .load_draft("worker:new")
            .unwrap(),
        None
    );
}

#[test]
fn a_draft_survives_a_crash_and_is_offered_back() {
    let fx = seeded();
    {
        let mut app = open_app(&fx.db, Lang::Zh);
        keys(&mut app, "f3");
        type_text(&mut app, "热依拉·艾山");
        keys(&mut app, "tab");
        type_text(&mut app, &id("65010220000101002"));
        // The power goes: the app is dropped without saving or leaving the form.
    }
    assert!(
        Store::open(&fx.db)
            .unwrap()
            .load_draft("worker:new")
            .unwrap()
            .is_some()
    );
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f3");
    assert!(screen_text(&app).contains("未保存的草稿"));
    keys(&mut app, "y");
    let screen = screen_text(&app);
    assert!(screen.contains("热依拉·艾山"), "{screen}");
    keys(&mut app, "tab tab");
    type_text(&mut app, "13600001111");
    keys(&mut app, "f2");
    let store = Store::open(&fx.db).unwrap();
    let w = store
        .worker_by_id_number(&id("65010220000101002"))
        .unwrap()
        .unwrap();
    assert_eq!(w.input.name, "热依拉·艾山");
    assert_eq!(store.load_draft("worker:new").unwrap(), None);
}

#[test]
fn the_list_pages_through_many_workers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("many.db");
    {
        let mut store = crate::support::fixture::store_with_officer(Some(&db), NOW);
        jingong::demo::fill(
            &mut store,
            jingong::demo::DemoOptions {
                workers: 450,
                services_per_worker: 0,
                seed: 7,
            },
            |_| {},
        )
        .unwrap();
    }
    let mut app = open_app(&db, Lang::Zh);
    assert!(screen_text(&app).contains("共 450 人"));
    keys(&mut app, "end");
    let screen = screen_text(&app);
    assert!(
        !screen.contains('…'),
        "the last window was loaded:\n{screen}"
    );
    keys(&mut app, "pageup pageup home");
    let first = live_workers(&db)[0].name.clone();
    assert!(screen_text(&app).contains(&format!("▸ {first}")));
}

// ---- snapshots ---------------------------------------------------------------------------

#[test]
fn snapshot_first_run() {
    for (lang, tag) in langs() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = open_app(&dir.path().join("new.db"), lang);
        snap(&app, &format!("first_run_{tag}"));
        type_text(&mut app, "李明");
        keys(&mut app, "tab tab f4");
        snap(&app, &format!("first_run_district_picker_{tag}"));
    }
}

#[test]
fn snapshot_workers_list() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_app(&fx.db, lang);
        snap(&app, &format!("workers_{tag}"));
        type_text(&mut app, "mmt");
        snap(&app, &format!("workers_search_{tag}"));
        keys(&mut app, "f1");
        snap(&app, &format!("help_list_{tag}"));
    }
}

#[test]
fn snapshot_worker_form() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_app(&fx.db, lang);
        keys(&mut app, "f3");
        type_text(&mut app, "买买提·艾力");
        keys(&mut app, "tab");
        type_text(&mut app, &id("12011119880512331"));
        keys(&mut app, "tab");
        type_text(&mut app, "1391234");
        keys(&mut app, "tab");
        snap(&app, &format!("worker_form_{tag}"));
        keys(&mut app, "tab tab tab f4");
        snap(&app, &format!("worker_form_district_picker_{tag}"));
        keys(&mut app, "esc f1");
        snap(&app, &format!("help_form_{tag}"));
    }
}

#[test]
fn snapshot_worker_detail_and_delete_question() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_app(&fx.db, lang);
        open_worker(&mut app, "wjg");
        snap(&app, &format!("detail_{tag}"));
        keys(&mut app, "d");
        snap(&app, &format!("detail_delete_question_{tag}"));
        keys(&mut app, "esc f4");
        snap(&app, &format!("worker_edit_{tag}"));
    }
}

#[test]
fn snapshot_service_forms() {
    let fx = seeded();
    for (lang, tag) in langs() {
        let mut app = open_app(&fx.db, lang);
        open_worker(&mut app, "mmt");
        keys(&mut app, "h tab");
        type_text(&mut app, "地铁七号线工地");
        keys(&mut app, "tab tab");
        type_text(&mut app, "135/");
        keys(&mut app, "tab");
        snap(&app, &format!("health_check_{tag}"));
        keys(&mut app, "esc y l tab tab tab");
        snap(&app, &format!("legal_aid_{tag}"));
        keys(&mut app, "f4");
        snap(&app, &format!("legal_aid_category_picker_{tag}"));
        keys(&mut app, "esc esc y s");
        snap(&app, &format!("service_{tag}"));
        keys(&mut app, "f4");
        snap(&app, &format!("service_kind_picker_{tag}"));
    }
}

#[test]
fn snapshot_draft_offer_and_too_small() {
    let fx = seeded();
    for (lang, tag) in langs() {
        {
            let mut app = open_app(&fx.db, lang);
            keys(&mut app, "f3");
            type_text(&mut app, "热依拉·艾山");
        }
        let mut app = open_app(&fx.db, lang);
        keys(&mut app, "f3");
        snap(&app, &format!("draft_offer_{tag}"));
        keys(&mut app, "n esc");
        let terminal = render(&app, 70, 20);
        insta::assert_snapshot!(
            format!("too_small_{tag}"),
            plain_screen(terminal.backend().buffer())
        );
    }
}

#[test]
fn popups_over_chinese_text_keep_their_borders_at_every_width() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    open_worker(&mut app, "wjg");
    keys(&mut app, "d");
    // Each width moves the centred popup by a column, so some widths put its left border on
    // the right half of a Chinese character underneath.
    for width in 80..=101 {
        let terminal = render(&app, width, 24);
        assert_borders_intact(&buffer_text(terminal.backend().buffer()));
        let text = buffer_text(terminal.backend().buffer());
        assert!(
            text.contains("撤回职工") && text.contains("原因（必填）"),
            "{text}"
        );
    }
}

// ---- keymap files ------------------------------------------------------------------------

#[test]
fn bad_keymap_files_name_the_file_line_and_problem() {
    let cases = [
        (
            "unknown_action.toml",
            3,
            "unknown action 'launch_rockets' in [form]",
        ),
        ("unparsable_key.toml", 4, "unknown modifier 'hyper'"),
        (
            "clash.toml",
            4,
            "key 'ctrl-e' in [detail] is bound to both 'edit' (line 3) and 'delete'",
        ),
        (
            "printable_in_form.toml",
            3,
            "key 'x' in [form] would stop typing",
        ),
        ("unknown_context.toml", 3, "unknown field `lists`"),
        ("not_toml.toml", 3, ""),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keymaps");
    for (file, line, problem) in cases {
        let path = dir.join(file);
        let err = Keymap::load(Some(&path), None).unwrap_err();
        assert_eq!(err.line, line, "{file}: {err}");
        assert!(err.problem.contains(problem), "{file}: {err}");
        assert!(err.to_string().starts_with(&path.display().to_string()));
    }
}

#[test]
fn a_bad_keymap_stops_start_up_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keymaps/unknown_action.toml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jingong"))
        .arg("--db")
        .arg(dir.path().join("x.db"))
        .arg("--keymap")
        .arg(&fixture)
        .env("JINGONG_DATA_DIR", dir.path())
        .env("JINGONG_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:3: unknown action 'launch_rockets'",
            fixture.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_user_keymap_in_the_config_folder_overrides_single_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "detail = [ { action = \"log_health_check\", keys = [\"c\"] } ]\n",
    )
    .unwrap();
    let keymap = Keymap::load(None, Some(dir.path())).unwrap();
    use jingong::tui::action::Action;
    use jingong::tui::keymap::Context;
    let key = |s| Chord::parse(s).unwrap();
    assert_eq!(
        keymap.lookup(Context::Detail, key("c")),
        Some(Action::LogHealthCheck)
    );
    assert_eq!(keymap.lookup(Context::Detail, key("h")), None);
    assert_eq!(
        keymap.lookup(Context::Detail, key("l")),
        Some(Action::LogLegalAid)
    );
}
