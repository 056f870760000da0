//! The roster import of `jingong import roster FILE [--event UID] [--dry-run]`, from the events
//! screen: a file path typed or pasted, optionally the selected event's service for everyone
//! imported, a dry run first by default; then the summary on screen (new, updated, unchanged,
//! refused and where the refused rows went).
//!
//! The dry run is the preview: it lists each registered worker the import would change, field
//! by field (masked), and each row that would rename a registered worker, refused unless the
//! officer accepts that row (space on it) before Enter runs the import for real.
//!
//! A big roster takes seconds (100,000 rows: about ten), so the import runs on its own thread
//! with its own connection and reports progress to a gauge; the screen only waits for it.

use super::quick_entry::kind_name;
use super::{Ctx, Effect, Screen, View};
use crate::batch::roster::{
    default_changes_path, default_rejects_path, read_roster, write_changes, write_rejects,
};
use crate::domain::{Event, Field};
use crate::store::roster_import::{
    AcceptRenames, ImportOptions, ImportProgress, ImportSummary, RejectReason,
};
use crate::store::{Access, Store};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::{AppMsg, JobId, Progress};
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::form::{EditOutcome, Form, FormField};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Gauge, Paragraph};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What one run is asked to do.
#[derive(Debug, Clone)]
struct Request {
    file: PathBuf,
    event_uid: Option<String>,
    dry_run: bool,
    /// Rows whose new name for a registered ID number the officer accepted in the preview.
    accepted_renames: BTreeSet<usize>,
}

/// Where the refused rows (or the list of changes) went, or would go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileNote {
    None,
    Written(PathBuf),
    /// A dry run writes nothing; the real run will write here.
    WouldGo(PathBuf),
    NotWritten(PathBuf, String),
}

#[derive(Debug, Clone)]
struct Outcome {
    summary: ImportSummary,
    source: String,
    ignored_columns: Vec<String>,
    rejects: FileNote,
    /// "row 2: ID number: check digit …", in file order; renames are listed apart.
    reasons: Vec<String>,
    /// Rows refused because they rename a registered worker: the officer may accept each.
    renames: Vec<RenameRow>,
    /// Each changed worker, field by field, masked.
    changes: Vec<String>,
    changes_file: FileNote,
}

#[derive(Debug, Clone)]
struct RenameRow {
    row: usize,
    registered: String,
    given: String,
}

enum Stage {
    Setup,
    Running {
        request: Request,
        progress: Option<ImportProgress>,
        job: JobId,
    },
    Done {
        request: Request,
        outcome: Box<Outcome>,
        /// The rename row under the cursor, and the rows accepted so far.
        selected: usize,
        accepted: BTreeSet<usize>,
    },
    Failed(String),
}

pub struct ImportScreen {
    event: Option<Event>,
    form: Form,
    stage: Stage,
}

/// A path as people hand it over: pasted with quotes or as a file:// address from a file
/// manager, or starting with ~.
fn clean_path(typed: &str) -> PathBuf {
    let mut text = typed.trim();
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            text = &text[1..text.len() - 1];
        }
    }
    let text = text.strip_prefix("file://").unwrap_or(text);
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    PathBuf::from(text)
}

fn field_label(column: &str, lang: Lang) -> &'static str {
    let field = match column {
        "name" => Field::Name,
        "id_number" => Field::IdNumber,
        "phone" => Field::Phone,
        "employer" => Field::Employer,
        "worksite" => Field::Worksite,
        "trade" => Field::Trade,
        "district_code" => Field::District,
        "membership" => Field::Membership,
        "card_no" => Field::CardNo,
        "hardship" => Field::Hardship,
        _ => Field::Note,
    };
    field.label(lang)
}

/// Reads and imports the roster; the refused rows go next to it unless this is a dry run.
fn run(
    store: &mut Store,
    request: &Request,
    lang: Lang,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Outcome, String> {
    let roster = read_roster(&request.file, None).map_err(|e| e.message(lang))?;
    let entries = roster.entries();
    let summary = store
        .import_roster(
            &entries,
            &ImportOptions {
                event_uid: request.event_uid.clone(),
                dry_run: request.dry_run,
                accept_renames: AcceptRenames::Rows(request.accepted_renames.clone()),
            },
            progress,
        )
        .map_err(|e| e.message(lang))?;
    let changes_path = default_changes_path(&request.file);
    let changes_file = if summary.changes.is_empty() {
        FileNote::None
    } else if request.dry_run {
        FileNote::WouldGo(changes_path)
    } else {
        match write_changes(&changes_path, &summary.changes, lang, false) {
            Ok(()) => FileNote::Written(changes_path),
            Err(e) => FileNote::NotWritten(changes_path, e.to_string()),
        }
    };
    let path = default_rejects_path(&request.file);
    let rejects = if summary.rejected.is_empty() {
        FileNote::None
    } else if request.dry_run {
        FileNote::WouldGo(path)
    } else {
        match write_rejects(&path, &roster, &summary.rejected, lang) {
            Ok(()) => FileNote::Written(path),
            Err(e) => FileNote::NotWritten(path, e.to_string()),
        }
    };
    let renames = summary
        .rejected
        .iter()
        .filter_map(|r| match &r.reason {
            RejectReason::Renamed { registered, given } => Some(RenameRow {
                row: r.row,
                registered: registered.clone(),
                given: given.clone(),
            }),
            _ => None,
        })
        .collect();
    let reasons = summary
        .rejected
        .iter()
        // The preview lists renames apart, for the officer to accept them one by one.
        .filter(|r| !(request.dry_run && matches!(r.reason, RejectReason::Renamed { .. })))
        .map(|r| {
            tf(
                lang,
                T::ImportRowReason,
                &[&r.row.to_string(), &r.reason.message(lang)],
            )
        })
        .collect();
    let changes = summary
        .changes
        .iter()
        .map(|c| c.describe(lang, false))
        .collect();
    Ok(Outcome {
        source: roster.source.label(lang),
        ignored_columns: roster.ignored_columns.clone(),
        summary,
        rejects,
        reasons,
        renames,
        changes,
        changes_file,
    })
}

impl ImportScreen {
    pub fn open(event: Option<Event>, ctx: &mut Ctx) -> ImportScreen {
        let lang = ctx.lang;
        let mut fields = vec![
            FormField::text("file", t(lang, T::ImportFile), "")
                .required()
                .hint(t(lang, T::ImportFileHint)),
        ];
        if let Some(event) = &event {
            fields.push(
                FormField::check("event", t(lang, T::ImportForEvent), false).hint(tf(
                    lang,
                    T::ImportForEventHint,
                    &[&event.input.name, &kind_name(&event.input.kind, lang)],
                )),
            );
        }
        fields.push(
            FormField::check("dry_run", t(lang, T::ImportDryRun), true)
                .hint(t(lang, T::ImportDryRunHint)),
        );
        ImportScreen {
            event,
            form: Form::new(fields),
            stage: Stage::Setup,
        }
    }

    fn request(&self, dry_run: bool) -> Request {
        Request {
            file: clean_path(&self.form.raw("file")),
            event_uid: self
                .event
                .as_ref()
                .filter(|_| self.form.raw("event") == "true")
                .map(|e| e.uid.clone()),
            dry_run,
            accepted_renames: BTreeSet::new(),
        }
    }

    /// F2 on the form: checks the path, then starts.
    fn submit(&mut self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let request = self.request(self.form.raw("dry_run") == "true");
        let problem = if self.form.raw("file").trim().is_empty() {
            Some(t(lang, T::Required).to_string())
        } else if request.file.is_dir() {
            Some(t(lang, T::ImportIsFolder).to_string())
        } else if !request.file.is_file() {
            Some(t(lang, T::ImportNoFile).to_string())
        } else {
            None
        };
        if let Some(field) = self.form.field_mut("file") {
            field.touched = true;
            field.error = problem.clone();
        }
        if problem.is_some() {
            self.form.focus = 0;
            return;
        }
        self.start(request, ctx);
    }

    fn start(&mut self, request: Request, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let opener = ctx.store.opener();
        let clock = ctx.store.clock();
        let on_thread = request.clone();
        let spawned = ctx.jobs.spawn(
            "jingong-import",
            move |progress: &Progress<ImportProgress>| {
                opener
                    .open(Access::ReadWrite)
                    .map_err(|e| e.message(lang))
                    .and_then(|mut store| {
                        store.set_clock(clock);
                        run(&mut store, &on_thread, lang, &mut |p| {
                            progress.report(p);
                        })
                        .map(Box::new)
                    })
            },
        );
        match spawned {
            Ok(job) => {
                self.stage = Stage::Running {
                    request,
                    progress: None,
                    job,
                };
            }
            Err(e) => self.finish(request, Err(e.to_string()), ctx),
        }
    }

    fn finish(&mut self, request: Request, result: Result<Box<Outcome>, String>, ctx: &mut Ctx) {
        self.stage = match result {
            Ok(outcome) => {
                if !request.dry_run {
                    ctx.say(t(ctx.lang, T::ImportDone));
                }
                Stage::Done {
                    request,
                    outcome,
                    selected: 0,
                    accepted: BTreeSet::new(),
                }
            }
            Err(message) => Stage::Failed(message),
        };
    }

    fn handle_setup(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        match input {
            Input::Action(Action::Save) => self.submit(ctx),
            Input::Action(Action::NextField) => self.form.next(),
            Input::Action(Action::PrevField) => self.form.prev(),
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(_) => {}
            Input::Text(edit) => {
                if self.form.edit(&edit) == EditOutcome::Changed
                    && let Some(f) = self.form.field_mut("file")
                {
                    f.error = None;
                }
            }
        }
        Effect::None
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

impl ImportScreen {
    /// Up and Down move along the preview's rename rows; Edit (space) accepts or refuses one.
    fn choose_rename(&mut self, input: Input) {
        let Stage::Done {
            outcome,
            selected,
            accepted,
            ..
        } = &mut self.stage
        else {
            return;
        };
        let last = outcome.renames.len().saturating_sub(1);
        match input {
            Input::Action(Action::Up) => *selected = selected.saturating_sub(1),
            Input::Action(Action::Down) => *selected = (*selected + 1).min(last),
            Input::Action(Action::Edit) => {
                if let Some(rename) = outcome.renames.get(*selected)
                    && !accepted.remove(&rename.row)
                {
                    accepted.insert(rename.row);
                }
            }
            _ => {}
        }
    }
}

/// The longest start of `text` that fits `width` columns, and the rest.
fn split_at_width(text: &str, width: usize) -> (&str, &str) {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width.max(1) {
            return (&text[..i], &text[i..]);
        }
        used += w;
    }
    (text, "")
}

impl Screen for ImportScreen {
    fn context(&self) -> Context {
        match self.stage {
            Stage::Setup => Context::Form,
            _ => Context::Import,
        }
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::ImportTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        match &self.stage {
            Stage::Setup => self.handle_setup(input, ctx),
            // The import commits all or nothing; leaving now would only hide its result.
            Stage::Running { .. } => Effect::None,
            Stage::Failed(_) => {
                if matches!(input, Input::Action(Action::Back | Action::Confirm)) {
                    self.stage = Stage::Setup;
                }
                Effect::None
            }
            Stage::Done {
                request,
                outcome,
                accepted,
                ..
            } => {
                let dry_run = outcome.summary.dry_run;
                let request = request.clone();
                let accepted = accepted.clone();
                match input {
                    Input::Action(Action::Up | Action::Down | Action::Edit) if dry_run => {
                        self.choose_rename(input);
                        Effect::None
                    }
                    Input::Action(Action::Confirm) if dry_run => {
                        let request = Request {
                            dry_run: false,
                            accepted_renames: accepted,
                            ..request
                        };
                        self.start(request, ctx);
                        Effect::None
                    }
                    // After a dry run, back to the form to change the file or the options.
                    Input::Action(Action::Back) if dry_run => {
                        self.stage = Stage::Setup;
                        Effect::None
                    }
                    Input::Action(Action::Back | Action::Confirm) => Effect::Back,
                    _ => Effect::None,
                }
            }
        }
    }

    fn on_msg(&mut self, msg: &mut AppMsg, ctx: &mut Ctx) -> Option<Effect> {
        let AppMsg::Job(news) = msg else {
            return None;
        };
        let Stage::Running { progress, job, .. } = &mut self.stage else {
            return None;
        };
        if news.job() != *job {
            return None;
        }
        if !news.is_end() {
            if let Some(step) = news.take::<ImportProgress>() {
                *progress = Some(step);
            }
            return Some(Effect::None);
        }
        let result = news
            .take::<Result<Box<Outcome>, String>>()
            .unwrap_or_else(|| Err(t(ctx.lang, T::ImportStopped).to_string()));
        if let Stage::Running { request, .. } = std::mem::replace(&mut self.stage, Stage::Setup) {
            self.finish(request, result, ctx);
        }
        Some(Effect::None)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
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

    fn footer(&self) -> Vec<Action> {
        match self.stage {
            // Esc leaves without asking (only a path is lost), unlike the other forms whose
            // Esc the form context describes; it is not offered here.
            Stage::Setup => vec![Action::Save, Action::NextField, Action::Help],
            Stage::Running { .. } => vec![Action::Help],
            Stage::Done { ref outcome, .. }
                if outcome.summary.dry_run && !outcome.renames.is_empty() =>
            {
                vec![Action::Confirm, Action::Edit, Action::Back, Action::Help]
            }
            _ => vec![Action::Confirm, Action::Back, Action::Help],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn pasted_paths_lose_quotes_and_file_prefixes() {
        assert_eq!(clean_path("  '/tmp/名单.csv' "), Path::new("/tmp/名单.csv"));
        assert_eq!(clean_path("\"/tmp/a b.xlsx\""), Path::new("/tmp/a b.xlsx"));
        assert_eq!(clean_path("file:///tmp/x.csv"), Path::new("/tmp/x.csv"));
        assert_eq!(clean_path("名单.csv"), Path::new("名单.csv"));
    }

    #[test]
    fn long_text_splits_by_columns() {
        assert_eq!(split_at_width("王建国abc", 5), ("王建", "国abc"));
        assert_eq!(split_at_width("abc", 5), ("abc", ""));
    }
}
