//! Tests of `record_rules`: the batch door refuses what the forms refuse, by the same rule.

use super::*;
use crate::batch::format::LegalAidFields;
use crate::batch::problems::without_values;

#[test]
fn json_errors_name_fields_but_not_values() {
    let e = serde_json::from_str::<String>("110105199001011234")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("110105199001011234"),
        "serde quotes the value: {e}"
    );
    let shown = without_values(&e);
    assert!(!shown.contains("110105199001011234"), "{shown}");
    assert!(shown.contains("invalid type"), "{shown}");
    assert_eq!(
        without_values("missing field `uid` at line 1 column 2"),
        "missing field `uid` at line 1 column 2"
    );
    assert_eq!(
        without_values("unknown variant `bogus`, expected one of `a`, `b`"),
        "unknown variant `bogus`, expected one of `…`, `…`"
    );
}

use crate::batch::format::OfficerFields;
use crate::domain::idcard::with_check_digit;
use std::borrow::Cow;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn worker_record(draft: &WorkerDraft) -> String {
    let id = parse_id_number(&draft.id_number, today()).ok();
    let record = WorkerRecord {
        header: RecordHeader {
            uid: "0190a0b0-0000-7000-8000-00000000000a".into(),
            version: 1,
            op: Op::Upsert,
            origin_device_id: "0190a0b0-0000-7000-8000-0000000000de".into(),
            officer: OfficerFields {
                name: "李明".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            },
            created_at: "2026-11-29T10:00:00.000+08:00".into(),
            updated_at: "2026-11-29T10:00:00.000+08:00".into(),
            deleted_at: None,
            reason: None,
        },
        id_number: Cow::Borrowed(&draft.id_number),
        name: Cow::Borrowed(&draft.name),
        gender: id.as_ref().map_or("male", |i| i.gender.code()).into(),
        birth_date: id
            .as_ref()
            .map(|i| i.birth_date.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
            .into(),
        phone: Cow::Borrowed(&draft.phone),
        hometown_code: "110105".into(),
        employer: Cow::Borrowed(&draft.employer),
        worksite: Cow::Borrowed(&draft.worksite),
        trade: Cow::Borrowed(&draft.trade),
        district_code: Cow::Borrowed(&draft.district_code),
        membership: Cow::Borrowed(&draft.membership),
        card_no: Cow::Borrowed(&draft.card_no),
        hardship: draft.hardship,
        note: Cow::Borrowed(&draft.note),
    };
    serde_json::to_string(&record).unwrap()
}

/// (field, rule) of every refusal of one worker line at the batch door.
fn batch_refusals(line: &str) -> Vec<(Field, Rule)> {
    let mut seen = Seen::default();
    let mut problems = Problems::default();
    let mut checker = LineChecker {
        kind: RecordKind::Worker,
        format_version: 1,
        latest_date: today(),
        receiving: true,
        seen: &mut seen,
        problems: &mut problems,
        tally: KindTally::default(),
    };
    checker.check(1, line.as_bytes());
    problems
        .listed
        .into_iter()
        .map(|p| match p.kind {
            ProblemKind::Rule { error, .. } => (error.field, error.rule),
            other => panic!("not a form rule: {other:?}"),
        })
        .collect()
}

/// Every bad value the forms refuse is refused at the batch door with the same field and
/// rule, and a good worker passes both.
#[test]
fn a_worker_line_is_refused_by_exactly_the_rules_of_the_form() {
    let good = WorkerDraft {
        name: "王芳".into(),
        id_number: with_check_digit("11010519900101002"),
        phone: "13800138000".into(),
        employer: "测试建筑公司".into(),
        district_code: "120101".into(),
        membership: "member".into(),
        ..WorkerDraft::default()
    };
    assert!(validate_worker(&good, today()).is_ok());
    assert_eq!(batch_refusals(&worker_record(&good)), vec![]);
    let long = |n: usize| "字".repeat(n);
    type Change = Box<dyn Fn(&mut WorkerDraft)>;
    let bad: Vec<Change> = vec![
        Box::new(|d| d.name = "王\u{7}芳".into()),
        Box::new(|d| d.name = "\u{1b}[2J张伟".into()),
        Box::new(|d| d.name = "李\u{202e}娜".into()),
        Box::new(|d| d.name = "赵\u{0}敏".into()),
        Box::new(|d| d.name = "刘洋2".into()),
        Box::new(move |d| d.name = long(31)),
        Box::new(|d| d.name = String::new()),
        Box::new(|d| d.phone = "123".into()),
        Box::new(|d| d.phone = "23800138000".into()),
        Box::new(|d| d.phone = String::new()),
        Box::new(move |d| d.employer = long(61)),
        Box::new(|d| d.worksite = "工地\u{2066}".into()),
        Box::new(move |d| d.trade = long(31)),
        Box::new(move |d| d.card_no = long(31)),
        Box::new(move |d| d.note = long(501)),
        Box::new(|d| d.note = "a\nb".into()),
        Box::new(|d| d.district_code = "129999".into()),
        Box::new(|d| d.membership = "bogus".into()),
        Box::new(|d| d.id_number = "11010519900101002".into()),
        Box::new(|d| d.id_number = with_check_digit("99010519900101002")),
        Box::new(|d| d.id_number = with_check_digit("11010518000101002")),
        Box::new(|d| d.id_number = with_check_digit("11010520990101002")),
        Box::new(|d| {
            let mut id = with_check_digit("11010519900101002");
            let last = if id.ends_with('1') { "2" } else { "1" };
            id.replace_range(17.., last);
            d.id_number = id;
        }),
    ];
    for change in &bad {
        let mut draft = good.clone();
        change(&mut draft);
        let form: Vec<(Field, Rule)> = validate_worker(&draft, today())
            .expect_err("the form refuses it")
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect();
        assert_eq!(batch_refusals(&worker_record(&draft)), form, "{draft:?}");
    }
}

#[test]
fn uids_are_canonical_lower_case() {
    assert!(is_canonical_uid("0190a0b0-0000-7000-8000-00000000000a"));
    assert!(!is_canonical_uid("0190A0B0-0000-7000-8000-00000000000A"));
    assert!(!is_canonical_uid("0190a0b00000700080000000000000000a"));
}

fn service_line(change: impl Fn(&mut ServiceRecord)) -> String {
    use crate::batch::format::{HealthCheckFields, OfficerFields};
    let mut record = ServiceRecord {
        header: RecordHeader {
            uid: "0190a0b0-0000-7000-8000-0000000000c1".into(),
            version: 1,
            op: Op::Upsert,
            origin_device_id: "0190a0b0-0000-7000-8000-0000000000de".into(),
            officer: OfficerFields {
                name: "李明".into(),
                organisation: "和平区总工会".into(),
                district_code: "120101".into(),
            },
            created_at: "2026-11-29T10:00:00.000+08:00".into(),
            updated_at: "2026-11-29T10:00:00.000+08:00".into(),
            deleted_at: None,
            reason: None,
        },
        worker_uid: "0190a0b0-0000-7000-8000-00000000000a".into(),
        event_uid: None,
        kind: "health_check".into(),
        served_on: "2026-11-01".into(),
        place: "南开工地".into(),
        quantity: 1,
        amount_fen: 0,
        note: "".into(),
        health_check: Some(HealthCheckFields {
            provider: "天津市第一医院".into(),
            blood_pressure: "120/80".into(),
            glucose_tenths: Some(56),
            findings: "".into(),
            referral: false,
            follow_up_on: None,
            consent_by: "李明".into(),
            consent_at: "2026-11-01T09:00:00.000+08:00".into(),
        }),
        legal_aid: None,
    };
    change(&mut record);
    serde_json::to_string(&record).unwrap()
}

fn legal_aid(category: &str, description: String, claimed_fen: i64) -> LegalAidFields<'static> {
    LegalAidFields {
        category: category.to_string().into(),
        description: description.into(),
        status: "open".into(),
        claimed_fen,
        recovered_fen: 0,
        follows_uid: None,
    }
}

fn service_refusals(line: &str) -> Vec<(Field, Rule)> {
    let mut seen = Seen::default();
    let mut problems = Problems::default();
    let mut checker = LineChecker {
        kind: RecordKind::Service,
        format_version: 1,
        latest_date: today(),
        receiving: true,
        seen: &mut seen,
        problems: &mut problems,
        tally: KindTally::default(),
    };
    checker.check(1, line.as_bytes());
    problems
        .listed
        .into_iter()
        .map(|p| match p.kind {
            ProblemKind::Rule { error, .. } => (error.field, error.rule),
            other => panic!("not a form rule: {other:?}"),
        })
        .collect()
}

type ServiceChange = Box<dyn Fn(&mut ServiceRecord)>;

/// A service line meets the rules of the service form: dates, quantities, money, text,
/// blood pressure, glucose, consent, and the legal-aid codes.
#[test]
fn a_service_line_is_refused_by_the_rules_of_the_form() {
    assert_eq!(service_refusals(&service_line(|_| {})), vec![]);
    let as_legal_aid = |s: &mut ServiceRecord| {
        s.kind = "legal_aid".into();
        s.health_check = None;
        s.legal_aid = Some(legal_aid("wage_arrears", "欠薪三个月".into(), 300_000));
    };
    assert_eq!(service_refusals(&service_line(as_legal_aid)), vec![]);
    let cases: Vec<(ServiceChange, Field, Rule)> = vec![
        (
            Box::new(|s| s.served_on = "2099-01-01".into()),
            Field::Date,
            Rule::DateInFuture,
        ),
        (
            Box::new(|s| s.served_on = "2026-02-30".into()),
            Field::Date,
            Rule::DateFormat,
        ),
        (
            Box::new(|s| s.quantity = 0),
            Field::Quantity,
            Rule::QuantityFormat,
        ),
        (
            Box::new(|s| s.amount_fen = -1),
            Field::Amount,
            Rule::MoneyNegative,
        ),
        (
            Box::new(|s| s.amount_fen = crate::domain::money::MAX_FEN + 1),
            Field::Amount,
            Rule::MoneyTooLarge,
        ),
        (
            Box::new(|s| s.place = "地".repeat(61).into()),
            Field::Place,
            Rule::TooLong { max: 60 },
        ),
        (
            Box::new(|s| s.note = "\u{1b}[2J".into()),
            Field::Note,
            Rule::InvisibleCharacter,
        ),
        (
            Box::new(|s| s.health_check.as_mut().unwrap().blood_pressure = "300/400".into()),
            Field::BloodPressure,
            Rule::BloodPressureFormat,
        ),
        (
            Box::new(|s| s.health_check.as_mut().unwrap().glucose_tenths = Some(999)),
            Field::Glucose,
            Rule::GlucoseFormat,
        ),
        (
            Box::new(|s| s.health_check.as_mut().unwrap().consent_by = "".into()),
            Field::Consent,
            Rule::ConsentRequired,
        ),
        (
            Box::new(move |s| {
                as_legal_aid(s);
                s.legal_aid = Some(legal_aid("bogus", String::new(), 0));
            }),
            Field::Category,
            Rule::UnknownCode {
                code: "bogus".into(),
            },
        ),
        (
            Box::new(move |s| {
                as_legal_aid(s);
                s.legal_aid = Some(legal_aid("wage_arrears", "字".repeat(501), 0));
            }),
            Field::Description,
            Rule::TooLong { max: 500 },
        ),
        (
            Box::new(move |s| {
                as_legal_aid(s);
                s.legal_aid = Some(legal_aid("wage_arrears", String::new(), -5));
            }),
            Field::Claimed,
            Rule::MoneyNegative,
        ),
    ];
    for (change, field, rule) in cases {
        let refusals = service_refusals(&service_line(change));
        assert_eq!(refusals, vec![(field, rule)]);
    }
}
