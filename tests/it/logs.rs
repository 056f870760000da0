//! No personal data in the log: a morning's work through the real binary at the most verbose
//! log level, then every log file is searched for the workers' names, ID numbers (as stored
//! and as typed in the old 15-digit form), phones, and the health and legal-aid text.

use crate::support::bin::stdout_of;
use crate::support::fixture::TestDb;
use std::path::{Path, PathBuf};

/// Typed in the old 15-digit form; stored upgraded to 18 characters (ending in X, so that
/// no timing or count in a log line can match it by chance).
const ID_15: &str = "120101880312103";
const ID_18: &str = "12010119880312103X";
const NAME: &str = "张秀英";
const NAME_PINYIN: &str = "zhangxiuying";
const PHONE: &str = "13912348765";
const FINDINGS: &str = "血压偏高建议复查";
const CASE: &str = "工地欠薪四个月未结清";

const ROSTER_NAME: &str = "欧阳娜娜";
const ROSTER_ID: &str = "62010219920517304X";
const ROSTER_PHONE: &str = "15022226666";

fn log_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(log_files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn run_ok(t: &TestDb, args: &[&str]) -> String {
    let out = t
        .cmd()
        .env("JINGONG_LOG", "trace")
        .args(args)
        .output()
        .expect("run jingong");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn a_mornings_work_at_trace_level_leaves_no_personal_data_in_the_log() {
    let t = TestDb::with_officer();
    run_ok(
        &t,
        &[
            "worker",
            "add",
            "--name",
            NAME,
            "--id-number",
            ID_15,
            "--phone",
            PHONE,
            "--employer",
            "天津建工集团",
            "--hardship",
        ],
    );
    // Refused: the same person again. Error paths log too.
    let refused = t
        .cmd()
        .env("JINGONG_LOG", "trace")
        .args(["worker", "add", "--name", NAME, "--id-number", ID_18])
        .args(["--phone", PHONE])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));

    run_ok(
        &t,
        &[
            "service",
            "add",
            "--worker",
            ID_18,
            "--kind",
            "health_check",
            "--bp",
            "150/95",
            "--glucose",
            "6.1",
            "--findings",
            FINDINGS,
            "--consent",
        ],
    );
    run_ok(
        &t,
        &[
            "service",
            "add",
            "--worker",
            ID_18,
            "--kind",
            "legal_aid",
            "--category",
            "wage_arrears",
            "--status",
            "mediating",
            "--claimed",
            "16000",
            "--description",
            CASE,
        ],
    );
    for query in [NAME, NAME_PINYIN, "zxy", &ID_18[12..], PHONE] {
        assert!(run_ok(&t, &["search", query, "--reveal"]).contains(NAME));
    }
    assert!(run_ok(&t, &["worker", "show", ID_18, "--reveal", "--json"]).contains(ID_18));

    let roster = t.path().join("roster.csv");
    std::fs::write(
        &roster,
        format!(
            "姓名,身份证号,手机号,工作单位\n{ROSTER_NAME},{ROSTER_ID},{ROSTER_PHONE},和平区某物业\n"
        ),
    )
    .unwrap();
    run_ok(&t, &["import", "roster", roster.to_str().unwrap()]);

    let batch = run_ok(&t, &["export", "--csv", "--xlsx"]);
    let batch = batch.trim();
    run_ok(&t, &["verify", batch]);
    run_ok(&t, &["stats", "--reveal"]);
    run_ok(&t, &["audit"]);
    run_ok(&t, &["backup", t.path().join("copy.db").to_str().unwrap()]);

    let files = log_files(&t.path().join("data"));
    let mut text = String::new();
    for file in &files {
        text.push_str(&String::from_utf8_lossy(&std::fs::read(file).unwrap()));
    }
    // The test only means something if the log was written by the commands that handled
    // the personal data.
    for expected in ["command refused", "roster imported", "batch exported"] {
        assert!(
            text.contains(expected),
            "log files {files:?} lack '{expected}':\n{text}"
        );
    }
    for secret in [
        NAME,
        NAME_PINYIN,
        ID_15,
        ID_18,
        PHONE,
        FINDINGS,
        CASE,
        ROSTER_NAME,
        ROSTER_ID,
        ROSTER_PHONE,
    ] {
        assert!(
            !text.contains(secret),
            "the log holds personal data ({secret}):\n{text}"
        );
    }
    println!(
        "log files checked: {}, lines: {}, personal data found: 0",
        files.len(),
        text.lines().count()
    );
    // The data really went in (else the absence above would prove nothing).
    assert!(stdout_of(t.cmd().args(["search", ROSTER_ID, "--reveal"])).contains(ROSTER_NAME));
}

/// The log never grows past its cap: writes beyond it move the file to `.1` (and `.1` to `.2`),
/// the oldest is dropped, no line is split across two files, and every file stays owner-only.
#[test]
fn the_log_rotates_at_its_cap_keeping_two_old_files() {
    use jingong::logging::{KEEP_OLD, RotatingLog};
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jingong.log");
    let cap = 1000;
    // Reopening must count what the file already holds, as a new run of the program does.
    std::fs::write(&path, "x".repeat(900) + "\n").unwrap();
    let mut log = RotatingLog::open(&path, cap).unwrap();
    for i in 0..200 {
        log.write_all(format!("line {i:04} of the test log\n").as_bytes())
            .unwrap();
    }
    drop(log);
    let named = |n: usize| dir.path().join(format!("jingong.log.{n}"));
    let mut files = vec![path.clone()];
    files.extend((1..=KEEP_OLD).map(named));
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            text.len() as u64 <= cap,
            "{}: {} bytes",
            file.display(),
            text.len()
        );
        assert!(text.ends_with('\n'), "{} ends mid-line", file.display());
        assert!(
            text.lines()
                .all(|l| l.starts_with("line ") && l.len() == 25)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
    assert!(
        !named(KEEP_OLD + 1).exists(),
        "only {KEEP_OLD} old files are kept"
    );
    let live = std::fs::read_to_string(&path).unwrap();
    assert!(live.ends_with("line 0199 of the test log\n"));
    // The three files hold the newest lines, in order, with none missing between them.
    let kept: Vec<String> = files
        .iter()
        .rev()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let first: usize = kept[0][5..9].parse().unwrap();
    for (k, line) in kept.iter().enumerate() {
        assert_eq!(line, &format!("line {:04} of the test log", first + k));
    }
}
