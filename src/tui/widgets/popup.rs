//! Popups over Chinese text. A two-column character that starts just left of the popup
//! would be drawn by the terminal over the popup's left border (ratatui issue 2526); one
//! whose right half lay under the popup's right edge leaves half a character behind. Both are
//! blanked before the popup is drawn.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use std::cell::Cell;
use unicode_width::UnicodeWidthStr;

/// Clears `area` and the wide characters straddling its left and right edges.
pub fn clear_popup_area(area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    for y in area.top()..area.bottom() {
        if area.left() > buf.area.left() {
            let x = area.left() - 1;
            if buf[(x, y)].symbol().width() > 1 {
                buf[(x, y)].reset();
            }
        }
        // The cell after the popup holds the hidden right half of a character that started
        // inside it: that half has no character of its own left to draw.
        let last = area.right() - 1;
        if buf[(last, y)].symbol().width() > 1 && area.right() < buf.area.right() {
            buf[(area.right(), y)].reset();
        }
    }
    Clear.render(area, buf);
}

/// A rectangle of `width` x `height` centred in `outer`, clipped to it.
pub fn centered(outer: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(outer.width);
    let height = height.min(outer.height);
    Rect::new(
        outer.x + (outer.width - width) / 2,
        outer.y + (outer.height - height) / 2,
        width,
        height,
    )
}

/// How a scrolled report popup was last drawn: its number of lines and the rows that fit, so
/// the keys that scroll it stay within them.
pub struct ScrollExtent<'a> {
    pub lines: &'a Cell<usize>,
    pub rows: &'a Cell<usize>,
}

/// A bordered popup titled `title` showing `lines` from `scroll` on (cleared first), recording
/// its extent for the keys that scroll it.
pub fn scrolled_lines(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'_>>,
    scroll: usize,
    extent: ScrollExtent,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().add_modifier(Modifier::BOLD))
        .title(format!(" {} ", title.trim_end()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    extent.lines.set(lines.len());
    extent.rows.set(rows);
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;
    use ratatui::widgets::{Block, Borders};

    #[test]
    fn a_wide_character_across_the_left_edge_does_not_garble_the_border() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 3));
        for y in 0..3 {
            buf.set_string(0, y, "王建国李明华", Style::default());
        }
        // The popup starts at column 3: the right half of 建 (columns 2-3).
        let popup = Rect::new(3, 0, 6, 3);
        clear_popup_area(popup, &mut buf);
        Block::default()
            .borders(Borders::ALL)
            .render(popup, &mut buf);
        let expected = Buffer::with_lines(["王 ┌────┐ 华", "王 │    │ 华", "王 └────┘ 华"]);
        // Column 9 held the right half of 明 (8-9), whose left half the border replaced.
        assert_eq!(buf, expected);
    }
}
