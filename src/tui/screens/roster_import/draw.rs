//! Drawing the roster import: the setup form, the gauge while the import runs, a failure,
//! and the summary with the preview's lists (renames to accept, changes, refused rows).

use super::{FileNote, ImportScreen, Outcome, Request, Stage, field_label};
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screens::View;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::width::split_at_width;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Gauge, Paragraph};
use std::collections::BTreeSet;

impl ImportScreen {
    /// The stage on screen: the setup form, the gauge, the failure, or the summary.
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 8 {
            return;
        }
        let lang = view.lang;
        match &self.stage {
            Stage::Setup => self.render_setup(frame, area, view),
            Stage::Running {
                request, progress, ..
            } => {
                let text = if request.dry_run {
                    T::ImportRunningDry
                } else {
                    T::ImportRunning
                };
                frame.render_widget(
                    Paragraph::new(tf(lang, text, &[&request.file.display().to_string()])),
                    Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), 1),
                );
                let (ratio, label) = match progress {
                    Some(p) if p.total > 0 => (
                        p.done as f64 / p.total as f64,
                        format!("{} / {}", p.done, p.total),
                    ),
                    _ => (0.0, t(lang, T::ImportReading).to_string()),
                };
                frame.render_widget(
                    Gauge::default()
                        .ratio(ratio.clamp(0.0, 1.0))
                        .label(label)
                        .gauge_style(Style::default().fg(Color::Cyan)),
                    Rect::new(area.x + 1, area.y + 2, area.width.saturating_sub(2), 1),
                );
                frame.render_widget(
                    Paragraph::new(t(lang, T::ImportWait))
                        .style(Style::default().add_modifier(Modifier::DIM)),
                    Rect::new(area.x + 1, area.y + 4, area.width.saturating_sub(2), 1),
                );
            }
            Stage::Failed(message) => {
                let width = usize::from(area.width.saturating_sub(2));
                let text = tf(lang, T::ImportFailed, &[message]);
                let mut rest = text.as_str();
                let mut y = area.y;
                while !rest.is_empty() && y + 2 < area.bottom() {
                    let (head, tail) = split_at_width(rest, width);
                    frame.render_widget(
                        Paragraph::new(head).style(Style::default().fg(Color::Red)),
                        Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
                    );
                    y += 1;
                    rest = tail;
                }
                frame.render_widget(
                    Paragraph::new(tf(
                        lang,
                        T::ImportNextAfterFailure,
                        &[&view.key(Context::Import, Action::Back)],
                    ))
                    .style(Style::default().add_modifier(Modifier::BOLD)),
                    Rect::new(area.x + 1, y + 1, area.width.saturating_sub(2), 1),
                );
            }
            Stage::Done {
                request,
                outcome,
                selected,
                accepted,
            } => self.render_done(frame, area, view, (request, outcome), (*selected, accepted)),
        }
    }

    fn render_setup(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let save = view.key(Context::Form, Action::Save);
        let lines = [
            t(lang, T::ImportIntro).to_string(),
            tf(lang, T::ImportStartHint, &[&save]),
        ];
        for (i, text) in lines.iter().enumerate() {
            frame.render_widget(
                Paragraph::new(text.as_str()),
                Rect::new(
                    area.x + 1,
                    area.y + i as u16,
                    area.width.saturating_sub(2),
                    1,
                ),
            );
        }
        let body = Rect::new(
            area.x + 1,
            area.y + 3,
            area.width.saturating_sub(2),
            area.height.saturating_sub(3),
        );
        self.form.render(frame, body, view.t(T::NotChosen));
    }

    fn summary_lines(
        &self,
        request: &Request,
        outcome: &Outcome,
        lang: Lang,
    ) -> Vec<(Style, String)> {
        let plain = Style::default();
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let s = &outcome.summary;
        let mut lines = vec![
            (
                plain,
                tf(
                    lang,
                    T::ImportRoster,
                    &[&request.file.display().to_string()],
                ),
            ),
            (
                plain,
                tf(
                    lang,
                    T::ImportRosterRead,
                    &[&outcome.source, &s.total.to_string()],
                ),
            ),
            (
                bold,
                tf(
                    lang,
                    T::ImportCounts,
                    &[
                        &s.new.to_string(),
                        &s.updated.to_string(),
                        &s.unchanged.to_string(),
                        &s.rejected.len().to_string(),
                    ],
                ),
            ),
        ];
        if !s.changed_fields.is_empty() {
            let parts: Vec<String> = s
                .changed_fields
                .iter()
                .map(|(field, n)| format!("{} {n}", field_label(field, lang)))
                .collect();
            lines.push((
                plain,
                tf(
                    lang,
                    T::ImportChangedFields,
                    &[&parts.join(lang.pick("，", ", "))],
                ),
            ));
        }
        if let Some(event) = self.event.as_ref().filter(|_| request.event_uid.is_some()) {
            lines.push((
                plain,
                tf(
                    lang,
                    T::ImportEventLine,
                    &[
                        &event.input.name,
                        &s.event_recorded.to_string(),
                        &s.event_already_served.to_string(),
                    ],
                ),
            ));
        }
        if s.needs_raised > 0 {
            lines.push((
                plain,
                tf(lang, T::ImportNeedsLine, &[&s.needs_raised.to_string()]),
            ));
        }
        if !outcome.ignored_columns.is_empty() {
            lines.push((
                plain,
                tf(
                    lang,
                    T::ImportIgnored,
                    &[&outcome.ignored_columns.join(lang.pick("、", ", "))],
                ),
            ));
        }
        match &outcome.rejects {
            FileNote::None => {}
            // The path on a line of its own, so that a long one wraps whole under the words.
            FileNote::Written(path) => {
                lines.push((bold, t(lang, T::ImportRejectsWritten).to_string()));
                lines.push((bold, format!("  {}", path.display())));
            }
            FileNote::WouldGo(path) => {
                lines.push((plain, t(lang, T::ImportRejectsWouldGo).to_string()));
                lines.push((plain, format!("  {}", path.display())));
            }
            FileNote::NotWritten(path, reason) => lines.push((
                Style::default().fg(Color::Red),
                tf(
                    lang,
                    T::ImportRejectsFailed,
                    &[&path.display().to_string(), reason],
                ),
            )),
        }
        match &outcome.changes_file {
            FileNote::None => {}
            FileNote::Written(path) => {
                lines.push((plain, t(lang, T::ImportChangesWritten).to_string()));
                lines.push((plain, format!("  {}", path.display())));
            }
            FileNote::WouldGo(path) => {
                lines.push((plain, t(lang, T::ImportChangesWouldGo).to_string()));
                lines.push((plain, format!("  {}", path.display())));
            }
            FileNote::NotWritten(path, reason) => lines.push((
                Style::default().fg(Color::Red),
                tf(
                    lang,
                    T::ImportChangesFailed,
                    &[&path.display().to_string(), reason],
                ),
            )),
        }
        if s.dry_run {
            lines.push((
                Style::default().fg(Color::Yellow),
                t(lang, T::ImportDryRunNote).to_string(),
            ));
        }
        lines
    }

    /// The summary, then the preview's lists; `choice` is the rename row under the cursor and
    /// the rows accepted so far.
    fn render_done(
        &self,
        frame: &mut Frame,
        area: Rect,
        view: &View,
        (request, outcome): (&Request, &Outcome),
        (selected, accepted): (usize, &BTreeSet<usize>),
    ) {
        let lang = view.lang;
        let width = usize::from(area.width.saturating_sub(2));
        let mut y = area.y;
        let bottom = area.bottom().saturating_sub(1);
        let line_at = |y: u16| Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1);
        for (style, text) in self.summary_lines(request, outcome, lang) {
            // Long paths wrap rather than lose their end, where the file name is.
            let mut rest = text.as_str();
            while !rest.is_empty() && y < bottom {
                let (head, tail) = split_at_width(rest, width);
                frame.render_widget(Paragraph::new(head).style(style), line_at(y));
                y += 1;
                rest = tail;
            }
        }
        let key = |a| view.key(Context::Import, a);
        let dry_run = outcome.summary.dry_run;
        let renames: Vec<(Style, String)> = if dry_run {
            outcome
                .renames
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mark = if accepted.contains(&r.row) { "x" } else { " " };
                    let text = tf(
                        lang,
                        T::ImportRenameRow,
                        &[mark, &r.row.to_string(), &r.registered, &r.given],
                    );
                    let style = if i == selected {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default()
                    };
                    (style, text)
                })
                .collect()
        } else {
            Vec::new()
        };
        let plain = |items: &[String]| -> Vec<(Style, String)> {
            items
                .iter()
                .map(|text| (Style::default(), text.clone()))
                .collect()
        };
        let changes_heading = if dry_run {
            T::ImportChangesWouldHeading
        } else {
            T::ImportChangesHeading
        };
        let sections = [
            (
                tf(
                    lang,
                    T::ImportRenamesHeading,
                    &[
                        &format!("{}{}", key(Action::Up), key(Action::Down)),
                        &key(Action::Edit),
                    ],
                ),
                renames,
                // The renames section scrolls to keep the cursor in view.
                Some(selected),
            ),
            (
                t(lang, changes_heading).to_string(),
                plain(&outcome.changes),
                None,
            ),
            (
                t(lang, T::ImportReasonsHeading).to_string(),
                plain(&outcome.reasons),
                None,
            ),
        ];
        let wanted = sections.iter().filter(|s| !s.1.is_empty()).count();
        let mut left = wanted;
        for (heading, items, cursor) in sections.iter().filter(|s| !s.1.is_empty()) {
            // Each list gets a fair share of what is left: a heading and at least one line.
            let room = usize::from(bottom.saturating_sub(y)) / left.max(1);
            left -= 1;
            if room < 3 {
                continue;
            }
            y += 1;
            frame.render_widget(
                Paragraph::new(fit(heading, width))
                    .style(Style::default().add_modifier(Modifier::BOLD)),
                line_at(y),
            );
            y += 1;
            let room = room - 2;
            let shown = if items.len() > room {
                room.saturating_sub(1)
            } else {
                room
            };
            let top = cursor.map_or(0, |c| (c + 1).saturating_sub(shown));
            for (style, text) in items.iter().skip(top).take(shown) {
                frame.render_widget(
                    Paragraph::new(fit(&format!("  {text}"), width)).style(*style),
                    line_at(y),
                );
                y += 1;
            }
            let hidden = items.len().saturating_sub(shown);
            if hidden > 0 {
                frame.render_widget(
                    Paragraph::new(tf(lang, T::ImportMoreReasons, &[&hidden.to_string()]))
                        .style(Style::default().add_modifier(Modifier::DIM)),
                    line_at(y),
                );
                y += 1;
            }
        }
        let next = if dry_run {
            let mut next = tf(
                lang,
                T::ImportNextAfterDryRun,
                &[&key(Action::Confirm), &key(Action::Back)],
            );
            if !accepted.is_empty() {
                next.push_str(&tf(
                    lang,
                    T::ImportRenamesAccepted,
                    &[&accepted.len().to_string()],
                ));
            }
            next
        } else {
            tf(lang, T::ImportNextAfterRun, &[&key(Action::Confirm)])
        };
        frame.render_widget(
            Paragraph::new(next).style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x + 1, bottom, area.width.saturating_sub(2), 1),
        );
    }
}
