//! Pinyin keys for searching names: full pinyin and initials, with every reading of a
//! polyphonic surname so that both `zs` and `cs` find 曾盛.

use super::name::is_latin_letter;
use super::refdata::{self, SurnameReading};
use pinyin::{ToPinyin, ToPinyinMulti};

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

/// Most readings kept per name. Only the surname varies, so this bounds the rows a name adds
/// to the search index however many readings its characters have.
pub const MAX_VARIANTS: usize = 4;

/// Latin letters in the name are kept (lower-cased); the middle dot is dropped.
///
/// The surname (a compound one from the table first, else the first character) is read as
/// data/surnames.toml says, and its other dictionary readings follow as variants, because
/// officers type what they hear and not everyone says 曾 as "zeng". Every other character
/// takes its most common reading only.
pub fn pinyin_keys(name: &str) -> PinyinKeys {
    let chars: Vec<char> = name.trim().chars().collect();
    let (surname_options, rest_start) = match surname_of(&chars) {
        Some(entry) => {
            let n = entry.zh.chars().count();
            (surname_options(entry, &chars[..n]), n)
        }
        None => (vec![Vec::new()], 0),
    };
    let rest = syllables(&chars[rest_start..]);

    let mut keys = PinyinKeys::default();
    for option in &surname_options {
        let all = || option.iter().chain(&rest);
        let full: String = all().map(String::as_str).collect();
        let initials: String = all().filter_map(|s| s.chars().next()).collect();
        push_unique(&mut keys.full_variants, full);
        push_unique(&mut keys.initial_variants, initials);
    }
    keys.full = keys.full_variants[0].clone();
    keys.initials = keys.initial_variants[0].clone();
    keys
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
    options.truncate(MAX_VARIANTS);
    options
}

/// One syllable per Chinese character (its most common reading), one word per run of Latin
/// letters or digits; everything else (the middle dot, spaces, characters the dictionary does
/// not know) is dropped.
fn syllables(chars: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for &c in chars {
        if c.is_ascii_alphanumeric() || is_latin_letter(c) {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if let Some(p) = c.to_pinyin() {
            out.push(plain(p.plain()));
        }
    }
    if !word.is_empty() {
        out.push(word);
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
    fn only_the_surname_varies() {
        // 行 and 乐 have several readings, but only as a surname does a second reading count.
        let k = pinyin_keys("张行乐");
        assert_eq!(k.full_variants.len(), 1);
        assert!(pinyin_keys("乐乐").full_variants.len() <= MAX_VARIANTS);
        assert_eq!(pinyin_keys("乐乐").full_variants[0], "yuele");
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
