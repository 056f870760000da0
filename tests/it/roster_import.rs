//! `jingong import roster` as an office meets it: rosters saved by Excel and WPS in every
//! encoding, bad rows, re-imports, events, dry runs, and a laptop that dies mid-import.

use crate::support::bin::stdout_of;
use crate::support::fixture::{NOW, TestDb, write_generated_roster};
use jingong::domain::EventInput;
use jingong::store::Store;
use predicates::prelude::*;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const SAMPLE_ROWS: i64 = 15;

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// Copies a fixture into the test's folder, so the rejects file lands there too.
fn copy_fixture(t: &TestDb, name: &str) -> PathBuf {
    let dest = t.path().join(name);
    std::fs::copy(fixture(name), &dest).expect("copy fixture");
    dest
}

fn import(t: &TestDb, file: &Path, extra: &[&str]) -> String {
    let out = t
        .cmd()
        .args(["import", "roster"])
        .arg(file)
        .args(extra)
        .output()
        .expect("run jingong");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        out.status.success(),
        "import failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn db(t: &TestDb) -> Connection {
    Connection::open(&t.db).expect("open db")
}

fn count(t: &TestDb, sql: &str) -> i64 {
    db(t).query_row(sql, [], |r| r.get(0)).expect("count")
}

fn live_workers(t: &TestDb) -> i64 {
    count(t, "SELECT count(*) FROM worker WHERE deleted_at IS NULL")
}

#[test]
fn utf8_with_bom_roster_registers_every_row() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-utf8-bom.csv");
    let out = import(&t, &file, &[]);
    assert!(out.contains("CSV UTF-8（带 BOM）"), "{out}");
    assert!(
        out.contains("新登记 15 人，更新 0 人，无变化 0 人，未导入 0 行"),
        "{out}"
    );
    assert_eq!(live_workers(&t), SAMPLE_ROWS);
    let (name, employer, trade): (String, String, String) = db(&t)
        .query_row(
            "SELECT name, employer, trade FROM worker WHERE id_number = '620102199708155206'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("first row");
    assert_eq!(
        (name.as_str(), employer.as_str(), trade.as_str()),
        ("毛洋", "西青区王稳庄工业园某机械厂", "电工")
    );
    assert!(
        !Path::new(&format!("{}.rejects.csv", file.display())).exists(),
        "no rejects, no rejects file"
    );
}

#[test]
fn plain_utf8_roster_with_english_headers_registers_every_row() {
    let t = TestDb::with_officer();
    let text = std::fs::read_to_string(fixture("roster-utf8-bom.csv")).expect("fixture");
    let text = text.trim_start_matches('\u{feff}').replacen(
        "姓名,身份证号,手机号,工作单位,工种",
        "Name, ID_Number ,phone,Employer,TRADE",
        1,
    );
    let file = t.path().join("roster-en.csv");
    std::fs::write(&file, text).expect("write");
    let out = import(&t, &file, &["--lang", "en"]);
    assert!(out.contains("(CSV UTF-8)"), "{out}");
    assert!(
        out.contains("new 15, updated 0, unchanged 0, rejected 0"),
        "{out}"
    );
    assert_eq!(live_workers(&t), SAMPLE_ROWS);
}

#[test]
fn gbk_roster_registers_every_row() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-gbk.csv");
    let out = import(&t, &file, &[]);
    assert!(out.contains("GBK/GB18030"), "{out}");
    assert!(out.contains("新登记 15 人"), "{out}");
    let name: String = db(&t)
        .query_row(
            "SELECT name FROM worker WHERE id_number = '41010219920317922X'",
            [],
            |r| r.get(0),
        )
        .expect("row with X");
    assert_eq!(name, "易立新");
}

#[test]
fn bad_rows_go_to_a_private_rejects_file_with_their_reasons_and_never_stop_good_ones() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-gbk-bad-rows.csv");
    let out = import(&t, &file, &[]);
    assert!(
        out.contains("新登记 2 人，更新 0 人，无变化 0 人，未导入 5 行"),
        "{out}"
    );
    assert!(out.contains("已忽略的列：血型"), "{out}");
    assert_eq!(live_workers(&t), 2);

    let rejects = t.path().join("roster-gbk-bad-rows.csv.rejects.csv");
    let bytes = std::fs::read(&rejects).expect("rejects file written next to the input");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&rejects)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "holds ID numbers: owner only");
    }
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "姓名",
            "身份证号",
            "手机号",
            "工作单位",
            "工种",
            "血型",
            "原因",
            "原行号"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    let reason_of = |row: &str| -> String {
        rows.iter()
            .find(|r| r[7] == row)
            .unwrap_or_else(|| panic!("row {row} rejected: {rows:?}"))[6]
            .clone()
    };
    assert_eq!(rows.len(), 5, "{rows:?}");
    // The original cells are kept as they were, so the officer can fix and re-import them.
    assert_eq!(
        rows[0][..6],
        [
            "谭建",
            "120101198609196686",
            "15311336148",
            "泰森集团",
            "架子工",
            "A"
        ]
    );
    assert_eq!(
        reason_of("2"),
        "身份证号：校验位应为 7，实为 6（请核对号码）"
    );
    assert_eq!(reason_of("3"), "手机号：必填");
    assert!(
        reason_of("4").starts_with("身份证号：第 11 位「O」不是数字"),
        "{rows:?}"
    );
    assert_eq!(reason_of("6"), "身份证号：与第 5 行重复");
    assert!(
        reason_of("7").starts_with("身份证号：出生日期无效"),
        "{rows:?}"
    );
}

#[test]
fn reasons_follow_the_ui_language() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-gbk-bad-rows.csv");
    let out = import(&t, &file, &["--lang", "en"]);
    assert!(out.contains("rejected 5"), "{out}");
    assert!(
        out.contains("row 2: ID number: check digit should be 7, found 6"),
        "{out}"
    );
    assert!(out.contains("row 6: ID number: same as row 5"), "{out}");
}

fn write_workbook(path: &Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let cover = workbook.add_worksheet();
    cover.set_name("说明").expect("name");
    cover
        .write_string(0, 0, "本工作簿第二页为名单")
        .expect("cell");
    let sheet = workbook.add_worksheet();
    sheet.set_name("名单").expect("name");
    let header = [
        "姓名",
        "公民身份号码",
        "联系电话",
        "单位",
        "所属区",
        "困难职工",
    ];
    for (col, text) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *text).expect("header");
    }
    let rows = [
        (
            "毛洋",
            "620102199708155206",
            19879217421_f64,
            "泰森集团",
            "和平区",
            "是",
        ),
        (
            "武春军",
            "120111200007156699",
            17081003390_f64,
            "天津港建设工程有限公司",
            "120111",
            "否",
        ),
    ];
    for (i, (name, id, phone, employer, district, hardship)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, *name).expect("cell");
        sheet.write_string(r, 1, *id).expect("cell");
        // Excel keeps typed phone numbers as numbers: the reader must not add ".0".
        sheet.write_number(r, 2, *phone).expect("cell");
        sheet.write_string(r, 3, *employer).expect("cell");
        sheet.write_string(r, 4, *district).expect("cell");
        sheet.write_string(r, 5, *hardship).expect("cell");
    }
    workbook.save(path).expect("save xlsx");
}

#[test]
fn xlsx_roster_is_read_from_the_named_sheet() {
    let t = TestDb::with_officer();
    let file = t.path().join("名单.xlsx");
    write_workbook(&file);

    // The first sheet is a cover page without the required columns.
    t.cmd()
        .args(["import", "roster"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("缺少必需的列").and(predicate::str::contains("姓名")));
    t.cmd()
        .args(["import", "roster"])
        .arg(&file)
        .args(["--sheet", "花名册"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("名单").and(predicate::str::contains("说明")));

    let out = import(&t, &file, &["--sheet", "名单"]);
    assert!(out.contains("工作表「名单」"), "{out}");
    assert!(out.contains("新登记 2 人"), "{out}");
    let (phone, district, hardship): (String, String, bool) = db(&t)
        .query_row(
            "SELECT phone, district_code, hardship FROM worker WHERE name = '毛洋'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row");
    assert_eq!(
        (phone.as_str(), district.as_str(), hardship),
        ("19879217421", "120101", true)
    );
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-gbk.csv");
    import(&t, &file, &[]);
    let audit_rows = count(&t, "SELECT count(*) FROM audit");
    let out = import(&t, &file, &[]);
    assert!(
        out.contains("新登记 0 人，更新 0 人，无变化 15 人，未导入 0 行"),
        "{out}"
    );
    assert_eq!(count(&t, "SELECT max(version) FROM worker"), 1);
    assert_eq!(count(&t, "SELECT count(*) FROM audit"), audit_rows);
    assert_eq!(live_workers(&t), SAMPLE_ROWS);
}

#[test]
fn an_updated_cell_updates_only_that_field_and_an_empty_cell_erases_nothing() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-utf8-bom.csv");
    import(&t, &file, &[]);
    let text = std::fs::read_to_string(&file).expect("read");
    let text = text
        // 毛洋 changed phone.
        .replace("19879217421", "13800001111")
        // 武春军's employer cell left empty: the stored employer stays.
        .replace(
            "武春军,120111200007156699,17081003390,天津港建设工程有限公司,",
            "武春军,120111200007156699,17081003390,,",
        );
    let changed = t.path().join("roster-changed.csv");
    std::fs::write(&changed, text).expect("write");
    let out = import(&t, &changed, &[]);
    assert!(
        out.contains("新登记 0 人，更新 1 人，无变化 14 人，未导入 0 行"),
        "{out}"
    );
    assert!(out.contains("更新的字段：手机号 1"), "{out}");
    let (uid, phone, version): (String, String, i64) = db(&t)
        .query_row(
            "SELECT uid, phone, version FROM worker WHERE id_number = '620102199708155206'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row");
    assert_eq!((phone.as_str(), version), ("13800001111", 2));
    let (action, fields, audit_version): (String, String, i64) = db(&t)
        .query_row(
            "SELECT action, fields, version FROM audit WHERE record_uid = ?1 ORDER BY id DESC",
            [&uid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("audit");
    assert_eq!(
        (action.as_str(), fields.as_str(), audit_version),
        ("update", "phone", 2)
    );
    let employer: String = db(&t)
        .query_row(
            "SELECT employer FROM worker WHERE id_number = '120111200007156699'",
            [],
            |r| r.get(0),
        )
        .expect("row");
    assert_eq!(employer, "天津港建设工程有限公司");
}

fn add_event(t: &TestDb, kind: &str) -> String {
    // SAFETY of the env read: the store takes "now" from JINGONG_NOW; an explicit date here
    // keeps the event on the tests' fixed day whatever the real clock says.
    let mut store = Store::open(&t.db).expect("open");
    store
        .add_event(&EventInput {
            name: "冬送温暖·西青宿舍".into(),
            kind: kind.into(),
            held_on: Some(
                chrono::DateTime::parse_from_rfc3339(NOW)
                    .expect("now")
                    .date_naive(),
            ),
            place: "西青区某宿舍".into(),
            district_code: "120111".into(),
            default_quantity: 1,
            default_amount_fen: 50_000,
        })
        .expect("event")
        .uid
}

#[test]
fn event_option_records_the_service_once_per_worker() {
    let t = TestDb::with_officer();
    let event = add_event(&t, "winter_warmth");
    let first = copy_fixture(&t, "roster-utf8-bom.csv");
    let out = import(&t, &first, &["--event", &event]);
    assert!(
        out.contains("活动：新记录服务 15 人，此前已记录 0 人"),
        "{out}"
    );
    let sql = format!(
        "SELECT count(*) FROM service s JOIN event e ON e.id = s.event_id
         WHERE e.uid = '{event}' AND s.kind = 'winter_warmth' AND s.amount_fen = 50000
           AND s.deleted_at IS NULL"
    );
    assert_eq!(count(&t, &sql), 15);

    // Same crew again plus the GBK crew: only the new ones are served.
    import(&t, &first, &["--event", &event]);
    let second = copy_fixture(&t, "roster-gbk.csv");
    let out = import(&t, &second, &["--event", &event]);
    assert!(out.contains("新记录服务 15 人，此前已记录 0 人"), "{out}");
    let out = import(&t, &first, &["--event", &event]);
    assert!(out.contains("新记录服务 0 人，此前已记录 15 人"), "{out}");
    assert_eq!(count(&t, &sql), 30);
}

#[test]
fn an_unknown_event_or_one_needing_a_form_refuses_before_writing() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-gbk.csv");
    t.cmd()
        .args(["import", "roster"])
        .arg(&file)
        .args(["--event", "no-such-event"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-event"));
    let clinic = add_event(&t, "health_check");
    t.cmd()
        .args(["import", "roster"])
        .arg(&file)
        .args(["--event", &clinic])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("health_check"));
    assert_eq!(live_workers(&t), 0);
}

#[test]
fn dry_run_reports_the_real_counts_and_writes_nothing() {
    let t = TestDb::with_officer();
    let event = add_event(&t, "winter_warmth");
    let file = copy_fixture(&t, "roster-gbk-bad-rows.csv");
    let audit_rows = count(&t, "SELECT count(*) FROM audit");
    let dry = import(&t, &file, &["--dry-run", "--event", &event]);
    assert!(dry.contains("预演"), "{dry}");
    assert_eq!(live_workers(&t), 0);
    assert_eq!(count(&t, "SELECT count(*) FROM service"), 0);
    assert_eq!(count(&t, "SELECT count(*) FROM audit"), audit_rows);
    assert!(
        !t.path()
            .join("roster-gbk-bad-rows.csv.rejects.csv")
            .exists(),
        "a dry run writes no rejects file unless --rejects names one"
    );

    let real = import(&t, &file, &["--event", &event]);
    let counts = |out: &str| {
        out.lines()
            .filter(|l| l.starts_with("新登记") || l.starts_with("活动"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&dry), counts(&real));
    assert_eq!(live_workers(&t), 2);
}

#[test]
fn rejects_path_can_be_chosen() {
    let t = TestDb::with_officer();
    let file = copy_fixture(&t, "roster-gbk-bad-rows.csv");
    let chosen = t.path().join("退回.csv");
    let out = import(&t, &file, &["--rejects", chosen.to_str().expect("utf-8")]);
    assert!(out.contains("退回.csv"), "{out}");
    assert!(chosen.exists());
    assert!(
        !t.path()
            .join("roster-gbk-bad-rows.csv.rejects.csv")
            .exists()
    );
}

#[test]
fn unknown_columns_are_listed_and_missing_required_ones_named() {
    let t = TestDb::with_officer();
    let file = t.path().join("roster.csv");
    std::fs::write(
        &file,
        "姓名,身份证号码,手机,籍贯,血型\n毛洋,620102199708155206,19879217421,甘肃,A\n",
    )
    .expect("write");
    let out = import(&t, &file, &[]);
    assert!(out.contains("已忽略的列：籍贯、血型"), "{out}");
    assert!(out.contains("新登记 1 人"), "{out}");

    std::fs::write(&file, "人员,电话\n毛洋,19879217421\n").expect("write");
    t.cmd()
        .args(["--lang", "en", "import", "roster"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "required columns: name, ID number",
        ));
}

#[test]
fn an_unreadable_file_is_refused() {
    let t = TestDb::with_officer();
    t.cmd()
        .args(["import", "roster"])
        .arg(t.path().join("没有这个文件.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("无法读取名单文件"));
}

fn spawn_import(t: &TestDb, roster: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_jingong"))
        .arg("--db")
        .arg(&t.db)
        .args(["import", "roster"])
        .arg(roster)
        .env("JINGONG_NOW", NOW)
        .env("JINGONG_DATA_DIR", t.path().join("data"))
        .env_remove("JINGONG_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn")
}

/// Kills the real binary at moments spread over a whole import, the commit included: each
/// time the database holds either none or all of the roster and passes the integrity check.
#[test]
fn a_crash_during_import_leaves_all_or_none() {
    const ROWS: i64 = 8_000;
    let roster_dir = tempfile::tempdir().expect("dir");
    let roster = roster_dir.path().join("roster.csv");
    write_generated_roster(&roster, ROWS as usize);

    // An uninterrupted run sets the time scale (it varies with the machine's load).
    let whole = TestDb::with_officer();
    let started = std::time::Instant::now();
    assert!(spawn_import(&whole, &roster).wait().expect("run").success());
    let full_run = started.elapsed();
    assert_eq!(live_workers(&whole), ROWS);

    let mut killed_while_running = 0;
    for fraction in [0.05, 0.3, 0.6, 0.85, 0.95, 0.99, 1.02, 1.1, 1.3] {
        let t = TestDb::with_officer();
        let mut child = spawn_import(&t, &roster);
        std::thread::sleep(full_run.mul_f64(fraction));
        if child.try_wait().expect("poll").is_none() {
            killed_while_running += 1;
            // SIGKILL on Unix: no destructor, no rollback, like a pulled battery.
            child.kill().expect("kill");
        }
        child.wait().expect("reap");

        let conn = Connection::open(&t.db).expect("reopen after crash");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity check");
        assert_eq!(check, "ok", "after a kill at {fraction} of a run");
        let workers: i64 = conn
            .query_row("SELECT count(*) FROM worker", [], |r| r.get(0))
            .expect("count");
        assert!(
            workers == 0 || workers == ROWS,
            "kill at {fraction} of a run left {workers} of {ROWS} workers"
        );
        eprintln!("kill at {fraction} of a run: {workers} of {ROWS} workers");
        let searchable: i64 = conn
            .query_row(
                "SELECT count(DISTINCT worker_id) FROM search_term",
                [],
                |r| r.get(0),
            )
            .expect("count");
        let audited: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit WHERE table_name = 'worker'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(
            (searchable, audited),
            (workers, workers),
            "search keys and audit rows travel with their workers"
        );
    }
    assert!(
        killed_while_running > 0,
        "no kill landed while the import ran"
    );
}

#[test]
fn help_lists_the_import_options() {
    let t = TestDb::new();
    let help = stdout_of(t.cmd().args(["import", "roster", "--help"]));
    for option in [
        "--event",
        "--dry-run",
        "--rejects",
        "--sheet",
        "--accept-renames",
        "--changes",
        "--reveal",
    ] {
        assert!(help.contains(option), "{help}");
    }
}

// ---- issue 13: never rename or overwrite silently; Excel numbers are not ID numbers ----------

fn worker_row(t: &TestDb, id_number: &str) -> (String, String, String, i64) {
    db(t)
        .query_row(
            "SELECT name, phone, district_code, version FROM worker WHERE id_number = ?1",
            [id_number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("row")
}

#[test]
fn a_known_id_with_another_name_and_blank_cells_is_refused_and_every_change_listed() {
    let t = TestDb::with_officer();
    let first = t.path().join("first.csv");
    std::fs::write(
        &first,
        "姓名,身份证号,手机号,工作单位,所属区\n\
         孙丽,620102199708155206,13800004444,泰森集团,和平区\n\
         武春军,120111200007156699,17081003390,天津港,120111\n",
    )
    .expect("write");
    import(&t, &first, &[]);

    // 孙丽's ID with another name and blank cells; 武春军 with a new phone and district.
    let later = t.path().join("later.csv");
    std::fs::write(
        &later,
        "姓名,身份证号,手机号,工作单位,所属区\n\
         孙莉,620102199708155206,,,\n\
         武春军,120111200007156699,13700000000,,南开区\n",
    )
    .expect("write");
    let preview = import(&t, &later, &["--dry-run"]);
    assert!(
        preview.contains("第 2 行：姓名：该身份证号已登记为 孙丽，名单写作 孙莉"),
        "{preview}"
    );
    assert!(
        preview.contains("将更改的已登记职工（原值 → 新值）："),
        "{preview}"
    );
    assert!(
        preview.contains(
            "第 3 行 武春军 120111********6699：手机号 170****3390 → 137****0000；所属区 西青区 → 南开区"
        ),
        "{preview}"
    );
    assert!(!preview.contains("13700000000"), "phones masked: {preview}");
    assert_eq!(
        worker_row(&t, "120111200007156699").3,
        1,
        "a dry run writes nothing"
    );

    let out = import(&t, &later, &[]);
    assert!(
        out.contains("新登记 0 人，更新 1 人，无变化 0 人，未导入 1 行"),
        "{out}"
    );
    assert!(out.contains("已更改的已登记职工"), "{out}");
    let (name, phone, district, version) = worker_row(&t, "620102199708155206");
    assert_eq!(
        (name.as_str(), phone.as_str(), district.as_str(), version),
        ("孙丽", "13800004444", "120101", 1),
        "name, phone and district unchanged"
    );
    let changes = std::fs::read_to_string(t.path().join("later.csv.changes.csv")).expect("file");
    assert!(
        changes.contains("3,武春军,120111********6699,手机号,170****3390,137****0000"),
        "{changes}"
    );
    assert!(changes.contains("3,武春军,120111********6699,所属区,西青区,南开区"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.path().join("later.csv.changes.csv"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Accepted on purpose: renamed, and said so field by field.
    let out = import(&t, &later, &["--accept-renames", "--lang", "en"]);
    assert!(
        out.contains("row 2 孙莉 620102********5206: name 孙丽 → 孙莉"),
        "{out}"
    );
    assert_eq!(worker_row(&t, "620102199708155206").0, "孙莉");
}

#[test]
fn the_terminal_lists_twenty_changed_workers_and_counts_the_rest() {
    let t = TestDb::with_officer();
    let file = t.path().join("many.csv");
    write_generated_roster(&file, 25);
    import(&t, &file, &[]);
    let text = std::fs::read_to_string(&file).expect("read");
    let mut lines = text.lines();
    let header = lines.next().expect("header").to_string();
    let phone_col = header
        .split(',')
        .position(|h| h.contains("手机") || h.contains("phone") || h.contains("电话"))
        .expect("phone column");
    let mut changed = vec![header];
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[phone_col] = format!("1370000{:04}", i);
        changed.push(cells.join(","));
    }
    let changed_file = t.path().join("many-changed.csv");
    std::fs::write(&changed_file, changed.join("\n")).expect("write");
    let out = import(&t, &changed_file, &["--dry-run", "--lang", "en"]);
    assert_eq!(out.matches("→ 137").count(), 20, "{out}");
    assert!(
        out.contains("… 5 more (--changes FILE writes the full list)"),
        "{out}"
    );
    let list = t.path().join("list.csv");
    let out = import(
        &t,
        &changed_file,
        &["--dry-run", "--changes", list.to_str().unwrap()],
    );
    assert!(out.contains("……另有 5 人，完整清单见"), "{out}");
    let written = std::fs::read_to_string(&list).expect("list");
    assert_eq!(
        written.lines().count(),
        1 + 25,
        "a header and one line per change"
    );
}

#[test]
fn an_xlsx_id_number_in_a_number_cell_is_refused_even_with_a_valid_check_digit() {
    // Excel keeps 15 significant digits: 370102197301104xxx typed into a number cell becomes
    // 3.70102197301104E+17, and this one happens to end in a valid check digit.
    let damaged = 370_102_197_301_104_000_f64;
    let as_text = format!("{damaged}");
    assert_eq!(as_text, "370102197301104000");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
    assert!(
        jingong::domain::parse_id_number(&as_text, today).is_ok(),
        "the premise: its check digit is valid"
    );

    let t = TestDb::with_officer();
    let file = t.path().join("名单.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, text) in ["姓名", "身份证号", "手机号"].iter().enumerate() {
        sheet.write_string(0, col as u16, *text).expect("header");
    }
    sheet.write_string(1, 0, "工人辛").expect("cell");
    sheet.write_number(1, 1, damaged).expect("cell");
    sheet.write_number(1, 2, 13812345678_f64).expect("cell");
    // A phone that is not a whole number: refused too, not rounded.
    sheet.write_string(2, 0, "毛洋").expect("cell");
    sheet
        .write_string(2, 1, "620102199708155206")
        .expect("cell");
    sheet.write_number(2, 2, 13812345678.5).expect("cell");
    // Text ID, exact number phone: accepted.
    sheet.write_string(3, 0, "武春军").expect("cell");
    sheet
        .write_string(3, 1, "120111200007156699")
        .expect("cell");
    sheet.write_number(3, 2, 17081003390_f64).expect("cell");
    workbook.save(&file).expect("save");

    let out = import(&t, &file, &[]);
    assert!(
        out.contains("新登记 1 人，更新 0 人，无变化 0 人，未导入 2 行"),
        "{out}"
    );
    assert!(
        out.contains("第 2 行：身份证号：该单元格是数字格式"),
        "{out}"
    );
    assert!(
        out.contains("请把身份证号列设为「文本」格式后重新输入号码"),
        "{out}"
    );
    assert!(
        out.contains("第 3 行：手机号：该单元格是数字格式且不是 11 位整数"),
        "{out}"
    );
    assert_eq!(live_workers(&t), 1);
    assert_eq!(worker_row(&t, "120111200007156699").1, "17081003390");
    let en = import(&t, &file, &["--dry-run", "--lang", "en"]);
    assert!(
        en.contains("format the ID-number column as Text and type the number again"),
        "{en}"
    );
}

#[test]
fn a_gbk_row_in_a_utf8_roster_is_named_not_missing_columns() {
    let t = TestDb::with_officer();
    let file = t.path().join("mixed.csv");
    let (gbk_row, _, _) = encoding_rs::GBK.encode("孙丽,620102199708155206\n");
    let mut bytes = "姓名,身份证号\n武春军,120111200007156699\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(&gbk_row);
    std::fs::write(&file, bytes).expect("write");
    t.cmd()
        .args(["import", "roster"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("第 3 行不是 UTF-8 文本")
                .and(predicate::str::contains("缺少").not()),
        );
    t.cmd()
        .args(["--lang", "en", "import", "roster"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3 is not UTF-8"));
    assert_eq!(live_workers(&t), 0);
}

#[test]
fn an_empty_first_sheet_names_the_other_sheets() {
    let t = TestDb::with_officer();
    let file = t.path().join("book.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Sheet1").expect("name");
    let sheet = workbook.add_worksheet();
    sheet.set_name("名单").expect("name");
    sheet.write_string(0, 0, "姓名").expect("cell");
    sheet.write_string(0, 1, "身份证号").expect("cell");
    sheet.write_string(0, 2, "手机号").expect("cell");
    sheet.write_string(1, 0, "武春军").expect("cell");
    sheet
        .write_string(1, 1, "120111200007156699")
        .expect("cell");
    sheet.write_string(1, 2, "17081003390").expect("cell");
    workbook.save(&file).expect("save");
    t.cmd()
        .args(["import", "roster"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("第一个工作表「Sheet1」是空的")
                .and(predicate::str::contains("名单"))
                .and(predicate::str::contains("--sheet")),
        );
    let out = import(&t, &file, &["--sheet", "名单"]);
    assert!(out.contains("新登记 1 人"), "{out}");
}
