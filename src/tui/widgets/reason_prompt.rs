//! A popup asking why a record is withdrawn: a question, one text field, Enter confirms, Esc
//! cancels. The reason is checked as the store will check it (required, like a note) before
//! the popup lets go, so a refused reason is mended in place.

use super::popup::{centered, clear_popup_area};
use super::text_field::TextField;
use super::width::wrap_words;
use crate::domain::Field;
use crate::domain::name::validate_text;
use crate::domain::validate::LONG_TEXT;
use crate::store::corrections::validate_reason;
use crate::store::erasure::validate_erasure_reason;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::text::{T, t, tf};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// The keymap context the prompt reads keys in: a typing context whose Enter confirms and
/// whose Esc cancels, as in a choice list.
pub const REASON_CONTEXT: Context = Context::Picker;

#[derive(Debug, Clone)]
pub struct ReasonPrompt {
    question: String,
    field: TextField,
    error: Option<String>,
    /// An erasure: the answer is one of the erasure reason codes, not free text.
    erasure: bool,
    /// A note that may stay empty (closing a need by hand), not a required reason.
    optional_note: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReasonAnswer {
    /// A valid reason, trimmed.
    Given(String),
    Cancelled,
    Undecided,
}

impl ReasonPrompt {
    pub fn new(question: impl Into<String>) -> ReasonPrompt {
        ReasonPrompt {
            question: question.into(),
            field: TextField::default(),
            error: None,
            erasure: false,
            optional_note: false,
        }
    }

    /// Asks for an optional note; confirming the popup is the confirmation.
    pub fn optional_note(question: impl Into<String>) -> ReasonPrompt {
        ReasonPrompt {
            optional_note: true,
            ..ReasonPrompt::new(question)
        }
    }

    /// Asks for an erasure's reason code; typing it and confirming is the confirmation.
    pub fn erasure(question: impl Into<String>) -> ReasonPrompt {
        ReasonPrompt {
            erasure: true,
            ..ReasonPrompt::new(question)
        }
    }

    fn check(&self) -> Result<String, crate::domain::FieldError> {
        if self.erasure {
            validate_erasure_reason(self.field.value()).map(str::to_string)
        } else if self.optional_note {
            validate_text(Field::Note, self.field.value(), LONG_TEXT)
        } else {
            validate_reason(self.field.value())
        }
    }

    pub fn handle(&mut self, input: &Input, lang: Lang) -> ReasonAnswer {
        match input {
            Input::Text(edit) => {
                if self.field.apply(edit) {
                    self.error = None;
                }
                ReasonAnswer::Undecided
            }
            Input::Action(Action::Confirm) => match self.check() {
                Ok(reason) => ReasonAnswer::Given(reason),
                Err(e) => {
                    self.error = Some(e.message(lang));
                    ReasonAnswer::Undecided
                }
            },
            Input::Action(Action::Back) => ReasonAnswer::Cancelled,
            _ => ReasonAnswer::Undecided,
        }
    }

    pub fn render(&self, frame: &mut Frame, outer: Rect, lang: Lang, keymap: &Keymap) {
        let width = 64u16.min(outer.width);
        let text_width = usize::from(width.saturating_sub(4)).max(1);
        let question = wrap_words(&self.question, text_width);
        let question_lines = question.len() as u16;
        let height = question_lines + 6;
        let area = centered(outer, width, height);
        clear_popup_area(area, frame.buffer_mut());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::default().add_modifier(Modifier::BOLD));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let inner = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        frame.render_widget(
            Paragraph::new(question.into_iter().map(Line::from).collect::<Vec<_>>()),
            Rect::new(inner.x, inner.y, inner.width, question_lines),
        );
        let y = inner.y + question_lines + 1;
        let label = if self.optional_note {
            Field::Note.label(lang).to_string()
        } else if self.erasure {
            t(lang, T::EraseReasonLabel).to_string()
        } else {
            t(lang, T::ReasonLabel).to_string()
        };
        let label = format!("{label}{}", lang.pick("：", ": "));
        let label_width = Line::from(label.as_str()).width() as u16;
        frame.render_widget(
            Paragraph::new(label.as_str()),
            Rect::new(inner.x, y, label_width, 1),
        );
        let field_area = Rect::new(
            inner.x + label_width,
            y,
            inner.width.saturating_sub(label_width),
            1,
        );
        let caret = self.field.render(
            field_area,
            frame.buffer_mut(),
            Style::default().add_modifier(Modifier::UNDERLINED),
        );
        // The input method draws its candidates at the real cursor.
        frame.set_cursor_position(caret);
        if let Some(error) = &self.error {
            frame.render_widget(
                Paragraph::new(error.as_str()).style(Style::default().add_modifier(Modifier::BOLD)),
                Rect::new(inner.x, y + 1, inner.width, 1),
            );
        }
        let key = |a| {
            keymap
                .key_for(REASON_CONTEXT, a)
                .map(|k| k.to_string())
                .unwrap_or_default()
        };
        frame.render_widget(
            Paragraph::new(tf(
                lang,
                if self.erasure {
                    T::EraseKeys
                } else if self.optional_note {
                    T::CloseNeedKeys
                } else {
                    T::ReasonKeys
                },
                &[&key(Action::Confirm), &key(Action::Back)],
            )),
            Rect::new(inner.x, y + 2, inner.width, 1),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::TextEdit;

    #[test]
    fn an_empty_reason_is_refused_in_place_and_a_typed_one_is_given_back_trimmed() {
        let mut prompt = ReasonPrompt::new("why?");
        assert_eq!(
            prompt.handle(&Input::Action(Action::Confirm), Lang::Zh),
            ReasonAnswer::Undecided
        );
        assert!(
            prompt
                .error
                .as_deref()
                .is_some_and(|e| e.contains("撤回原因"))
        );
        for c in " 重复登记 ".chars() {
            prompt.handle(&Input::Text(TextEdit::Insert(c)), Lang::Zh);
        }
        assert_eq!(prompt.error, None, "typing clears the message");
        assert_eq!(
            prompt.handle(&Input::Action(Action::Confirm), Lang::Zh),
            ReasonAnswer::Given("重复登记".into())
        );
        assert_eq!(
            prompt.handle(&Input::Action(Action::Back), Lang::Zh),
            ReasonAnswer::Cancelled
        );
    }
}
