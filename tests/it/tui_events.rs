//! Service events in the TUI, driven through the real default keymap: making an event, quick
//! entry (a registered worker by ID number, an unknown one through the worker form, the same
//! worker twice, undo, a name search, the attendee list, the key count), the roster import from
//! the events screen, and snapshots at 80×24 in both languages.

use chrono::NaiveDate;
use jingong::domain::{EventInput, Membership, WorkerInput};
use jingong::store::Store;
use jingong::text::Lang;
use jingong::tui::app::App;
use std::path::{Path, PathBuf};

use crate::support::tui::*;

/// 王建国, registered; the quick-entry tests type his number.
fn wang() -> String {
    id("13010219850612331")
}

/// Nobody holds this number until the worker form registers her.
fn guli() -> String {
    id("65010219980214002")
}

struct Fixture {
    dir: tempfile::TempDir,
    db: PathBuf,
    event: String,
}

fn worker(name: &str, id_number: &str, phone: &str, employer: &str) -> WorkerInput {
    WorkerInput {
        name: name.into(),
        id_number: id_number.into(),
        phone: phone.into(),
        employer: employer.into(),
        district_code: "120101".into(),
        membership: Membership::JoinedHere,
        ..Default::default()
    }
}

fn event_input(name: &str, kind: &str, day: &str, place: &str, amount_fen: i64) -> EventInput {
    EventInput {
        name: name.into(),
        kind: kind.into(),
        held_on: Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
        place: place.into(),
        district_code: "120104".into(),
        default_quantity: 1,
        default_amount_fen: amount_fen,
    }
}

/// An officer, four workers (Han and minority names) and one event today: summer cooling
/// packages at a building site in 南开.
fn seeded() -> Fixture {
    let (dir, db, mut store) = database_with_officer();
    for w in [
        worker("王建国", &wang(), "13812345678", "中建八局天津分公司"),
        worker(
            "买买提·艾力",
            &id("65010219900307123"),
            "13912345678",
            "天津港建设工程有限公司",
        ),
        worker(
            "阿依古丽·买买提",
            &id("65010219950823002"),
            "15022223333",
            "顺丰速运天津分公司",
        ),
        worker(
            "张秀英",
            &id("12010319780101004"),
            "18622221111",
            "河西区某物业公司",
        ),
    ] {
        store.add_worker(&w).unwrap();
    }
    let event = store
        .add_event(&event_input(
            "夏送清凉·南开工地",
            "summer_cooling",
            "2026-03-15",
            "南开区某工地",
            0,
        ))
        .unwrap()
        .uid;
    Fixture { dir, db, event }
}

fn screen_text(app: &App) -> String {
    screen_at(app, 80, 24)
}

fn snap(app: &App, name: &str) {
    let terminal = render(app, 80, 24);
    assert_borders_intact(&buffer_text(terminal.backend().buffer()));
    insta::assert_snapshot!(name, plain_screen(terminal.backend().buffer()));
}

fn store(fx: &Fixture) -> Store {
    Store::open(&fx.db).unwrap()
}

/// Names of the workers served in the event, latest recorded first.
fn attendees(fx: &Fixture) -> Vec<String> {
    store(fx)
        .event_attendees(&fx.event, 0, 100)
        .unwrap()
        .into_iter()
        .map(|a| a.worker_name)
        .collect()
}

/// From the workers list to the quick-entry line of the (only) event.
fn quick_entry(fx: &Fixture, lang: Lang) -> App {
    let mut app = open_app(&fx.db, lang);
    keys(&mut app, "f6 enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("快速录入：夏送清凉·南开工地")
            || screen.contains("Quick entry: 夏送清凉·南开工地"),
        "{screen}"
    );
    app
}

// ---- quick entry ---------------------------------------------------------------------------

#[test]
fn a_registered_worker_is_recorded_by_id_number_and_the_line_stays() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, &wang());
    keys(&mut app, "enter");

    let s = store(&fx);
    let w = s.worker_by_id_number(&wang()).unwrap().unwrap();
    assert!(s.served_in_event(&fx.event, &w.uid).unwrap());
    let services = s.services_of_event(&fx.event).unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].kind, "summer_cooling");
    assert_eq!(services[0].place, "南开区某工地");
    assert_eq!(services[0].served_on.to_string(), "2026-03-15");

    let screen = screen_text(&app);
    assert!(
        screen.contains("✓ 已记录 王建国 130102********331X · 本活动共 1 人"),
        "{screen}"
    );
    assert!(screen.contains("本活动已服务 1 人"), "{screen}");
    // Still on the line, which is empty for the next worker; the full number is never shown.
    assert!(screen.contains("快速录入：夏送清凉·南开工地"), "{screen}");
    assert!(!screen.contains(&wang()), "{screen}");
}

#[test]
fn a_registered_worker_takes_the_id_number_and_one_enter() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    let others = [wang(), id("12010319780101004")];
    let mut sent = 0usize;
    for (n, number) in others.iter().enumerate() {
        let before = sent;
        for c in number.chars() {
            app.press(char_event(c));
            sent += 1;
        }
        app.press(key_event("enter"));
        sent += 1;
        app.settle();
        assert_eq!(sent - before, 19, "18 characters and Enter");
        assert_eq!(
            attendees(&fx).len(),
            n + 1,
            "recorded after exactly 19 keys"
        );
    }
    assert_eq!(sent, 38);
    assert_eq!(attendees(&fx), ["张秀英", "王建国"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains("已记录 张秀英 120103********") && screen.contains("本活动共 2 人"),
        "{screen}"
    );
}

#[test]
fn an_unknown_valid_id_opens_the_worker_form_prefilled_and_saving_records() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, &guli());
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("登记新职工"), "{screen}");
    assert!(
        screen.contains(&guli()),
        "the number typed is filled in:\n{screen}"
    );
    // Birth date, sex and home province come from the number.
    assert!(
        screen.contains("出生 1998-02-14 · 28 岁 · 女 · 籍贯 新疆维吾尔自治区"),
        "{screen}"
    );
    // The focus is on the name, the one thing left to type besides the phone.
    type_text(&mut app, "古丽娜·阿不都");
    keys(&mut app, "tab tab");
    type_text(&mut app, "13712345678");
    keys(&mut app, "f2");

    let screen = screen_text(&app);
    assert!(screen.contains("快速录入：夏送清凉·南开工地"), "{screen}");
    assert!(
        screen.contains("已记录 古丽娜·阿不都 650102********") && screen.contains("共 1 人"),
        "{screen}"
    );
    let s = store(&fx);
    let w = s.worker_by_id_number(&guli()).unwrap().unwrap();
    assert_eq!(w.input.name, "古丽娜·阿不都");
    // A new worker is in the officer's district wherever registered (issue 14 #2).
    assert_eq!(w.input.district_code, "120101", "the officer's district");
    assert_eq!(w.gender.code(), "female");
    assert_eq!(w.birth_date.to_string(), "1998-02-14");
    assert!(s.served_in_event(&fx.event, &w.uid).unwrap());
    assert_eq!(s.load_draft("worker:new").unwrap(), None);

    // The next worker goes straight in again.
    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    assert_eq!(attendees(&fx), ["王建国", "古丽娜·阿不都"]);
}

#[test]
fn leaving_the_worker_form_records_nobody_and_keeps_the_line() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, &guli());
    keys(&mut app, "enter esc");
    let screen = screen_text(&app);
    assert!(screen.contains("快速录入"), "{screen}");
    assert!(screen.contains(&guli()), "{screen}");
    assert!(attendees(&fx).is_empty());
}

#[test]
fn a_wrong_id_number_says_what_is_wrong() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::En);
    let mut wrong = wang();
    wrong.replace_range(17.., if wrong.ends_with('0') { "1" } else { "0" });
    type_text(&mut app, &wrong);
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("✗ ID number: check digit should be"),
        "{screen}"
    );
    assert!(attendees(&fx).is_empty());
}

#[test]
fn the_same_worker_twice_asks_before_recording_again() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    assert_eq!(attendees(&fx).len(), 1);

    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("王建国（130102********331X）已在本活动记录过。再记一次？"),
        "{screen}"
    );
    assert_borders_intact(&screen);
    keys(&mut app, "n");
    assert_eq!(attendees(&fx).len(), 1, "'n' records nothing");
    let screen = screen_text(&app);
    assert!(screen.contains("未重复记录：王建国"), "{screen}");
    assert!(!screen.contains("再记一次"), "{screen}");

    // Typing on while the question shows (the next worker, in pinyin or digits) answers no
    // and starts the next entry; Enter answers no.
    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    type_text(&mut app, "yang1201");
    assert_eq!(attendees(&fx).len(), 1, "typing on answers no");
    let screen = screen_text(&app);
    assert!(!screen.contains("再记一次"), "{screen}");
    assert!(screen.contains("yang1201"), "the typed keys stay: {screen}");
    keys(&mut app, "esc");
    type_text(&mut app, &wang());
    keys(&mut app, "enter enter");
    assert_eq!(attendees(&fx).len(), 1, "Enter answers no");

    type_text(&mut app, &wang());
    keys(&mut app, "enter f2");
    assert_eq!(attendees(&fx), ["王建国", "王建国"], "F2 records again");
    // One person, two records (issue 14 #5: this said 2 people).
    assert!(screen_text(&app).contains("本活动共 1 人 · 2 条记录"));
}

#[test]
fn undo_takes_back_only_this_sittings_records_newest_first_and_redo_puts_them_back() {
    let fx = seeded();
    // Recorded before this sitting (an earlier sitting, a roster): never undone from here.
    let earlier = {
        let mut s = store(&fx);
        let worker = s
            .worker_by_id_number(&id("65010219900307123"))
            .unwrap()
            .unwrap();
        s.record_event_service(&fx.event, &worker.uid).unwrap().uid
    };
    let mut app = quick_entry(&fx, Lang::Zh);
    for number in [wang(), id("12010319780101004")] {
        type_text(&mut app, &number);
        keys(&mut app, "enter");
    }
    let last = store(&fx).event_attendees(&fx.event, 0, 1).unwrap()[0].clone();
    assert_eq!(last.worker_name, "张秀英");

    keys(&mut app, "ctrl-z");
    let s = store(&fx);
    let service = s.service_by_uid(&last.service_uid).unwrap().unwrap();
    assert!(service.deleted, "a tombstone, kept for the next batch");
    assert_eq!(service.version, 2);
    assert_eq!(attendees(&fx), ["王建国", "买买提·艾力"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains("已撤销 张秀英 的记录 · 本活动共 2 人"),
        "{screen}"
    );
    assert!(screen.contains("本次录入 1 条"), "{screen}");

    keys(&mut app, "ctrl-z");
    assert!(screen_text(&app).contains("已撤销 王建国 的记录 · 本活动共 1 人"));
    keys(&mut app, "ctrl-z");
    let screen = screen_text(&app);
    assert!(
        screen.contains("本次录入已没有可撤销的记录"),
        "the earlier record is not this sitting's:\n{screen}"
    );
    assert_eq!(attendees(&fx), ["买买提·艾力"]);
    assert!(!s.service_by_uid(&earlier).unwrap().unwrap().deleted);

    // Redo: the newest undone first.
    keys(&mut app, "ctrl-r");
    let screen = screen_text(&app);
    assert!(
        screen.contains("已恢复 王建国 的记录 · 本活动共 2 人"),
        "{screen}"
    );
    assert!(screen.contains("本次录入 1 条"), "{screen}");
    keys(&mut app, "ctrl-r");
    assert!(screen_text(&app).contains("已恢复 张秀英 的记录 · 本活动共 3 人"));
    let service = s.service_by_uid(&last.service_uid).unwrap().unwrap();
    assert!(!service.deleted);
    assert_eq!(service.version, 3, "a redo is a new version");
    keys(&mut app, "ctrl-r");
    assert!(screen_text(&app).contains("本次录入没有可恢复的撤销"));
    assert_eq!(attendees(&fx).len(), 3);
}

#[test]
fn an_exported_record_of_the_sitting_is_not_undone_and_withdrawal_is_named() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::En);
    for number in [wang(), id("12010319780101004")] {
        type_text(&mut app, &number);
        keys(&mut app, "enter");
    }
    // An export happened meanwhile (another screen, another process): both records left.
    rusqlite::Connection::open(&fx.db)
        .unwrap()
        .execute("UPDATE service SET exported_version = version", [])
        .unwrap();
    keys(&mut app, "ctrl-z");
    let screen = screen_text(&app);
    assert!(
        screen.contains(
            "张秀英 is already exported, not undone: withdraw it in the served list (F5)"
        ),
        "{screen}"
    );
    // The next press passes over it to the older one, also exported.
    keys(&mut app, "ctrl-z");
    assert!(screen_text(&app).contains("王建国 is already exported, not undone"));
    keys(&mut app, "ctrl-z");
    assert!(screen_text(&app).contains("Nothing left to undo in this sitting"));
    assert_eq!(attendees(&fx), ["张秀英", "王建国"], "nothing taken back");
}

#[test]
fn a_name_pinyin_or_id_tail_shows_matches_to_pick_from() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, "zxy");
    let screen = screen_text(&app);
    assert!(screen.contains("匹配的职工 1 人"), "{screen}");
    assert!(screen.contains("张秀英"), "{screen}");
    keys(&mut app, "enter");
    assert_eq!(attendees(&fx), ["张秀英"]);

    // Two matches: the second is picked with ↓.
    type_text(&mut app, "买买提");
    let screen = screen_text(&app);
    assert!(screen.contains("匹配的职工 2 人"), "{screen}");
    assert!(
        screen.contains("买买提·艾力") && screen.contains("阿依古丽·买买提 "),
        "{screen}"
    );
    let second = store(&fx).search("买买提", 0, 10).unwrap().hits[1]
        .name
        .clone();
    // Enter alone does not take the first of several names for the person meant.
    keys(&mut app, "enter");
    assert!(
        screen_text(&app).contains("2 人匹配"),
        "{}",
        screen_text(&app)
    );
    assert_eq!(attendees(&fx).len(), 1, "nobody recorded");
    keys(&mut app, "down enter");
    assert_eq!(attendees(&fx)[0], second);

    // The start of a number with several matches is not taken for the first of them.
    type_text(&mut app, "6501021");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("2 人匹配：请输入完整身份证号"), "{screen}");
    assert_eq!(attendees(&fx).len(), 2, "nobody recorded");
    keys(&mut app, "esc");

    // The last four characters of the ID number.
    type_text(&mut app, &wang()[14..]);
    assert!(screen_text(&app).contains("王建国"));
    keys(&mut app, "enter");
    assert_eq!(attendees(&fx)[0], "王建国");
    assert_eq!(attendees(&fx).len(), 3);
}

#[test]
fn matches_mark_who_the_event_has_served_already() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, "zxy");
    keys(&mut app, "enter");
    assert_eq!(attendees(&fx), ["张秀英"]);
    // Before Enter would ask "record again?", the list says so.
    type_text(&mut app, "zxy");
    let screen = screen_text(&app);
    assert!(screen.contains("✓ 张秀英"), "{screen}");
    assert!(screen.contains("· ✓ 本活动已服务"), "{screen}");
    keys(&mut app, "esc");
    type_text(&mut app, "买买提");
    let screen = screen_text(&app);
    assert!(screen.contains("买买提·艾力"), "{screen}");
    assert!(!screen.contains("✓ 买买提"), "{screen}");
    assert!(!screen.contains("· ✓ 本活动已服务"), "{screen}");
}

#[test]
fn no_match_says_so_and_esc_clears_then_leaves() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    type_text(&mut app, "qqqq");
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("没有匹配的职工"), "{screen}");
    assert!(attendees(&fx).is_empty());
    keys(&mut app, "esc");
    let screen = screen_text(&app);
    assert!(
        screen.contains("快速录入"),
        "the first Esc clears the line:\n{screen}"
    );
    assert!(!screen.contains("qqqq"), "{screen}");
    keys(&mut app, "esc");
    assert!(screen_text(&app).contains("共 1 个活动"));
}

#[test]
fn the_attendee_list_is_one_key_away() {
    let fx = seeded();
    let mut app = quick_entry(&fx, Lang::Zh);
    for number in [wang(), id("65010219900307123")] {
        type_text(&mut app, &number);
        keys(&mut app, "enter");
    }
    keys(&mut app, "f5");
    let screen = screen_text(&app);
    assert!(screen.contains("受服务名单：夏送清凉·南开工地"), "{screen}");
    assert!(screen.contains("共 2 人，最新记录在前"), "{screen}");
    assert!(screen.contains("买买提·艾力") && screen.contains("王建国"));
    assert!(screen.contains("130102********331X"), "{screen}");
    assert!(
        !screen.contains(&wang()),
        "ID numbers are masked:\n{screen}"
    );
    // Enter opens the worker; Esc comes back to the list, then to the quick-entry line.
    keys(&mut app, "enter");
    assert!(screen_text(&app).contains("职工：买买提·艾力"));
    keys(&mut app, "esc esc");
    assert!(screen_text(&app).contains("快速录入"));
}

#[test]
fn a_health_check_event_opens_the_form_for_each_worker() {
    let fx = seeded();
    let clinic = {
        let mut s = store(&fx);
        s.set_clock(clock());
        s.add_event(&event_input(
            "免费查体·和平工地",
            "health_check",
            "2026-03-15",
            "和平区某工地",
            0,
        ))
        .unwrap()
        .uid
    };
    let mut app = open_app(&fx.db, Lang::Zh);
    // Both events are today; the newer one is listed first.
    keys(&mut app, "f6");
    assert!(screen_text(&app).contains("▸ 2026-03-15 免费查体·和平工地"));
    keys(&mut app, "enter");
    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("免费查体：王建国"), "{screen}");
    assert!(screen.contains("活动：免费查体·和平工地"), "{screen}");
    assert!(
        screen.contains("和平区某工地"),
        "the event's place:\n{screen}"
    );
    // Consent is the last field.
    keys(&mut app, "shift-tab space f2");
    let screen = screen_text(&app);
    assert!(screen.contains("快速录入：免费查体·和平工地"), "{screen}");
    assert!(screen.contains("已记录 王建国"), "{screen}");
    let services = store(&fx).services_of_event(&clinic).unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].kind, "health_check");
    assert_eq!(services[0].health.as_ref().unwrap().consent_by, "李明");
}

// ---- events --------------------------------------------------------------------------------

#[test]
fn an_event_is_made_by_keys_and_quick_entry_follows() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f6 n");
    assert!(screen_text(&app).contains("新建服务活动"));
    type_text(&mut app, "冬送温暖·西青宿舍");
    keys(&mut app, "tab");
    type_text(&mut app, "dswn");
    keys(&mut app, "enter tab tab");
    type_text(&mut app, "西青区某宿舍");
    keys(&mut app, "tab tab tab");
    type_text(&mut app, "500");
    keys(&mut app, "f2");

    let screen = screen_text(&app);
    assert!(screen.contains("快速录入：冬送温暖·西青宿舍"), "{screen}");
    assert!(screen.contains("每人 1 份 ¥500.00"), "{screen}");
    let s = store(&fx);
    let events = s.events(0, 10).unwrap();
    let made = events
        .iter()
        .find(|e| e.input.name == "冬送温暖·西青宿舍")
        .unwrap();
    assert_eq!(made.input.kind, "winter_warmth");
    assert_eq!(made.held_on.to_string(), "2026-03-15", "today by default");
    assert_eq!(made.input.place, "西青区某宿舍");
    assert_eq!(made.input.district_code, "120101", "the officer's district");
    assert_eq!(made.input.default_amount_fen, 50_000);
    assert_eq!(s.load_draft("event:new").unwrap(), None);

    // Recording there gives each worker the event's 500 yuan.
    type_text(&mut app, &wang());
    keys(&mut app, "enter");
    let services = s.services_of_event(&made.uid).unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].amount_fen, 50_000);
    keys(&mut app, "esc");
    let screen = screen_text(&app);
    assert!(screen.contains("共 2 个活动"), "{screen}");
}

#[test]
fn bad_event_input_names_the_field_and_the_rule() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::En);
    keys(&mut app, "f6 n tab tab ctrl-u");
    type_text(&mut app, "2026-02-30");
    keys(&mut app, "tab tab tab ctrl-u");
    type_text(&mut app, "0");
    keys(&mut app, "tab");
    type_text(&mut app, "5.555");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    for message in [
        "event name: is required",
        "service kind: is required",
        "date: must be a date YYYY-MM-DD",
        "quantity: must be a whole number from 1",
        "amount: at most two decimals",
    ] {
        assert!(screen.contains(message), "{message}:\n{screen}");
    }
    assert!(screen.contains("Not saved: 5 fields"), "{screen}");
    assert_eq!(store(&fx).live_event_count().unwrap(), 1);
}

#[test]
fn an_event_draft_survives_a_crash() {
    let fx = seeded();
    {
        let mut app = open_app(&fx.db, Lang::Zh);
        keys(&mut app, "f6 n");
        type_text(&mut app, "集中入会·东丽物流园");
        // The power goes.
    }
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f6 n");
    assert!(screen_text(&app).contains("未保存的草稿"));
    keys(&mut app, "y");
    assert!(screen_text(&app).contains("集中入会·东丽物流园"));
}

// ---- roster import -------------------------------------------------------------------------

fn copy_fixture(dir: &Path, name: &str) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let to = dir.join(name);
    std::fs::copy(from, &to).unwrap();
    to
}

#[test]
fn a_roster_is_imported_from_the_events_screen_dry_run_first() {
    let fx = seeded();
    let file = copy_fixture(fx.dir.path(), "roster-gbk-bad-rows.csv");
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f6 i");
    assert!(screen_text(&app).contains("导入名单"));
    // Pasted with the quotes a file manager adds; for the selected event; dry run is on.
    app.handle_event(&ratatui::crossterm::event::Event::Paste(format!(
        "'{}'",
        file.display()
    )));
    keys(&mut app, "tab space f2");
    let screen = screen_text(&app);
    assert!(
        screen.contains("新登记 2 人，更新 0 人，无变化 0 人，未导入 5 行"),
        "{screen}"
    );
    assert!(screen.contains("预演"), "{screen}");
    assert!(
        screen.contains("第 2 行：身份证号：校验位应为 7，实为 6"),
        "{screen}"
    );
    assert!(
        screen.contains("活动「夏送清凉·南开工地」：新记录服务 2 人"),
        "{screen}"
    );
    assert_eq!(
        store(&fx).live_worker_count().unwrap(),
        4,
        "a dry run writes nothing"
    );
    let rejects = PathBuf::from(format!("{}.rejects.csv", file.display()));
    assert!(!rejects.exists(), "nor a rejects file");

    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("新登记 2 人，更新 0 人，无变化 0 人，未导入 5 行"),
        "{screen}"
    );
    assert!(screen.contains("未导入的行及原因已写入："), "{screen}");
    assert!(!screen.contains("预演"), "{screen}");
    assert_eq!(store(&fx).live_worker_count().unwrap(), 6);
    assert_eq!(attendees(&fx).len(), 2);
    assert!(rejects.is_file());

    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(screen.contains("共 1 个活动"), "{screen}");
    assert!(screen.contains("夏送清凉·南开工地"), "{screen}");
    assert!(
        screen.contains("南开区        2"),
        "the count of workers served:\n{screen}"
    );
}

#[test]
fn the_import_preview_lists_changes_and_renames_are_accepted_row_by_row() {
    let fx = seeded();
    let file = fx.dir.path().join("later.csv");
    std::fs::write(
        &file,
        format!(
            "姓名,身份证号,手机号,工作单位\n王建民,{},,\n买买提·艾力江,{},,\n张秀英,{},13700000000,\n",
            wang(),
            id("65010219900307123"),
            id("12010319780101004"),
        ),
    )
    .unwrap();
    let mut app = open_app(&fx.db, Lang::Zh);
    keys(&mut app, "f6 i");
    type_text(&mut app, &file.display().to_string());
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(screen.contains("改名待确认"), "{screen}");
    assert!(
        screen.contains("[ ] 第 2 行：已登记为 王建国，名单写作 王建民"),
        "{screen}"
    );
    assert!(
        screen.contains("[ ] 第 3 行：已登记为 买买提·艾力，名单写作 买买提·艾力江"),
        "{screen}"
    );
    assert!(
        screen.contains("将更改的已登记职工（原值 → 新值）"),
        "{screen}"
    );
    assert!(
        screen.contains("第 4 行 张秀英 120103********0043：手机号 186****1111 → 137****0000"),
        "{screen}"
    );
    assert!(!screen.contains("13700000000"), "masked:\n{screen}");

    // Accept row 2 only; row 3 stays refused.
    keys(&mut app, "space");
    let screen = screen_text(&app);
    assert!(screen.contains("[x] 第 2 行"), "{screen}");
    assert!(screen.contains("（接受改名 1 行）"), "{screen}");
    keys(&mut app, "down space space");
    assert!(screen_text(&app).contains("[ ] 第 3 行"));
    keys(&mut app, "enter");
    let screen = screen_text(&app);
    assert!(
        screen.contains("新登记 0 人，更新 2 人，无变化 0 人，未导入 1 行"),
        "{screen}"
    );
    assert!(screen.contains("已更改的已登记职工"), "{screen}");
    assert!(
        screen.contains("第 3 行：姓名：该身份证号已登记为 买买提·艾力"),
        "{screen}"
    );
    let s = store(&fx);
    assert_eq!(
        s.worker_by_id_number(&wang()).unwrap().unwrap().input.name,
        "王建民"
    );
    let kept = s
        .worker_by_id_number(&id("65010219900307123"))
        .unwrap()
        .unwrap();
    assert_eq!(kept.input.name, "买买提·艾力");
    assert_eq!(
        kept.input.phone, "13912345678",
        "a blank cell erases nothing"
    );
    assert!(PathBuf::from(format!("{}.changes.csv", file.display())).is_file());
}

#[test]
fn a_missing_file_or_an_unreadable_roster_is_said_on_screen() {
    let fx = seeded();
    let mut app = open_app(&fx.db, Lang::En);
    keys(&mut app, "f6 i");
    type_text(&mut app, "/no/such/roster.csv");
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(screen.contains("✗ no such file"), "{screen}");

    let not_a_roster = fx.dir.path().join("notes.csv");
    std::fs::write(&not_a_roster, "名字,电话\n张三,13812345678\n").unwrap();
    keys(&mut app, "ctrl-u");
    type_text(&mut app, &not_a_roster.display().to_string());
    keys(&mut app, "f2");
    let screen = screen_text(&app);
    assert!(
        screen.contains("Could not import: the roster lacks required columns: ID number"),
        "{screen}"
    );
    keys(&mut app, "esc");
    // The form's labels start with a capital (issue 14).
    assert!(screen_text(&app).contains("Roster file"));
}

// ---- snapshots at 80×24 ----------------------------------------------------------------------

#[test]
fn snapshot_events_quick_entry_and_attendees() {
    let fx = seeded();
    {
        let mut s = store(&fx);
        s.set_clock(clock());
        s.add_event(&event_input(
            "冬送温暖·西青宿舍",
            "winter_warmth",
            "2026-01-20",
            "西青区张家窝镇某宿舍",
            50_000,
        ))
        .unwrap();
    }
    for (lang, tag) in langs() {
        let mut app = open_app(&fx.db, lang);
        keys(&mut app, "f6");
        snap(&app, &format!("events_{tag}"));
        keys(&mut app, "enter");
        snap(&app, &format!("quick_entry_empty_{tag}"));
        type_text(&mut app, &wang());
        keys(&mut app, "enter");
        type_text(&mut app, "买买提");
        snap(&app, &format!("quick_entry_{tag}"));
        keys(&mut app, "ctrl-u");
        type_text(&mut app, &wang());
        keys(&mut app, "enter");
        snap(&app, &format!("quick_entry_duplicate_{tag}"));
        keys(&mut app, "n f5");
        snap(&app, &format!("attendees_{tag}"));
        // Undo, so the next language starts from the same state.
        keys(&mut app, "esc ctrl-z");
        assert!(attendees(&fx).is_empty());
    }
}

#[test]
fn snapshot_event_form_and_import_summary() {
    let fx = seeded();
    // A path relative to the package (where tests run) keeps the snapshot the same on every
    // machine; the folder is this test's own.
    let folder = Path::new("target/tmp/tui-events-import-snapshot");
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder).unwrap();
    copy_fixture(folder, "roster-gbk-bad-rows.csv");
    let file = folder.join("roster-gbk-bad-rows.csv");
    for (lang, tag) in langs() {
        let mut app = open_app(&fx.db, lang);
        keys(&mut app, "f6 n");
        type_text(&mut app, "冬送温暖");
        keys(&mut app, "tab f4");
        // The kind's code filters the list in either language.
        type_text(&mut app, "winter");
        keys(&mut app, "enter tab tab tab tab tab");
        type_text(&mut app, "500");
        snap(&app, &format!("event_form_{tag}"));
        keys(&mut app, "esc y i");
        type_text(&mut app, &file.display().to_string());
        snap(&app, &format!("import_form_{tag}"));
        keys(&mut app, "f2");
        snap(&app, &format!("import_dry_run_{tag}"));
    }
    let _ = std::fs::remove_dir_all(folder);
}
