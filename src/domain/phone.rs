//! Mainland mobile numbers.

use super::error::{Field, FieldError, Rule};
use super::name::fold_full_width;

/// Strips `+86`/`0086`, spaces and hyphens, then requires `^1[3-9]\d{9}$`.
pub fn normalize_phone(input: &str) -> Result<String, FieldError> {
    let err = |rule| Err(FieldError::new(Field::Phone, rule));
    // Full-width digits come from input methods in full-width mode; dashes of every width
    // come from numbers copied out of documents and chat apps.
    let cleaned: String = input
        .chars()
        .map(fold_full_width)
        .filter(|c| !c.is_whitespace() && !is_dash(*c))
        .collect();
    if cleaned.is_empty() {
        return err(Rule::Required);
    }
    let national = cleaned
        .strip_prefix("+86")
        .or_else(|| cleaned.strip_prefix("0086"))
        .unwrap_or(&cleaned);
    let b = national.as_bytes();
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit);
    if ok {
        Ok(national.to_string())
    } else {
        err(Rule::PhoneFormat)
    }
}

/// `138****5678`. Anything that is not 11 characters keeps only its last four.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() == 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[7..].iter().collect();
        format!("{head}****{tail}")
    } else {
        let keep = chars.len().saturating_sub(4);
        "*".repeat(keep) + &chars[keep..].iter().collect::<String>()
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(input: &str) -> Rule {
        normalize_phone(input).unwrap_err().rule
    }

    #[test]
    fn plain_and_decorated_numbers() {
        assert_eq!(normalize_phone("13812345678").unwrap(), "13812345678");
        assert_eq!(normalize_phone("+86 138-1234-5678").unwrap(), "13812345678");
        assert_eq!(normalize_phone("008613812345678").unwrap(), "13812345678");
        assert_eq!(normalize_phone(" 138 1234 5678 ").unwrap(), "13812345678");
        assert_eq!(
            normalize_phone("１３８１２３４５６７８").unwrap(),
            "13812345678"
        );
        assert_eq!(
            normalize_phone("+86\u{3000}199—1234—5678").unwrap(),
            "19912345678"
        );
    }

    #[test]
    fn every_second_digit_from_3_to_9() {
        for d in 3..=9 {
            assert!(normalize_phone(&format!("1{d}012345678")).is_ok());
        }
        assert_eq!(rule("12812345678"), Rule::PhoneFormat);
        assert_eq!(rule("10012345678"), Rule::PhoneFormat);
    }

    #[test]
    fn wrong_shapes_are_refused() {
        for bad in [
            "1381234567",   // 10 digits
            "138123456789", // 12 digits
            "23812345678",
            "1381234567a",
            "+8513812345678",
            "8613812345678",
            "(022)23456789",
            "+86",
        ] {
            assert_eq!(rule(bad), Rule::PhoneFormat, "{bad}");
        }
    }

    #[test]
    fn empty_is_required() {
        assert_eq!(rule(""), Rule::Required);
        assert_eq!(rule("  - "), Rule::Required);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("12345"), "*2345");
        assert_eq!(mask_phone("123"), "123");
        assert_eq!(mask_phone(""), "");
    }
}
