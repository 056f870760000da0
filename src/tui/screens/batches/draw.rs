//! Drawing the batches screen: what waits, the export's options or gauge, the history of
//! batches, and the popups (options, verify report). Drawing reads only the screen's state.

use super::{BatchesScreen, HistoryRow, Notice, PathsOf, Popup, Progress, Report};
use crate::batch::export::ExportStep;
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screens::View;
use crate::tui::screens::batch_import;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::popup::{ScrollExtent, centered, clear_popup_area, scrolled_lines};
use crate::tui::widgets::width::{fit_tail, right, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Row};
use std::path::Path;

impl BatchesScreen {
    /// The waiting counts, the export line, the history and any popup.
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 10 {
            return;
        }
        let lang = view.lang;
        let width = usize::from(area.width);
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let line_at = |row: u16| Rect::new(area.x, area.y + row, area.width, 1);

        // What waits.
        let total = match &self.waiting {
            Some(w) if w.total() == 0 => t(lang, T::NothingWaiting).to_string(),
            Some(w) => tf(lang, T::WaitingTotal, &[&w.total().to_string()]),
            None => t(lang, T::Loading).to_string(),
        };
        let heading = format!(" {}", t(lang, T::WaitingHeading));
        let used = Line::from(heading.as_str()).width() + Line::from(total.as_str()).width() + 1;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(heading, bold),
                Span::raw(" ".repeat(width.saturating_sub(used))),
                Span::styled(total, bold),
            ])),
            line_at(0),
        );
        if let Some(w) = &self.waiting {
            let counts = [w.workers, w.events, w.services, w.deletions].map(|n| n.to_string());
            frame.render_widget(
                Paragraph::new(format!(
                    "   {}",
                    tf(
                        lang,
                        T::WaitingLine,
                        &[&counts[0], &counts[1], &counts[2], &counts[3]]
                    )
                )),
                line_at(1),
            );
        }

        // Batches the city has not answered for a week: the officer should ask.
        if self.unanswered > 0 {
            let warning = tf(lang, T::StaleReceipts, &[&self.unanswered.to_string()]);
            frame.render_widget(
                Paragraph::new(format!(" {}", fit(&warning, width.saturating_sub(1))))
                    .style(bold.fg(Color::Yellow)),
                line_at(2),
            );
        }

        // The export: its options, or its gauge while it runs; then how it ended.
        match &self.export {
            Some(progress) => render_gauge(frame, line_at(3), *progress, lang),
            None => {
                let form = t(lang, if self.zip { T::AsZip } else { T::AsFolder });
                let copies: Vec<&str> = [(self.csv, "CSV"), (self.xlsx, "Excel")]
                    .into_iter()
                    .filter_map(|(on, name)| on.then_some(name))
                    .collect();
                let copies = if copies.is_empty() {
                    t(lang, T::CopiesNone).to_string()
                } else {
                    copies.join("、")
                };
                let fixed = tf(lang, T::OptionsLine, &["", form, &copies]);
                let room = width
                    .saturating_sub(Line::from(fixed.as_str()).width() + 2)
                    .max(10);
                let folder = fit_tail(&self.out_dir, room);
                let text = tf(lang, T::OptionsLine, &[folder.trim_end(), form, &copies]);
                frame.render_widget(
                    Paragraph::new(format!(" {}", fit(&text, width.saturating_sub(1)))),
                    line_at(3),
                );
            }
        }
        let export_key = view.key(Context::Batches, Action::Export);
        let verify_key = view.key(Context::Batches, Action::Confirm);
        let (style, text) = match (&self.export, &self.notice) {
            (Some(_), _) => (Style::default(), t(lang, T::ExportRunning).to_string()),
            (None, Some(Notice::Done { summary, path })) => {
                // One line, ending with as much of the path as fits: its end names the batch.
                let room = width.saturating_sub(Line::from(summary.as_str()).width() + 5);
                (
                    bold.fg(Color::Green),
                    format!("{summary} → {}", fit_tail(path, room).trim_end()),
                )
            }
            (None, Some(Notice::Info(text))) => (bold, text.clone()),
            (None, Some(Notice::Error(text))) => (bold.fg(Color::Red), text.clone()),
            (None, None) => (
                Style::default().add_modifier(Modifier::DIM),
                tf(lang, T::ExportHint, &[&export_key, &verify_key]),
            ),
        };
        // Two rows (the second is otherwise blank): an error message is read whole.
        let lines: Vec<Line> = wrap(&text, width.saturating_sub(2), 0)
            .into_iter()
            .take(2)
            .map(|l| Line::styled(format!(" {l}"), style))
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(area.x, area.y + 4, area.width, 2),
        );

        self.render_history(
            frame,
            Rect::new(area.x, area.y + 6, area.width, area.height - 6),
            lang,
        );

        match &self.popup {
            Some(Popup::Options(form)) => render_options(frame, area, form, view),
            Some(Popup::Report(report)) => render_report(frame, area, report, lang),
            Some(Popup::ImportPaths(form, of)) => {
                let receipts = *of == PathsOf::Receipts;
                batch_import::render_path_form(frame, area, form, view, receipts);
            }
            Some(Popup::Imported(report)) => batch_import::render_report(frame, area, report, lang),
            Some(Popup::Files(files, ..)) => {
                files.render(frame, area, view, t(lang, T::FilesTitle));
            }
            None => {}
        }
    }
}

/// Columns of the history list: marker, time, direction, status, the city's answer, three
/// counts; the batch name takes the rest.
const COLUMNS: [usize; 8] = [2, 16, 4, 8, 11, 6, 6, 7];

impl BatchesScreen {
    fn render_history(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                tf(lang, T::HistoryHeading, &[&self.history.len().to_string()])
            ))
            .style(bold),
            Rect::new(area.x, area.y, area.width, 1),
        );
        let fixed: usize = COLUMNS.iter().sum::<usize>() + COLUMNS.len() - 1;
        let name_width = usize::from(area.width).saturating_sub(fixed + 1).max(8);
        let header = Row::new([
            fit(t(lang, T::ColTime), COLUMNS[1]),
            fit(t(lang, T::ColDirection), COLUMNS[2]),
            fit(t(lang, T::ColStatus), COLUMNS[3]),
            fit(t(lang, T::ColCity), COLUMNS[4]),
            right(t(lang, T::ColWorkers), COLUMNS[5]),
            right(t(lang, T::ColEvents), COLUMNS[6]),
            right(t(lang, T::ColServices), COLUMNS[7]),
            fit(t(lang, T::ColBatch), name_width),
        ]);
        let mut widths = COLUMNS[1..].to_vec();
        widths.push(name_width);
        // The heading row above, the selected batch's whole path below.
        let list = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(2),
        );
        self.table.render(
            frame,
            list,
            Some(header),
            &widths,
            (self.selected, self.history.len()),
            |index| history_row(&self.history[index], lang, name_width),
        );
        if self.history.is_empty() {
            if self.waiting.is_some() {
                frame.render_widget(
                    Paragraph::new(format!("  {}", t(lang, T::NoBatches))),
                    Rect::new(area.x, area.y + 2, area.width, 1),
                );
            }
            return;
        }
        if let Some(check) = self
            .history
            .get(self.selected)
            .and_then(|i| i.check.as_ref())
        {
            // The problem stays in view (red) until a later verification passes.
            let when = check.checked_at.get(..16).unwrap_or("").replace('T', " ");
            let text = match check.problems {
                0 => tf(lang, T::CheckUnreadableLine, &[&when]),
                n => tf(
                    lang,
                    T::CheckFailedLine,
                    &[&when, &n.to_string(), &check.first_place],
                ),
            };
            frame.render_widget(
                Paragraph::new(format!(" {}", fit(&text, usize::from(area.width) - 1)))
                    .style(Style::default().fg(Color::Red)),
                Rect::new(area.x, area.bottom() - 1, area.width, 1),
            );
        } else if let Some(item) = self.history.get(self.selected) {
            let label = tf(lang, T::PathLine, &[""]);
            let room =
                usize::from(area.width).saturating_sub(Line::from(label.as_str()).width() + 2);
            frame.render_widget(
                Paragraph::new(format!(
                    " {}",
                    tf(
                        lang,
                        T::PathLine,
                        &[fit_tail(&item.batch.path, room).trim_end()]
                    )
                ))
                .style(Style::default().add_modifier(Modifier::DIM)),
                Rect::new(area.x, area.bottom() - 1, area.width, 1),
            );
        }
    }
}

/// One batch of the history: when, which way, complete or not, its counts and its name.
fn history_row(item: &HistoryRow, lang: Lang, name_width: usize) -> Row<'static> {
    let b = &item.batch;
    let time = b
        .created_at
        .get(..16)
        .unwrap_or(&b.created_at)
        .replace('T', " ");
    let direction = t(
        lang,
        if b.direction == "exported" {
            T::DirExported
        } else {
            T::DirImported
        },
    );
    let status = t(
        lang,
        match (b.status.as_str(), item.gap, &item.check) {
            ("writing", _, _) => T::StatusWriting,
            (_, _, Some(_)) => T::StatusCheckFailed,
            (_, true, None) => T::StatusGap,
            _ => T::StatusComplete,
        },
    );
    let name = Path::new(&b.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| b.path.clone());
    let city = city_cell(item, lang);
    let mut row = Row::new([
        fit(&time, COLUMNS[1]),
        fit(direction, COLUMNS[2]),
        fit(status, COLUMNS[3]),
        fit(&city, COLUMNS[4]),
        right(&b.worker_count.to_string(), COLUMNS[5]),
        right(&b.event_count.to_string(), COLUMNS[6]),
        right(&b.service_count.to_string(), COLUMNS[7]),
        fit_tail(&name, name_width),
    ]);
    if item.city.as_ref().is_some_and(|c| c.status == "returned") {
        row = row.style(Style::default().fg(Color::Red));
    }
    row
}

/// What the city said of an exported batch: sent (no receipt yet), received, held, or
/// returned with the count of refused records. Nothing for a batch merged from elsewhere.
fn city_cell(item: &HistoryRow, lang: Lang) -> String {
    if item.batch.direction != "exported" || item.batch.status != "complete" {
        return String::new();
    }
    match &item.city {
        None => t(lang, T::CitySent).to_string(),
        Some(c) if c.status == "received" => t(lang, T::CityReceived).to_string(),
        Some(c) if c.status == "held" => t(lang, T::CityHeld).to_string(),
        Some(c) => tf(lang, T::CityReturned, &[&c.returned.to_string()]),
    }
}

fn render_gauge(frame: &mut Frame, area: Rect, progress: Progress, lang: Lang) {
    let (ratio, label) = match progress {
        None => (0.0, t(lang, T::StepStarting).to_string()),
        Some(ExportStep::Records { done, total }) => {
            let ratio = if total == 0 {
                1.0
            } else {
                (done as f64 / total as f64).clamp(0.0, 1.0)
            };
            let label = tf(
                lang,
                T::StepRecords,
                &[&done.to_string(), &total.to_string()],
            );
            (ratio, format!("{label}  {:.0}%", ratio * 100.0))
        }
        Some(ExportStep::ReviewCopies) => (1.0, t(lang, T::StepReview).to_string()),
        Some(ExportStep::Packing) => (1.0, t(lang, T::StepPacking).to_string()),
        Some(ExportStep::Marking) => (1.0, t(lang, T::StepMarking).to_string()),
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(Style::default().fg(Color::Cyan))
            .ratio(ratio)
            .label(Span::styled(
                label,
                Style::default().add_modifier(Modifier::BOLD),
            )),
        Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), 1),
    );
}

fn render_options(frame: &mut Frame, outer: Rect, form: &Form, view: &View) {
    let lang = view.lang;
    let area = centered(outer, 70, 8);
    clear_popup_area(area, frame.buffer_mut());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", t(lang, T::OptionsTitle)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 6 {
        return;
    }
    let fields = Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), 5);
    form.render(frame, fields, t(lang, T::NotChosen));
    let hint = tf(
        lang,
        T::OptionsHint,
        &[&view.key(Context::Form, Action::Save)],
    );
    frame.render_widget(
        Paragraph::new(format!(" {}", fit(&hint, usize::from(inner.width) - 1)))
            .style(Style::default().add_modifier(Modifier::DIM)),
        Rect::new(inner.x, inner.bottom() - 1, inner.width, 1),
    );
}

fn render_report(frame: &mut Frame, outer: Rect, report: &Report, lang: Lang) {
    let width = usize::from(outer.width).saturating_sub(6).max(10);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    match &report.result {
        None => lines.push(Line::from(t(lang, T::Verifying))),
        Some(Err(message)) => {
            let text = tf(lang, T::VerifyFailed, &[message]);
            for part in wrap(&text, width, 0) {
                lines.push(Line::styled(part, bold.fg(Color::Red)));
            }
        }
        Some(Ok(r)) if r.is_valid() => {
            let [w, e, s, ..] = r.tallies.map(|t| t.count.to_string());
            lines.push(Line::styled(
                tf(lang, T::VerifyOk, &[&w, &e, &s]),
                bold.fg(Color::Green),
            ));
        }
        Some(Ok(r)) => {
            lines.push(Line::styled(
                tf(lang, T::VerifyProblems, &[&r.problems.len().to_string()]),
                bold.fg(Color::Red),
            ));
            // A damaged batch can hold a problem per line; the popup shows the first ones.
            for problem in r.problems.iter().take(PROBLEMS_SHOWN) {
                let place = match problem.line {
                    Some(line) => format!("{}:{line}", problem.file),
                    None => problem.file.clone(),
                };
                let text = format!("{place}: {}", problem.what(lang));
                for (i, part) in wrap(&text, width - 2, 2).into_iter().enumerate() {
                    let mark = if i == 0 { "• " } else { "    " };
                    lines.push(Line::from(format!("{mark}{part}")));
                }
            }
            if let Some(more) = r
                .problems
                .len()
                .checked_sub(PROBLEMS_SHOWN)
                .filter(|n| *n > 0)
            {
                lines.push(Line::from(tf(lang, T::VerifyMore, &[&more.to_string()])));
            }
        }
    }
    // As tall as the text, up to the whole body: a short verdict stays a small popup.
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .clamp(3, outer.height);
    let area = centered(outer, outer.width.saturating_sub(2), height);
    clear_popup_area(area, frame.buffer_mut());
    let name = Path::new(&report.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| report.path.clone());
    let title = fit_tail(
        &tf(lang, T::VerifyTitle, &[&name]),
        usize::from(area.width).saturating_sub(4),
    );
    let extent = ScrollExtent {
        lines: &report.lines,
        rows: &report.height,
    };
    scrolled_lines(frame, area, &title, lines, report.scroll, extent);
}

/// How many problems the verify popup lists; `jingong verify` prints them all.
const PROBLEMS_SHOWN: usize = 500;

impl BatchesScreen {
    /// F2 starts the export or the import in the popups: the footer says so.
    pub(super) fn footer_word(&self, action: Action, lang: Lang) -> Option<&'static str> {
        match (&self.popup, action) {
            (Some(Popup::Options(_)), Action::Save) => Some(t(lang, T::FooterExport)),
            (Some(Popup::ImportPaths(..)), Action::Save) => Some(t(lang, T::FooterImport)),
            _ => None,
        }
    }

    pub(super) fn footer_actions(&self) -> Vec<Action> {
        match &self.popup {
            Some(Popup::Options(_)) => vec![Action::Save, Action::NextField],
            Some(Popup::ImportPaths(..)) => vec![Action::Save, Action::OpenPicker, Action::Back],
            Some(Popup::Files(..)) => vec![Action::Confirm, Action::NextTab, Action::Back],
            Some(Popup::Report(_) | Popup::Imported(_)) => {
                vec![Action::Down, Action::PageDown, Action::Back]
            }
            None => vec![
                Action::Export,
                Action::Confirm,
                // Esc leaves as on every screen; the row has no room for it in English.
                Action::ImportBatch,
                Action::ImportReceipt,
                Action::Conflicts,
            ],
        }
    }
}
