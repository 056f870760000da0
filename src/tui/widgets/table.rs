//! The one selectable list every list screen draws: a ratatui `Table` with its `TableState`
//! giving the selection, the rows in view and the `▸` highlight. A list read a window at a
//! time (`Paged`, the workers search) hands the table only the rows in view, so the table
//! never needs the whole list.
//!
//! The view follows the selection by one rule, the one the hand-drawn lists had: the first
//! page stays put until the selection passes its last row, then the selection sits on the
//! last row of the view.

use crate::tui::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{HighlightSpacing, Row, Table, TableState};
use std::cell::Cell;
use std::ops::Range;

/// Drawn before the selected row; every other row is indented as far.
pub const MARKER: &str = "▸ ";

/// The style of a list's column headings.
pub fn header_style() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// The columns that fit `room` terminal columns, one column apart, as `Length`s: a column
/// that passes the edge is cut there and those after it are left out. A narrow terminal
/// then cuts the rows at its right edge, as a line of text would be, instead of the layout
/// squeezing every column.
fn fitted(widths: &[usize], room: usize) -> Vec<Constraint> {
    let mut left = room;
    let mut out = Vec::new();
    for (i, &width) in widths.iter().enumerate() {
        let gap = usize::from(i > 0);
        if left <= gap {
            break;
        }
        left -= gap;
        let width = width.min(left);
        left -= width;
        out.push(Constraint::Length(u16::try_from(width).unwrap_or(u16::MAX)));
    }
    out
}

/// A row standing for one the list has not read yet (outside the window read).
pub fn unread_row() -> Row<'static> {
    Row::new(["…"])
}

/// What a list screen keeps besides its rows: how many rows its last drawing showed, so
/// PgUp/PgDn move by what the officer saw.
pub struct ListTable {
    page_height: Cell<usize>,
    marker: &'static str,
}

impl ListTable {
    /// A list that assumes `page` rows on screen until it is first drawn.
    pub fn new(page: usize) -> ListTable {
        ListTable {
            page_height: Cell::new(page),
            marker: MARKER,
        }
    }

    /// The same list with another selection marker (its width is the indent of every row).
    pub fn with_marker(mut self, marker: &'static str) -> ListTable {
        self.marker = marker;
        self
    }

    pub fn page_height(&self) -> usize {
        self.page_height.get().max(1)
    }

    /// Where a movement key takes the selection of a list of `total` rows (unclamped: the
    /// caller's list clamps, reading another window when it has to); `None` for any other
    /// action.
    pub fn target(&self, action: &Action, selected: usize, total: usize) -> Option<isize> {
        let page = self.page_height() as isize;
        let selected = selected as isize;
        Some(match action {
            Action::Up => selected - 1,
            Action::Down => selected + 1,
            Action::PageUp => selected - page,
            Action::PageDown => selected + page,
            Action::Home => 0,
            Action::End => total as isize - 1,
            _ => return None,
        })
    }

    /// Moves `selected` within a list held whole; false when `action` is no movement key.
    pub fn move_selection(&self, action: &Action, selected: &mut usize, total: usize) -> bool {
        match self.target(action, *selected, total) {
            Some(target) => {
                let last = total.saturating_sub(1) as isize;
                *selected = target.clamp(0, last.max(0)) as usize;
                true
            }
            None => false,
        }
    }

    /// The rows of a list of `total` in view when `height` rows fit.
    pub fn in_view(selected: usize, total: usize, height: usize) -> Range<usize> {
        let top = (selected + 1).saturating_sub(height);
        top..(top + height).min(total)
    }

    /// Draws the list into `area`: `header` (when given) on its first line, then the rows in
    /// view, each built by `row(index)` from its index in the whole list, in columns of
    /// `widths` terminal columns after the marker.
    pub fn render<'a>(
        &self,
        frame: &mut Frame,
        area: Rect,
        header: Option<Row<'a>>,
        widths: &[usize],
        (selected, total): (usize, usize),
        mut row: impl FnMut(usize) -> Row<'a>,
    ) {
        let height = usize::from(area.height.saturating_sub(u16::from(header.is_some())));
        self.page_height.set(height);
        let view = Self::in_view(selected, total, height);
        let mut state = TableState::default();
        if total > 0 {
            state.select(Some(selected - view.start));
        }
        let rows: Vec<Row<'a>> = view.map(&mut row).collect();
        let room = usize::from(area.width).saturating_sub(Line::from(self.marker).width());
        let mut table = Table::new(rows, fitted(widths, room))
            .column_spacing(1)
            .highlight_symbol(self.marker)
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
        if let Some(header) = header {
            table = table.header(header.style(header_style()));
        }
        frame.render_stateful_widget(table, area, &mut state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::Cell as TableCell;
    use unicode_width::UnicodeWidthStr;

    fn draw(list: &ListTable, selected: usize, total: usize, height: u16) -> Vec<String> {
        draw_sized(list, selected, total, (14, height))
    }

    fn draw_in(list: &ListTable, width: u16) -> Vec<String> {
        draw_sized(list, 0, 1, (width, 2))
    }

    fn draw_sized(
        list: &ListTable,
        selected: usize,
        total: usize,
        (width, height): (u16, u16),
    ) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                list.render(
                    frame,
                    area,
                    Some(Row::new(["姓名", "区"])),
                    &[6, 4],
                    (selected, total),
                    |i| Row::new([TableCell::from(format!("王{i}")), "西青".into()]),
                );
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        // A wide character's second cell is skipped, so a line reads as the text drawn.
        (0..height)
            .map(|y| {
                let mut line = String::new();
                let mut x = 0;
                while x < buffer.area.width {
                    let symbol = buffer[(x, y)].symbol();
                    line.push_str(symbol);
                    x += (symbol.width() as u16).max(1);
                }
                line
            })
            .collect()
    }

    #[test]
    fn draws_the_rows_in_view_with_the_marker_on_the_selection() {
        let list = ListTable::new(10);
        let lines = draw(&list, 1, 3, 4);
        assert_eq!(
            lines,
            [
                "  姓名   区   ",
                "  王0    西青 ",
                "▸ 王1    西青 ",
                "  王2    西青 "
            ]
        );
        assert_eq!(list.page_height(), 3, "the rows under the header");
    }

    #[test]
    fn the_selected_row_is_reversed_across_the_width_and_the_header_underlined() {
        let list = ListTable::new(10);
        let mut terminal = Terminal::new(TestBackend::new(14, 3)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                list.render(frame, area, Some(Row::new(["姓名"])), &[6], (0, 2), |i| {
                    Row::new([format!("王{i}")])
                });
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        // The second cell of a wide character is not drawn by the terminal; skip it.
        let drawn = |x: u16, y: u16| x == 0 || buffer[(x - 1, y)].symbol().width() < 2;
        for x in 0..14 {
            let style = |y: u16| drawn(x, y).then(|| buffer[(x, y)].modifier);
            if let Some(header) = style(0) {
                assert!(
                    header.contains(Modifier::BOLD | Modifier::UNDERLINED),
                    "x {x}"
                );
            }
            if let Some(selected) = style(1) {
                assert!(selected.contains(Modifier::REVERSED), "x {x}");
            }
            if let Some(other) = style(2) {
                assert!(!other.contains(Modifier::REVERSED), "x {x}");
            }
        }
    }

    #[test]
    fn a_narrow_area_cuts_the_rows_at_its_edge_without_moving_columns() {
        let list = ListTable::new(10);
        // 2 marker + 6 + 1 + 4 needs 13 columns; 11 leaves the second column 2 wide.
        let lines = draw_in(&list, 11);
        assert_eq!(lines[1], "▸ 王0    西", "the second column cut at the edge");
        let lines = draw_in(&list, 8);
        assert_eq!(lines[1], "▸ 王0   ", "the second column left out");
        assert_eq!(fitted(&[6, 4], 3), [Constraint::Length(3)]);
        assert_eq!(fitted(&[6, 4], 7), [Constraint::Length(6)]);
    }

    #[test]
    fn the_view_follows_the_selection_past_the_first_page() {
        assert_eq!(ListTable::in_view(0, 100, 10), 0..10);
        assert_eq!(ListTable::in_view(9, 100, 10), 0..10);
        assert_eq!(ListTable::in_view(10, 100, 10), 1..11);
        assert_eq!(ListTable::in_view(99, 100, 10), 90..100);
        assert_eq!(ListTable::in_view(2, 3, 10), 0..3);
        let list = ListTable::new(10);
        let lines = draw(&list, 5, 6, 3);
        assert!(lines[1].starts_with("  王4"), "{lines:?}");
        assert!(lines[2].starts_with("▸ 王5"), "{lines:?}");
    }

    #[test]
    fn movement_keys_move_by_the_page_last_drawn_and_stay_inside() {
        let list = ListTable::new(10);
        draw(&list, 0, 50, 5);
        let mut selected = 0;
        assert!(list.move_selection(&Action::PageDown, &mut selected, 50));
        assert_eq!(selected, 4);
        assert!(list.move_selection(&Action::End, &mut selected, 50));
        assert_eq!(selected, 49);
        assert!(list.move_selection(&Action::Down, &mut selected, 50));
        assert_eq!(selected, 49);
        assert!(list.move_selection(&Action::Home, &mut selected, 50));
        assert!(list.move_selection(&Action::Up, &mut selected, 50));
        assert_eq!(selected, 0);
        assert!(!list.move_selection(&Action::Confirm, &mut selected, 50));
        assert!(list.move_selection(&Action::End, &mut selected, 0));
        assert_eq!(selected, 0, "an empty list keeps row 0");
    }
}
