//! Pieces shared by screens.

pub mod confirm;
pub mod form;
pub mod paged;
pub mod picker;
pub mod popup;
pub mod reason_prompt;
pub mod text_field;

use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// Stored text (names, notes, places, event names) as a screen may draw it: control, bidi and
/// other invisible characters written as visible `\u{..}` escapes (see
/// `crate::safe_text::terminal_safe`). An older or hand-edited database can hold them; ratatui
/// drops C0 controls but draws bidi overrides, which reorder what the officer reads.
pub fn shown(text: &str) -> Cow<'_, str> {
    crate::safe_text::terminal_safe(text)
}

/// `text` made terminal-safe (`shown`), cut to `width` terminal columns (with "…" when cut)
/// and padded with spaces to exactly `width`. A two-column character never straddles the end.
pub fn fit(text: &str, width: usize) -> String {
    let text = &*shown(text);
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return format!("{text}{}", " ".repeat(width - total));
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    used += 1;
    out.push_str(&" ".repeat(width - used));
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_measures_chinese_in_columns() {
        assert_eq!(fit("王建国", 8), "王建国  ");
        assert_eq!(fit("买买提·艾力", 6), "买买… ");
        assert_eq!(fit("abc", 2), "a…");
    }
}
