//! Fitting text into terminal columns. Every width here is a display width: a Chinese
//! character takes two columns, and one never straddles the edge of the room it is given.

use ratatui::text::Line;
use unicode_width::UnicodeWidthChar;

/// `text` made terminal-safe (`shown`), cut to `width` terminal columns (with "…" when cut)
/// and padded with spaces to exactly `width`. A two-column character never straddles the end.
pub fn fit(text: &str, width: usize) -> String {
    let text = &*super::shown(text);
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

/// `text` right-aligned in `width` columns.
pub fn right(text: &str, width: usize) -> String {
    let used = Line::from(text).width();
    if used >= width {
        return fit(text, width);
    }
    format!("{}{text}", " ".repeat(width - used))
}

/// `text` in exactly `width` columns, cut at the front when too long ("…" then the end):
/// of a path, the end names the batch.
pub fn fit_tail(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return format!("{text}{}", " ".repeat(width - total));
    }
    if width == 0 {
        return String::new();
    }
    let mut tail = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        tail.push(c);
        used += w;
    }
    let kept: String = tail.into_iter().rev().collect();
    format!("…{kept}{}", " ".repeat(width - used))
}

/// `text` broken into lines of at most `width` columns; lines after the first are
/// `indent` columns narrower (they are drawn indented). A two-column character never
/// straddles a break.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut limit = width.max(1);
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > limit && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
            limit = width.saturating_sub(indent).max(1);
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lines of at most `width` columns. Chinese text breaks between any two characters (it has
/// no spaces, and a break at the one space there is leaves a short first line); a Latin word
/// moves whole to the next line unless it is longer than a line.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut units: Vec<String> = Vec::new();
    for c in text.chars() {
        let joins = c.is_ascii_graphic()
            && units
                .last()
                .and_then(|u| u.chars().last())
                .is_some_and(|last| last.is_ascii_graphic());
        match units.last_mut() {
            Some(unit) if joins => unit.push(c),
            _ => units.push(c.to_string()),
        }
    }
    let mut lines = vec![String::new()];
    let mut used = 0;
    for unit in units {
        let w: usize = unit.chars().map(|c| c.width().unwrap_or(0)).sum();
        if used + w > width && used > 0 {
            lines.push(String::new());
            used = 0;
            if unit == " " {
                continue;
            }
        }
        for c in unit.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width {
                lines.push(String::new());
                used = 0;
            }
            lines.last_mut().expect("one line at least").push(c);
            used += cw;
        }
    }
    lines.iter().map(|l| l.trim_end().to_string()).collect()
}

/// The longest start of `text` that fits `width` columns, and the rest. The start holds one
/// character at least, so a caller cutting a text into lines always gets on.
pub fn split_at_width(text: &str, width: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if i > 0 && used + w > width {
            return (&text[..i], &text[i..]);
        }
        used += w;
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_measures_chinese_in_columns() {
        assert_eq!(fit("王建国", 8), "王建国  ");
        assert_eq!(fit("买买提·艾力", 6), "买买… ");
        assert_eq!(fit("abc", 2), "a…");
        assert_eq!(fit("王建国", 0), "");
    }

    #[test]
    fn fit_writes_hidden_characters_visibly() {
        assert_eq!(fit("王\u{202e}a", 12).trim_end(), "王\\u{202e}a");
    }

    #[test]
    fn fit_tail_keeps_the_end_in_columns() {
        assert_eq!(fit_tail("/a/b", 6), "/a/b  ");
        assert_eq!(fit_tail("/数据/批次", 7), "…/批次 ");
        assert_eq!(fit_tail("/数据/批次", 5), "…批次");
        assert_eq!(fit_tail("abcdef", 4), "…def");
    }

    #[test]
    fn right_aligns_by_columns_and_cuts_what_does_not_fit() {
        assert_eq!(right("职工", 6), "  职工");
        assert_eq!(right("12", 4), "  12");
        assert_eq!(right("服务次数", 5), "服务…");
    }

    #[test]
    fn wrap_breaks_by_columns_and_indents_the_rest() {
        assert_eq!(wrap("王建国李明", 4, 0), vec!["王建", "国李", "明"]);
        assert_eq!(wrap("王建国李明", 5, 0), vec!["王建", "国李", "明"]);
        assert_eq!(wrap("abcdefgh", 4, 2), vec!["abcd", "ef", "gh"]);
        assert_eq!(wrap("", 4, 0), vec![""]);
    }

    #[test]
    fn wrap_words_breaks_chinese_anywhere_and_english_between_words() {
        assert_eq!(
            wrap_words("撤回职工 王建国？不再出现", 10),
            ["撤回职工", "王建国？不", "再出现"]
        );
        assert_eq!(
            wrap_words("Withdraw worker 王建国? They leave", 16),
            ["Withdraw worker", "王建国? They", "leave"]
        );
        assert_eq!(wrap_words("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn split_at_width_keeps_a_wide_character_whole() {
        assert_eq!(split_at_width("王建国abc", 5), ("王建", "国abc"));
        assert_eq!(split_at_width("abc", 5), ("abc", ""));
        assert_eq!(
            split_at_width("王", 0),
            ("王", ""),
            "at least one character per line"
        );
    }
}
