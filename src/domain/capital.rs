//! Money in Chinese capital numerals (大写金额), as finance offices write them on vouchers and
//! signature sheets: `人民币壹万零伍拾元伍角整`.
//!
//! The rules followed (those of the People's Bank for cheques and vouchers):
//! - every tens digit carries its digit, so 10 is 壹拾, never 拾;
//! - one 零 stands for a run of zeros between two non-zero digits of the yuan part, also
//!   across 万 and 亿 (1,0001 is 壹万零壹, 1,0000,0001 is 壹亿零壹), but zeros closing a
//!   four-digit group before a full next group are not read (1000,1000 is 壹仟万壹仟);
//! - no 零 between 元 and 角 (both spellings are allowed; the union's forms use the shorter);
//!   a 零 before 分 when 角 is zero (1.05 is 壹元零伍分);
//! - 整 after 元 or 角 when there are no 分, never after 分;
//! - below one yuan the 元 is left out (0.05 is 伍分); nothing at all is 零元整.

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// Places inside a four-digit group, from the ones up.
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];

/// Amounts from 1,0000,0000,0000,0000 yuan on would need a unit above 万亿 that no finance
/// office uses; an event's total is nowhere near (at most 1,0000,0000 yuan per service).
pub const CAPITAL_LIMIT_FEN: i64 = 10_000_000_000_000_000 * 100 - 1;

/// `人民币` and the amount in capital numerals; `None` for a negative amount or one above
/// `CAPITAL_LIMIT_FEN`, which no sheet can hold.
pub fn capital_yuan(fen: i64) -> Option<String> {
    if !(0..=CAPITAL_LIMIT_FEN).contains(&fen) {
        return None;
    }
    let yuan = fen / 100;
    let jiao = (fen / 10 % 10) as usize;
    let fen_digit = (fen % 10) as usize;
    let mut out = String::from("人民币");
    if yuan == 0 && jiao == 0 && fen_digit == 0 {
        out.push_str("零元整");
        return Some(out);
    }
    if yuan > 0 {
        out.push_str(&whole_yuan(yuan as u64));
        out.push('元');
    }
    if jiao > 0 {
        out.push(DIGITS[jiao]);
        out.push('角');
    } else if fen_digit > 0 && yuan > 0 {
        out.push('零');
    }
    if fen_digit > 0 {
        out.push(DIGITS[fen_digit]);
        out.push('分');
    } else {
        out.push('整');
    }
    Some(out)
}

/// The yuan part, without 元: four-digit groups joined by 万, 亿 and 万亿.
fn whole_yuan(yuan: u64) -> String {
    let groups = [
        (yuan / 1_0000_0000_0000) % 1_0000,
        (yuan / 1_0000_0000) % 1_0000,
        (yuan / 1_0000) % 1_0000,
        yuan % 1_0000,
    ];
    let mut out = String::new();
    // A zero met after a non-zero digit, owed as one 零 before the next non-zero digit.
    let mut zero_owed = false;
    for (index, &group) in groups.iter().enumerate() {
        if group == 0 {
            zero_owed |= !out.is_empty();
            continue;
        }
        let digits = [group / 1000, group / 100 % 10, group / 10 % 10, group % 10];
        for (position, &digit) in digits.iter().enumerate() {
            if digit == 0 {
                zero_owed |= !out.is_empty();
                continue;
            }
            if zero_owed {
                out.push('零');
                zero_owed = false;
            }
            out.push(DIGITS[digit as usize]);
            out.push_str(PLACES[3 - position]);
        }
        // Zeros closing a group are not read: 2030,4050 is 贰仟零叁拾万肆仟零伍拾.
        if group % 10 == 0 {
            zero_owed = false;
        }
        out.push_str(match index {
            // 万 of 万亿: the 亿 follows with the next group, or here when that group is empty.
            0 if groups[1] == 0 => "万亿",
            0 | 2 => "万",
            1 => "亿",
            _ => "",
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::MAX_FEN;

    fn cap(fen: i64) -> String {
        capital_yuan(fen).expect("within the limit")
    }

    #[test]
    fn the_amounts_named_in_the_issue() {
        assert_eq!(cap(0), "人民币零元整");
        assert_eq!(cap(5), "人民币伍分");
        assert_eq!(cap(1_000), "人民币壹拾元整");
        assert_eq!(cap(10_050), "人民币壹佰元伍角整");
        assert_eq!(cap(100_100), "人民币壹仟零壹元整");
        assert_eq!(cap(1_000_050), "人民币壹万元伍角整");
        assert_eq!(cap(10_000_000_000), "人民币壹亿元整");
        assert_eq!(cap(150_000), "人民币壹仟伍佰元整");
        assert_eq!(cap(1_005_050), "人民币壹万零伍拾元伍角整");
    }

    #[test]
    fn the_largest_amount_of_one_service_and_of_a_full_event() {
        // One service holds at most MAX_FEN; the quantity field allows 100,000 per service,
        // and the total row sums every attendee's amount.
        assert_eq!(cap(MAX_FEN), "人民币壹亿元整");
        assert_eq!(
            cap(MAX_FEN - 1),
            "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
        );
        assert_eq!(cap(MAX_FEN * 100_000), "人民币壹拾万亿元整");
        assert_eq!(
            cap(CAPITAL_LIMIT_FEN),
            "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
        );
        assert_eq!(capital_yuan(CAPITAL_LIMIT_FEN + 1), None);
        assert_eq!(capital_yuan(i64::MAX), None);
        assert_eq!(capital_yuan(-1), None);
    }

    #[test]
    fn jiao_and_fen() {
        assert_eq!(cap(50), "人民币伍角整");
        assert_eq!(cap(55), "人民币伍角伍分");
        assert_eq!(cap(105), "人民币壹元零伍分");
        assert_eq!(cap(110), "人民币壹元壹角整");
        assert_eq!(cap(10_005), "人民币壹佰元零伍分");
        assert_eq!(cap(168_032), "人民币壹仟陆佰捌拾元叁角贰分");
        assert_eq!(cap(100), "人民币壹元整");
    }

    #[test]
    fn one_zero_for_each_run_of_zeros() {
        assert_eq!(cap(1_001_000), "人民币壹万零壹拾元整");
        assert_eq!(cap(10_001_000), "人民币壹拾万零壹拾元整");
        assert_eq!(cap(10_700_053), "人民币壹拾万柒仟元伍角叁分");
        assert_eq!(cap(100_000_100), "人民币壹佰万零壹元整");
        assert_eq!(cap(10_000_000_100), "人民币壹亿零壹元整");
        assert_eq!(cap(10_001_000_000), "人民币壹亿零壹万元整");
        assert_eq!(cap(12_030_405_000), "人民币壹亿贰仟零叁拾万肆仟零伍拾元整");
        assert_eq!(cap(2_000_200), "人民币贰万零贰元整");
        assert_eq!(cap(1_100_000), "人民币壹万壹仟元整");
        assert_eq!(cap(1_010_000), "人民币壹万零壹佰元整");
        assert_eq!(cap(1_000_100_000), "人民币壹仟万壹仟元整");
        assert_eq!(cap(1_000_000_100), "人民币壹仟万零壹元整");
    }

    #[test]
    fn groups_above_yi() {
        let yi = 1_0000_0000_i64 * 100;
        assert_eq!(cap(10_000 * yi), "人民币壹万亿元整");
        assert_eq!(cap(10_000 * yi + 100), "人民币壹万亿零壹元整");
        assert_eq!(
            cap(12_345_678 * yi),
            "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌亿元整"
        );
        assert_eq!(cap(10_001 * yi), "人民币壹万零壹亿元整");
        assert_eq!(cap(10_000 * yi + 1_000_000), "人民币壹万亿零壹万元整");
    }

    #[test]
    fn every_digit_and_place_is_spelled() {
        assert_eq!(
            cap(98_765_432_100),
            "人民币玖亿捌仟柒佰陆拾伍万肆仟叁佰贰拾壹元整"
        );
        assert_eq!(cap(11_111), "人民币壹佰壹拾壹元壹角壹分");
    }
}
