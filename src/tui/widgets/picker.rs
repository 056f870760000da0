//! A pop-up choice list with a filter box: districts, membership, service kinds (grouped),
//! trades typed before, open legal cases. Typing filters by the label, its pinyin or its
//! pinyin initials, so "hp" finds 和平区.

use super::popup::{centered, clear_popup_area};
use super::text_field::TextField;
use crate::domain::pinyin::pinyin_keys;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::text::{T, t};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub label: String,
    /// Items of one group follow each other; the picker shows the group as a heading.
    pub group: Option<String>,
}

impl Choice {
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            code: code.into(),
            label: label.into(),
            group: None,
        }
    }
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerOutcome {
    Open,
    Chosen(Choice),
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    items: Vec<Choice>,
    /// Lower-case search keys of each item: label, full pinyin, initials, code.
    keys: Vec<Vec<String>>,
    filter: TextField,
    visible: Vec<usize>,
    selected: usize,
}

impl Picker {
    pub fn new(title: impl Into<String>, items: Vec<Choice>, current: Option<&str>) -> Picker {
        let keys = items
            .iter()
            .map(|c| {
                let py = pinyin_keys(&c.label);
                vec![
                    c.label.to_lowercase(),
                    py.full,
                    py.initials,
                    c.code.to_lowercase(),
                ]
            })
            .collect();
        let mut picker = Picker {
            title: title.into(),
            items,
            keys,
            filter: TextField::default(),
            visible: Vec::new(),
            selected: 0,
        };
        picker.refilter();
        if let Some(code) = current
            && let Some(pos) = picker
                .visible
                .iter()
                .position(|&i| picker.items[i].code == code)
        {
            picker.selected = pos;
        }
        picker
    }

    pub fn filter_text(&self) -> &str {
        self.filter.value()
    }

    fn refilter(&mut self) {
        let needle: String = self
            .filter
            .value()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        // Prefix matches come before inner ones (typing 西 means 西青区 before 河西区: a wrong
        // district was saved when the inner match came first); within a rank, the list's order.
        let mut ranked: Vec<(u8, usize)> = (0..self.items.len())
            .filter_map(|i| match_rank(&self.keys[i], &needle).map(|rank| (rank, i)))
            .collect();
        ranked.sort_by_key(|&(rank, i)| (rank, i));
        self.visible = ranked.into_iter().map(|(_, i)| i).collect();
        self.selected = 0;
    }

    pub fn handle(&mut self, input: &Input) -> PickerOutcome {
        let last = self.visible.len().saturating_sub(1);
        match input {
            Input::Action(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Input::Action(Action::Down) => self.selected = (self.selected + 1).min(last),
            Input::Action(Action::PageUp) => self.selected = self.selected.saturating_sub(10),
            Input::Action(Action::PageDown) => self.selected = (self.selected + 10).min(last),
            Input::Action(Action::Home) => self.selected = 0,
            Input::Action(Action::End) => self.selected = last,
            Input::Action(Action::Confirm) => {
                if let Some(&i) = self.visible.get(self.selected) {
                    return PickerOutcome::Chosen(self.items[i].clone());
                }
            }
            Input::Action(Action::Back) => return PickerOutcome::Cancelled,
            Input::Action(_) => {}
            Input::Text(edit) => {
                if self.filter.apply(edit) {
                    self.refilter();
                }
            }
        }
        PickerOutcome::Open
    }

    pub fn render(&self, frame: &mut Frame, outer: Rect, lang: Lang) {
        let label_width = self
            .items
            .iter()
            .map(|c| Line::from(super::shown(&c.label)).width())
            .max()
            .unwrap_or(10)
            .max(24) as u16;
        let mut groups: Vec<&str> = self
            .items
            .iter()
            .filter_map(|c| c.group.as_deref())
            .collect();
        groups.dedup();
        // Borders, the filter line, every item and every group heading.
        let lines_wanted = (self.items.len() + groups.len() + 3) as u16;
        let area = centered(outer, label_width + 8, lines_wanted.min(outer.height - 2));
        clear_popup_area(area, frame.buffer_mut());
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", self.title));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 {
            return;
        }
        let filter_label = format!("{}: ", t(lang, T::PickerFilter));
        let label_w = Line::from(filter_label.as_str()).width() as u16;
        frame.render_widget(
            Paragraph::new(filter_label),
            Rect::new(inner.x, inner.y, label_w, 1),
        );
        let field_area = Rect::new(
            inner.x + label_w,
            inner.y,
            inner.width.saturating_sub(label_w),
            1,
        );
        let caret = self.filter.render(
            field_area,
            frame.buffer_mut(),
            Style::default().add_modifier(Modifier::UNDERLINED),
        );
        frame.set_cursor_position(caret);

        let list = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
        let mut rows: Vec<(Line, bool)> = Vec::new();
        let mut selected_row = 0;
        let mut group: Option<&str> = None;
        for (pos, &i) in self.visible.iter().enumerate() {
            let item = &self.items[i];
            if item.group.as_deref() != group {
                group = item.group.as_deref();
                if let Some(g) = group {
                    rows.push((
                        Line::from(Span::styled(
                            g.to_string(),
                            Style::default().add_modifier(Modifier::BOLD | Modifier::DIM),
                        )),
                        false,
                    ));
                }
            }
            if pos == self.selected {
                selected_row = rows.len();
            }
            let indent = if item.group.is_some() { "  " } else { "" };
            // The marker shows the selection on terminals without reverse video too.
            let marker = if pos == self.selected { "▸" } else { " " };
            rows.push((
                Line::from(format!("{marker}{indent}{}", super::shown(&item.label))),
                pos == self.selected,
            ));
        }
        if rows.is_empty() {
            frame.render_widget(Paragraph::new(t(lang, T::PickerEmpty)), list);
            return;
        }
        let height = usize::from(list.height);
        let top = (selected_row + 1).saturating_sub(height);
        for (n, (line, selected)) in rows.into_iter().skip(top).take(height).enumerate() {
            let row = Rect::new(list.x, list.y + n as u16, list.width, 1);
            let style = if selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            frame.render_widget(Paragraph::new(line).style(style), row);
        }
    }
}

/// How well an item's search keys match the typed text: 0 a prefix of the label, its pinyin,
/// initials or code; 1 inside the label only; `None` no match. In a grouped list a group's
/// heading can then show once per rank: the better match coming first matters more.
fn match_rank(keys: &[String], needle: &str) -> Option<u8> {
    if needle.is_empty() || keys.iter().any(|k| k.starts_with(needle)) {
        Some(0)
    } else if keys.first().is_some_and(|label| label.contains(needle)) {
        Some(1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::TextEdit;

    #[test]
    fn filters_by_pinyin_initials_and_chooses() {
        let items = vec![
            Choice::new("120101", "和平区"),
            Choice::new("120102", "河东区"),
        ];
        let mut picker = Picker::new("区", items, None);
        for c in "hp".chars() {
            picker.handle(&Input::Text(TextEdit::Insert(c)));
        }
        assert_eq!(
            picker.handle(&Input::Action(Action::Confirm)),
            PickerOutcome::Chosen(Choice::new("120101", "和平区"))
        );
    }
}
