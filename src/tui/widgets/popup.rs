//! Popups over Chinese text. A two-column character that starts just left of the popup
//! would be drawn by the terminal over the popup's left border (ratatui issue 2526); one
//! whose right half lay under the popup's right edge leaves half a character behind. Both are
//! blanked before the popup is drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};
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
