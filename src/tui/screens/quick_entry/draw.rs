//! Drawing quick entry: the event on top, the typed line, then the workers it matches (a
//! `ListTable`) or those recorded in this sitting, and the last outcome in colour.

use super::{Feedback, QuickEntryScreen, needs_form};
use crate::domain::idcard::age_on;
use crate::domain::mask_id_number;
use crate::store::SearchHit;
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screens::View;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::labels::event_summary;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

impl QuickEntryScreen {
    /// The event, the typed line, what it found or what this sitting recorded, and the
    /// duplicate question when one is asked.
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 8 {
            return;
        }
        let lang = view.lang;
        let width = usize::from(area.width.saturating_sub(2));
        let line = |y: u16| Rect::new(area.x + 1, area.y + y, area.width.saturating_sub(2), 1);
        frame.render_widget(
            Paragraph::new(fit(&event_summary(&self.event, lang), width))
                .style(Style::default().add_modifier(Modifier::DIM)),
            line(0),
        );
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    tf(
                        lang,
                        T::QuickTally,
                        &[
                            &self.event.people_count.to_string(),
                            &self.event.served_count.to_string(),
                        ],
                    ),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(tf(
                    lang,
                    T::QuickSessionCount,
                    &[&self.session.len().to_string()],
                )),
            ])),
            line(1),
        );

        // The input line: label, then the field to the right edge.
        let label = format!("{}{}", t(lang, T::QuickLabel), lang.pick("：", ": "));
        let label_w = Line::from(label.as_str()).width() as u16;
        let y = area.y + 3;
        frame.render_widget(
            Paragraph::new(Span::styled(
                label,
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Rect::new(area.x + 1, y, label_w, 1),
        );
        let field = Rect::new(
            area.x + 1 + label_w,
            y,
            area.width.saturating_sub(label_w + 2),
            1,
        );
        let underlined = Style::default().add_modifier(Modifier::UNDERLINED);
        frame.render_widget(Paragraph::new("").style(underlined), field);
        let caret = self.line.render(field, frame.buffer_mut(), underlined);
        if self.duplicate.is_none() {
            frame.set_cursor_position(caret);
        }
        if let Some((style, text)) = self.feedback_line() {
            frame.render_widget(Paragraph::new(fit(&text, width)).style(style), line(4));
        }
        // The catalog row wraps (English names run long) and pushes the list down.
        let mut rows_top = 6;
        if self.needs.shown || !self.needs.is_empty() {
            let needs = self.needs.line(lang);
            let needed = needs.width();
            let height = if needed <= width {
                1
            } else {
                (needed.div_ceil(width.max(1)) + 1).min(3) as u16
            };
            frame.render_widget(
                Paragraph::new(needs).wrap(Wrap { trim: true }),
                Rect::new(area.x + 1, area.y + 5, area.width.saturating_sub(2), height),
            );
            rows_top = 5 + height;
        }
        // The needs key is said above the line, since the footer is full.
        let key = view.key(Context::QuickEntry, Action::QuickNeeds);
        let hint = if self.needs.shown {
            T::QuickNeedsHint
        } else {
            T::QuickNeedsOffer
        };
        frame.render_widget(
            Paragraph::new(fit(&tf(lang, hint, &[&key]), width))
                .style(Style::default().add_modifier(Modifier::DIM)),
            line(2),
        );

        let rows = Rect::new(
            area.x,
            area.y + rows_top,
            area.width,
            area.height.saturating_sub(rows_top),
        );
        self.render_rows(frame, rows, view);

        if let Some((confirm, _)) = &self.duplicate {
            confirm.render(frame, area, lang, view.keymap);
        }
    }

    fn feedback_line(&self) -> Option<(Style, String)> {
        Some(match self.feedback.as_ref()? {
            Feedback::Recorded(text) => (
                Style::default()
                    .fg(Color::Green)
                    .add_modifier(Modifier::BOLD),
                format!("✓ {text}"),
            ),
            Feedback::Undone(text) => (Style::default().fg(Color::Yellow), format!("↶ {text}")),
            Feedback::Note(text) => (Style::default().fg(Color::Cyan), format!("· {text}")),
            Feedback::Problem(text) => (Style::default().fg(Color::Red), format!("✗ {text}")),
        })
    }

    fn hit_row(&self, hit: &SearchHit, lang: Lang, widths: &[usize; 4]) -> Row<'static> {
        let sex = match hit.gender.as_str() {
            "female" => t(lang, T::Female),
            _ => t(lang, T::Male),
        };
        let age = age_on(hit.birth_date, self.today).to_string();
        // Served already in this event: said before Enter asks "record again?".
        let mark = if self.served_hits.contains(&hit.uid) {
            "✓ "
        } else {
            "  "
        };
        Row::new([
            fit(&format!("{mark}{}", hit.name), widths[0]),
            fit(&mask_id_number(&hit.id_number), widths[1]),
            fit(&tf(lang, T::SexAge, &[sex, &age]), widths[2]),
            fit(&hit.employer, widths[3]),
        ])
    }

    fn render_rows(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let row = |y: u16| Rect::new(area.x, area.y + y, area.width, 1);
        let width = usize::from(area.width);
        if !self.line.value().trim().is_empty() && self.hits_query == self.line.value() {
            let heading = if self.hits.is_empty() {
                let key = view.key(Context::QuickEntry, Action::NewWorker);
                tf(lang, T::QuickNoMatch, &[&key])
            } else {
                let key = view.key(Context::QuickEntry, Action::Confirm);
                let mut text = tf(lang, T::QuickMatches, &[&self.hits_total.to_string(), &key]);
                if !self.served_hits.is_empty() {
                    text.push_str(t(lang, T::QuickServedLegend));
                }
                text
            };
            frame.render_widget(Paragraph::new(format!(" {heading}")).style(bold), row(0));
            // Columns: name, ID number, sex and age, employer (takes the rest).
            let fixed = [18usize, 18, 8];
            let rest = width.saturating_sub(fixed.iter().sum::<usize>() + fixed.len() + 2);
            let widths = [fixed[0], fixed[1], fixed[2], rest];
            self.table.render(
                frame,
                Rect::new(
                    area.x,
                    area.y + 1,
                    area.width,
                    area.height.saturating_sub(1),
                ),
                None,
                &widths,
                (self.selected, self.hits.len()),
                |index| self.hit_row(&self.hits[index], lang, &widths),
            );
            return;
        }
        if self.session.is_empty() {
            let key = |a| view.key(Context::QuickEntry, a);
            let hints = [
                tf(lang, T::QuickHintId, &[&key(Action::Confirm)]),
                t(lang, T::QuickHintName).to_string(),
                t(lang, T::QuickHintNew).to_string(),
                tf(
                    lang,
                    T::QuickHintKeys,
                    &[
                        &key(Action::Undo),
                        &key(Action::Redo),
                        &key(Action::Attendees),
                    ],
                ),
            ];
            if needs_form(&self.event).is_some() {
                frame.render_widget(
                    Paragraph::new(format!(" {}", t(lang, T::QuickNeedsForm)))
                        .style(Style::default().fg(Color::Yellow)),
                    row(0),
                );
            }
            for (i, hint) in hints.iter().enumerate() {
                frame.render_widget(
                    Paragraph::new(format!(" · {hint}"))
                        .style(Style::default().add_modifier(Modifier::DIM)),
                    row(1 + i as u16),
                );
            }
            return;
        }
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                tf(lang, T::QuickSession, &[&self.session.len().to_string()])
            ))
            .style(bold),
            row(0),
        );
        let height = usize::from(area.height.saturating_sub(1));
        for (n, r) in self.session.iter().rev().take(height).enumerate() {
            let text = format!(
                "  {} {} {}",
                fit(&r.at, 8),
                fit(&r.name, 16),
                fit(&r.masked_id, 18)
            );
            frame.render_widget(Paragraph::new(text), row(1 + n as u16));
        }
    }
}
