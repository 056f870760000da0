//! Importing batches from other laptops on the batches screen: the path popup, the work (the
//! same `import_batches` as `jingong import batch`, verify first, on the screen's background
//! thread) and the summary popup with the command line's own words.

use super::View;
use crate::batch::merge::{import_batches, outcome_lines, refused_line};
use crate::store::Store;
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::file_picker::FileOutcome;
use crate::tui::widgets::fit;
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::popup::{ScrollExtent, centered, clear_popup_area, scrolled_lines};
use crate::tui::widgets::width::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use std::cell::Cell;
use std::path::PathBuf;

pub const PATHS_FIELD: &str = "paths";

/// The batches named in what was typed or pasted: one per line, or several on a line each in
/// quotes; a file manager's `file://` address and a leading `~/` are understood.
pub fn batch_paths(typed: &str) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let quoted = quoted_parts(line);
        if quoted.is_empty() {
            paths.push(clean_path(line));
        } else {
            paths.extend(quoted.into_iter().map(clean_path));
        }
    }
    paths
}

/// The parts of `line` inside matching quotes ("…" or '…'), when the whole line is made of
/// them; empty when it is not (a path with a quote inside stays whole).
fn quoted_parts(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = line.trim_start();
    while let Some(quote) = rest.chars().next() {
        if quote != '"' && quote != '\'' {
            return Vec::new();
        }
        let Some(end) = rest[1..].find(quote) else {
            return Vec::new();
        };
        parts.push(&rest[1..1 + end]);
        rest = rest[end + 2..].trim_start();
    }
    parts
}

fn clean_path(text: &str) -> PathBuf {
    let text = text.trim();
    let text = text.strip_prefix("file://").unwrap_or(text);
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    PathBuf::from(text)
}

/// Puts the path chosen in the file chooser into the path popup, in place of what was typed.
pub fn take_chosen(form: &mut Form, outcome: FileOutcome) {
    if let FileOutcome::Chosen(path) = outcome
        && let Some(field) = form.field_mut(PATHS_FIELD)
    {
        field.set_raw(&path.display().to_string());
        field.error = None;
    }
}

pub fn path_form(lang: Lang, label: T, last: &str) -> Form {
    Form::new(vec![
        FormField::text(PATHS_FIELD, t(lang, label), last).required(),
    ])
}

/// What the import said, line by line, and how many batches were refused.
pub struct ImportResult {
    pub lines: Vec<String>,
    pub refused: usize,
}

/// Imports `paths` into `store` as `jingong import batch` does.
pub fn run_import(
    store: &mut Store,
    paths: &[PathBuf],
    lang: Lang,
) -> Result<ImportResult, String> {
    let results = import_batches(store, paths).map_err(|e| e.message(lang))?;
    let mut lines = Vec::new();
    let mut refused = 0;
    for (path, result) in &results {
        if result.is_err() {
            refused += 1;
        }
        lines.extend(outcome_lines(path, result, lang));
    }
    if refused > 0 {
        lines.push(refused_line(refused, lang));
    }
    Ok(ImportResult { lines, refused })
}

/// The summary popup: `None` while the import runs.
pub struct ImportReport {
    pub result: Option<Result<ImportResult, String>>,
    /// Receipts from the city, not batches: worded so.
    pub receipts: bool,
    pub scroll: usize,
    pub lines: Cell<usize>,
    pub height: Cell<usize>,
}

impl ImportReport {
    pub fn running() -> ImportReport {
        ImportReport {
            result: None,
            receipts: false,
            scroll: 0,
            lines: Cell::new(0),
            height: Cell::new(10),
        }
    }
}

/// The path popup for batches, or with `receipts` for the city's receipt files.
pub fn render_path_form(frame: &mut Frame, outer: Rect, form: &Form, view: &View, receipts: bool) {
    let lang = view.lang;
    let (title, hint) = if receipts {
        (T::ImportReceiptTitle, T::ImportReceiptHint)
    } else {
        (T::ImportBatchTitle, T::ImportBatchHint)
    };
    let area = centered(outer, 74, 8);
    clear_popup_area(area, frame.buffer_mut());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", t(lang, title)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 5 {
        return;
    }
    form.render(
        frame,
        Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), 2),
        t(lang, T::NotChosen),
    );
    let width = usize::from(inner.width).saturating_sub(2).max(10);
    let hint = format!(
        "{} [{}]  {}",
        t(lang, hint),
        view.key(Context::Form, Action::Save),
        tf(
            lang,
            T::FilesHint,
            &[&view.key(Context::Form, Action::OpenPicker)]
        )
    );
    let lines: Vec<Line> = wrap(&hint, width, 0)
        .into_iter()
        .take(usize::from(inner.height).saturating_sub(2))
        .map(Line::from)
        .collect();
    frame.render_widget(
        Paragraph::new(lines).style(Style::default().add_modifier(Modifier::DIM)),
        Rect::new(
            inner.x + 1,
            inner.y + 2,
            inner.width.saturating_sub(2),
            inner.height - 2,
        ),
    );
}

pub fn render_report(frame: &mut Frame, outer: Rect, report: &ImportReport, lang: Lang) {
    let width = usize::from(outer.width).saturating_sub(6).max(10);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    match &report.result {
        None if report.receipts => lines.push(Line::from(t(lang, T::ImportReceiptRunning))),
        None => lines.push(Line::from(t(lang, T::ImportBatchRunning))),
        Some(Err(message)) => {
            for part in wrap(message, width, 0) {
                lines.push(Line::styled(part, bold.fg(Color::Red)));
            }
        }
        Some(Ok(result)) => {
            let style = if result.refused > 0 {
                bold.fg(Color::Red)
            } else {
                Style::default()
            };
            for text in &result.lines {
                for part in wrap(text, width, 2) {
                    lines.push(Line::styled(part, style));
                }
            }
        }
    }
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .clamp(3, outer.height);
    let area = centered(outer, outer.width.saturating_sub(2), height);
    clear_popup_area(area, frame.buffer_mut());
    let title = fit(
        t(
            lang,
            if report.receipts {
                T::ImportReceiptResult
            } else {
                T::ImportBatchResult
            },
        ),
        usize::from(area.width).saturating_sub(4),
    );
    let extent = ScrollExtent {
        lines: &report.lines,
        rows: &report.height,
    };
    scrolled_lines(frame, area, &title, lines, report.scroll, extent);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn pasted_paths_are_split_and_cleaned() {
        assert_eq!(
            batch_paths("  '/tmp/a b/x.zip'  "),
            vec![PathBuf::from("/tmp/a b/x.zip")]
        );
        assert_eq!(
            batch_paths("\"/tmp/one\" '/tmp/two'"),
            vec![PathBuf::from("/tmp/one"), PathBuf::from("/tmp/two")]
        );
        assert_eq!(
            batch_paths("file:///tmp/x.zip\n/tmp/with space\n\n"),
            vec![
                PathBuf::from("/tmp/x.zip"),
                PathBuf::from("/tmp/with space")
            ]
        );
        // A quote inside a path does not split it.
        assert_eq!(batch_paths("/tmp/o'neil"), vec![Path::new("/tmp/o'neil")]);
        assert!(batch_paths("   ").is_empty());
    }
}
