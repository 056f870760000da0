//! Pinyin keys for searching names: full pinyin and initials, with every reading of a
//! polyphonic surname (both `zs` and `cs` find 曾盛) and every common reading of a given
//! name's polyphonic characters (`mcs` and `mzs` both find 孟长生).

use super::name::is_latin_letter;
use super::refdata::{self, SurnameReading};
use pinyin::{ToPinyin, ToPinyinMulti};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The search keys of one name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PinyinKeys {
    /// The preferred full pinyin without tones or spaces, lower-case ("zengsheng").
    pub full: String,
    /// The preferred initials ("zs").
    pub initials: String,
    /// Every full-pinyin variant, preferred first, without duplicates.
    pub full_variants: Vec<String>,
    /// Every initials variant, preferred first, without duplicates.
    pub initial_variants: Vec<String>,
}

/// Most readings kept per name, the most common first: a name adds at most this many full
/// pinyin keys and this many initials keys to the search index, however many polyphonic
/// characters it has.
pub const MAX_VARIANTS: usize = 8;

/// Most readings of the surname taken into the combinations (its table reading first).
const MAX_SURNAME_READINGS: usize = 4;

/// One position of the name and its readings, most common first; a reading is one syllable,
/// or two for a compound surname.
type Slot = Vec<Vec<String>>;

const GIVEN_NAME_READINGS_TOML: &str = include_str!("../../data/given_name_readings.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenNameReadingsFile {
    readings: HashMap<String, Vec<String>>,
}

/// data/given_name_readings.toml by character.
static GIVEN_NAME_READINGS: LazyLock<HashMap<char, Vec<String>>> = LazyLock::new(|| {
    let file: GivenNameReadingsFile = toml::from_str(GIVEN_NAME_READINGS_TOML)
        .unwrap_or_else(|e| panic!("embedded data/given_name_readings.toml is invalid: {e}"));
    file.readings
        .into_iter()
        .map(|(zh, readings)| {
            let mut chars = zh.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => (c, readings),
                _ => panic!("data/given_name_readings.toml: {zh} is not one character"),
            }
        })
        .collect()
});

/// Latin letters in the name are kept (lower-cased); the middle dot is dropped.
///
/// The surname (a compound one from the table first, else the first character) is read as
/// data/surnames.toml says, and its other dictionary readings follow as variants, because
/// officers type what they hear and not everyone says 曾 as "zeng". A given name's character
/// listed in data/given_name_readings.toml is read each way listed there; any other character
/// takes its most common reading only. The variants are the combinations of these readings
/// in order of how common they are (fewest less-common readings first), at most
/// `MAX_VARIANTS`.
pub fn pinyin_keys(name: &str) -> PinyinKeys {
    let chars: Vec<char> = name.trim().chars().collect();
    let mut slots: Vec<Slot> = Vec::new();
    let rest_start = match surname_of(&chars) {
        Some(entry) => {
            let n = entry.zh.chars().count();
            slots.push(surname_options(entry, &chars[..n]));
            n
        }
        None => 0,
    };
    slots.extend(given_name_slots(&chars[rest_start..]));

    let mut keys = PinyinKeys::default();
    for picks in most_common_combinations(&slots, MAX_VARIANTS) {
        let syllables: Vec<&String> = slots
            .iter()
            .zip(&picks)
            .flat_map(|(slot, &pick)| &slot[pick])
            .collect();
        let full: String = syllables.iter().map(|s| s.as_str()).collect();
        let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
        push_unique(&mut keys.full_variants, full);
        push_unique(&mut keys.initial_variants, initials);
    }
    keys.full = keys.full_variants[0].clone();
    keys.initials = keys.initial_variants[0].clone();
    keys
}

/// Up to `cap` choices of one reading per slot, by how many less-common readings they take
/// (the sum of the reading indexes): the all-preferred choice first. Only choices that can
/// still be completed are walked, so the work is about `cap` times the name's length.
fn most_common_combinations(slots: &[Slot], cap: usize) -> Vec<Vec<usize>> {
    let spare: Vec<usize> = slots.iter().map(|s| s.len().saturating_sub(1)).collect();
    let most: usize = spare.iter().sum();
    let mut out = Vec::new();
    for sum in 0..=most {
        if out.len() >= cap {
            break;
        }
        let mut picks = Vec::with_capacity(slots.len());
        picks_with_sum(&spare, sum, &mut picks, &mut out, cap);
    }
    out
}

/// Appends to `out` every completion of `picks` whose indexes add up to `left` more.
fn picks_with_sum(
    spare: &[usize],
    left: usize,
    picks: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
    cap: usize,
) {
    let i = picks.len();
    if i == spare.len() {
        if left == 0 && out.len() < cap {
            out.push(picks.clone());
        }
        return;
    }
    let later: usize = spare[i + 1..].iter().sum();
    for pick in 0..=spare[i].min(left) {
        if out.len() >= cap {
            return;
        }
        if left - pick > later {
            continue;
        }
        picks.push(pick);
        picks_with_sum(spare, left - pick, picks, out, cap);
        picks.pop();
    }
}

/// The table entry the name starts with; the table lists compound surnames first.
fn surname_of(chars: &[char]) -> Option<&'static SurnameReading> {
    refdata::surname_readings().iter().find(|s| {
        s.zh.chars().count() <= chars.len() && s.zh.chars().zip(chars).all(|(a, &b)| a == b)
    })
}

/// The surname's readings as syllable lists: the table's first, then the dictionary's.
fn surname_options(entry: &SurnameReading, chars: &[char]) -> Vec<Vec<String>> {
    let mut options = vec![entry.pinyin.clone()];
    if let [single] = chars {
        if let Some(multi) = single.to_pinyin_multi() {
            for reading in multi {
                push_unique(&mut options, vec![plain(reading.plain())]);
            }
        }
    } else {
        let common: Option<Vec<String>> = chars
            .iter()
            .map(|c| c.to_pinyin().map(|p| plain(p.plain())))
            .collect();
        if let Some(common) = common {
            push_unique(&mut options, common);
        }
    }
    options.truncate(MAX_SURNAME_READINGS);
    options
}

/// One slot per Chinese character (its readings from data/given_name_readings.toml, else its
/// most common one), one per run of Latin letters or digits; everything else (the middle dot,
/// spaces, characters the dictionary does not know) is dropped.
fn given_name_slots(chars: &[char]) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::new();
    let mut word = String::new();
    for &c in chars {
        if c.is_ascii_alphanumeric() || is_latin_letter(c) {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(vec![vec![std::mem::take(&mut word)]]);
        }
        if let Some(readings) = GIVEN_NAME_READINGS.get(&c) {
            out.push(readings.iter().map(|r| vec![r.clone()]).collect());
        } else if let Some(p) = c.to_pinyin() {
            out.push(vec![vec![plain(p.plain())]]);
        }
    }
    if !word.is_empty() {
        out.push(vec![vec![word]]);
    }
    out
}

/// The dictionary writes ü (绿 lü) and ê; a keyboard types v, as every pinyin input method
/// expects, and e.
fn plain(reading: &str) -> String {
    reading
        .chars()
        .map(|c| match c {
            'ü' => 'v',
            'ê' => 'e',
            c => c,
        })
        .collect()
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_name() {
        let k = pinyin_keys("张三");
        assert_eq!(k.full, "zhangsan");
        assert_eq!(k.initials, "zs");
        assert_eq!(k.full_variants, ["zhangsan"]);
        assert_eq!(k.initial_variants, ["zs"]);
    }

    #[test]
    fn polyphonic_surname_prefers_the_surname_reading() {
        let k = pinyin_keys("曾盛");
        assert_eq!(k.full, "zengsheng");
        assert_eq!(k.initials, "zs");
        assert_eq!(k.full_variants, ["zengsheng", "cengsheng"]);
        assert_eq!(k.initial_variants, ["zs", "cs"]);
    }

    #[test]
    fn surname_table_readings() {
        for (name, full) in [
            ("单雄信", "shanxiongxin"),
            ("解缙", "xiejin"),
            ("仇英", "qiuying"),
            ("区伟", "ouwei"),
            ("查良镛", "zhaliangyong"),
            ("朴正", "piaozheng"),
            ("翟明", "zhaiming"),
            ("覃红", "qinhong"),
        ] {
            let k = pinyin_keys(name);
            assert_eq!(k.full, full, "{name}: {k:?}");
            assert_eq!(k.full_variants[0], full, "{name}");
        }
    }

    #[test]
    fn compound_surnames_match_first() {
        let k = pinyin_keys("尉迟恭");
        assert_eq!(k.full, "yuchigong");
        assert_eq!(k.initials, "ycg");
        assert_eq!(pinyin_keys("万俟卨").full_variants[0], "moqixie");
        assert_eq!(pinyin_keys("长孙无忌").full, "zhangsunwuji");
    }

    #[test]
    fn a_given_name_is_read_every_common_way_most_common_first() {
        let k = pinyin_keys("孟长生");
        assert_eq!(k.full, "mengchangsheng");
        assert_eq!(k.full_variants, ["mengchangsheng", "mengzhangsheng"]);
        assert_eq!(k.initial_variants, ["mcs", "mzs"]);
        let k = pinyin_keys("张行乐");
        assert_eq!(
            k.full_variants,
            ["zhangxingle", "zhangxingyue", "zhanghangle", "zhanghangyue"]
        );
        // A rare dictionary reading (红 gong) adds no key.
        assert_eq!(pinyin_keys("王红").full_variants, ["wanghong"]);
        // The surname keeps its own reading first; 乐 as a surname is yue.
        assert_eq!(pinyin_keys("乐乐").full_variants[0], "yuele");
    }

    #[test]
    fn the_readings_of_a_long_polyphonic_name_are_capped() {
        // Six characters with two or three readings each: 200+ combinations, 8 kept.
        let k = pinyin_keys("曾长乐行朝重缪");
        assert_eq!(k.full_variants.len(), MAX_VARIANTS);
        assert!(k.initial_variants.len() <= MAX_VARIANTS);
        assert_eq!(k.full, "zengchanglexingchaozhongmiao");
    }

    #[test]
    fn every_given_name_reading_is_a_dictionary_reading() {
        for (c, readings) in GIVEN_NAME_READINGS.iter() {
            let dictionary: Vec<String> = c
                .to_pinyin_multi()
                .map(|m| m.into_iter().map(|p| plain(p.plain())).collect())
                .unwrap_or_default();
            assert!(readings.len() >= 2, "{c}: one reading needs no entry");
            for r in readings {
                assert!(dictionary.contains(r), "{c} {r} not in {dictionary:?}");
            }
        }
    }

    #[test]
    fn transliterated_and_latin_names() {
        assert_eq!(pinyin_keys("买买提·艾力").full, "maimaitiaili");
        assert_eq!(pinyin_keys("买买提·艾力").initials, "mmtal");
        let k = pinyin_keys("John Smith");
        assert_eq!(k.full, "johnsmith");
        assert_eq!(k.initials, "js");
        assert_eq!(pinyin_keys("王Amy").full, "wangamy");
        assert_eq!(pinyin_keys("王Amy").initials, "wa");
    }

    #[test]
    fn u_umlaut_is_typed_as_v() {
        assert_eq!(pinyin_keys("吕女").full, "lvnv");
    }

    #[test]
    fn empty_and_unknown_characters() {
        let k = pinyin_keys("");
        assert_eq!(k.full, "");
        assert_eq!(k.full_variants, [""]);
        assert_eq!(pinyin_keys("·").full, "");
        assert_eq!(pinyin_keys("曾").full_variants, ["zeng", "ceng"]);
    }
}
