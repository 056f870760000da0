//! The catalog of bad values: for each field of each record kind, one value per rule the
//! field has, with the refusal every door must give.

use jingong::domain::idcard::with_check_digit;
use jingong::domain::validate::EARLIEST_DATE;
use jingong::domain::{Field, FieldError, Rule};
use jingong::text::Lang;
use std::collections::BTreeMap;

/// The kind of record a value belongs to; each has its form and its CLI command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Worker,
    Service,
    HealthCheck,
    LegalAid,
    Event,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub record: Record,
    pub field: Field,
    pub value: String,
    pub rule: Rule,
}

impl Case {
    pub fn expected(&self, lang: Lang) -> String {
        FieldError::new(self.field, self.rule.clone()).message(lang)
    }
}

/// Characters every door refuses; the catalog cycles through them, one per text field.
pub const HOSTILE: [&str; 12] = [
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
pub const WORKER_ID: &str = "620102199708155206";
pub const WORKER_NAME: &str = "张三";
/// A date valid for both test clocks (CLI 2026-11-29, TUI 2026-03-15).
pub const GOOD_DATE: &str = "2026-03-01";

/// The raw fields of a good record of each kind, by form key.
pub fn good(record: Record) -> BTreeMap<&'static str, String> {
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
pub fn key(field: Field) -> &'static str {
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
pub fn catalog() -> Vec<Case> {
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
