//! Resident ID numbers (GB 11643-1999): check digit by ISO 7064 MOD 11-2, birth date, gender,
//! region of issue. Old 15-digit numbers are upgraded to 18.

use super::error::{Field, FieldError, Rule};
use super::model::Gender;
use super::name::fold_full_width;
use super::refdata::{self, Region};
use chrono::{Datelike, NaiveDate};

/// A valid, normalised ID number and what it tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// 18 characters, last one 0-9 or upper-case X.
    pub number: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    /// The first six digits (region of issue; frozen at issue, may be retired).
    pub region_code: String,
    /// True when a 15-digit number was typed and upgraded to 18 digits.
    pub upgraded_from_15: bool,
}

/// ISO 7064 MOD 11-2 weights for positions 1 to 17 (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder of the weighted sum mod 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// What was typed, reduced to the characters that matter: whitespace of every kind removed,
/// full-width digits and letters folded to ASCII (input methods in full-width mode), lower-case
/// x raised. Useful for search queries too; it does not validate.
pub fn clean_id_input(input: &str) -> String {
    input
        .chars()
        .map(fold_full_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect()
}

/// Parses what a person typed or pasted: spaces stripped, lower-case x accepted.
///
/// Checks run in a fixed order (empty, length, characters, province, birth date, check digit),
/// so the officer is told about the first thing to fix.
pub fn parse_id_number(input: &str, today: NaiveDate) -> Result<IdNumber, FieldError> {
    let err = |rule| Err(FieldError::new(Field::IdNumber, rule));
    let cleaned: Vec<char> = clean_id_input(input).chars().collect();
    if cleaned.is_empty() {
        return err(Rule::Required);
    }
    let old_format = match cleaned.len() {
        18 => false,
        15 => true,
        found => return err(Rule::IdLength { found }),
    };
    for (i, &c) in cleaned.iter().enumerate() {
        let last_of_18 = !old_format && i == 17;
        if !(c.is_ascii_digit() || (last_of_18 && c == 'X')) {
            return err(Rule::IdCharacter {
                position: i + 1,
                found: c,
            });
        }
    }
    let typed: String = cleaned.iter().collect();

    let province_code = &typed[..2];
    if refdata::province(province_code).is_none() {
        return err(Rule::IdProvince {
            code: province_code.to_string(),
        });
    }

    // The 15-digit format (before 1999) has a two-digit year of the 1900s and no check digit.
    let first17 = if old_format {
        format!("{}19{}", &typed[..6], &typed[6..])
    } else {
        typed[..17].to_string()
    };
    let birth_date = match birth_date_of(&first17[6..14]) {
        Some(d) if d <= today => d,
        _ => return err(Rule::IdBirthDate),
    };

    let expected = check_digit(first17.as_bytes());
    let number = if old_format {
        format!("{first17}{expected}")
    } else {
        let found = cleaned[17];
        if found != expected {
            return err(Rule::IdCheckDigit { expected, found });
        }
        typed
    };

    let gender = if (first17.as_bytes()[16] - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(IdNumber {
        region_code: number[..6].to_string(),
        number,
        birth_date,
        gender,
        upgraded_from_15: old_format,
    })
}

/// `yyyyMMdd` to a real date from 1900 on.
fn birth_date_of(yyyymmdd: &str) -> Option<NaiveDate> {
    let year: i32 = yyyymmdd[..4].parse().ok()?;
    let month: u32 = yyyymmdd[4..6].parse().ok()?;
    let day: u32 = yyyymmdd[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| d.year() >= 1900)
}

/// The MOD 11-2 check character for the first 17 digits.
///
/// Takes either ASCII digits (`"12010119860919668".as_bytes()`) or digit values 0-9; the two
/// cannot be confused. Panics unless given exactly 17 digits: that is a programming error.
pub fn check_digit(first17: &[u8]) -> char {
    assert_eq!(first17.len(), 17, "check_digit needs 17 digits");
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| {
            let d = if b >= b'0' { b - b'0' } else { b };
            assert!(d <= 9, "check_digit needs digits, got byte {b}");
            u32::from(d) * w
        })
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// The first 17 digits followed by their check character: for demo data and tests.
pub fn with_check_digit(first17: &str) -> String {
    format!("{first17}{}", check_digit(first17.as_bytes()))
}

/// Whole years between `birth` and `today`.
///
/// Someone born on 29 February becomes a year older on 1 March in common years. A birth date
/// after `today` gives 0.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    if birth > today {
        return 0;
    }
    let had_birthday = (today.month(), today.day()) >= (birth.month(), birth.day());
    let years = today.year() - birth.year() - i32::from(!had_birthday);
    u32::try_from(years).unwrap_or(0)
}

/// `120101********1234`: region and last four shown, the rest starred.
///
/// Anything that is not 18 characters keeps only its last four.
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() == 18 {
        let head: String = chars[..6].iter().collect();
        let tail: String = chars[14..].iter().collect();
        format!("{head}********{tail}")
    } else {
        let keep = chars.len().saturating_sub(4);
        "*".repeat(keep) + &chars[keep..].iter().collect::<String>()
    }
}

/// The Tianjin district of a six-digit region code. A retired code (塘沽区 120107, 蓟县
/// 120225 …) gives the district that now covers its area. Codes outside Tianjin give `None`:
/// jingong only carries Tianjin's districts.
pub fn district_of(region_code: &str) -> Option<&'static Region> {
    refdata::district(region_code).or_else(|| {
        let retired = refdata::retired_district(region_code)?;
        refdata::district(&retired.now)
    })
}

/// The province-level region that issued the number.
pub fn province_of(id: &IdNumber) -> Option<&'static Region> {
    id.number.get(..2).and_then(refdata::province)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }
    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn rule(input: &str) -> Rule {
        parse_id_number(input, today()).unwrap_err().rule
    }

    #[test]
    fn a_valid_number_tells_birth_gender_and_region() {
        let id = parse_id_number("120111200007156699", today()).unwrap();
        assert_eq!(id.number, "120111200007156699");
        assert_eq!(id.birth_date, date(2000, 7, 15));
        assert_eq!(id.gender, Gender::Male);
        assert_eq!(id.region_code, "120111");
        assert!(!id.upgraded_from_15);
        assert_eq!(province_of(&id).unwrap().zh, "天津市");
        assert_eq!(district_of(&id.region_code).unwrap().zh, "西青区");
    }

    #[test]
    fn x_check_digit_in_either_case() {
        let upper = parse_id_number("41010219920317922X", today()).unwrap();
        let lower = parse_id_number("41010219920317922x", today()).unwrap();
        assert_eq!(upper, lower);
        assert_eq!(lower.number, "41010219920317922X");
        assert_eq!(lower.gender, Gender::Female);
    }

    #[test]
    fn spaces_of_every_kind_are_stripped() {
        let id = parse_id_number(" 120111 20000715\u{3000}6699\t", today()).unwrap();
        assert_eq!(id.number, "120111200007156699");
        let id = parse_id_number("１２０１１１２００００７１５６６９９", today()).unwrap();
        assert_eq!(id.number, "120111200007156699");
    }

    #[test]
    fn check_digit_matches_known_numbers() {
        assert_eq!(check_digit(b"12011120000715669"), '9');
        assert_eq!(check_digit(b"41010219920317922"), 'X');
        let values: Vec<u8> = b"12011120000715669".iter().map(|b| b - b'0').collect();
        assert_eq!(check_digit(&values), '9');
        assert_eq!(with_check_digit("41010219920317922"), "41010219920317922X");
    }

    #[test]
    fn every_remainder_maps_to_its_character() {
        // Two free positions are enough to reach all eleven remainders.
        let mut seen = std::collections::HashSet::new();
        for a in 0..10u8 {
            for b in 0..10u8 {
                let mut digits = [0u8; 17];
                digits[0] = a;
                digits[1] = b;
                seen.insert(check_digit(&digits));
            }
        }
        assert_eq!(seen.len(), 11);
        assert_eq!(check_digit(&[0; 17]), '1');
    }

    #[test]
    fn refusals_in_order() {
        assert_eq!(rule(""), Rule::Required);
        assert_eq!(rule("  \u{3000} "), Rule::Required);
        assert_eq!(rule("12011120000715669"), Rule::IdLength { found: 17 });
        assert_eq!(rule("1201112000071566999"), Rule::IdLength { found: 19 });
        assert_eq!(
            rule("4101021974O7217014"),
            Rule::IdCharacter {
                position: 11,
                found: 'O'
            }
        );
        assert_eq!(
            rule("12011X200007156699"),
            Rule::IdCharacter {
                position: 6,
                found: 'X'
            }
        );
        // Character errors come before province errors.
        assert_eq!(
            rule("99011120000715669A"),
            Rule::IdCharacter {
                position: 18,
                found: 'A'
            }
        );
        assert_eq!(
            rule("990111200007156699"),
            Rule::IdProvince { code: "99".into() }
        );
        // Province before birth date, birth date before check digit.
        assert_eq!(
            rule("990111200013456699"),
            Rule::IdProvince { code: "99".into() }
        );
        assert_eq!(rule("120111200013156699"), Rule::IdBirthDate);
        assert_eq!(
            rule("120111200007156690"),
            Rule::IdCheckDigit {
                expected: '9',
                found: '0'
            }
        );
    }

    #[test]
    fn birth_date_must_be_real_past_and_from_1900() {
        assert_eq!(
            rule(&with_check_digit("12010119000229123")),
            Rule::IdBirthDate
        );
        assert!(parse_id_number(&with_check_digit("12010120000229123"), today()).is_ok());
        assert_eq!(
            rule(&with_check_digit("12010118991231123")),
            Rule::IdBirthDate
        );
        assert!(parse_id_number(&with_check_digit("12010119000101123"), today()).is_ok());
        assert!(parse_id_number(&with_check_digit("12010120261129123"), today()).is_ok());
        assert_eq!(
            rule(&with_check_digit("12010120261130123")),
            Rule::IdBirthDate
        );
        assert_eq!(
            rule(&with_check_digit("12010119860931123")),
            Rule::IdBirthDate
        );
        assert_eq!(
            rule(&with_check_digit("12010119860019123")),
            Rule::IdBirthDate
        );
    }

    #[test]
    fn retired_county_codes_are_accepted() {
        // 120225 was 蓟县 until 2016; numbers issued there keep the code for life.
        let id = parse_id_number(&with_check_digit("12022519700101123"), today()).unwrap();
        assert_eq!(id.region_code, "120225");
        assert_eq!(district_of("120225").unwrap().zh, "蓟州区");
        assert_eq!(district_of("120107").unwrap().code, "120116");
        // A region code no list knows is still a valid number.
        assert!(parse_id_number(&with_check_digit("12999919700101123"), today()).is_ok());
        assert!(district_of("129999").is_none());
        assert!(district_of("110101").is_none());
    }

    #[test]
    fn fifteen_digit_numbers_are_upgraded() {
        let id = parse_id_number("120101860919668", today()).unwrap();
        assert_eq!(id.number.len(), 18);
        assert!(id.number.starts_with("12010119860919668"));
        assert_eq!(id.number, with_check_digit("12010119860919668"));
        assert!(id.upgraded_from_15);
        assert_eq!(id.birth_date, date(1986, 9, 19));
        assert_eq!(id.gender, Gender::Female);
        assert_eq!(
            rule("12010186091966X"),
            Rule::IdCharacter {
                position: 15,
                found: 'X'
            }
        );
        assert_eq!(rule("120101861319668"), Rule::IdBirthDate);
    }

    #[test]
    fn gender_follows_the_seventeenth_digit() {
        for (digit, gender) in [
            ('1', Gender::Male),
            ('2', Gender::Female),
            ('0', Gender::Female),
        ] {
            let id = parse_id_number(
                &with_check_digit(&format!("1201011986091966{digit}")),
                today(),
            )
            .unwrap();
            assert_eq!(id.gender, gender);
        }
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(date(1986, 9, 19), date(2026, 9, 18)), 39);
        assert_eq!(age_on(date(1986, 9, 19), date(2026, 9, 19)), 40);
        assert_eq!(age_on(date(2000, 2, 29), date(2023, 2, 28)), 22);
        assert_eq!(age_on(date(2000, 2, 29), date(2023, 3, 1)), 23);
        assert_eq!(age_on(date(2000, 2, 29), date(2024, 2, 29)), 24);
        assert_eq!(age_on(date(2030, 1, 1), date(2026, 1, 1)), 0);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_id_number("120101198609191234"), "120101********1234");
        assert_eq!(mask_id_number("120101860919668"), "***********9668");
        assert_eq!(mask_id_number("123"), "123");
    }
}
