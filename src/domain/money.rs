//! Money typed in yuan, kept as integer fen.

use super::error::{Field, FieldError, Rule};
use super::name::fold_full_width;

/// The largest amount accepted: 100,000,000 yuan. Far above any relief payment or wage claim,
/// so a larger number is a typing slip; and far below where i64 fen could overflow.
pub const MAX_FEN: i64 = 100_000_000 * 100;

/// "12.5" -> 1250, "300" -> 30000. Empty input is an error (`Rule::Required`); the caller
/// decides whether the field is optional.
///
/// A leading `¥`/`￥` is accepted because people type it, and full-width digits are folded
/// (input methods in full-width mode produce them). Digits beyond the second decimal are
/// refused unless they are zeros ("1.250" is exactly 1.25 yuan), so nothing is ever rounded.
pub fn parse_yuan(field: Field, input: &str) -> Result<i64, FieldError> {
    let err = |rule| Err(FieldError::new(field, rule));
    let folded: String = input.chars().map(fold_full_width).collect();
    let s = folded.trim();
    if s.is_empty() {
        return err(Rule::Required);
    }
    let s = s
        .strip_prefix('¥')
        .or_else(|| s.strip_prefix('\u{FFE5}'))
        .map_or(s, str::trim_start);
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let well_formed = digits(whole)
        && frac.is_none_or(digits)
        && !(whole.is_empty() && frac.is_none_or(str::is_empty));
    if !well_formed {
        return err(Rule::MoneyFormat);
    }
    if negative {
        return err(Rule::MoneyNegative);
    }
    let frac = frac.unwrap_or("");
    if frac.len() > 2 && frac[2..].bytes().any(|b| b != b'0') {
        return err(Rule::MoneyTooManyDecimals);
    }
    let whole = whole.trim_start_matches('0');
    // More digits than the limit has cannot fit; checking first keeps the sum from overflowing.
    if whole.len() > 9 {
        return err(Rule::MoneyTooLarge);
    }
    let yuan: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().expect("at most nine ASCII digits")
    };
    let mut fen = yuan * 100;
    let mut frac_digits = frac.bytes().chain(std::iter::repeat(b'0'));
    fen += i64::from(frac_digits.next().unwrap_or(b'0') - b'0') * 10;
    fen += i64::from(frac_digits.next().unwrap_or(b'0') - b'0');
    if fen > MAX_FEN {
        return err(Rule::MoneyTooLarge);
    }
    Ok(fen)
}

/// 1250 -> "12.50".
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(input: &str) -> i64 {
        parse_yuan(Field::Amount, input).unwrap()
    }
    fn rule(input: &str) -> Rule {
        parse_yuan(Field::Amount, input).unwrap_err().rule
    }

    #[test]
    fn yuan_to_fen() {
        assert_eq!(fen("12.5"), 1250);
        assert_eq!(fen("300"), 30000);
        assert_eq!(fen("0.05"), 5);
        assert_eq!(fen("0"), 0);
        assert_eq!(fen(" 12.34 "), 1234);
        assert_eq!(fen("12."), 1200);
        assert_eq!(fen(".5"), 50);
        assert_eq!(fen("007"), 700);
        assert_eq!(fen("1.250"), 125);
    }

    #[test]
    fn currency_sign_and_full_width_digits() {
        assert_eq!(fen("¥300"), 30000);
        assert_eq!(fen("￥ 12.5"), 1250);
        assert_eq!(fen("３００"), 30000);
    }

    #[test]
    fn refusals() {
        assert_eq!(rule(""), Rule::Required);
        assert_eq!(rule("   "), Rule::Required);
        assert_eq!(rule("-1"), Rule::MoneyNegative);
        assert_eq!(rule("-0.5"), Rule::MoneyNegative);
        assert_eq!(rule("1.234"), Rule::MoneyTooManyDecimals);
        assert_eq!(rule("0.001"), Rule::MoneyTooManyDecimals);
        for bad in [
            "abc", ".", "1.2.3", "1,000", "+5", "1e3", "12元", "- 1", "¥", "1 000",
        ] {
            assert_eq!(rule(bad), Rule::MoneyFormat, "{bad}");
        }
    }

    #[test]
    fn upper_limit_is_one_hundred_million_yuan() {
        assert_eq!(fen("100000000"), MAX_FEN);
        assert_eq!(fen("100000000.00"), MAX_FEN);
        assert_eq!(rule("100000000.01"), Rule::MoneyTooLarge);
        assert_eq!(rule("999999999999999999999999"), Rule::MoneyTooLarge);
    }

    #[test]
    fn the_field_is_reported() {
        let e = parse_yuan(Field::Claimed, "x").unwrap_err();
        assert_eq!(e.field, Field::Claimed);
    }

    #[test]
    fn formatting() {
        assert_eq!(format_fen(1250), "12.50");
        assert_eq!(format_fen(30000), "300.00");
        assert_eq!(format_fen(5), "0.05");
        assert_eq!(format_fen(0), "0.00");
        assert_eq!(format_fen(-1250), "-12.50");
        assert_eq!(format_fen(i64::MIN), "-92233720368547758.08");
    }
}
