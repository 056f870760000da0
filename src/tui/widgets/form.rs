//! Form fields and their layout: a label, the value, and under it the message of the rule it
//! breaks, or a note (what the ID number tells, a duplicate warning, completion hints).

use super::picker::Choice;
use super::text_field::TextField;
use crate::tui::action::TextEdit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub enum Value {
    Text(TextField),
    Choice {
        options: Vec<Choice>,
        selected: Option<usize>,
    },
    Check(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct FormField {
    /// Stable name, used in drafts.
    pub key: &'static str,
    pub label: String,
    pub value: Value,
    pub required: bool,
    /// Shown after the value in dim text (units, formats).
    pub hint: String,
    /// Edited or left at least once: only then is its rule message shown.
    pub touched: bool,
    /// Holds a value the form proposed (today's date, quantity 1) that no key has edited yet:
    /// the first character typed replaces it, as in a spreadsheet cell, instead of being
    /// appended to it (`2026-11-302026-11-28`). A caret key or Backspace edits it instead.
    pub untouched_default: bool,
    pub error: Option<String>,
    pub notes: Vec<Note>,
}

impl FormField {
    fn new(key: &'static str, label: impl Into<String>, value: Value) -> FormField {
        FormField {
            key,
            label: label.into(),
            value,
            required: false,
            hint: String::new(),
            touched: false,
            untouched_default: false,
            error: None,
            notes: Vec::new(),
        }
    }

    pub fn text(key: &'static str, label: impl Into<String>, value: &str) -> FormField {
        FormField::new(key, label, Value::Text(TextField::new(value)))
    }

    pub fn choice(
        key: &'static str,
        label: impl Into<String>,
        options: Vec<Choice>,
        current: &str,
    ) -> FormField {
        let selected = options.iter().position(|c| c.code == current);
        FormField::new(key, label, Value::Choice { options, selected })
    }

    pub fn check(key: &'static str, label: impl Into<String>, on: bool) -> FormField {
        FormField::new(key, label, Value::Check(on))
    }

    pub fn required(mut self) -> FormField {
        self.required = true;
        self
    }

    /// Marks the value the field was built with as a proposal that typing replaces.
    pub fn proposed(mut self) -> FormField {
        self.untouched_default = matches!(&self.value, Value::Text(f) if !f.value().is_empty());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> FormField {
        self.hint = hint.into();
        self
    }

    /// The value as draft text: the text, the chosen code, or "true"/"false".
    pub fn raw(&self) -> String {
        match &self.value {
            Value::Text(f) => f.value().to_string(),
            Value::Choice { options, selected } => selected
                .and_then(|i| options.get(i))
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            Value::Check(on) => on.to_string(),
        }
    }

    /// A value set from a record or a draft is the officer's, not a proposal.
    pub fn set_raw(&mut self, raw: &str) {
        self.untouched_default = false;
        match &mut self.value {
            Value::Text(f) => f.set_value(raw),
            Value::Choice { options, selected } => {
                *selected = options.iter().position(|c| c.code == raw);
            }
            Value::Check(on) => *on = raw == "true",
        }
    }

    fn message_lines(&self) -> Vec<(Style, String)> {
        let mut lines = Vec::new();
        if self.touched
            && let Some(e) = &self.error
        {
            lines.push((Style::default().fg(Color::Red), format!("✗ {e}")));
        }
        for note in &self.notes {
            let (style, mark) = match note.kind {
                NoteKind::Info => (Style::default().fg(Color::Cyan), "·"),
                NoteKind::Warning => (Style::default().fg(Color::Yellow), "!"),
                NoteKind::Error => (Style::default().fg(Color::Red), "✗"),
            };
            lines.push((style, format!("{mark} {}", note.text)));
        }
        lines
    }
}

/// What an edit did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOutcome {
    Unchanged,
    Changed,
    /// A printable key on a choice field: open its list, filtered by that key.
    OpenPicker,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub fields: Vec<FormField>,
    pub focus: usize,
}

impl Form {
    pub fn new(fields: Vec<FormField>) -> Form {
        Form { fields, focus: 0 }
    }

    pub fn field(&self, key: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn field_mut(&mut self, key: &str) -> Option<&mut FormField> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// The raw value of `key` (empty when the form has no such field).
    pub fn raw(&self, key: &str) -> String {
        self.field(key).map(FormField::raw).unwrap_or_default()
    }

    pub fn focused(&self) -> &FormField {
        &self.fields[self.focus]
    }

    pub fn focused_mut(&mut self) -> &mut FormField {
        &mut self.fields[self.focus]
    }

    pub fn next(&mut self) {
        self.fields[self.focus].touched = true;
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev(&mut self) {
        self.fields[self.focus].touched = true;
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    pub fn touch_all(&mut self) {
        for f in &mut self.fields {
            f.touched = true;
        }
    }

    /// Every value by field key: the draft saved on each change.
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|f| (f.key.to_string(), f.raw()))
            .collect()
    }

    pub fn restore(&mut self, values: &BTreeMap<String, String>) {
        for f in &mut self.fields {
            if let Some(v) = values.get(f.key) {
                f.set_raw(v);
                f.touched = true;
            }
        }
    }

    pub fn edit(&mut self, edit: &TextEdit) -> EditOutcome {
        let field = &mut self.fields[self.focus];
        let replaces_default =
            field.untouched_default && matches!(edit, TextEdit::Insert(_) | TextEdit::Paste(_));
        field.untouched_default = false;
        let outcome = match &mut field.value {
            Value::Text(text) => {
                if replaces_default {
                    text.set_value("");
                }
                if text.apply(edit) || replaces_default {
                    EditOutcome::Changed
                } else {
                    EditOutcome::Unchanged
                }
            }
            Value::Choice { options, selected } => match edit {
                TextEdit::Left | TextEdit::Right if !options.is_empty() => {
                    let n = options.len();
                    *selected = Some(match (*selected, edit) {
                        (None, TextEdit::Left) => n - 1,
                        (None, _) => 0,
                        (Some(i), TextEdit::Left) => (i + n - 1) % n,
                        (Some(i), _) => (i + 1) % n,
                    });
                    EditOutcome::Changed
                }
                TextEdit::Backspace | TextEdit::Delete if selected.is_some() => {
                    *selected = None;
                    EditOutcome::Changed
                }
                TextEdit::Insert(_) | TextEdit::Paste(_) => EditOutcome::OpenPicker,
                _ => EditOutcome::Unchanged,
            },
            Value::Check(on) => match edit {
                TextEdit::Insert(' ' | 'x' | 'X') => {
                    *on = !*on;
                    EditOutcome::Changed
                }
                TextEdit::Insert('y' | 'Y') if !*on => {
                    *on = true;
                    EditOutcome::Changed
                }
                TextEdit::Insert('n' | 'N') | TextEdit::Backspace if *on => {
                    *on = false;
                    EditOutcome::Changed
                }
                _ => EditOutcome::Unchanged,
            },
        };
        if outcome == EditOutcome::Changed {
            field.touched = true;
        }
        outcome
    }

    /// Draws the fields, scrolled so that the focused one shows, and puts the terminal
    /// cursor at its caret. `none_label` names an unset choice.
    pub fn render(&self, frame: &mut Frame, area: Rect, none_label: &str) {
        let label_width = self
            .fields
            .iter()
            .map(|f| Line::from(f.label.as_str()).width() + usize::from(f.required) * 2)
            .max()
            .unwrap_or(8) as u16
            + 2;
        // Every row: which field it belongs to, and whether it is the value row.
        let mut rows: Vec<(usize, Option<(Style, String)>)> = Vec::new();
        let mut focus_first = 0;
        let mut focus_last = 0;
        for (i, f) in self.fields.iter().enumerate() {
            if i == self.focus {
                focus_first = rows.len();
            }
            rows.push((i, None));
            for line in f.message_lines() {
                rows.push((i, Some(line)));
            }
            if i == self.focus {
                focus_last = rows.len() - 1;
            }
        }
        let height = usize::from(area.height);
        let top = if focus_last >= height {
            (focus_last + 1 - height).min(focus_first)
        } else {
            0
        };
        let value_x = area.x + label_width + 1;
        let value_width = area.width.saturating_sub(label_width + 1);
        for (n, (i, message)) in rows.iter().skip(top).take(height).enumerate() {
            let y = area.y + n as u16;
            let f = &self.fields[*i];
            let focused = *i == self.focus;
            if let Some((style, text)) = message {
                let line = Rect::new(value_x, y, value_width, 1);
                frame.render_widget(Paragraph::new(text.as_str()).style(*style), line);
                continue;
            }
            let label_style = if focused {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            let mut label = vec![Span::styled(if focused { "▸" } else { " " }, label_style)];
            label.push(Span::styled(super::heading_label(&f.label), label_style));
            if f.required {
                label.push(Span::styled(" *", Style::default().fg(Color::Red)));
            }
            frame.render_widget(
                Paragraph::new(Line::from(label)),
                Rect::new(area.x, y, label_width, 1),
            );
            let value_area = Rect::new(value_x, y, value_width, 1);
            self.render_value(frame, f, value_area, focused, none_label);
        }
    }

    fn render_value(
        &self,
        frame: &mut Frame,
        f: &FormField,
        area: Rect,
        focused: bool,
        none_label: &str,
    ) {
        let field_style = if focused {
            Style::default().add_modifier(Modifier::UNDERLINED)
        } else {
            Style::default()
        };
        let hint_style = Style::default().add_modifier(Modifier::DIM);
        match &f.value {
            Value::Text(text) => {
                let value_width = Line::from(text.value()).width() as u16;
                let hint_width = if f.hint.is_empty() {
                    0
                } else {
                    Line::from(f.hint.as_str()).width() as u16 + 2
                };
                // The box is as wide as the text needs, at least 30 columns, and leaves room
                // for the hint when there is some.
                let box_width = (value_width + 2)
                    .max(30)
                    .min(area.width.saturating_sub(hint_width).max(area.width / 2));
                let field_area = Rect::new(area.x, area.y, box_width, 1);
                if focused {
                    frame.render_widget(Paragraph::new("").style(field_style), field_area);
                }
                let caret = text.render(field_area, frame.buffer_mut(), field_style);
                if focused {
                    frame.set_cursor_position(caret);
                }
                if hint_width > 0 && box_width + hint_width <= area.width {
                    frame.render_widget(
                        Paragraph::new(f.hint.as_str()).style(hint_style),
                        Rect::new(area.x + box_width + 2, area.y, hint_width - 2, 1),
                    );
                }
            }
            Value::Choice { options, selected } => {
                let label = selected
                    .and_then(|i| options.get(i))
                    .map(|c| c.label.as_str())
                    .unwrap_or(none_label);
                let mut spans = vec![Span::styled(format!("‹ {label} ›"), field_style)];
                if !f.hint.is_empty() {
                    spans.push(Span::styled(format!("  {}", f.hint), hint_style));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), area);
                if focused {
                    frame.set_cursor_position((area.x + 2, area.y));
                }
            }
            Value::Check(on) => {
                let mark = if *on { "[x]" } else { "[ ]" };
                let mut spans = vec![Span::styled(mark, field_style)];
                if !f.hint.is_empty() {
                    spans.push(Span::styled(format!("  {}", f.hint), hint_style));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), area);
                if focused {
                    frame.set_cursor_position((area.x + 1, area.y));
                }
            }
        }
    }
}
