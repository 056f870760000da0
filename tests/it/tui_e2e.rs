//! The real binary in a pseudo-terminal: first run, a worker registered with a Chinese name
//! by key presses, a health check logged, quit; then both records are in the database. And
//! quick entry at an event: a registered worker's ID number and Enter record the service.

use jingong::domain::idcard::with_check_digit;
use jingong::store::Store;
use std::ffi::OsStr;
use std::path::Path;

use crate::support::fixture::{NOW, store_with_officer};
use crate::support::pty::Pty;

const F2: &str = "\x1bOQ";
const F3: &str = "\x1bOR";
const F6: &str = "\x1b[17~";
const CTRL_Q: &str = "\x11";

/// `jingong --db DB` in a pseudo-terminal, its folders beside the database.
fn start(db: &Path, key: Option<&str>) -> Pty {
    let folder = db.parent().unwrap();
    let (data, config) = (folder.join("data"), folder.join("config"));
    let mut env = vec![
        ("JINGONG_DATA_DIR", data.as_os_str()),
        ("JINGONG_CONFIG_DIR", config.as_os_str()),
    ];
    if let Some(key) = key {
        env.push(("JINGONG_KEY", OsStr::new(key)));
    }
    Pty::spawn(&[OsStr::new("--db"), db.as_os_str()], &env)
}

#[test]
fn register_a_worker_and_log_a_health_check_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    // With encryption built in, the same walk runs on an encrypted database: the search
    // thread's own connection must get the key too.
    let key = cfg!(feature = "encryption").then_some("e2e-key");
    let mut screen = start(&db, key);

    screen.wait_for("首次使用");
    screen.send("李明");
    screen.send("\t");
    screen.send("和平区总工会");
    screen.send("\t");
    screen.send("hp");
    screen.wait_for("筛选: hp");
    screen.send("\r");
    screen.send(F2);
    screen.wait_for("还没有登记职工");

    let id_number = with_check_digit("13010219850612331");
    screen.send(F3);
    screen.wait_for("登记新职工");
    screen.send("王建国");
    screen.send("\t");
    screen.send(&id_number);
    screen.wait_for("出生 1985-06-12");
    screen.send("\t");
    screen.send("13812345678");
    screen.send(F2);
    screen.wait_for("服务记录（0 条");

    screen.send("h");
    screen.wait_for("免费查体：王建国");
    screen.send("\t");
    screen.send("地铁七号线工地");
    screen.send("\t");
    screen.send("和平医院");
    screen.send("\t");
    screen.send("120/80");
    // Without consent the save is refused and the focus goes to the consent box.
    screen.send(F2);
    screen.wait_for("记录健康信息须经职工单独同意");
    screen.send(" ");
    screen.send(F2);
    // Saved: the needs checklist is offered; Esc skips it.
    screen.wait_for("王建国 的诉求");
    screen.send("\x1b");
    screen.wait_for("服务记录（1 条");

    screen.send(CTRL_Q);
    assert_eq!(screen.wait_exit(), 0, "{}", screen.text());

    #[cfg(not(feature = "encryption"))]
    let store = Store::open(&db).unwrap();
    #[cfg(feature = "encryption")]
    let store = Store::open_keyed(
        &db,
        jingong::store::Access::ReadWrite,
        jingong::store::Key::new("e2e-key"),
    )
    .unwrap();
    let worker = store.worker_by_id_number(&id_number).unwrap().unwrap();
    assert_eq!(worker.input.name, "王建国");
    assert_eq!(worker.input.phone, "13812345678");
    let services = store.services_of_worker(&worker.uid).unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].kind, "health_check");
    let health = services[0].health.as_ref().unwrap();
    assert_eq!(health.blood_pressure, "120/80");
    assert_eq!(health.provider, "和平医院");
    assert_eq!(services[0].place, "地铁七号线工地");
}

#[test]
fn quick_entry_records_a_registered_worker_in_a_real_terminal() {
    use jingong::domain::{EventInput, Membership, WorkerInput};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let id_number = with_check_digit("13010219850612331");
    let event = {
        let mut store = store_with_officer(Some(&db), NOW);
        store
            .add_worker(&WorkerInput {
                name: "王建国".into(),
                id_number: id_number.clone(),
                phone: "13812345678".into(),
                membership: Membership::JoinedHere,
                ..Default::default()
            })
            .unwrap();
        store
            .add_event(&EventInput {
                name: "夏送清凉·南开工地".into(),
                kind: "summer_cooling".into(),
                held_on: None,
                place: "南开区某工地".into(),
                district_code: "120104".into(),
                default_quantity: 1,
                default_amount_fen: 0,
            })
            .unwrap()
            .uid
    };
    let mut screen = start(&db, None);

    screen.wait_for("共 1 人");
    screen.send(F6);
    screen.wait_for("夏送清凉·南开工地");
    screen.send("\r");
    screen.wait_for("快速录入");
    // The number arrives as a person types it: one key at a time.
    for c in id_number.chars() {
        screen.send(&c.to_string());
    }
    screen.send("\r");
    screen.wait_for("已记录 王建国");
    screen.wait_for("本活动已服务 1 人");

    screen.send(CTRL_Q);
    assert_eq!(screen.wait_exit(), 0, "{}", screen.text());
    let store = Store::open(&db).unwrap();
    let worker = store.worker_by_id_number(&id_number).unwrap().unwrap();
    assert!(store.served_in_event(&event, &worker.uid).unwrap());
}

/// Issue 13's must-show: a roster brings two workers into an event; a sitting then records
/// three more by ID number; Ctrl-Z four times takes back exactly those three, newest first, and
/// then says nothing is left, while the roster's records stay; Ctrl-R puts one back.
#[test]
fn undo_in_a_real_terminal_takes_back_only_the_sittings_records() {
    use jingong::domain::{EventInput, Membership, WorkerInput};
    use jingong::store::roster_import::{ImportOptions, RosterEntry};
    const CTRL_Z: &str = "\x1a";
    const CTRL_R: &str = "\x12";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let sitting = [
        ("王建国", with_check_digit("13010219850612331")),
        ("张秀英", with_check_digit("12010319780101004")),
        ("刘洋", with_check_digit("12010519920304121")),
    ];
    let live_services = |store: &Store, event: &str| store.event_attendees(event, 0, 100).unwrap();
    let (event, roster_services) = {
        let mut store = store_with_officer(Some(&db), NOW);
        for (name, id_number) in &sitting {
            store
                .add_worker(&WorkerInput {
                    name: (*name).into(),
                    id_number: id_number.clone(),
                    phone: "13812345678".into(),
                    membership: Membership::JoinedHere,
                    ..Default::default()
                })
                .unwrap();
        }
        let event = store
            .add_event(&EventInput {
                name: "夏送清凉·南开工地".into(),
                kind: "summer_cooling".into(),
                held_on: None,
                place: "南开区某工地".into(),
                district_code: "120104".into(),
                default_quantity: 1,
                default_amount_fen: 0,
            })
            .unwrap()
            .uid;
        let roster: Vec<RosterEntry> = [
            ("毛洋", "62010219970815520"),
            ("武春军", "12011120000715669"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (name, first17))| RosterEntry {
            row: i + 2,
            draft: jingong::domain::validate::WorkerDraft {
                name: (*name).into(),
                id_number: with_check_digit(first17),
                phone: "13912345678".into(),
                ..Default::default()
            },
            ..Default::default()
        })
        .collect();
        let summary = store
            .import_roster(
                &roster,
                &ImportOptions {
                    event_uid: Some(event.clone()),
                    ..Default::default()
                },
                &mut |_| {},
            )
            .unwrap();
        assert_eq!(summary.event_recorded, 2);
        let services: Vec<String> = live_services(&store, &event)
            .into_iter()
            .map(|a| a.service_uid)
            .collect();
        (event, services)
    };
    assert_eq!(roster_services.len(), 2);

    let mut screen = start(&db, None);
    screen.wait_for("共 5 人");
    screen.send(F6);
    screen.wait_for("夏送清凉·南开工地");
    screen.send("\r");
    screen.wait_for("快速录入");
    for (name, id_number) in &sitting {
        screen.send(id_number);
        screen.send("\r");
        screen.wait_for(&format!("已记录 {name}"));
    }
    screen.wait_for("本活动已服务 5 人");

    for (name, _) in sitting.iter().rev() {
        screen.send(CTRL_Z);
        screen.wait_for(&format!("已撤销 {name} 的记录"));
    }
    screen.send(CTRL_Z);
    screen.wait_for("本次录入已没有可撤销的记录");
    screen.wait_for("本活动已服务 2 人");
    {
        let store = Store::open(&db).unwrap();
        let left: Vec<String> = live_services(&store, &event)
            .into_iter()
            .map(|a| a.service_uid)
            .collect();
        assert_eq!(left, roster_services, "the roster's records are untouched");
    }

    screen.send(CTRL_R);
    screen.wait_for("已恢复 王建国 的记录");
    screen.wait_for("本活动已服务 3 人");
    screen.send(CTRL_Q);
    assert_eq!(screen.wait_exit(), 0, "{}", screen.text());
    let store = Store::open(&db).unwrap();
    let names: Vec<String> = live_services(&store, &event)
        .into_iter()
        .map(|a| a.worker_name)
        .collect();
    assert_eq!(names.len(), 3);
    assert!(names.contains(&"王建国".to_string()), "{names:?}");
}

/// Issue 14's must-show: from home to the events, the batches and the statistics with only the
/// keys the home footer shows (read off the screen, not assumed), and back with Esc.
#[test]
fn the_home_footer_keys_reach_events_batches_and_statistics_in_a_real_terminal() {
    const F7: &str = "\x1b[18~";
    const F9: &str = "\x1b[20~";
    const ESC: &str = "\x1b";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    drop(store_with_officer(Some(&db), NOW));
    let mut screen = start(&db, None);
    screen.wait_for("还没有登记职工");

    // The footer is the second row from the bottom of the 100×30 terminal.
    let footer = |screen: &Pty| {
        screen
            .text()
            .lines()
            .nth(28)
            .unwrap_or_default()
            .to_string()
    };
    let home = footer(&screen);
    for (key, bytes, says, title) in [
        ("F6", F6, "服务活动", "服务活动"),
        ("F7", F7, "批次", "批次：导出与校验"),
        ("F9", F9, "统计", "统计"),
    ] {
        assert!(
            home.contains(&format!("{key}  {says}")),
            "{key} is not on the home footer: {home}"
        );
        screen.send(bytes);
        screen.wait_for(&format!("津工 · {title}"));
        // Esc goes back on every screen (help lists it; the batches footer has no room).
        screen.send(ESC);
        screen.wait_for("还没有登记职工");
    }
    screen.send(CTRL_Q);
    assert_eq!(screen.wait_exit(), 0, "{}", screen.text());
}
