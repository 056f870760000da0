//! The validation rules as the issue states them, checked against the shared sample numbers
//! and against generated ones.

use chrono::{Days, NaiveDate};
use jingong::domain::idcard::{check_digit, parse_id_number, province_of, with_check_digit};
use jingong::domain::name::validate_text;
use jingong::domain::pinyin::{MAX_VARIANTS, pinyin_keys};
use jingong::domain::{
    Field, Gender, Rule, format_fen, normalize_phone, parse_yuan, refdata, validate_name,
};
use proptest::prelude::*;

/// A fixed "today", so that the tests do not change with the clock.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// Data lines of a fixture: comments and blank lines skipped, split on tabs.
fn fixture_rows(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn every_valid_sample_parses_with_its_birth_date_and_gender() {
    let rows = fixture_rows(include_str!("../fixtures/id-numbers-valid.txt"));
    assert!(rows.len() >= 20);
    for row in rows {
        let [number, birth, gender] = row[..] else {
            panic!("bad fixture row {row:?}")
        };
        let id = parse_id_number(number, today()).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(id.number, number.to_uppercase(), "{number}");
        assert_eq!(id.birth_date.to_string(), birth, "{number}");
        assert_eq!(Some(id.gender), Gender::from_code(gender), "{number}");
        assert_eq!(id.region_code, number[..6], "{number}");
        assert!(!id.upgraded_from_15);
        assert!(province_of(&id).is_some(), "{number}");
    }
}

#[test]
fn every_invalid_sample_is_refused_with_its_rule() {
    let rows = fixture_rows(include_str!("../fixtures/id-numbers-invalid.txt"));
    let mut seen = std::collections::HashSet::new();
    for row in rows {
        let [number, what] = row[..] else {
            panic!("bad fixture row {row:?}")
        };
        let err = parse_id_number(number, today()).expect_err(number);
        assert_eq!(err.field, Field::IdNumber);
        let matches = match what {
            "check digit" => matches!(err.rule, Rule::IdCheckDigit { .. }),
            "length" => matches!(err.rule, Rule::IdLength { .. }),
            "birth date" => err.rule == Rule::IdBirthDate,
            "character" => matches!(err.rule, Rule::IdCharacter { .. }),
            "province" => matches!(err.rule, Rule::IdProvince { .. }),
            "empty" => err.rule == Rule::Required,
            other => panic!("unknown rule {other:?} in the fixture"),
        };
        assert!(matches, "{number:?}: expected {what}, got {:?}", err.rule);
        seen.insert(what);
    }
    for what in ["check digit", "length", "birth date", "character", "empty"] {
        assert!(seen.contains(what), "the fixture has no {what} sample");
    }
}

#[test]
fn check_digit_sample_reports_expected_and_found() {
    // 120101198609196687 is valid; the fixture has it ending in 6.
    assert_eq!(
        parse_id_number("120101198609196686", today())
            .unwrap_err()
            .rule,
        Rule::IdCheckDigit {
            expected: '7',
            found: '6'
        }
    );
}

#[test]
fn fifteen_digit_number_is_upgraded() {
    let id = parse_id_number("120101860919668", today()).unwrap();
    assert!(id.number.starts_with("12010119860919668"));
    assert_eq!(id.number.len(), 18);
    let last = id.number.chars().last().unwrap();
    assert_eq!(last, check_digit(b"12010119860919668"));
    assert!(id.upgraded_from_15);
    assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1986, 9, 19).unwrap());
}

#[test]
fn phones() {
    assert_eq!(normalize_phone("+86 138-1234-5678").unwrap(), "13812345678");
    assert_eq!(normalize_phone("0086 13812345678").unwrap(), "13812345678");
    let rule = |s| normalize_phone(s).unwrap_err().rule;
    assert_eq!(rule("12812345678"), Rule::PhoneFormat);
    assert_eq!(rule("1381234567"), Rule::PhoneFormat);
    assert_eq!(rule(""), Rule::Required);
}

#[test]
fn money() {
    let yuan = |s| parse_yuan(Field::Amount, s);
    assert_eq!(yuan("12.5"), Ok(1250));
    assert_eq!(yuan("300"), Ok(30000));
    assert_eq!(yuan("0.05"), Ok(5));
    let rule = |s| yuan(s).unwrap_err().rule;
    assert_eq!(rule("-1"), Rule::MoneyNegative);
    assert_eq!(rule("1.234"), Rule::MoneyTooManyDecimals);
    assert_eq!(rule("abc"), Rule::MoneyFormat);
    assert_eq!(rule(""), Rule::Required);
    assert_eq!(rule("100000000.01"), Rule::MoneyTooLarge);
    assert_eq!(format_fen(1250), "12.50");
    assert_eq!(format_fen(30000), "300.00");
}

#[test]
fn names() {
    assert_eq!(validate_name("买买提·艾力").unwrap(), "买买提·艾力");
    assert_eq!(validate_name("John Smith").unwrap(), "John Smith");
    let rule = |s: &str| validate_name(s).unwrap_err().rule;
    assert_eq!(rule("张三3"), Rule::NameCharacters);
    assert_eq!(rule(&"张".repeat(31)), Rule::TooLong { max: 30 });
    assert_eq!(rule("张\u{200F}三"), Rule::InvisibleCharacter);
    assert_eq!(rule("  "), Rule::Required);
}

#[test]
fn pinyin() {
    let k = pinyin_keys("张三");
    assert_eq!((k.full.as_str(), k.initials.as_str()), ("zhangsan", "zs"));
    let k = pinyin_keys("曾盛");
    assert_eq!(k.initial_variants.first().map(String::as_str), Some("zs"));
    assert!(k.initial_variants.iter().any(|v| v == "cs"));
    assert!(k.full_variants.iter().any(|v| v == "cengsheng"));
    assert_eq!(pinyin_keys("单雄信").full_variants[0], "shanxiongxin");
    assert_eq!(pinyin_keys("尉迟恭").full, "yuchigong");
    assert_eq!(pinyin_keys("买买提·艾力").full, "maimaitiaili");
}

/// The parts of a generated valid 18-digit number.
#[derive(Debug, Clone)]
struct Parts {
    province: String,
    county: u32,
    birth: NaiveDate,
    sequence: u32,
}

impl Parts {
    fn first17(&self) -> String {
        format!(
            "{}{:04}{}{:03}",
            self.province,
            self.county,
            self.birth.format("%Y%m%d"),
            self.sequence
        )
    }
    fn number(&self) -> String {
        with_check_digit(&self.first17())
    }
}

fn date_between(from: NaiveDate, to: NaiveDate) -> impl Strategy<Value = NaiveDate> {
    let span = (to - from).num_days() as u64;
    (0..=span).prop_map(move |d| from.checked_add_days(Days::new(d)).unwrap())
}

fn parts_born_between(from: NaiveDate, to: NaiveDate) -> impl Strategy<Value = Parts> {
    let codes: Vec<String> = refdata::provinces()
        .iter()
        .map(|p| p.code.clone())
        .collect();
    (
        prop::sample::select(codes),
        0u32..10_000,
        date_between(from, to),
        0u32..1000,
    )
        .prop_map(|(province, county, birth, sequence)| Parts {
            province,
            county,
            birth,
            sequence,
        })
}

fn valid_parts() -> impl Strategy<Value = Parts> {
    parts_born_between(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(), today())
}

proptest! {
    #[test]
    fn generated_numbers_parse(parts in valid_parts()) {
        let number = parts.number();
        let id = parse_id_number(&number, today()).unwrap();
        prop_assert_eq!(&id.number, &number);
        prop_assert_eq!(id.birth_date, parts.birth);
        let male = parts.sequence % 2 == 1;
        prop_assert_eq!(id.gender, if male { Gender::Male } else { Gender::Female });
    }

    #[test]
    fn every_single_character_change_is_caught(parts in valid_parts()) {
        let number = parts.number();
        let original: Vec<char> = number.chars().collect();
        for pos in 0..18 {
            for replacement in "0123456789X".chars() {
                if replacement == original[pos] {
                    continue;
                }
                let mut changed = original.clone();
                changed[pos] = replacement;
                let changed: String = changed.into_iter().collect();
                let err = parse_id_number(&changed, today());
                prop_assert!(err.is_err(), "{} -> {} accepted", number, changed);
                // The sequence and check positions touch no other rule: only the check digit
                // can catch a change there.
                if pos >= 14 && (pos == 17 || replacement != 'X') {
                    let is_check_digit_rule =
                        matches!(err.unwrap_err().rule, Rule::IdCheckDigit { .. });
                    prop_assert!(is_check_digit_rule, "{}", changed);
                }
            }
        }
    }

    #[test]
    fn parse_is_idempotent(parts in valid_parts()) {
        let once = parse_id_number(&parts.number(), today()).unwrap();
        let twice = parse_id_number(&once.number, today()).unwrap();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn lower_case_x_is_accepted(parts in valid_parts()) {
        // Walk the sequence until the check character is X (about one number in eleven).
        let with_x = (0..1000)
            .map(|k| Parts { sequence: (parts.sequence + k) % 1000, ..parts.clone() })
            .map(|p| p.number())
            .find(|n| n.ends_with('X'))
            .expect("some sequence gives X");
        let lower = with_x.to_lowercase();
        let id = parse_id_number(&lower, today()).unwrap();
        prop_assert_eq!(&id.number, &with_x);
        prop_assert_eq!(id, parse_id_number(&with_x, today()).unwrap());
    }

    #[test]
    fn spaced_input_parses_like_the_plain_number(parts in valid_parts(), gaps in prop::collection::vec(0usize..18, 0..4)) {
        let number = parts.number();
        let mut spaced = String::new();
        for (i, c) in number.chars().enumerate() {
            if gaps.contains(&i) {
                spaced.push_str(if i % 2 == 0 { " " } else { "\u{3000}" });
            }
            spaced.push(c);
        }
        prop_assert_eq!(
            parse_id_number(&spaced, today()).unwrap(),
            parse_id_number(&number, today()).unwrap()
        );
    }

    #[test]
    fn fifteen_digit_numbers_upgrade(
        parts in parts_born_between(
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(1999, 12, 31).unwrap(),
        )
    ) {
        let eighteen = parts.number();
        let fifteen = format!("{}{}", &eighteen[..6], &eighteen[8..17]);
        let id = parse_id_number(&fifteen, today()).unwrap();
        prop_assert!(id.upgraded_from_15);
        prop_assert_eq!(&id.number, &eighteen);
        prop_assert_eq!(id.birth_date, parts.birth);
        let again = parse_id_number(&id.number, today()).unwrap();
        prop_assert!(!again.upgraded_from_15);
        prop_assert_eq!(again.birth_date, id.birth_date);
        prop_assert_eq!(again.gender, id.gender);
    }

    #[test]
    fn future_birth_dates_are_refused(
        parts in parts_born_between(
            today().checked_add_days(Days::new(1)).unwrap(),
            NaiveDate::from_ymd_opt(2099, 12, 31).unwrap(),
        )
    ) {
        prop_assert_eq!(parse_id_number(&parts.number(), today()).unwrap_err().rule, Rule::IdBirthDate);
        // The same number is fine once its birthday has passed.
        prop_assert!(parse_id_number(&parts.number(), parts.birth).is_ok());
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse_id_number(&s, today());
        let _ = normalize_phone(&s);
        let _ = parse_yuan(Field::Amount, &s);
        let _ = validate_name(&s);
        let _ = validate_text(Field::Note, &s, 20);
        let _ = pinyin_keys(&s);
    }

    #[test]
    fn fen_round_trip(fen in 0i64..=10_000_000_000) {
        prop_assert_eq!(parse_yuan(Field::Amount, &format_fen(fen)), Ok(fen));
    }

    #[test]
    fn phones_with_prefix_and_separators(rest in 3u8..=9, tail in 0u64..1_000_000_000, plus in any::<bool>()) {
        let phone = format!("1{rest}{tail:09}");
        let prefix = if plus { "+86 " } else { "0086-" };
        let typed = format!("{prefix}{}-{} {}", &phone[..3], &phone[3..7], &phone[7..]);
        prop_assert_eq!(normalize_phone(&typed).unwrap(), phone);
    }

    #[test]
    fn validated_names_validate_to_themselves(s in "[张王李赵曾单买提艾力·. a-zA-Z]{1,12}") {
        if let Ok(name) = validate_name(&s) {
            prop_assert_eq!(validate_name(&name), Ok(name.clone()));
        }
    }

    #[test]
    fn pinyin_keys_are_consistent(s in "[张王李赵曾单乐尉迟解朴吕·a-zA-Z]{0,8}") {
        let k = pinyin_keys(&s);
        prop_assert!(!k.full_variants.is_empty() && k.full_variants.len() <= MAX_VARIANTS);
        prop_assert!(!k.initial_variants.is_empty() && k.initial_variants.len() <= MAX_VARIANTS);
        prop_assert_eq!(&k.full_variants[0], &k.full);
        prop_assert_eq!(&k.initial_variants[0], &k.initials);
        let mut deduped = k.full_variants.clone();
        deduped.sort();
        deduped.dedup();
        prop_assert_eq!(deduped.len(), k.full_variants.len());
        prop_assert!(k.full.chars().all(|c| c.is_ascii_lowercase()), "{:?}", k);
    }
}
