//! The real binary in a pseudo-terminal: first run, a worker registered with a Chinese name
//! by key presses, a health check logged, quit; then both records are in the database. And
//! quick entry at an event: a registered worker's ID number and Enter record the service.

use jingong::domain::idcard::with_check_digit;
use jingong::store::Store;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const F2: &str = "\x1bOQ";
const F3: &str = "\x1bOR";
const F6: &str = "\x1b[17~";
const CTRL_Q: &str = "\x11";

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `needle` shows, or fails with what the screen shows.
    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("'{needle}' never showed; the screen:\n{}", self.text());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // A lone Esc or a burst of keys is read as the terminal sends it; a short pause keeps
        // separate presses separate, as a person's typing is.
        std::thread::sleep(Duration::from_millis(60));
    }
}

#[test]
fn register_a_worker_and_log_a_health_check_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jingong"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("JINGONG_DATA_DIR", dir.path().join("data"));
    cmd.env("JINGONG_CONFIG_DIR", dir.path().join("config"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env_remove("JINGONG_KEY");
    // With encryption built in, the same walk runs on an encrypted database: the search
    // thread's own connection must get the key too.
    #[cfg(feature = "encryption")]
    cmd.env("JINGONG_KEY", "e2e-key");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZero::new(30).unwrap(),
        std::num::NonZero::new(100).unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut screen = Screen {
        parser,
        writer: pty.master.take_writer().unwrap(),
    };

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
    screen.wait_for("服务记录（1 条");

    screen.send(CTRL_Q);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "jingong did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");

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
    use jingong::domain::{EventInput, Membership, Officer, WorkerInput};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let id_number = with_check_digit("13010219850612331");
    let event = {
        let mut store = Store::open(&db).unwrap();
        store
            .set_officer(&Officer {
                name: "李明".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            })
            .unwrap();
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
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jingong"));
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("JINGONG_DATA_DIR", dir.path().join("data"));
    cmd.env("JINGONG_CONFIG_DIR", dir.path().join("config"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZero::new(24).unwrap(),
        std::num::NonZero::new(80).unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut screen = Screen {
        parser,
        writer: pty.master.take_writer().unwrap(),
    };

    screen.wait_for("共 1 人");
    screen.send(F6);
    screen.wait_for("夏送清凉·南开工地");
    screen.send("\r");
    screen.wait_for("快速录入");
    // The number arrives as a person types it: one key at a time.
    for c in id_number.chars() {
        screen.writer.write_all(c.to_string().as_bytes()).unwrap();
        screen.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    screen.send("\r");
    screen.wait_for("已记录 王建国");
    screen.wait_for("本活动已服务 1 人");

    screen.send(CTRL_Q);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "jingong did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    let store = Store::open(&db).unwrap();
    let worker = store.worker_by_id_number(&id_number).unwrap().unwrap();
    assert!(store.served_in_event(&event, &worker.uid).unwrap());
}
