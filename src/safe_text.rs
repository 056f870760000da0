//! Stored text made harmless where it leaves the program: on a terminal and in a spreadsheet.
//!
//! Every door refuses control and invisible characters, but a database written by an older
//! jingong, or edited by hand, may still hold them. Text read back from the store is therefore
//! never printed raw: `terminal_safe` for screens and the CLI, `csv_cell` for CSV files.

use crate::domain::name::is_invisible;
use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every character the doors refuse (C0 and C1 controls, DEL, bidi controls,
/// zero-width and other invisible format characters; see `domain::name::is_invisible`) written
/// as a visible escape in Rust's notation, lower-case hex: ESC becomes `\u{1b}`, U+202E becomes
/// `\u{202e}`.
///
/// Why this notation: it is plain ASCII, so it shows on every terminal and font (the control
/// pictures such as `␛` exist only for C0 and cover no bidi control); it names the exact code
/// point, so an officer can report it; and it can never itself be read by a terminal as a
/// command. A backslash already in the text is left alone: the aim is that nothing reaches the
/// terminal raw, not a reversible encoding.
///
/// Text without such characters is returned borrowed, so the common case costs no copy.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A cell for a CSV file that people open in Excel, WPS or LibreOffice, neutralised against
/// formula injection the way spreadsheet exporters do (the OWASP "CSV injection" advice): a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
/// makes the spreadsheet treat it as text (`=HYPERLINK(...)` stays visible and inert).
///
/// Applied to every cell, whatever its column. In jingong's own data this only ever touches
/// free text: phones are stored as 11 digits without `+86`, amounts and quantities are never
/// negative, dates and codes start with a digit or a letter. A negative number or a `+86` phone
/// from a damaged file is therefore shown as text (`'-5`), which is what a reviewer should see.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in ["", "王建国", "买买提·艾力", "a\\b", "John Smith"] {
            assert!(matches!(terminal_safe(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn controls_and_bidi_are_written_visibly() {
        assert_eq!(terminal_safe("张\u{1b}[2J三"), "张\\u{1b}[2J三");
        assert_eq!(terminal_safe("\u{202e}abc"), "\\u{202e}abc");
        assert_eq!(
            terminal_safe("a\u{0}b\u{7f}c\u{85}"),
            "a\\u{0}b\\u{7f}c\\u{85}"
        );
        assert_eq!(terminal_safe("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
        assert_eq!(
            terminal_safe("l\u{200e}\u{200f}\u{61c}"),
            "l\\u{200e}\\u{200f}\\u{61c}"
        );
        assert_eq!(terminal_safe("a\nb\tc"), "a\\u{a}b\\u{9}c");
    }

    #[test]
    fn escaped_text_holds_nothing_the_doors_refuse() {
        let hostile: String = (0u32..0x100)
            .chain(0x2000..0x2070)
            .chain([0xfeff, 0xe0001, 0x180e])
            .filter_map(char::from_u32)
            .collect();
        let shown = terminal_safe(&hostile);
        assert!(!shown.chars().any(is_invisible), "{shown:?}");
        assert!(!shown.contains('\u{1b}'));
    }

    #[test]
    fn formula_cells_get_a_leading_quote() {
        for (cell, expected) in [
            (
                "=HYPERLINK(\"http://x\",\"点我\")",
                "'=HYPERLINK(\"http://x\",\"点我\")",
            ),
            ("+86 138", "'+86 138"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
        ] {
            assert_eq!(csv_cell(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn ordinary_cells_are_unchanged() {
        for cell in [
            "",
            "张三",
            "13812345678",
            "2026-11-29",
            "300",
            "a=b",
            " =1",
            "'=x",
        ] {
            assert!(
                matches!(csv_cell(cell), Cow::Borrowed(c) if c == cell),
                "{cell:?}"
            );
        }
    }
}
