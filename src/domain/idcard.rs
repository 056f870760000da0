//! Resident ID numbers (GB 11643-1999): check digit by ISO 7064 MOD 11-2, birth date, gender,
//! region of issue. Old 15-digit numbers are upgraded to 18.

use super::error::{Field, FieldError, Rule};
use super::model::Gender;
use chrono::NaiveDate;

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

/// Parses what a person typed or pasted: spaces stripped, lower-case x accepted.
pub fn parse_id_number(input: &str, today: NaiveDate) -> Result<IdNumber, FieldError> {
    let _ = (input, today, Field::IdNumber, Rule::Required);
    todo!()
}

/// The MOD 11-2 check character for the first 17 digits.
pub fn check_digit(first17: &[u8]) -> char {
    let _ = first17;
    todo!()
}

/// Whole years between `birth` and `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    let _ = (birth, today);
    todo!()
}

/// `120101********1234`: region and last four shown, the rest starred.
pub fn mask_id_number(number: &str) -> String {
    let _ = number;
    todo!()
}
