//! A yes/no question in a popup.

use super::popup::{centered, clear_popup_area};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::text::{T, t};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    /// Whose keys answer: `confirm`, or `repeat` where Enter means no.
    context: Context,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Undecided,
}

impl Confirm {
    pub fn new(question: impl Into<String>) -> Confirm {
        Confirm {
            question: question.into(),
            context: Context::Confirm,
        }
    }

    /// A question in fast entry, where the next worker's keys may already be on their way:
    /// only the `repeat` context's yes (F2 or Ctrl-Y, never a letter) counts; Enter answers no.
    pub fn cautious(question: impl Into<String>) -> Confirm {
        Confirm {
            question: question.into(),
            context: Context::Repeat,
        }
    }

    pub fn handle(&self, input: &Input) -> Answer {
        match input {
            Input::Action(Action::Yes) => Answer::Yes,
            Input::Action(Action::No | Action::Back) => Answer::No,
            _ => Answer::Undecided,
        }
    }

    pub fn render(&self, frame: &mut Frame, outer: Rect, lang: Lang, keymap: &Keymap) {
        let width = (Line::from(self.question.as_str()).width() as u16 + 4).clamp(30, 60);
        let text_width = usize::from(width - 4).max(1);
        let text_lines = Line::from(self.question.as_str())
            .width()
            .div_ceil(text_width) as u16;
        let area = centered(outer, width, text_lines + 4);
        clear_popup_area(area, frame.buffer_mut());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::default().add_modifier(Modifier::BOLD));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let key = |a| {
            keymap
                .key_for(self.context, a)
                .map(|k| k.to_string())
                .unwrap_or_default()
        };
        let answer = format!(
            "[{}] {}    [{}] {}",
            key(Action::Yes),
            t(lang, T::Yes),
            key(Action::No),
            t(lang, T::No)
        );
        let inner = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(self.question.as_str()),
                Line::from(""),
                Line::from(answer),
            ])
            .wrap(Wrap { trim: false }),
            inner,
        );
    }
}
