//! A catalog of bad input, each refused with the field and the rule named, in both languages.

use chrono::NaiveDate;
use jingong::domain::validate::{
    EventDraft, ServiceDraft, WorkerDraft, validate_event, validate_service, validate_worker,
};
use jingong::domain::{Field, FieldError, Rule};
use jingong::text::Lang;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

fn good_worker() -> WorkerDraft {
    WorkerDraft {
        name: "张三".into(),
        id_number: "620102199708155206".into(),
        phone: "13812345678".into(),
        ..Default::default()
    }
}

fn refusal_of(errors: Vec<FieldError>, field: Field) -> FieldError {
    errors
        .into_iter()
        .find(|e| e.field == field)
        .unwrap_or_else(|| panic!("{field:?} was not refused"))
}

/// The refusal names the field's label in both languages.
fn assert_named(error: &FieldError) {
    for lang in [Lang::Zh, Lang::En] {
        let message = error.message(lang);
        assert!(
            message.starts_with(error.field.label(lang)),
            "{message:?} does not name {:?}",
            error.field
        );
        let rule = error.rule.describe(lang);
        assert!(!rule.is_empty() && message.ends_with(&rule), "{message:?}");
    }
}

fn worker_refused(edit: impl Fn(&mut WorkerDraft), field: Field) -> Rule {
    let mut draft = good_worker();
    edit(&mut draft);
    let errors = validate_worker(&draft, today()).expect_err("must be refused");
    let error = refusal_of(errors, field);
    assert_named(&error);
    error.rule
}

#[test]
fn the_good_worker_passes() {
    assert!(validate_worker(&good_worker(), today()).is_ok());
}

#[test]
fn bad_id_numbers_name_the_rule() {
    type Expected = fn(&Rule) -> bool;
    let cases: &[(&str, Expected)] = &[
        ("", |r| *r == Rule::Required),
        ("62010219970815520", |r| {
            matches!(r, Rule::IdLength { found: 17 })
        }),
        ("6201021997081552061", |r| {
            matches!(r, Rule::IdLength { found: 19 })
        }),
        ("62010219970815520A", |r| {
            matches!(r, Rule::IdCheckDigit { .. } | Rule::IdCharacter { .. })
        }),
        ("6201O2199708155206", |r| {
            matches!(
                r,
                Rule::IdCharacter {
                    position: 5,
                    found: 'O'
                }
            )
        }),
        ("620102199702305206", |r| *r == Rule::IdBirthDate),
        ("620102203001015206", |r| *r == Rule::IdBirthDate),
        ("620102189901015206", |r| *r == Rule::IdBirthDate),
        ("620102199708155207", |r| {
            matches!(
                r,
                Rule::IdCheckDigit {
                    expected: '6',
                    found: '7'
                }
            )
        }),
        ("990102199708155206", |r| {
            matches!(r, Rule::IdProvince { .. })
        }),
    ];
    for (input, expected) in cases {
        let rule = worker_refused(|d| d.id_number = input.to_string(), Field::IdNumber);
        assert!(expected(&rule), "{input:?} refused with {rule:?}");
    }
}

#[test]
fn bad_phones_names_and_codes_name_the_rule() {
    for phone in [
        "",
        "12812345678",
        "1381234567",
        "138123456789",
        "13812345abc",
        "+1 2025550123",
    ] {
        let rule = worker_refused(|d| d.phone = phone.into(), Field::Phone);
        assert!(
            matches!(rule, Rule::PhoneFormat | Rule::Required),
            "{phone:?}: {rule:?}"
        );
    }
    for name in ["", "   ", "张3", "张_三", "Zhang@San"] {
        let rule = worker_refused(|d| d.name = name.into(), Field::Name);
        assert!(
            matches!(rule, Rule::NameCharacters | Rule::Required),
            "{name:?}: {rule:?}"
        );
    }
    let long_name = "张".repeat(31);
    assert_eq!(
        worker_refused(|d| d.name = long_name.clone(), Field::Name),
        Rule::TooLong { max: 30 }
    );
    assert!(matches!(
        worker_refused(|d| d.district_code = "999999".into(), Field::District),
        Rule::UnknownCode { .. }
    ));
    assert!(matches!(
        worker_refused(|d| d.membership = "vip".into(), Field::Membership),
        Rule::UnknownCode { .. }
    ));
}

/// Control characters and invisible direction marks hide what a record says: refused in every
/// free-text field, as is text longer than the field holds.
#[test]
fn control_characters_bidi_marks_and_over_long_text_are_refused_in_every_text_field() {
    type Setter = fn(&mut WorkerDraft, String);
    let fields: &[(Field, Setter, usize)] = &[
        (Field::Name, |d, v| d.name = v, 30),
        (Field::Employer, |d, v| d.employer = v, 60),
        (Field::Worksite, |d, v| d.worksite = v, 60),
        (Field::Trade, |d, v| d.trade = v, 30),
        (Field::CardNo, |d, v| d.card_no = v, 30),
        (Field::Note, |d, v| d.note = v, 500),
    ];
    let hidden = [
        "\u{0007}",
        "\u{001b}[31m",
        "\u{200F}",
        "\u{202E}",
        "\u{2066}",
        "\u{200B}",
        "\u{FEFF}",
        "\n",
    ];
    for (field, set, max) in fields {
        for mark in hidden {
            let rule = worker_refused(|d| set(d, format!("张{mark}三")), *field);
            assert!(
                matches!(rule, Rule::InvisibleCharacter | Rule::NameCharacters),
                "{field:?} with {mark:?}: {rule:?}"
            );
        }
        let rule = worker_refused(|d| set(d, "工".repeat(max + 1)), *field);
        assert_eq!(rule, Rule::TooLong { max: *max }, "{field:?}");
    }
}

fn service_refused(draft: ServiceDraft, field: Field) -> Rule {
    let errors = validate_service(&draft, today(), "李明", "2026-11-29T10:00:00+08:00")
        .expect_err("must be refused");
    let error = refusal_of(errors, field);
    assert_named(&error);
    error.rule
}

fn service(kind: &str) -> ServiceDraft {
    ServiceDraft {
        kind: kind.into(),
        ..Default::default()
    }
}

#[test]
fn bad_dates_amounts_and_quantities_name_the_rule() {
    for (date, expected) in [
        ("2026-02-30", Rule::DateFormat),
        ("29/11/2026", Rule::DateFormat),
        ("明天", Rule::DateFormat),
        ("2026-12-01", Rule::DateInFuture),
    ] {
        let rule = service_refused(
            ServiceDraft {
                served_on: date.into(),
                ..service("job")
            },
            Field::Date,
        );
        assert_eq!(rule, expected, "{date}");
    }
    for (amount, expected) in [
        ("-5", Rule::MoneyNegative),
        ("12.345", Rule::MoneyTooManyDecimals),
        ("十二元", Rule::MoneyFormat),
        ("1e3", Rule::MoneyFormat),
        ("999999999999", Rule::MoneyTooLarge),
    ] {
        let rule = service_refused(
            ServiceDraft {
                amount: amount.into(),
                ..service("relief_money")
            },
            Field::Amount,
        );
        assert_eq!(rule, expected, "{amount}");
    }
    for quantity in ["0", "-1", "1.5", "许多"] {
        let rule = service_refused(
            ServiceDraft {
                quantity: quantity.into(),
                ..service("gift_package")
            },
            Field::Quantity,
        );
        assert_eq!(rule, Rule::QuantityFormat, "{quantity}");
    }
    let rule = service_refused(
        ServiceDraft {
            place: "工地\u{202E}区".into(),
            ..service("job")
        },
        Field::Place,
    );
    assert_eq!(rule, Rule::InvisibleCharacter);
    assert!(matches!(
        service_refused(service("teleport"), Field::Kind),
        Rule::UnknownCode { .. }
    ));
    assert_eq!(service_refused(service(""), Field::Kind), Rule::Required);
}

#[test]
fn health_checks_need_consent_and_plausible_readings() {
    let base = ServiceDraft {
        consent: true,
        ..service("health_check")
    };
    assert_eq!(
        service_refused(service("health_check"), Field::Consent),
        Rule::ConsentRequired
    );
    for bp in ["120", "80/120", "abc/def", "400/80", "120/80/60"] {
        let rule = service_refused(
            ServiceDraft {
                blood_pressure: bp.into(),
                ..base.clone()
            },
            Field::BloodPressure,
        );
        assert_eq!(rule, Rule::BloodPressureFormat, "{bp}");
    }
    for glucose in ["5.66", "-3", "高", "0.5", "99"] {
        let rule = service_refused(
            ServiceDraft {
                glucose: glucose.into(),
                ..base.clone()
            },
            Field::Glucose,
        );
        assert_eq!(rule, Rule::GlucoseFormat, "{glucose}");
    }
    let rule = service_refused(
        ServiceDraft {
            findings: "正常\u{0000}".into(),
            ..base.clone()
        },
        Field::Findings,
    );
    assert_eq!(rule, Rule::InvisibleCharacter);
    let rule = service_refused(
        ServiceDraft {
            follow_up_on: "下周".into(),
            ..base
        },
        Field::FollowUpOn,
    );
    assert_eq!(rule, Rule::DateFormat);
}

#[test]
fn legal_aid_needs_a_known_category_and_status_and_valid_amounts() {
    let base = ServiceDraft {
        category: "wage_arrears".into(),
        ..service("legal_aid")
    };
    assert_eq!(
        service_refused(service("legal_aid"), Field::Category),
        Rule::Required
    );
    assert!(matches!(
        service_refused(
            ServiceDraft {
                category: "murder".into(),
                ..service("legal_aid")
            },
            Field::Category
        ),
        Rule::UnknownCode { .. }
    ));
    assert!(matches!(
        service_refused(
            ServiceDraft {
                status: "won".into(),
                ..base.clone()
            },
            Field::Status
        ),
        Rule::UnknownCode { .. }
    ));
    assert_eq!(
        service_refused(
            ServiceDraft {
                claimed: "-100".into(),
                ..base.clone()
            },
            Field::Claimed
        ),
        Rule::MoneyNegative
    );
    assert_eq!(
        service_refused(
            ServiceDraft {
                recovered: "1.001".into(),
                ..base.clone()
            },
            Field::Recovered
        ),
        Rule::MoneyTooManyDecimals
    );
    let rule = service_refused(
        ServiceDraft {
            description: "欠薪".repeat(251),
            ..base
        },
        Field::Description,
    );
    assert_eq!(rule, Rule::TooLong { max: 500 });
}

#[test]
fn events_need_a_name_and_a_known_kind() {
    let errors = validate_event(&EventDraft::default(), today()).unwrap_err();
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert!(
        fields.contains(&Field::EventName) && fields.contains(&Field::Kind),
        "{fields:?}"
    );
    let errors = validate_event(
        &EventDraft {
            name: "夏送清凉".into(),
            kind: "summer_cooling".into(),
            default_amount: "-1".into(),
            held_on: "2026-13-01".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap_err();
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![Field::Date, Field::Amount]);
}
