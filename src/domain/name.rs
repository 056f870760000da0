//! Person names, and the plain-text rules every free-text field shares.

use super::error::{Field, FieldError, Rule};

/// Longest name accepted, in characters. Long Uyghur or Tibetan names written in Chinese with
/// middle dots fit easily.
pub const NAME_MAX: usize = 30;

/// The middle dot that separates parts of transliterated names (买买提·艾力).
pub const MIDDLE_DOT: char = '\u{00B7}';

/// Trimmed, 1 to 30 characters, Chinese or Latin letters, the middle dot allowed.
///
/// Returns the normalised name: full-width Latin letters folded to ASCII, look-alike dots
/// turned into `·`, runs of spaces between Latin words collapsed to one.
pub fn validate_name(input: &str) -> Result<String, FieldError> {
    let err = |rule| Err(FieldError::new(Field::Name, rule));
    // Chinese input methods in full-width mode type Ａ-Ｚ and U+3000; they mean plain letters
    // and spaces.
    let folded: String = input.chars().map(fold_full_width).collect();
    let trimmed = folded.trim();
    if trimmed.is_empty() {
        return err(Rule::Required);
    }
    if trimmed.chars().any(is_invisible) {
        return err(Rule::InvisibleCharacter);
    }
    let chars: Vec<char> = trimmed.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            // Trimmed, so a space run always has a character on each side.
            if !(is_latin_letter(chars[i - 1]) && is_latin_letter(chars[j])) {
                return err(Rule::NameCharacters);
            }
            out.push(' ');
            i = j;
            continue;
        }
        let between_letters =
            i > 0 && i + 1 < chars.len() && is_letter(chars[i - 1]) && is_letter(chars[i + 1]);
        let c = if is_dot_look_alike(c) || (c == '.' && between_letters) {
            MIDDLE_DOT
        } else {
            c
        };
        out.push(c);
        i += 1;
    }
    if out.len() > NAME_MAX {
        return err(Rule::TooLong { max: NAME_MAX });
    }
    for (i, &c) in out.iter().enumerate() {
        let ok = if c == MIDDLE_DOT {
            // A dot separates two parts: never first, last, doubled or next to a space.
            i > 0 && i + 1 < out.len() && is_letter(out[i - 1]) && is_letter(out[i + 1])
        } else {
            c == ' ' || is_letter(c)
        };
        if !ok {
            return err(Rule::NameCharacters);
        }
    }
    Ok(out.into_iter().collect())
}

/// Free text (employer, note, place …): trimmed, at most `max` characters, no control or
/// bidi/invisible characters. Empty is allowed.
pub fn validate_text(field: Field, input: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = refuse_invisible(field, input)?;
    if trimmed.chars().count() > max {
        return Err(FieldError::new(field, Rule::TooLong { max }));
    }
    Ok(trimmed.to_string())
}

/// Characters that do not show but change what text means or how it sorts and matches:
/// control characters (C0, DEL, C1; newlines too, since every field is one line), bidi controls
/// that can reorder what the officer sees, zero-width characters that make two equal-looking
/// names differ, and the other invisible format characters of Unicode (category Cf, plus the
/// Hangul fillers, which are letters that draw nothing).
///
/// Variation selectors are not in the list: ideographic variation sequences pick the glyph of a
/// rare name character. Private-use characters are not either: older Chinese systems keep
/// rare name characters there.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'                  // soft hyphen
                | '\u{0600}'..='\u{0605}' // Arabic number signs
                | '\u{061C}'            // Arabic letter mark (bidi)
                | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
                | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
                | '\u{180E}'            // Mongolian vowel separator
                | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
                | '\u{2028}' | '\u{2029}' // line and paragraph separators
                | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
                | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
                | '\u{2066}'..='\u{206F}' // bidi isolates, deprecated format controls
                | '\u{FEFF}' // byte-order mark / zero-width no-break space
                | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
                | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}' | '\u{E0020}'..='\u{E007F}' // tag characters
        )
}

/// The first rule of every text field, whatever its kind (name, code, date, amount, note):
/// `input` trimmed, refused when it holds a character `is_invisible` finds.
pub fn refuse_invisible(field: Field, input: &str) -> Result<&str, FieldError> {
    let trimmed = input.trim();
    if trimmed.chars().any(is_invisible) {
        return Err(FieldError::new(field, Rule::InvisibleCharacter));
    }
    Ok(trimmed)
}

/// Full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space to their ASCII forms;
/// every other character unchanged.
pub fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Chinese characters: CJK Unified Ideographs with every extension, and the compatibility
/// blocks. The extensions matter for names: rare name characters are why they were encoded.
pub fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}'     // Extension A
            | '\u{4E00}'..='\u{9FFF}' // URO
            | '\u{F900}'..='\u{FAFF}' // Compatibility Ideographs
            | '\u{20000}'..='\u{2EBEF}' // Extensions B-F, I
            | '\u{2F800}'..='\u{2FA1F}' // Compatibility Ideographs Supplement
            | '\u{30000}'..='\u{323AF}' // Extensions G, H
    )
}

/// ASCII letters and the letters of the Latin-1 and Latin Extended-A/B blocks (José, Müller).
pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}') && c != '\u{00D7}' && c != '\u{00F7}')
}

fn is_letter(c: char) -> bool {
    is_cjk(c) || is_latin_letter(c)
}

/// Dots that input methods and word processors produce where the middle dot is meant.
fn is_dot_look_alike(c: char) -> bool {
    matches!(
        c,
        '\u{0387}'      // Greek ano teleia (canonically equal to U+00B7)
            | '\u{2022}' // bullet
            | '\u{2027}' // hyphenation point
            | '\u{2219}' // bullet operator
            | '\u{22C5}' // dot operator
            | '\u{30FB}' // katakana middle dot
            | '\u{FF65}' // half-width katakana middle dot
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(input: &str) -> Rule {
        validate_name(input).unwrap_err().rule
    }

    #[test]
    fn chinese_names_are_trimmed() {
        assert_eq!(validate_name("  张三 ").unwrap(), "张三");
        assert_eq!(validate_name("\u{3000}李四\u{3000}").unwrap(), "李四");
        assert_eq!(validate_name("王").unwrap(), "王");
    }

    #[test]
    fn transliterated_names_keep_the_middle_dot() {
        assert_eq!(validate_name("买买提·艾力").unwrap(), "买买提·艾力");
        for look_alike in ['\u{30FB}', '\u{FF65}', '\u{2027}', '\u{2022}', '.', '．'] {
            let typed = format!("买买提{look_alike}艾力");
            assert_eq!(validate_name(&typed).unwrap(), "买买提·艾力", "{typed}");
        }
    }

    #[test]
    fn misplaced_dots_are_refused() {
        for bad in ["·艾力", "艾力·", "买买提··艾力", "买买提 ·艾力", "J. Smith"]
        {
            assert_eq!(rule(bad), Rule::NameCharacters, "{bad}");
        }
    }

    #[test]
    fn latin_names_with_single_spaces() {
        assert_eq!(validate_name("John Smith").unwrap(), "John Smith");
        assert_eq!(validate_name("John   Smith").unwrap(), "John Smith");
        assert_eq!(validate_name("Ｊｏｈｎ　Ｓｍｉｔｈ").unwrap(), "John Smith");
        assert_eq!(validate_name("José Müller").unwrap(), "José Müller");
    }

    #[test]
    fn spaces_next_to_chinese_are_refused() {
        assert_eq!(rule("张 三"), Rule::NameCharacters);
        assert_eq!(rule("张 John"), Rule::NameCharacters);
    }

    #[test]
    fn digits_and_symbols_are_refused() {
        for bad in ["张三1", "3", "张-三", "O'Brien", "张三！", "a×b"] {
            assert_eq!(rule(bad), Rule::NameCharacters, "{bad}");
        }
    }

    #[test]
    fn empty_is_required() {
        assert_eq!(rule(""), Rule::Required);
        assert_eq!(rule(" \t\u{3000}"), Rule::Required);
    }

    #[test]
    fn thirty_characters_fit_thirty_one_do_not() {
        let thirty = "张".repeat(30);
        assert_eq!(validate_name(&thirty).unwrap(), thirty);
        assert_eq!(rule(&"张".repeat(31)), Rule::TooLong { max: 30 });
    }

    #[test]
    fn invisible_characters_are_refused() {
        for bad in [
            "张\u{200F}三",
            "\u{202E}张三",
            "张\u{200B}三",
            "张\u{FEFF}三",
            "张\u{0007}三",
            "张\t三",
            "张\n三",
            "张\u{2066}三\u{2069}",
        ] {
            assert_eq!(rule(bad), Rule::InvisibleCharacter, "{bad:?}");
        }
    }

    #[test]
    fn rare_name_characters_are_chinese() {
        // U+3400 (Extension A), U+20BB7 (Extension B), U+F92C (compatibility).
        assert!(validate_name("\u{3400}\u{20BB7}\u{F92C}").is_ok());
    }

    #[test]
    fn text_is_trimmed_and_may_be_empty() {
        assert_eq!(validate_text(Field::Note, "  ", 10).unwrap(), "");
        assert_eq!(
            validate_text(Field::Employer, " 天津港建设工程有限公司 ", 20).unwrap(),
            "天津港建设工程有限公司"
        );
        assert_eq!(
            validate_text(Field::Note, "a，b：c！", 10).unwrap(),
            "a，b：c！"
        );
    }

    #[test]
    fn text_too_long_counts_characters_not_bytes() {
        assert!(validate_text(Field::Place, "天津市", 3).is_ok());
        let e = validate_text(Field::Place, "天津市区", 3).unwrap_err();
        assert_eq!(e, FieldError::new(Field::Place, Rule::TooLong { max: 3 }));
    }

    #[test]
    fn text_refuses_newlines_and_invisible_marks() {
        for bad in ["a\nb", "a\r\nb", "a\u{200E}b", "a\u{2028}b", "a\u{202A}b"] {
            let e = validate_text(Field::Note, bad, 100).unwrap_err();
            assert_eq!(e.rule, Rule::InvisibleCharacter, "{bad:?}");
            assert_eq!(e.field, Field::Note);
        }
        // A trailing newline from a paste is trimmed, not refused.
        assert_eq!(validate_text(Field::Note, "ok\n", 10).unwrap(), "ok");
    }
}
