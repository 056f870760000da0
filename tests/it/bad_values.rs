//! A generated catalog of bad values, one entry per rule of each field, sent through every door
//! a record comes in by: the TUI form (the real form screen, drawn on a TestBackend), the CLI
//! (`worker add`, `service add`), the roster (`import roster`) and the batch (`verify`). Each
//! door must refuse the value with the same field label and rule text, in Chinese and English,
//! and change nothing.

mod catalog;

use crate::support::fixture::TestDb;
use crate::support::tui::{database_with_officer, keys, open_app, screen_at, type_text};
use catalog::{Case, HOSTILE, Record, WORKER_ID, WORKER_NAME, catalog, good, key};
use jingong::domain::idcard::with_check_digit;
use jingong::domain::name::is_invisible;
use jingong::domain::{Field, Rule};
use jingong::store::Store;
use jingong::text::Lang;
use std::collections::BTreeMap;
use std::path::Path;

/// The catalog's values are what it says: each hostile one holds an invisible character.
#[test]
fn the_catalog_covers_every_field_and_hostile_character() {
    let cases = catalog();
    for case in cases.iter().filter(|c| c.rule == Rule::InvisibleCharacter) {
        assert!(case.value.chars().any(is_invisible), "{case:?}");
    }
    for bad in HOSTILE {
        assert!(
            cases.iter().any(|c| c.value.contains(bad)),
            "{bad:?} is never sent"
        );
    }
    let rules_of = |field: Field| cases.iter().filter(|c| c.field == field).count();
    assert!(rules_of(Field::IdNumber) >= 7 && rules_of(Field::Date) >= 8);
}

// ---------------------------------------------------------------- the form door

/// Whether the real form can hold this value: pickers offer only known codes, so a bad code
/// cannot be chosen there (the validator still refuses it for the other doors).
fn form_can_hold(case: &Case) -> bool {
    let picked = match case.record {
        Record::Worker => matches!(case.field, Field::District | Field::Membership),
        Record::Service => case.field == Field::Kind,
        Record::LegalAid => matches!(case.field, Field::Category | Field::Status),
        Record::Event => matches!(case.field, Field::Kind | Field::District),
        Record::HealthCheck => false,
    };
    !picked
}

/// The form's values, saved as a draft of the form, offered back when the form opens (the
/// way a half-typed form returns after a crash), accepted, then saved with F2: the screen
/// after the save, as drawn.
fn through_form(case: &Case, lang: Lang) -> String {
    let (_dir, db, mut store) = database_with_officer();
    let uid = store
        .add_worker(&jingong::domain::WorkerInput {
            name: WORKER_NAME.into(),
            id_number: WORKER_ID.into(),
            phone: "13812345678".into(),
            ..Default::default()
        })
        .unwrap()
        .uid;
    let mut values = good(case.record);
    values.insert(key(case.field), case.value.clone());
    let (draft_key, open_keys) = match case.record {
        Record::Worker => ("worker:new".to_string(), "f3"),
        Record::Service => (format!("service:{uid}:other"), "s"),
        Record::HealthCheck => (format!("service:{uid}:health_check"), "h"),
        Record::LegalAid => (format!("service:{uid}:legal_aid"), "l"),
        Record::Event => ("event:new".to_string(), "f6 n"),
    };
    let draft = serde_json::json!({ "saved_at": "2026-03-15T09:00:00+08:00", "values": values });
    store.save_draft(&draft_key, &draft.to_string()).unwrap();
    drop(store);
    let mut app = open_app(&db, lang);
    if !matches!(case.record, Record::Worker | Record::Event) {
        type_text(&mut app, WORKER_NAME);
        keys(&mut app, "enter");
    }
    keys(&mut app, open_keys);
    keys(&mut app, "y f2");
    let screen = screen_at(&app, 220, 60);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.live_worker_count().unwrap(),
        1,
        "{case:?}: nothing saved"
    );
    assert_eq!(store.services_of_worker(&uid).unwrap().len(), 0, "{case:?}");
    screen
}

#[test]
fn the_form_refuses_every_bad_value_naming_field_and_rule() {
    for case in catalog().iter().filter(|c| form_can_hold(c)) {
        for lang in [Lang::Zh, Lang::En] {
            let screen = through_form(case, lang);
            let expected = case.expected(lang);
            assert!(
                screen.contains(&expected),
                "{case:?} in {lang:?}: {expected:?} not on screen:\n{screen}"
            );
            assert!(!screen.contains('\u{1b}'), "{case:?}: raw ESC on screen");
        }
    }
}

// ---------------------------------------------------------------- the CLI door

/// The CLI option of a field, `None` when the command has none.
fn flag(record: Record, field_key: &str) -> Option<&'static str> {
    Some(match (record, field_key) {
        (Record::Event, _) => return None,
        (_, "served_on") => "--on",
        (_, "id_number") => "--id-number",
        (_, "card_no") => "--card-no",
        (_, "blood_pressure") => "--bp",
        (_, "follow_up_on") => "--follow-up-on",
        (_, "name") => "--name",
        (_, "phone") => "--phone",
        (_, "employer") => "--employer",
        (_, "worksite") => "--worksite",
        (_, "trade") => "--trade",
        (_, "district") => "--district",
        (_, "membership") => "--membership",
        (_, "note") => "--note",
        (_, "kind") => "--kind",
        (_, "place") => "--place",
        (_, "quantity") => "--quantity",
        (_, "amount") => "--amount",
        (_, "provider") => "--provider",
        (_, "glucose") => "--glucose",
        (_, "findings") => "--findings",
        (_, "category") => "--category",
        (_, "status") => "--status",
        (_, "claimed") => "--claimed",
        (_, "recovered") => "--recovered",
        (_, "description") => "--description",
        (_, "consent") => "--consent",
        _ => return None,
    })
}

/// Whether the CLI can be handed this value: events have no CLI command, and no program can
/// receive a NUL in its arguments (the operating system ends the string there).
fn cli_can_hold(case: &Case) -> bool {
    case.record != Record::Event && !case.value.contains('\0')
}

/// `worker add` or `service add` with the good record's values and the bad one; the exit code
/// and what the officer reads on stderr.
fn through_cli(t: &TestDb, worker_uid: &str, case: &Case, lang: Lang) -> (i32, String) {
    let mut values = good(case.record);
    values.insert(key(case.field), case.value.clone());
    let mut cmd = t.cmd();
    cmd.args(["--lang", lang_code(lang)]);
    match case.record {
        Record::Worker => cmd.args(["worker", "add"]),
        _ => cmd.args(["service", "add", "--worker", worker_uid]),
    };
    match case.record {
        Record::HealthCheck => cmd.arg("--kind=health_check"),
        Record::LegalAid => cmd.arg("--kind=legal_aid"),
        _ => &mut cmd,
    };
    for (field_key, value) in &values {
        let option = flag(case.record, field_key).expect("every catalog field has an option");
        if *field_key == "consent" {
            if value == "true" {
                cmd.arg(option);
            }
        } else {
            // `--on=-5` keeps a value that starts with '-' from reading as an option.
            cmd.arg(format!("{option}={value}"));
        }
    }
    let out = cmd.output().expect("run jingong");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

#[test]
fn the_cli_refuses_every_bad_value_naming_field_and_rule() {
    let t = TestDb::with_officer();
    let worker_uid = t.add_worker(WORKER_NAME, WORKER_ID, "13812345678");
    let before = support_dump(&t.db);
    for case in catalog().iter().filter(|c| cli_can_hold(c)) {
        for lang in [Lang::Zh, Lang::En] {
            let (code, stderr) = through_cli(&t, &worker_uid, case, lang);
            let expected = case.expected(lang);
            assert_eq!(
                code, 2,
                "{case:?} in {lang:?}: exit code of bad input: {stderr}"
            );
            assert!(
                stderr.contains(&expected),
                "{case:?} in {lang:?}: {expected:?} not in {stderr:?}"
            );
            assert!(!stderr.chars().any(is_invisible_but_newline), "{stderr:?}");
        }
    }
    assert_eq!(
        support_dump(&t.db),
        before,
        "a refused value changed the database"
    );
}

/// `service add --on 1899-01-01`, as the issue reports it, in both languages.
#[test]
fn a_service_before_the_worker_was_born_is_refused_by_the_cli() {
    let t = TestDb::with_officer();
    let worker_uid = t.add_worker(WORKER_NAME, WORKER_ID, "13812345678");
    for (lang, message) in [
        ("zh", "错误：日期：不能早于职工的出生日期"),
        (
            "en",
            "error: date: must not be before the worker's birth date",
        ),
    ] {
        let out = t
            .cmd()
            .args(["--lang", lang, "service", "add", "--worker", &worker_uid])
            .args(["--kind", "warmth", "--on", "1899-01-01"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(String::from_utf8(out.stderr).unwrap().trim(), message);
    }
    // A worker born after the floor: the day before the birth is refused, the birth day not.
    let young = t.add_worker(
        "李四",
        &with_check_digit("12010120030510123"),
        "13912345678",
    );
    let on = |date: &str| {
        t.cmd()
            .args(["--lang", "en", "service", "add", "--worker", &young])
            .args(["--kind", "warmth", "--on", date])
            .output()
            .unwrap()
    };
    let before = on("2003-05-09");
    assert_eq!(before.status.code(), Some(2));
    assert!(
        String::from_utf8(before.stderr)
            .unwrap()
            .contains("birth date")
    );
    let ok = on("2003-05-10");
    assert!(ok.status.success(), "{ok:?}");
}

fn is_invisible_but_newline(c: char) -> bool {
    c != '\n' && is_invisible(c)
}

/// Every row of the record tables, to show a refused value changed nothing.
fn support_dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut rows = Vec::new();
    for table in [
        "worker",
        "service",
        "event",
        "health_check",
        "legal_aid",
        "audit",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let width = stmt.column_count();
        let mut query = stmt.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let cells: Vec<String> = (0..width)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", cells.join("|")));
        }
    }
    rows
}

// ---------------------------------------------------------------- the roster door

/// The roster column of a worker field.
fn roster_column(field_key: &str) -> &'static str {
    match field_key {
        "name" => "name",
        "id_number" => "idnumber",
        "phone" => "phone",
        "employer" => "employer",
        "worksite" => "worksite",
        "trade" => "trade",
        "district" => "district",
        "membership" => "membership",
        "card_no" => "cardno",
        "note" => "note",
        other => panic!("{other} is not a roster column"),
    }
}

#[test]
fn the_roster_refuses_every_bad_worker_value_naming_field_and_rule() {
    let cases: Vec<Case> = catalog()
        .into_iter()
        .filter(|c| c.record == Record::Worker)
        .collect();
    let columns = [
        "name",
        "id_number",
        "phone",
        "employer",
        "worksite",
        "trade",
        "district",
        "membership",
        "card_no",
        "note",
    ];
    for lang in [Lang::Zh, Lang::En] {
        let t = TestDb::with_officer();
        let before = support_dump(&t.db);
        let roster = t.path().join("roster.csv");
        let rejects = t.path().join("rejects.csv");
        let mut writer = csv::Writer::from_path(&roster).unwrap();
        writer.write_record(columns.map(roster_column)).unwrap();
        for (i, case) in cases.iter().enumerate() {
            // Each row its own person, so no row is refused as a repeat of another.
            let mut values = good(Record::Worker);
            values.insert(
                "id_number",
                with_check_digit(&format!("620102199708155{i:02}")),
            );
            values.insert(key(case.field), case.value.clone());
            let row = columns.map(|c| values.get(c).cloned().unwrap_or_default());
            writer.write_record(&row).unwrap();
        }
        writer.flush().unwrap();
        let out = t
            .cmd()
            .args(["--lang", lang_code(lang), "import", "roster"])
            .arg(&roster)
            .arg("--rejects")
            .arg(&rejects)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(!stdout.chars().any(is_invisible_but_newline), "{stdout:?}");
        let mut reader = csv::Reader::from_path(&rejects).unwrap();
        let reasons: BTreeMap<usize, String> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                let n = r.len();
                (r[n - 1].parse().unwrap(), r[n - 2].to_string())
            })
            .collect();
        for (i, case) in cases.iter().enumerate() {
            let row = i + 2;
            let expected = case.expected(lang);
            let reason = reasons.get(&row).map(String::as_str).unwrap_or("");
            assert!(
                reason.split(lang.pick("；", "; ")).any(|r| r == expected),
                "{case:?} in {lang:?} (row {row}): {expected:?} not in {reason:?}"
            );
        }
        assert_eq!(
            support_dump(&t.db),
            before,
            "a refused row changed the database"
        );
    }
}

// ---------------------------------------------------------------- the batch door

/// A batch of one worker, one service of each form and one event, exported from a database
/// that the doors filled: every value valid. Returns the batch folder.
fn valid_batch(t: &TestDb) -> std::path::PathBuf {
    let worker = t.add_worker(WORKER_NAME, WORKER_ID, "13812345678");
    for args in [
        &["--kind", "warmth"][..],
        &["--kind", "health_check", "--consent", "--bp", "120/80"][..],
        &[
            "--kind",
            "legal_aid",
            "--category",
            "wage_arrears",
            "--claimed",
            "3000",
        ][..],
    ] {
        t.cmd()
            .args(["service", "add", "--worker", &worker, "--on", "2026-11-01"])
            .args(args)
            .assert()
            .success();
    }
    let mut store = Store::open(&t.db).unwrap();
    store
        .add_event(&jingong::domain::EventInput {
            name: "夏送清凉".into(),
            kind: "summer_cooling".into(),
            held_on: chrono::NaiveDate::from_ymd_opt(2026, 7, 1),
            place: "工地".into(),
            district_code: "120101".into(),
            default_quantity: 1,
            default_amount_fen: 0,
        })
        .unwrap();
    drop(store);
    let out = t.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let output = t
        .cmd()
        .args(["export", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    std::path::PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Where a catalog value goes in a batch record, as JSON; `None` when the batch cannot carry it
/// (numbers are numbers there, so "abc" or an invisible character in an amount cannot be
/// written; consent travels as who recorded it and when).
fn batch_value(case: &Case) -> Option<BatchEdit> {
    use serde_json::json;
    let text = || json!(case.value);
    let fen = |raw: &str| -> Option<serde_json::Value> {
        let yuan: f64 = raw.parse().ok()?;
        let fen = yuan * 100.0;
        (fen.fract() == 0.0).then(|| json!(fen as i64))
    };
    // Quantities are integers in a batch: "1.5" cannot be written there.
    let whole = |raw: &str| raw.parse::<i64>().ok().map(|n| json!(n));
    let file_and_kind = match case.record {
        Record::Worker => ("workers.jsonl", ""),
        Record::Event => ("events.jsonl", ""),
        Record::Service => ("services.jsonl", "warmth"),
        Record::HealthCheck => ("services.jsonl", "health_check"),
        Record::LegalAid => ("services.jsonl", "legal_aid"),
    };
    let (path, value) = match (case.record, case.field) {
        (_, Field::Consent) => return None,
        (Record::Worker, Field::District) => ("district_code", text()),
        (Record::Event, Field::District) => ("district_code", text()),
        (Record::Event, Field::EventName) => ("name", text()),
        (Record::Event, Field::Date) => ("held_on", text()),
        (Record::Event, Field::Quantity) => ("default_quantity", whole(&case.value)?),
        (Record::Event, Field::Amount) => ("default_amount_fen", fen(&case.value)?),
        (_, Field::Quantity) => ("quantity", whole(&case.value)?),
        (_, Field::Amount) => ("amount_fen", fen(&case.value)?),
        (_, Field::Glucose) => ("health_check.glucose_tenths", {
            let tenths = fen(&case.value)?.as_i64()? / 10;
            json!(tenths)
        }),
        (_, Field::Claimed) => ("legal_aid.claimed_fen", fen(&case.value)?),
        (_, Field::Recovered) => ("legal_aid.recovered_fen", fen(&case.value)?),
        (Record::HealthCheck, field) => (health_path(field), text()),
        (Record::LegalAid, Field::Date | Field::Place) => (key(case.field), text()),
        (Record::LegalAid, field) => (legal_path(field), text()),
        (_, field) => (key(field), text()),
    };
    Some(BatchEdit {
        file: file_and_kind.0,
        kind: file_and_kind.1,
        path,
        value,
    })
}

/// One field of one record of a batch to overwrite.
struct BatchEdit {
    file: &'static str,
    /// The service kind of the record to edit; empty for the first record of the file.
    kind: &'static str,
    /// Dotted path of the field in the JSON record.
    path: &'static str,
    value: serde_json::Value,
}

fn health_path(field: Field) -> &'static str {
    match field {
        Field::Provider => "health_check.provider",
        Field::BloodPressure => "health_check.blood_pressure",
        Field::Findings => "health_check.findings",
        Field::FollowUpOn => "health_check.follow_up_on",
        other => key(other),
    }
}

fn legal_path(field: Field) -> &'static str {
    match field {
        Field::Category => "legal_aid.category",
        Field::Status => "legal_aid.status",
        Field::Description => "legal_aid.description",
        other => key(other),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A copy of `batch` whose first record of the case's kind holds the bad value, with the
/// manifest's sizes and hashes made to match, as an attacker would.
fn edited_batch(batch: &Path, into: &Path, case: &Case) -> Option<(String, usize)> {
    use sha2::Digest;
    let BatchEdit {
        file,
        kind,
        path,
        value,
    } = batch_value(case)?;
    let copy = into.join(batch.file_name().unwrap());
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(batch).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    let text = std::fs::read_to_string(copy.join(file)).unwrap();
    let mut line_no = 0;
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            if line_no == 0 && (kind.is_empty() || record["kind"] == kind) {
                line_no = i + 1;
                let mut target = &mut record;
                let parts: Vec<&str> = path.split('.').collect();
                for part in &parts[..parts.len() - 1] {
                    target = &mut target[*part];
                }
                target[parts[parts.len() - 1]] = value.clone();
            }
            serde_json::to_string(&record).unwrap()
        })
        .collect();
    let bytes = format!("{}\n", lines.join("\n")).into_bytes();
    std::fs::write(copy.join(file), &bytes).unwrap();
    let manifest_path = copy.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    for entry in manifest["files"].as_array_mut().unwrap() {
        if entry["name"] == file {
            entry["bytes"] = serde_json::json!(bytes.len());
            entry["sha256"] = serde_json::json!(hex(&sha2::Sha256::digest(&bytes)));
        }
    }
    std::fs::write(
        &manifest_path,
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    Some((copy.to_string_lossy().into_owned(), line_no))
}

#[test]
fn the_batch_refuses_every_bad_value_naming_file_line_field_and_rule() {
    let source = TestDb::with_officer();
    let batch = valid_batch(&source);
    let receiver = TestDb::with_officer();
    let before = support_dump(&receiver.db);
    let mut checked = 0;
    for (n, case) in catalog().iter().enumerate() {
        let into = receiver.path().join(format!("case-{n}"));
        let Some((copy, line)) = edited_batch(&batch, &into, case) else {
            continue;
        };
        let file = batch_value(case).unwrap().file;
        for lang in [Lang::Zh, Lang::En] {
            for command in [&["verify"][..], &["import", "batch"][..]] {
                let out = receiver
                    .cmd()
                    .args(["--lang", lang_code(lang)])
                    .args(command)
                    .arg(&copy)
                    .output()
                    .unwrap();
                let said = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                assert!(
                    !out.status.success(),
                    "{case:?} {command:?}: accepted\n{said}"
                );
                let expected = format!("{file}:{line}: {}", case.expected(lang));
                assert!(
                    said.contains(&expected),
                    "{case:?} {command:?} in {lang:?}: {expected:?} not in\n{said}"
                );
                assert!(!said.chars().any(is_invisible_but_newline), "{said:?}");
            }
        }
        checked += 1;
    }
    assert!(checked > 60, "only {checked} cases reached the batch door");
    assert_eq!(
        support_dump(&receiver.db),
        before,
        "a refused batch changed the database"
    );
}
