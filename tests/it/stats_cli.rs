//! `jingong stats` as a script and a manager meet it: JSON, CSV for Excel/WPS, XLSX, the
//! district filter and the messages for bad options.

use crate::support::bin::stdout_of;
use crate::support::fixture::TestDb;
use calamine::{Data, Reader, Xlsx, open_workbook};
use predicates::prelude::*;

// Valid synthetic numbers from tests/fixtures/id-numbers-valid.txt.
const ID_A: &str = "620102199708155206";
const ID_B: &str = "120111200007156699";
const ID_C: &str = "620102199904172396";

/// Three workers (two in 和平 120101, one in 河西 120103); 王芳 is a hardship worker never
/// served; 张三 got two services this year (the clock is 2026-11-29).
fn database() -> TestDb {
    let t = TestDb::with_officer();
    for (name, id, phone, district, hardship) in [
        ("张三", ID_A, "13812345678", "120101", false),
        ("王芳", ID_B, "13912345678", "120101", true),
        ("李四", ID_C, "13712345678", "120103", false),
    ] {
        let mut cmd = t.cmd();
        cmd.args(["worker", "add", "--name", name, "--id-number", id])
            .args(["--phone", phone, "--district", district]);
        if hardship {
            cmd.arg("--hardship");
        }
        cmd.assert().success();
    }
    for (kind, on) in [("job", "2026-03-02"), ("culture", "2026-11-20")] {
        t.cmd()
            .args([
                "service", "add", "--worker", ID_A, "--kind", kind, "--on", on,
            ])
            .assert()
            .success();
    }
    t.cmd()
        .args([
            "service",
            "add",
            "--worker",
            ID_C,
            "--kind",
            "job",
            "--on",
            "2025-05-01",
        ])
        .assert()
        .success();
    t
}

fn json_of(t: &TestDb, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(t.cmd().arg("stats").arg("--json").args(args))).expect("json")
}

#[test]
fn json_carries_every_section() {
    let t = database();
    let json = json_of(&t, &[]);
    assert_eq!(json["from"], "2026-01-01");
    assert_eq!(json["to"], "2026-12-31");
    assert_eq!(json["workers"], 3);
    assert_eq!(json["hardship"], 1);
    assert_eq!(json["new_workers"]["workers"], 3);
    // 李四's service is from 2025: outside this year.
    assert_eq!(json["services"], 2);
    assert_eq!(json["services_by_kind"]["job"], 1);
    assert_eq!(json["services_by_kind"]["culture"], 1);
    assert_eq!(json["services_by_month"].as_array().unwrap().len(), 12);
    assert_eq!(json["reach"]["served"], 1);
    assert_eq!(json["reach"]["registered"], 3);
    assert_eq!(json["reach"]["per_mille"], 333);
    assert_eq!(json["health"]["checks"], 0);
    assert_eq!(json["legal"]["open_by_category"]["wage_arrears"], 0);
    assert_eq!(json["hardship_unserved"]["total"], 1);
    let listed = &json["hardship_unserved"]["workers"][0];
    assert_eq!(listed["name"], "王芳");
    assert_eq!(
        listed["phone"], "139****5678",
        "phones masked unless --reveal"
    );

    let last_year = json_of(&t, &["--from", "2025-01-01", "--to", "2025-12-31"]);
    assert_eq!(last_year["services"], 1);
    assert_eq!(last_year["new_workers"]["workers"], 0);
    let month = json_of(&t, &["--period", "month"]);
    assert_eq!(
        (month["from"].as_str(), month["services"].as_i64()),
        (Some("2026-11-01"), Some(1))
    );
}

#[test]
fn district_filter_counts_workers_where_they_work() {
    let t = database();
    let heping = json_of(&t, &["--district", "120101"]);
    assert_eq!(heping["workers"], 2);
    assert_eq!(heping["services"], 2);
    assert_eq!(heping["district"], "120101");
    let hexi = json_of(&t, &["--district", "120103", "--from", "2025-01-01"]);
    assert_eq!(hexi["workers"], 1);
    assert_eq!(hexi["services"], 1);
    assert_eq!(hexi["hardship_unserved"]["total"], 0);
}

#[test]
fn text_is_aligned_and_in_either_language() {
    let t = database();
    let zh = stdout_of(t.cmd().arg("stats"));
    assert!(zh.contains("服务覆盖"), "{zh}");
    assert!(zh.contains("王芳"), "{zh}");
    let en = stdout_of(t.cmd().args(["--lang", "en", "stats"]));
    assert!(en.contains("Share served"), "{en}");
    assert!(en.contains("33.3%"), "{en}");
}

#[test]
fn csv_has_a_bom_and_keeps_chinese_intact() {
    let t = database();
    let file = t.path().join("统计.csv");
    t.cmd()
        .arg("stats")
        .arg("--csv")
        .arg(&file)
        .assert()
        .success();
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "UTF-8 byte-order mark for Excel and WPS"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("王芳"), "{text}");
    assert!(text.contains("送岗位"), "{text}");
    assert!(text.contains("期间内未受服务的困难职工"), "{text}");
    assert!(text.contains("\r\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn xlsx_has_one_sheet_per_table() {
    let t = database();
    for (lang, first_sheet, list_sheet) in [
        ("zh", "概况", "未服务困难职工"),
        ("en", "Overview", "Hardship not served"),
    ] {
        let file = t.path().join(format!("stats-{lang}.xlsx"));
        t.cmd()
            .args(["--lang", lang, "stats", "--xlsx"])
            .arg(&file)
            .assert()
            .success();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let mut book: Xlsx<_> = open_workbook(&file).expect("calamine opens it");
        let names = book.sheet_names();
        assert_eq!(names.len(), 12, "{names:?}");
        assert_eq!(names[0], first_sheet);
        assert_eq!(names[11], list_sheet);
        let list = book.worksheet_range(list_sheet).unwrap();
        assert_eq!(list.get_value((2, 0)), Some(&Data::String("王芳".into())));
        let kinds = book.worksheet_range(&names[3]).unwrap();
        // Row 2 is the first kind (送岗位 / job), column 3 its count this year.
        assert_eq!(kinds.get_value((2, 2)), Some(&Data::String("job".into())));
        assert_eq!(kinds.get_value((2, 3)), Some(&Data::Float(1.0)));
    }
}

#[test]
fn bad_options_exit_2_naming_the_option() {
    let t = database();
    t.cmd()
        .args(["stats", "--from", "2026-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from").and(predicate::str::contains("2026-13-01")));
    t.cmd()
        .args(["--lang", "en", "stats", "--to", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--to").and(predicate::str::contains("YYYY-MM-DD")));
    t.cmd()
        .args(["stats", "--from", "2026-05-01", "--to", "2026-04-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from"));
    t.cmd()
        .args(["stats", "--district", "999999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--district"));
    t.cmd()
        .args(["stats", "--json", "--csv", "x.csv"])
        .assert()
        .code(2);
}
