//! The worker's profile laid out in rows whose label and value never part: a value wrapped
//! to the next row read as missing, and a row more than counted was cut at 80×24 (the
//! 困难职工 value, issue 14).

use crate::tui::widgets::fit;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// Room kept between two label–value pairs.
const GAP: usize = 4;

/// `lines` (label spans dimmed, each followed by its value) packed into rows of `room`
/// columns: a pair goes on the next row when it does not fit whole; a pair wider than a
/// row is cut with "…".
pub(super) fn pack(lines: Vec<Line<'static>>, room: usize) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    for line in lines {
        let mut units: Vec<Vec<Span<'static>>> = Vec::new();
        let mut label_open = false;
        for span in line.spans {
            let is_label = span.style.add_modifier.contains(Modifier::DIM);
            match units.last_mut() {
                Some(unit) if label_open && !is_label => unit.push(span),
                _ => units.push(vec![span]),
            }
            label_open = is_label;
        }
        let mut row: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        for unit in units {
            let text: String = unit.iter().map(|s| s.content.as_ref()).collect();
            let width = Line::from(text.trim_end()).width();
            if used > 0 && used + width > room {
                rows.push(Line::from(std::mem::take(&mut row)));
                used = 0;
            }
            if width > room {
                rows.push(Line::from(fit(text.trim_end(), room)));
                continue;
            }
            used += width + GAP;
            row.extend(unit);
        }
        if !row.is_empty() {
            rows.push(Line::from(row));
        }
    }
    rows
}
