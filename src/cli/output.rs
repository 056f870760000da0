//! Printing for people (aligned columns, masked personal data) and for scripts (JSON).

use crate::domain::name::is_invisible;
use crate::domain::refdata;
use crate::domain::{mask_id_number, mask_phone};
use crate::safe_text::terminal_safe;
use crate::text::Lang;
use std::borrow::Cow;
use unicode_width::UnicodeWidthStr;

/// Stored text as the terminal may see it: control and bidi characters escaped visibly
/// (`crate::safe_text::terminal_safe`). Every stored string a command prints goes through this
/// or `pad`.
pub fn shown(text: &str) -> Cow<'_, str> {
    terminal_safe(text)
}

/// Stored text made terminal-safe (`shown`), then padded to `width` terminal cells (Chinese
/// characters take two).
pub fn pad(text: &str, width: usize) -> String {
    let text = shown(text);
    let w = text.width();
    if w >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}

pub fn shown_id(id_number: &str, reveal: bool) -> String {
    if reveal {
        id_number.to_string()
    } else {
        mask_id_number(id_number)
    }
}

pub fn shown_phone(phone: &str, reveal: bool) -> String {
    if reveal || phone.is_empty() {
        phone.to_string()
    } else {
        mask_phone(phone)
    }
}

pub fn gender_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "male" => lang.pick("男", "M"),
        _ => lang.pick("女", "F"),
    }
}

pub fn kind_label(code: &str, lang: Lang) -> String {
    refdata::service_kind(code)
        .map(|k| lang.pick(&k.zh, &k.en).to_string())
        .unwrap_or_else(|| shown(code).into_owned())
}

/// Pretty JSON on stdout. serde_json escapes C0 controls inside strings but writes DEL, C1 and
/// bidi controls raw; those are written as `\uXXXX` escapes here, which is the same JSON value
/// and nothing a terminal acts on.
pub fn print_json(value: &impl serde::Serialize) {
    let json = serde_json::to_string_pretty(value).expect("values built here serialise");
    println!("{}", json_terminal_safe(&json));
}

fn json_terminal_safe(json: &str) -> Cow<'_, str> {
    // A newline can only be layout here: inside strings serde_json has escaped it already.
    let needs_escape = |c: char| c != '\n' && is_invisible(c);
    if !json.chars().any(needs_escape) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_are_the_same_value_and_hold_no_control() {
        let hostile = "a\u{7f}b\u{9b}c\u{202e}d\u{1b}e\u{E0041}f\n";
        let json = serde_json::to_string_pretty(&serde_json::json!({ "name": hostile })).unwrap();
        let safe = json_terminal_safe(&json);
        assert!(
            !safe.chars().any(|c| c != '\n' && is_invisible(c)),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], hostile);
    }

    #[test]
    fn pad_measures_the_escaped_text() {
        assert_eq!(pad("张\u{1b}", 12), "张\\u{1b}    ");
    }
}
