//! A generated catalog of bad values, one entry per rule of each field, sent through every door
//! a record comes in by: the TUI form (the real form screen, drawn on a TestBackend), the CLI
//! (`worker add`, `service add`), the roster (`import roster`) and the batch (`verify`). Each
//! door must refuse the value with the same field label and rule text, in Chinese and English,
//! and change nothing.

mod support;
mod tui_support;

use jingong::domain::idcard::with_check_digit;
use jingong::domain::name::is_invisible;
use jingong::domain::validate::EARLIEST_DATE;
use jingong::domain::{Field, FieldError, Rule};
use jingong::store::Store;
use jingong::text::Lang;
use std::collections::BTreeMap;
use std::path::Path;
use support::TestDb;
use tui_support::{database_with_officer, keys, open_app, screen_at, type_text};

/// The kind of record a value belongs to; each has its form and its CLI command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    Worker,
    Service,
    HealthCheck,
    LegalAid,
    Event,
}

#[derive(Debug, Clone)]
struct Case {
    record: Record,
    field: Field,
    value: String,
    rule: Rule,
}

impl Case {
    fn expected(&self, lang: Lang) -> String {
        FieldError::new(self.field, self.rule.clone()).message(lang)
    }
}

/// Characters every door refuses; the catalog cycles through them, one per text field.
const HOSTILE: [&str; 12] = [
    "\u{1b}[2J",
    "\u{202e}",
    "\u{0}",
    "\u{7f}",
    "\u{9b}31m",
    "\u{2066}",
    "\u{200e}",
    "\u{61c}",
    "\u{200b}",
    "\u{feff}",
    "\u{7}",
    "\u{e0041}",
];

/// The worker every service case is for: born 1997-08-15, so 1999 is within the worker's life
/// but before `EARLIEST_DATE`.
const WORKER_ID: &str = "620102199708155206";
const WORKER_NAME: &str = "张三";
/// A date valid for both test clocks (CLI 2026-11-29, TUI 2026-03-15).
const GOOD_DATE: &str = "2026-03-01";

/// The raw fields of a good record of each kind, by form key.
fn good(record: Record) -> BTreeMap<&'static str, String> {
    let pairs: &[(&str, &str)] = match record {
        Record::Worker => &[
            ("name", WORKER_NAME),
            ("id_number", WORKER_ID),
            ("phone", "13812345678"),
        ],
        Record::Service => &[("kind", "warmth"), ("served_on", GOOD_DATE)],
        Record::HealthCheck => &[("served_on", GOOD_DATE), ("consent", "true")],
        Record::LegalAid => &[
            ("served_on", GOOD_DATE),
            ("category", "wage_arrears"),
            ("claimed", "3000"),
        ],
        Record::Event => &[
            ("event_name", "夏送清凉"),
            ("kind", "summer_cooling"),
            ("served_on", GOOD_DATE),
        ],
    };
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

/// The key of a field in a form, a draft and this catalog.
fn key(field: Field) -> &'static str {
    match field {
        Field::Name => "name",
        Field::IdNumber => "id_number",
        Field::Phone => "phone",
        Field::Employer => "employer",
        Field::Worksite => "worksite",
        Field::Trade => "trade",
        Field::District => "district",
        Field::Membership => "membership",
        Field::CardNo => "card_no",
        Field::Note => "note",
        Field::Kind => "kind",
        Field::Date => "served_on",
        Field::Place => "place",
        Field::Quantity => "quantity",
        Field::Amount => "amount",
        Field::Provider => "provider",
        Field::BloodPressure => "blood_pressure",
        Field::Glucose => "glucose",
        Field::Findings => "findings",
        Field::FollowUpOn => "follow_up_on",
        Field::Consent => "consent",
        Field::Category => "category",
        Field::Status => "status",
        Field::Description => "description",
        Field::Claimed => "claimed",
        Field::Recovered => "recovered",
        Field::EventName => "event_name",
        other => panic!("{other:?} is not in the catalog"),
    }
}

/// The catalog: for each field of each record, one bad value per rule that field has.
fn catalog() -> Vec<Case> {
    use Record::*;
    let mut cases = Vec::new();
    let mut hostile = HOSTILE.iter().cycle();
    let mut add = |record, field, value: String, rule| {
        cases.push(Case {
            record,
            field,
            value,
            rule,
        })
    };
    // Free text: the invisible-character rule and the length rule.
    let texts: &[(Record, Field, usize)] = &[
        (Worker, Field::Employer, 60),
        (Worker, Field::Worksite, 60),
        (Worker, Field::Trade, 30),
        (Worker, Field::CardNo, 30),
        (Worker, Field::Note, 500),
        (Service, Field::Place, 60),
        (Service, Field::Note, 500),
        (HealthCheck, Field::Provider, 60),
        (HealthCheck, Field::Findings, 500),
        (LegalAid, Field::Description, 500),
        (Event, Field::EventName, 60),
        (Event, Field::Place, 60),
    ];
    for &(record, field, max) in texts {
        let bad = hostile.next().unwrap();
        add(
            record,
            field,
            format!("甲{bad}乙"),
            Rule::InvisibleCharacter,
        );
        add(record, field, "字".repeat(max + 1), Rule::TooLong { max });
    }
    // Every other field refuses invisible characters first, whatever its own rules.
    let others: &[(Record, Field, &str)] = &[
        (Worker, Field::Name, WORKER_NAME),
        (Worker, Field::IdNumber, WORKER_ID),
        (Worker, Field::Phone, "13812345678"),
        (Worker, Field::District, "120101"),
        (Worker, Field::Membership, "member"),
        (Service, Field::Kind, "warmth"),
        (Service, Field::Date, GOOD_DATE),
        (Service, Field::Quantity, "2"),
        (Service, Field::Amount, "50"),
        (HealthCheck, Field::BloodPressure, "120/80"),
        (HealthCheck, Field::Glucose, "5.6"),
        (HealthCheck, Field::FollowUpOn, "2026-06-01"),
        (LegalAid, Field::Category, "wage_arrears"),
        (LegalAid, Field::Status, "open"),
        (LegalAid, Field::Claimed, "3000"),
        (LegalAid, Field::Recovered, "100"),
        (Event, Field::Kind, "summer_cooling"),
        (Event, Field::Date, GOOD_DATE),
        (Event, Field::District, "120101"),
        (Event, Field::Quantity, "1"),
        (Event, Field::Amount, "20"),
    ];
    for &(record, field, good_value) in others {
        let bad = hostile.next().unwrap();
        let (head, tail) = good_value.split_at(good_value.len() / 2);
        add(
            record,
            field,
            format!("{head}{bad}{tail}"),
            Rule::InvisibleCharacter,
        );
    }
    // Each field's own rules.
    let code = |c: &str| Rule::UnknownCode { code: c.into() };
    let wrong_check = format!("{}0", &WORKER_ID[..17]);
    let own: Vec<(Record, Field, String, Rule)> = vec![
        (Worker, Field::Name, "".into(), Rule::Required),
        (Worker, Field::Name, "张三1".into(), Rule::NameCharacters),
        (Worker, Field::Name, "张三１".into(), Rule::NameCharacters),
        (
            Worker,
            Field::Name,
            "张".repeat(31),
            Rule::TooLong { max: 30 },
        ),
        (Worker, Field::IdNumber, "".into(), Rule::Required),
        (
            Worker,
            Field::IdNumber,
            "12345".into(),
            Rule::IdLength { found: 5 },
        ),
        (
            Worker,
            Field::IdNumber,
            format!("{}A", &WORKER_ID[..17]),
            Rule::IdCharacter {
                position: 18,
                found: 'A',
            },
        ),
        (
            Worker,
            Field::IdNumber,
            with_check_digit("00010219970815520"),
            Rule::IdProvince { code: "00".into() },
        ),
        (
            Worker,
            Field::IdNumber,
            with_check_digit("62010218990101123"),
            Rule::IdBirthDate,
        ),
        (
            Worker,
            Field::IdNumber,
            wrong_check,
            Rule::IdCheckDigit {
                expected: '6',
                found: '0',
            },
        ),
        (Worker, Field::Phone, "".into(), Rule::Required),
        (Worker, Field::Phone, "123".into(), Rule::PhoneFormat),
        (Worker, Field::District, "999999".into(), code("999999")),
        (Worker, Field::Membership, "vip".into(), code("vip")),
        (Service, Field::Kind, "".into(), Rule::Required),
        (Service, Field::Kind, "flying".into(), code("flying")),
        (Service, Field::Date, "2026-13-01".into(), Rule::DateFormat),
        (
            Service,
            Field::Date,
            "2099-01-01".into(),
            Rule::DateInFuture,
        ),
        (
            Service,
            Field::Date,
            "1899-01-01".into(),
            Rule::DateBeforeBirth,
        ),
        (
            Service,
            Field::Date,
            "1999-06-01".into(),
            Rule::DateTooEarly {
                floor: EARLIEST_DATE,
            },
        ),
        (Service, Field::Quantity, "0".into(), Rule::QuantityFormat),
        (Service, Field::Amount, "abc".into(), Rule::MoneyFormat),
        (Service, Field::Amount, "-5".into(), Rule::MoneyNegative),
        (
            Service,
            Field::Amount,
            "1.234".into(),
            Rule::MoneyTooManyDecimals,
        ),
        (
            Service,
            Field::Amount,
            "1000000000".into(),
            Rule::MoneyTooLarge,
        ),
        (
            HealthCheck,
            Field::Consent,
            "false".into(),
            Rule::ConsentRequired,
        ),
        (
            HealthCheck,
            Field::BloodPressure,
            "80/120".into(),
            Rule::BloodPressureFormat,
        ),
        (
            HealthCheck,
            Field::Glucose,
            "99".into(),
            Rule::GlucoseFormat,
        ),
        (
            HealthCheck,
            Field::FollowUpOn,
            "soon".into(),
            Rule::DateFormat,
        ),
        (
            HealthCheck,
            Field::FollowUpOn,
            "2026-02-01".into(),
            Rule::FollowUpBeforeService,
        ),
        (LegalAid, Field::Category, "".into(), Rule::Required),
        (LegalAid, Field::Category, "x".into(), code("x")),
        (LegalAid, Field::Status, "lost".into(), code("lost")),
        (LegalAid, Field::Claimed, "3,000".into(), Rule::MoneyFormat),
        (
            LegalAid,
            Field::Recovered,
            "3000.01".into(),
            Rule::RecoveredExceedsClaimed,
        ),
        (Event, Field::EventName, "".into(), Rule::Required),
        (Event, Field::Kind, "flying".into(), code("flying")),
        (Event, Field::Date, "2026/02/30".into(), Rule::DateFormat),
        (Event, Field::Date, "2099-06-01".into(), Rule::DateInFuture),
        (
            Event,
            Field::Date,
            "1800-06-01".into(),
            Rule::DateTooEarly {
                floor: EARLIEST_DATE,
            },
        ),
        (Event, Field::District, "999999".into(), code("999999")),
        (Event, Field::Quantity, "1.5".into(), Rule::QuantityFormat),
        (Event, Field::Amount, "-20".into(), Rule::MoneyNegative),
    ];
    for (record, field, value, rule) in own {
        add(record, field, value, rule);
    }
    cases
}

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
