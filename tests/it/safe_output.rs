//! Text already stored is never harmful where it goes out: an old or hand-edited database can
//! hold a name with `ESC[2J` or a bidi override, and a valid note can start with `=`. The CLI
//! and the TUI show such text escaped, CSV copies neutralise formula cells, the XLSX copy keeps
//! text cells.

use crate::support::fixture::TestDb;
use crate::support::tui::{database_with_officer, keys, open_app, render};
use jingong::domain::WorkerInput;
use jingong::text::Lang;
use std::io::Read;
use std::path::Path;

const HOSTILE_NAME: &str = "张\u{1b}[2J三";
const HOSTILE_EMPLOYER: &str = "\u{202e}司公限有";
const HOSTILE_NOTE: &str = "备注\u{9b}31m\u{7}";
const HOSTILE_PLACE: &str = "工地\u{1b}]0;owned\u{7}";

/// Writes the hostile text straight into the database, past every door, as an old jingong or
/// a hand edit could have left it.
fn poison(db: &Path, worker_uid: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "UPDATE worker SET name = ?1, employer = ?2, note = ?3 WHERE uid = ?4",
        (HOSTILE_NAME, HOSTILE_EMPLOYER, HOSTILE_NOTE, worker_uid),
    )
    .unwrap();
    conn.execute("UPDATE service SET place = ?1", [HOSTILE_PLACE])
        .unwrap();
    conn.execute("UPDATE officer SET name = ?1", [HOSTILE_NAME])
        .unwrap();
}

/// No byte or character a terminal could act on: ESC, BEL, C1 controls, bidi controls.
fn assert_terminal_safe(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && jingong::domain::name::is_invisible(c))
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in {text:?}");
}

fn cli_db() -> (TestDb, String) {
    let t = TestDb::with_officer();
    let uid = t.add_worker("张三", "620102199708155206", "13812345678");
    t.cmd()
        .args(["service", "add", "--worker", &uid, "--kind", "warmth"])
        .args(["--on", "2026-11-01", "--place", "工地"])
        .assert()
        .success();
    poison(&t.db, &uid);
    (t, uid)
}

fn stdout(t: &TestDb, args: &[&str]) -> String {
    let out = t.cmd().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_terminal_safe(
        &format!("{args:?} stderr"),
        &String::from_utf8(out.stderr).unwrap(),
    );
    stdout
}

#[test]
fn cli_output_shows_stored_controls_escaped() {
    let (t, uid) = cli_db();
    let show = stdout(&t, &["worker", "show", &uid]);
    assert_terminal_safe("worker show", &show);
    assert!(show.contains("张\\u{1b}[2J三"), "{show}");
    assert!(show.contains("\\u{202e}司公限有"), "{show}");
    assert!(show.contains("工地\\u{1b}]0;owned\\u{7}"), "{show}");
    assert!(show.contains("张\\u{1b}[2J三"), "officer name: {show}");

    let search = stdout(&t, &["search", "13812345678"]);
    assert_terminal_safe("search", &search);
    assert!(search.contains("张\\u{1b}[2J三"), "{search}");

    for args in [
        ["worker", "show", uid.as_str(), "--json"],
        ["search", "13812345678", "--json", "--reveal"],
    ] {
        let json = stdout(&t, &args);
        assert_terminal_safe("json", &json);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let worker = value.get("hits").map_or(&value, |hits| &hits[0]);
        // The same value as stored: scripts still get the exact text.
        assert_eq!(worker["name"], HOSTILE_NAME, "{json}");
        assert_eq!(worker["employer"], HOSTILE_EMPLOYER, "{json}");
    }

    let audit = stdout(&t, &["audit", "--worker", &uid]);
    assert_terminal_safe("audit", &audit);
    let officer = stdout(&t, &["officer", "show"]);
    assert_terminal_safe("officer show", &officer);
    assert!(officer.contains("张\\u{1b}[2J三"), "{officer}");
}

#[test]
fn tui_screens_draw_stored_controls_escaped() {
    let (_dir, db, mut store) = database_with_officer();
    let uid = store
        .add_worker(&WorkerInput {
            name: "张三".into(),
            id_number: "620102199708155206".into(),
            phone: "13812345678".into(),
            ..Default::default()
        })
        .unwrap()
        .uid;
    drop(store);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE worker SET name = ?1, employer = ?2, note = ?3 WHERE uid = ?4",
        (HOSTILE_NAME, HOSTILE_EMPLOYER, HOSTILE_NOTE, &uid),
    )
    .unwrap();
    drop(conn);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = open_app(&db, lang);
        let list = render(&app, 120, 30);
        let detail = {
            keys(&mut app, "enter");
            render(&app, 120, 30)
        };
        for (screen, terminal) in [("list", list), ("detail", detail)] {
            let buffer = terminal.backend().buffer();
            let mut text = String::new();
            for cell in buffer.content() {
                text.push_str(cell.symbol());
            }
            assert_terminal_safe(screen, &text);
            // Shown, not dropped: the officer sees that something is odd about the name.
            assert!(text.contains("\\u{1b}[2J"), "{screen}: {text}");
            assert!(text.contains("\\u{202e}"), "{screen}: {text}");
        }
    }
}

fn csv_cells(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_copies_neutralise_formulas_and_xlsx_keeps_text_cells() {
    let t = TestDb::with_officer();
    let formula = "=HYPERLINK(\"http://example.invalid\",\"点我\")";
    t.cmd()
        .args([
            "worker",
            "add",
            "--name",
            "张三",
            "--id-number",
            "620102199708155206",
        ])
        .args([
            "--phone",
            "13812345678",
            "--employer=@SUM(A1)",
            "--trade=-1+2",
        ])
        .arg(format!("--note={formula}"))
        .assert()
        .success();
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let output = t
        .cmd()
        .args(["export", "--csv", "--xlsx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let batch = std::path::PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());

    let rows = csv_cells(&batch.join("workers.csv"));
    let header = &rows[0];
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.ends_with(&format!(" {name}")))
            .unwrap()
    };
    let worker = &rows[1];
    assert_eq!(worker[column("note")], format!("'{formula}"));
    assert_eq!(worker[column("employer")], "'@SUM(A1)");
    assert_eq!(worker[column("trade")], "'-1+2");
    assert_eq!(worker[column("name")], "张三");
    assert_eq!(worker[column("phone")], "13812345678");

    let file = std::fs::File::open(batch.join("review.xlsx")).unwrap();
    let mut workbook = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    for i in 0..workbook.len() {
        let mut entry = workbook.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name.starts_with("xl/") && name.ends_with(".xml") {
            entry.read_to_string(&mut xml).unwrap();
        }
    }
    assert!(
        !xml.contains("<f>") && !xml.contains("<f "),
        "a formula cell in the workbook"
    );
    // The text as typed, no apostrophe: a text cell is never evaluated.
    assert!(
        xml.contains("=HYPERLINK("),
        "the note is missing from the workbook"
    );
    assert!(
        !xml.contains("'=HYPERLINK"),
        "the workbook holds the CSV's prefix"
    );
}
