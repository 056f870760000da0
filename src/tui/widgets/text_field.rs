//! A one-line text field over tui-input: edits by character, measures in terminal columns, so
//! the caret lands after a Chinese character, not inside it.

use crate::tui::action::TextEdit;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
}

impl TextField {
    pub fn new(value: &str) -> TextField {
        TextField {
            input: Input::new(value.to_string()),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set_value(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
    }

    /// Applies an edit; true when the text changed (not just the caret).
    pub fn apply(&mut self, edit: &TextEdit) -> bool {
        let request = match edit {
            TextEdit::Insert(c) => InputRequest::InsertChar(*c),
            TextEdit::Paste(text) => return self.paste(text),
            TextEdit::Backspace => InputRequest::DeletePrevChar,
            TextEdit::Delete => InputRequest::DeleteNextChar,
            TextEdit::Left => InputRequest::GoToPrevChar,
            TextEdit::Right => InputRequest::GoToNextChar,
            TextEdit::Home => InputRequest::GoToStart,
            TextEdit::End => InputRequest::GoToEnd,
            TextEdit::WordLeft => InputRequest::GoToPrevWord,
            TextEdit::WordRight => InputRequest::GoToNextWord,
            TextEdit::DeleteWordBack => InputRequest::DeletePrevWord,
            TextEdit::DeleteLine => InputRequest::DeleteLine,
            TextEdit::DeleteToEnd => InputRequest::DeleteTillEnd,
        };
        self.input.handle(request).is_some_and(|c| c.value)
    }

    /// Pasted text goes in at the caret. Line breaks and tabs from chat apps become spaces;
    /// other control characters are dropped (the validators would refuse them anyway).
    fn paste(&mut self, text: &str) -> bool {
        let mut changed = false;
        let trimmed = text.trim_matches(|c: char| c == '\n' || c == '\r');
        for c in trimmed.chars() {
            let c = match c {
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            changed |= self
                .input
                .handle(InputRequest::InsertChar(c))
                .is_some_and(|s| s.value);
        }
        changed
    }

    /// Draws the visible part of the text and returns where the caret is on screen.
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style) -> Position {
        if area.width == 0 || area.height == 0 {
            return area.as_position();
        }
        // One column is kept free for the caret after the last character.
        let width = usize::from(area.width.saturating_sub(1)).max(1);
        let scroll = self.input.visual_scroll(width);
        let mut skipped = 0usize;
        let mut x = area.x;
        let right = area.x + area.width;
        for c in self.input.value().chars() {
            let w = c.width().unwrap_or(0);
            if skipped < scroll {
                skipped += w;
                continue;
            }
            // A two-column character does not fit into one remaining column.
            if x + w as u16 > right {
                break;
            }
            buf.set_string(x, area.y, c.to_string(), style);
            x += w as u16;
        }
        let caret = self.input.visual_cursor().saturating_sub(scroll) as u16;
        Position::new((area.x + caret).min(right.saturating_sub(1)), area.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_is_measured_in_columns() {
        let mut field = TextField::new("");
        for c in "王建国".chars() {
            assert!(field.apply(&TextEdit::Insert(c)));
        }
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        let caret = field.render(Rect::new(2, 0, 10, 1), &mut buf, Style::default());
        assert_eq!(caret, Position::new(8, 0));
        assert!(!field.apply(&TextEdit::Left));
        let caret = field.render(Rect::new(2, 0, 10, 1), &mut buf, Style::default());
        assert_eq!(caret, Position::new(6, 0));
    }

    #[test]
    fn paste_flattens_lines_and_drops_controls() {
        let mut field = TextField::new("");
        field.apply(&TextEdit::Paste("120101\t19900307\u{7}1234\n".into()));
        assert_eq!(field.value(), "120101 199003071234");
    }

    #[test]
    fn long_chinese_text_scrolls_to_the_caret() {
        let field = TextField::new("天津市滨海新区某物流园区第三仓库");
        let mut buf = Buffer::empty(Rect::new(0, 0, 11, 1));
        let caret = field.render(Rect::new(0, 0, 11, 1), &mut buf, Style::default());
        assert!(caret.x <= 10);
        let shown: String = (0..11).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        // The cells under the right halves hold spaces.
        assert!(shown.replace(" ", "").ends_with("区第三仓库"), "{shown}");
    }
}
