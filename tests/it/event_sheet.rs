//! `jingong event sheet`: sign-in and payout sheets read back as the finance office gets them,
//! cells and totals through calamine, print settings from the workbook's XML.

use crate::support::fixture::{NOW, TestDb};
use calamine::{Data, Reader, Xlsx, open_workbook};
use jingong::domain::idcard::with_check_digit;
use jingong::domain::{EventInput, ServiceInput, WorkerInput};
use jingong::store::{Clock, Store};
use std::io::Read;
use std::path::{Path, PathBuf};

const EVENT_NAME: &str = "冬送温暖·西青宿舍";

fn fixed_clock() -> Clock {
    Clock::fixed(chrono::DateTime::parse_from_rfc3339(NOW).expect("now"))
}

fn store(t: &TestDb) -> Store {
    let mut store = Store::open(&t.db).expect("open");
    store.set_clock(fixed_clock());
    store
}

/// An event paying 500 yuan and one packet to each attendee by default.
fn add_event(store: &mut Store) -> String {
    store
        .add_event(&EventInput {
            name: EVENT_NAME.into(),
            kind: "winter_warmth".into(),
            held_on: Some(fixed_clock().today()),
            place: "西青区某宿舍".into(),
            district_code: "120111".into(),
            default_quantity: 1,
            default_amount_fen: 50_000,
        })
        .expect("event")
        .uid
}

/// A valid ID number issued in 和平区 (1201…), distinct for each `n`.
fn id_number(n: u32) -> String {
    with_check_digit(&format!("12010119900101{:03}", n % 1000))
}

fn add_worker(store: &mut Store, n: u32, employer: &str) -> String {
    store
        .add_worker(&WorkerInput {
            name: format!("工人{n:02}"),
            id_number: id_number(n),
            phone: format!("138{:08}", 10_000_000 + n),
            employer: employer.into(),
            ..WorkerInput::default()
        })
        .expect("worker")
        .uid
}

fn run(t: &TestDb, args: &[&str]) -> std::process::Output {
    t.cmd()
        .arg("--lang")
        .arg("en")
        .args(["event", "sheet"])
        .args(args)
        .output()
        .expect("run jingong")
}

fn run_ok(t: &TestDb, args: &[&str]) -> String {
    let out = run(t, args);
    assert!(
        out.status.success(),
        "event sheet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Every cell of the only sheet as text, numbers in their shortest form.
fn cells(path: &Path) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open xlsx");
    let range = book.worksheet_range("签领表").expect("sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn zip_entry(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut text = String::new();
    zip.by_name(name)
        .expect("entry")
        .read_to_string(&mut text)
        .expect("utf-8 xml");
    text
}

/// The database file and its write-ahead log: together, everything it holds. A read-only
/// connection may leave an empty log behind, which holds nothing, like no log at all.
fn database_bytes(t: &TestDb) -> (Vec<u8>, Vec<u8>) {
    let mut wal = t.db.as_os_str().to_owned();
    wal.push("-wal");
    (
        std::fs::read(&t.db).expect("db bytes"),
        std::fs::read(PathBuf::from(wal)).unwrap_or_default(),
    )
}

fn out_path(t: &TestDb, name: &str) -> PathBuf {
    t.path().join(name)
}

#[test]
fn payout_sheet_holds_each_worker_the_totals_and_the_capital_amount() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    for n in 1..=2 {
        let w = add_worker(&mut s, n, "天津港建设工程有限公司");
        s.record_event_service(&event, &w).expect("record");
    }
    // A third attendee got a smaller payment with a note.
    let third = add_worker(&mut s, 3, "");
    s.add_service(
        &third,
        &ServiceInput {
            kind: "winter_warmth".into(),
            served_on: Some(fixed_clock().today()),
            place: "西青区某宿舍".into(),
            quantity: 2,
            amount_fen: 5_050,
            note: "补发".into(),
            event_uid: Some(event.clone()),
            health: None,
            legal: None,
        },
    )
    .expect("service");
    drop(s);

    let out = out_path(&t, "冬送温暖-签领表.xlsx");
    let printed = run_ok(
        &t,
        &[
            &event,
            "--kind",
            "payout",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(printed.contains("3 people, 1050.50 yuan"), "{printed}");

    let rows = cells(&out);
    assert_eq!(rows[0][0], format!("{EVENT_NAME}发放签领表"));
    assert_eq!(rows[1][0], "发放单位：和平区总工会");
    assert_eq!(rows[1][4], "发放项目：冬送温暖");
    assert_eq!(rows[2][0], "发放日期：2026年11月29日");
    assert_eq!(rows[2][4], "发放地点：西青区某宿舍");
    assert_eq!(
        rows[3],
        [
            "序号",
            "姓名",
            "身份证号",
            "工作单位",
            "数量",
            "金额（元）",
            "签字",
            "备注"
        ]
    );
    let masked = |n| format!("1201**********{}", &id_number(n)[14..]);
    assert_eq!(
        rows[4],
        [
            "1",
            "工人01",
            &masked(1),
            "天津港建设工程有限公司",
            "1",
            "500",
            "",
            ""
        ]
    );
    assert_eq!(rows[5][..3], ["2", "工人02", &masked(2)]);
    assert_eq!(
        rows[6],
        ["3", "工人03", &masked(3), "", "2", "50.5", "", "补发"]
    );
    assert_eq!(rows[7][..6], ["合计", "", "共 3 人", "", "4", "1050.5"]);
    assert_eq!(
        rows[8][0],
        "合计金额（大写）：人民币壹仟零伍拾元伍角整　　（小写）：¥1050.50"
    );
    assert_eq!(rows[10][0], "经办人：");
    assert_eq!(rows[10][3], "审核人：");
    assert!(rows[10][5].starts_with("日期："));
    let all: String = rows.concat().concat();
    assert!(
        !all.contains(&id_number(1)),
        "whole ID numbers stay hidden without --reveal"
    );
    assert!(!all.contains("1381"), "a payout sheet prints no phone");

    // Amounts are numbers shown with two decimals, so Excel and WPS can sum them.
    let sheet_xml = zip_entry(&out, "xl/worksheets/sheet1.xml");
    let styles = zip_entry(&out, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="0.00""#), "{styles}");
    assert!(sheet_xml.contains("<v>500</v>"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "personal data: owner-only");
    }
    let leftovers: Vec<_> = std::fs::read_dir(t.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );

    // --reveal prints whole numbers, replacing the earlier file.
    run_ok(
        &t,
        &[
            &event,
            "--kind",
            "payout",
            "--reveal",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(cells(&out)[4][2], id_number(1));
}

#[test]
fn print_settings_repeat_the_heading_on_a4_portrait_one_page_wide_with_page_numbers() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    let w = add_worker(&mut s, 1, "");
    s.record_event_service(&event, &w).expect("record");
    drop(s);
    let out = out_path(&t, "sheet.xlsx");
    run_ok(
        &t,
        &[
            &event,
            "--kind",
            "payout",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );

    let sheet = zip_entry(&out, "xl/worksheets/sheet1.xml");
    let workbook = zip_entry(&out, "xl/workbook.xml");
    assert!(
        workbook.contains(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">签领表!$1:$4</definedName>"#
        ),
        "title, information and heading rows repeat on every page: {workbook}"
    );
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    let page_setup = sheet
        .split("<pageSetup ")
        .nth(1)
        .and_then(|rest| rest.split("/>").next())
        .expect("pageSetup element");
    assert!(page_setup.contains(r#"paperSize="9""#), "A4: {page_setup}");
    assert!(
        page_setup.contains(r#"orientation="portrait""#),
        "{page_setup}"
    );
    assert!(page_setup.contains(r#"fitToHeight="0""#), "{page_setup}");
    // fitToWidth defaults to 1 in the schema, so a writer may leave it out.
    assert!(
        !page_setup.contains("fitToWidth=") || page_setup.contains(r#"fitToWidth="1""#),
        "{page_setup}"
    );
    assert!(
        sheet.contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"),
        "page N of M in the footer: {sheet}"
    );
}

#[test]
fn a_sheet_of_sixty_odd_attendees_numbers_them_all_and_leaves_withdrawn_services_out() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    let mut services = Vec::new();
    for n in 1..=66 {
        let w = add_worker(&mut s, n, "中建六局");
        services.push(s.record_event_service(&event, &w).expect("record").uid);
    }
    // 工人10 and 工人40 were recorded by mistake and withdrawn.
    s.withdraw_service(&services[9], "录入有误", None)
        .expect("withdraw");
    s.withdraw_service(&services[39], "录入有误", None)
        .expect("withdraw");
    drop(s);

    let out = out_path(&t, "sheet.xlsx");
    run_ok(
        &t,
        &[
            &event,
            "--kind",
            "payout",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    let rows = cells(&out);
    let lines: Vec<&Vec<String>> = rows[4..]
        .iter()
        .take_while(|r| r[0].parse::<u32>().is_ok())
        .collect();
    assert_eq!(lines.len(), 64);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line[0], (i + 1).to_string(), "序号 runs on without gaps");
    }
    let names: Vec<&str> = lines.iter().map(|l| l[1].as_str()).collect();
    assert!(!names.contains(&"工人10") && !names.contains(&"工人40"));
    assert_eq!(names[8..10], ["工人09", "工人11"]);
    assert_eq!(names.last(), Some(&"工人66"));
    let totals = &rows[4 + 64];
    assert_eq!(totals[..6], ["合计", "", "共 64 人", "", "64", "32000"]);
    assert!(rows[4 + 65][0].contains("人民币叁万贰仟元整"));

    // 64 signing rows of 30 points are far more than one A4 page (about 760 points printable).
    let sheet = zip_entry(&out, "xl/worksheets/sheet1.xml");
    let tall_rows = sheet.matches(r#"ht="30" customHeight="1""#).count();
    assert!(tall_rows >= 64, "signing rows are tall: {tall_rows}");
}

#[test]
fn sign_in_sheet_has_masked_phones_and_times_and_no_money() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    let w = add_worker(&mut s, 7, "天津港");
    s.record_event_service(&event, &w).expect("record");
    drop(s);
    let out = out_path(&t, "signin.xlsx");
    let printed = run_ok(
        &t,
        &[
            &event,
            "--kind",
            "signin",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(printed.contains("sign-in sheet"), "{printed}");
    let rows = cells(&out);
    assert_eq!(rows[0][0], format!("{EVENT_NAME}签到表"));
    assert_eq!(
        rows[3],
        [
            "序号",
            "姓名",
            "身份证号",
            "工作单位",
            "联系电话",
            "签字",
            "签到时间",
            "备注"
        ]
    );
    assert_eq!(
        rows[4],
        [
            "1",
            "工人07",
            &format!("1201**********{}", &id_number(7)[14..]),
            "天津港",
            "138****0007",
            "",
            "2026-11-29 10:00",
            ""
        ]
    );
    assert_eq!(rows[5][..3], ["合计", "", "共 1 人"]);
    let all = rows.concat().concat();
    assert!(
        !all.contains("金额") && !all.contains("人民币"),
        "no money on a sign-in sheet"
    );
}

#[test]
fn expected_sheet_from_a_roster_registers_nobody_and_leaves_the_database_unchanged() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    drop(s);
    let roster = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/roster-utf8-bom.csv"
    ));
    let before = database_bytes(&t);
    let out = out_path(&t, "expected.xlsx");
    run_ok(
        &t,
        &[
            &event,
            "--kind",
            "signin",
            "--expected",
            roster.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    let after = database_bytes(&t);
    assert_eq!(
        after, before,
        "the database (and its write-ahead log) is byte-for-byte unchanged"
    );
    let workers: i64 = rusqlite::Connection::open(&t.db)
        .expect("open")
        .query_row("SELECT count(*) FROM worker", [], |r| r.get(0))
        .expect("count");
    assert_eq!(workers, 0, "nobody registered");

    let rows = cells(&out);
    assert_eq!(
        rows[4][..5],
        [
            "1",
            "毛洋",
            "6201**********5206",
            "西青区王稳庄工业园某机械厂",
            "198****7421"
        ]
    );
    assert_eq!(rows[4][6], "", "nobody has signed in yet");
    let lines = rows[4..]
        .iter()
        .take_while(|r| r[0].parse::<u32>().is_ok())
        .count();
    assert_eq!(lines, 15, "every roster row, in file order");
    assert_eq!(rows[4 + lines][2], "应到 15 人");

    // A payout sheet lists only people paid: --expected with it is bad usage.
    let refused = run(
        &t,
        &[
            &event,
            "--kind",
            "payout",
            "--expected",
            roster.to_str().expect("utf-8"),
            "--out",
            out_path(&t, "p.xlsx").to_str().expect("utf-8"),
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--expected only goes with"));
    assert!(!out_path(&t, "p.xlsx").exists());
}

#[test]
fn an_event_without_attendees_is_refused_in_both_languages_and_nothing_is_written() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    // Its only attendee was withdrawn.
    let w = add_worker(&mut s, 1, "");
    let service = s.record_event_service(&event, &w).expect("record");
    s.withdraw_service(&service.uid, "录入有误", None)
        .expect("withdraw");
    drop(s);
    let out = out_path(&t, "empty.xlsx");
    let out_arg = out.to_str().expect("utf-8");

    let en = run(&t, &[&event, "--kind", "payout", "--out", out_arg]);
    assert_eq!(en.status.code(), Some(1));
    let en = String::from_utf8_lossy(&en.stderr).to_string();
    assert!(
        en.contains(&format!("the event '{EVENT_NAME}' has no attendee")),
        "{en}"
    );

    let zh = t
        .cmd()
        .args([
            "--lang", "zh", "event", "sheet", &event, "--kind", "signin", "--out", out_arg,
        ])
        .output()
        .expect("run");
    assert_eq!(zh.status.code(), Some(1));
    let zh = String::from_utf8_lossy(&zh.stderr).to_string();
    assert!(
        zh.contains(&format!("活动「{EVENT_NAME}」还没有任何参加人员")),
        "{zh}"
    );
    assert!(!out.exists());
    let written: Vec<_> = std::fs::read_dir(t.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.contains("xlsx"))
        .collect();
    assert!(written.is_empty(), "nothing half-written: {written:?}");
}

#[test]
fn bad_requests_name_what_is_wrong() {
    let t = TestDb::with_officer();
    let mut s = store(&t);
    let event = add_event(&mut s);
    let w = add_worker(&mut s, 1, "");
    s.record_event_service(&event, &w).expect("record");
    drop(s);

    let unknown = run(&t, &["0000-no-such", "--kind", "payout", "--out", "x.xlsx"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no event 0000-no-such"));

    let pdf = out_path(&t, "sheet.pdf");
    let wrong_name = run(
        &t,
        &[
            &event,
            "--kind",
            "payout",
            "--out",
            pdf.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(wrong_name.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong_name.stderr).contains("must end in .xlsx"));
    assert!(!pdf.exists());

    let bad_kind = run(&t, &[&event, "--kind", "receipt", "--out", "x.xlsx"]);
    assert_eq!(bad_kind.status.code(), Some(2));
}
