//! Batches: what waits for the next export (per kind, deletions among them), exporting it
//! with a gauge, the history of batches made and merged here, and verifying one of them.
//!
//! Everything that reads the database or batch files runs on a thread of its own with its
//! own connection, and reports over a channel that the app drains between key presses: a
//! first export of a million workers takes minutes, and counting the waiting deletions reads
//! every waiting row. The export function keeps its promise (a whole batch or none) whatever
//! happens to this screen or the process.

use super::batch_import::{self, ImportReport, ImportResult};
use super::{Ctx, Effect, Screen, View};
use crate::batch::earlier::verify_in_context;
use crate::batch::export::{ExportOptions, ExportOutcome, ExportStep, export};
use crate::batch::verify::VerifyReport;
use crate::store::batch_queries::{BatchRow, Waiting};
use crate::store::{Access, Clock, Opener, Store};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::{self, AppMsg, JobId};
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::popup::{centered, clear_popup_area};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthChar;

/// What the background work reports.
enum Msg {
    Loaded(Result<(Waiting, Vec<BatchRow>), String>),
    Progress(ExportStep),
    Exported(Result<ExportOutcome, String>),
    Verified {
        path: String,
        result: Result<Box<VerifyReport>, String>,
    },
    Imported(Result<ImportResult, String>),
}

enum Job {
    Load,
    Export(ExportOptions),
    Verify(String),
    Import(Vec<PathBuf>),
}

/// Which job a running one is, to word its end if it stops without a result.
#[derive(Clone)]
enum JobTag {
    Load,
    Export,
    Verify(String),
    Import,
}

impl JobTag {
    fn of(job: &Job) -> JobTag {
        match job {
            Job::Load => JobTag::Load,
            Job::Export(_) => JobTag::Export,
            Job::Verify(path) => JobTag::Verify(path.clone()),
            Job::Import(_) => JobTag::Import,
        }
    }
}

/// The export as the gauge shows it: `None` until the first report.
type Progress = Option<ExportStep>;

/// The line under the options: how the last export ended.
enum Notice {
    Done { summary: String, path: String },
    Info(String),
    Error(String),
}

struct Report {
    path: String,
    result: Option<Result<Box<VerifyReport>, String>>,
    scroll: usize,
    /// Lines and rows of the popup when last drawn, to keep scrolling inside the text.
    lines: Cell<usize>,
    height: Cell<usize>,
}

enum Popup {
    Options(Form),
    Report(Box<Report>),
    /// The paths of batches to import.
    ImportPaths(Form),
    Imported(Box<ImportReport>),
}

/// One history row with what the list shows of it.
struct HistoryRow {
    batch: BatchRow,
    /// Its laptop's previous batch is not in this database.
    gap: bool,
}

pub struct BatchesScreen {
    /// Opens the thread's own connection, with the key of an encrypted database.
    opener: Opener,
    clock: Clock,
    lang: Lang,
    out_dir: String,
    /// What was last typed in the import popup, offered again.
    import_paths: String,
    zip: bool,
    csv: bool,
    xlsx: bool,
    waiting: Option<Waiting>,
    history: Vec<HistoryRow>,
    selected: usize,
    export: Option<Progress>,
    notice: Option<Notice>,
    popup: Option<Popup>,
    /// Jobs started whose last message has not come yet.
    running: HashMap<JobId, JobTag>,
    /// After an export, the reload selects the new batch at the top.
    select_newest: bool,
    page_height: Cell<usize>,
}

/// The folder `jingong export` writes to without `--out`: `batches` beside the database.
pub fn default_out_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|p| p.join("batches"))
        .unwrap_or_else(|| "batches".into())
}

impl BatchesScreen {
    pub fn open(ctx: &mut Ctx) -> BatchesScreen {
        let db = ctx.store.path().to_path_buf();
        let mut screen = BatchesScreen {
            out_dir: default_out_dir(&db).display().to_string(),
            import_paths: String::new(),
            opener: ctx.store.opener(),
            clock: ctx.store.clock(),
            lang: ctx.lang,
            zip: false,
            csv: false,
            xlsx: false,
            waiting: None,
            history: Vec::new(),
            selected: 0,
            export: None,
            notice: None,
            popup: None,
            running: HashMap::new(),
            select_newest: false,
            page_height: Cell::new(10),
        };
        screen.start(Job::Load, ctx);
        screen
    }

    /// Runs `job` as a job of the app, on its own connection.
    fn start(&mut self, job: Job, ctx: &mut Ctx) {
        let lang = self.lang;
        let opener = self.opener.clone();
        let clock = self.clock;
        let tag = JobTag::of(&job);
        let spawned = ctx
            .jobs
            .spawn("jingong-batches", move |progress: &jobs::Progress<Msg>| {
                let opened = match &job {
                    // Export and import write; the rest only reads.
                    Job::Export(_) | Job::Import(_) => opener.open(Access::ReadWrite),
                    Job::Load | Job::Verify(_) => opener.open(Access::ReadOnly),
                };
                match opened {
                    Ok(mut store) => {
                        store.set_clock(clock);
                        run(job, &mut store, lang, progress)
                    }
                    Err(e) => failed(&JobTag::of(&job), e.message(lang)),
                }
            });
        match spawned {
            Ok(id) => {
                self.running.insert(id, tag);
            }
            Err(e) => {
                tracing::warn!(error = %e, "batches thread not started");
                match tag {
                    JobTag::Export => self.export = None,
                    JobTag::Import => self.popup = None,
                    JobTag::Load | JobTag::Verify(_) => {}
                }
                self.notice = Some(Notice::Error(tf(self.lang, T::Error, &[&e.to_string()])));
            }
        }
    }

    fn start_export(&mut self, form: &Form, ctx: &mut Ctx) -> Result<(), String> {
        let out_dir = form.raw("out_dir").trim().to_string();
        if out_dir.is_empty() {
            let lang = ctx.lang;
            return Err(format!(
                "{}{}{}",
                t(lang, T::OutDirLabel),
                lang.pick("：", ": "),
                t(lang, T::Required)
            ));
        }
        self.out_dir = out_dir;
        self.zip = form.raw("zip") == "true";
        self.csv = form.raw("csv") == "true";
        self.xlsx = form.raw("xlsx") == "true";
        self.export = Some(None);
        self.notice = None;
        let options = ExportOptions {
            out_dir: PathBuf::from(&self.out_dir),
            zip: self.zip,
            csv: self.csv,
            xlsx: self.xlsx,
        };
        self.start(Job::Export(options), ctx);
        Ok(())
    }

    fn options_form(&self, lang: Lang) -> Form {
        Form::new(vec![
            FormField::text("out_dir", t(lang, T::OutDirLabel), &self.out_dir).required(),
            FormField::check("zip", t(lang, T::ZipLabel), self.zip),
            FormField::check("csv", t(lang, T::CsvLabel), self.csv),
            FormField::check("xlsx", t(lang, T::XlsxLabel), self.xlsx),
        ])
    }

    fn move_to(&mut self, target: isize) {
        let last = self.history.len().saturating_sub(1) as isize;
        self.selected = target.clamp(0, last.max(0)) as usize;
    }

    /// Takes in one message.
    fn accept(&mut self, msg: Msg, ctx: &mut Ctx) {
        match msg {
            Msg::Loaded(result) => match result {
                Ok((waiting, batches)) => {
                    self.waiting = Some(waiting);
                    let known: HashSet<&str> = batches.iter().map(|b| b.uid.as_str()).collect();
                    let gaps: Vec<bool> = batches
                        .iter()
                        .map(|b| {
                            b.previous_batch_uid
                                .as_deref()
                                .is_some_and(|p| !known.contains(p))
                        })
                        .collect();
                    self.history = batches
                        .into_iter()
                        .zip(gaps)
                        .rev()
                        .map(|(batch, gap)| HistoryRow { batch, gap })
                        .collect();
                    if std::mem::take(&mut self.select_newest) {
                        self.selected = 0;
                    }
                    self.move_to(self.selected as isize);
                }
                Err(message) => {
                    self.notice = Some(Notice::Error(tf(ctx.lang, T::LoadFailed, &[&message])));
                }
            },
            Msg::Progress(step) => {
                if self.export.is_some() {
                    self.export = Some(Some(step));
                }
            }
            Msg::Exported(result) => {
                self.export = None;
                let lang = ctx.lang;
                // Settling an export that died before is worth a word in the status line.
                let mut note = String::new();
                let notice =
                    match result {
                        Ok(ExportOutcome::NothingNew { recovered }) => Notice::Info(
                            with_recovered(t(lang, T::NothingNew), recovered.len(), lang),
                        ),
                        Ok(ExportOutcome::Written { summary, recovered }) => {
                            let [w, e, s] = summary.counts.map(|n| n.to_string());
                            self.select_newest = true;
                            note = with_recovered("", recovered.len(), lang);
                            Notice::Done {
                                summary: tf(lang, T::ExportDone, &[&w, &e, &s]),
                                path: summary.path.display().to_string(),
                            }
                        }
                        Err(message) => Notice::Error(tf(lang, T::ExportFailed, &[&message])),
                    };
                ctx.say(match &notice {
                    Notice::Done { summary, path } => format!("{summary} → {path}{note}"),
                    Notice::Info(text) | Notice::Error(text) => text.clone(),
                });
                self.notice = Some(notice);
                self.start(Job::Load, ctx);
            }
            Msg::Imported(result) => {
                if let Some(Popup::Imported(report)) = &mut self.popup {
                    report.result = Some(result);
                } else if let Ok(r) = &result
                    && let Some(last) = r.lines.last()
                {
                    // The popup was closed meanwhile: its last word goes to the status line.
                    ctx.say(last.trim());
                }
                self.start(Job::Load, ctx);
            }
            Msg::Verified { path, result } => {
                if let Some(Popup::Report(report)) = &mut self.popup
                    && report.path == path
                {
                    report.result = Some(result);
                }
            }
        }
    }

    fn handle_popup(&mut self, popup: Popup, input: Input, ctx: &mut Ctx) -> Effect {
        match popup {
            Popup::Options(mut form) => match input {
                Input::Action(Action::Back) => {}
                Input::Action(Action::Save) => {
                    if let Err(message) = self.start_export(&form, ctx) {
                        form.touch_all();
                        if let Some(field) = form.field_mut("out_dir") {
                            field.error = Some(message);
                        }
                        self.popup = Some(Popup::Options(form));
                    }
                }
                Input::Action(Action::NextField) => {
                    form.next();
                    self.popup = Some(Popup::Options(form));
                }
                Input::Action(Action::PrevField) => {
                    form.prev();
                    self.popup = Some(Popup::Options(form));
                }
                Input::Action(_) => self.popup = Some(Popup::Options(form)),
                Input::Text(edit) => {
                    form.edit(&edit);
                    if let Some(field) = form.field_mut("out_dir") {
                        field.error = None;
                    }
                    self.popup = Some(Popup::Options(form));
                }
            },
            Popup::ImportPaths(mut form) => match input {
                Input::Action(Action::Back) => {}
                Input::Action(Action::Save | Action::NextField) => {
                    let typed = form.raw(batch_import::PATHS_FIELD);
                    let paths = batch_import::batch_paths(&typed);
                    if paths.is_empty() {
                        form.touch_all();
                        if let Some(field) = form.field_mut(batch_import::PATHS_FIELD) {
                            field.error = Some(t(ctx.lang, T::ImportBatchNoPath).to_string());
                        }
                        self.popup = Some(Popup::ImportPaths(form));
                    } else {
                        self.import_paths = typed;
                        self.popup = Some(Popup::Imported(Box::new(ImportReport::running())));
                        self.start(Job::Import(paths), ctx);
                    }
                }
                Input::Action(_) => self.popup = Some(Popup::ImportPaths(form)),
                Input::Text(edit) => {
                    form.edit(&edit);
                    if let Some(field) = form.field_mut(batch_import::PATHS_FIELD) {
                        field.error = None;
                    }
                    self.popup = Some(Popup::ImportPaths(form));
                }
            },
            Popup::Imported(mut report) => {
                let page = report.height.get().max(1);
                let last = report.lines.get().saturating_sub(report.height.get());
                match input {
                    Input::Action(Action::Back | Action::Confirm) => return Effect::None,
                    Input::Action(Action::Up) => report.scroll = report.scroll.saturating_sub(1),
                    Input::Action(Action::Down) => report.scroll = (report.scroll + 1).min(last),
                    Input::Action(Action::PageUp) => {
                        report.scroll = report.scroll.saturating_sub(page);
                    }
                    Input::Action(Action::PageDown) => {
                        report.scroll = (report.scroll + page).min(last);
                    }
                    _ => {}
                }
                self.popup = Some(Popup::Imported(report));
            }
            Popup::Report(mut report) => {
                let page = report.height.get().max(1);
                let last = report.lines.get().saturating_sub(report.height.get());
                match input {
                    Input::Action(Action::Back | Action::Confirm) => return Effect::None,
                    Input::Action(Action::Up) => report.scroll = report.scroll.saturating_sub(1),
                    Input::Action(Action::Down) => report.scroll = (report.scroll + 1).min(last),
                    Input::Action(Action::PageUp) => {
                        report.scroll = report.scroll.saturating_sub(page);
                    }
                    Input::Action(Action::PageDown) => {
                        report.scroll = (report.scroll + page).min(last);
                    }
                    Input::Action(Action::Home) => report.scroll = 0,
                    Input::Action(Action::End) => report.scroll = last,
                    _ => {}
                }
                self.popup = Some(Popup::Report(report));
            }
        }
        Effect::None
    }
}

/// Does `job` on `store`, reporting export steps to `progress`; the result is the job's last
/// message. Errors are worded here, in the UI's language, because the thread has the error
/// and the screen only text.
fn run(job: Job, store: &mut Store, lang: Lang, progress: &jobs::Progress<Msg>) -> Msg {
    match job {
        Job::Load => Msg::Loaded(
            store
                .waiting_for_export()
                .and_then(|w| Ok((w, store.batches()?)))
                .map_err(|e| e.message(lang)),
        ),
        Job::Export(options) => {
            let mut report = |step: ExportStep| {
                progress.report(Msg::Progress(step));
            };
            let result = export(store, &options, &mut report).map_err(|e| e.message(lang));
            if let Err(message) = &result {
                tracing::warn!(len = message.len(), "export from the TUI failed");
            }
            Msg::Exported(result)
        }
        Job::Import(paths) => {
            let result = batch_import::run_import(store, &paths, lang);
            if let Err(message) = &result {
                tracing::warn!(len = message.len(), "batch import from the TUI failed");
            }
            Msg::Imported(result)
        }
        Job::Verify(path) => {
            let today = store.clock().today();
            let result = verify_in_context(Path::new(&path), Some(store), today)
                .map(Box::new)
                .map_err(|e| e.message(lang));
            Msg::Verified { path, result }
        }
    }
}

/// The final message of a job that could not even open the database, or stopped.
fn failed(job: &JobTag, message: String) -> Msg {
    match job {
        JobTag::Load => Msg::Loaded(Err(message)),
        JobTag::Export => Msg::Exported(Err(message)),
        JobTag::Import => Msg::Imported(Err(message)),
        JobTag::Verify(path) => Msg::Verified {
            path: path.clone(),
            result: Err(message),
        },
    }
}

fn with_recovered(text: &str, recovered: usize, lang: Lang) -> String {
    if recovered == 0 {
        text.to_string()
    } else {
        format!(
            "{text}{}",
            tf(lang, T::RecoveredNote, &[&recovered.to_string()])
        )
    }
}

impl Screen for BatchesScreen {
    fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Options(_) | Popup::ImportPaths(_)) => Context::Form,
            _ => Context::Batches,
        }
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::BatchesTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Some(popup) = self.popup.take() {
            return self.handle_popup(popup, input, ctx);
        }
        let page = self.page_height.get().max(1) as isize;
        let selected = self.selected as isize;
        match input {
            Input::Action(Action::Back) => {
                if self.export.is_some() {
                    ctx.say(t(ctx.lang, T::ExportBusy));
                } else {
                    return Effect::Back;
                }
            }
            Input::Action(Action::Export) => {
                if self.export.is_some() {
                    ctx.say(t(ctx.lang, T::ExportBusy));
                } else {
                    self.popup = Some(Popup::Options(self.options_form(ctx.lang)));
                }
            }
            Input::Action(Action::ImportBatch) => {
                self.popup = Some(Popup::ImportPaths(batch_import::path_form(
                    ctx.lang,
                    &self.import_paths,
                )));
            }
            Input::Action(Action::Conflicts) => {
                return Effect::Push(Route::Conflicts);
            }
            Input::Action(Action::Confirm) => {
                if let Some(row) = self.history.get(self.selected) {
                    let path = row.batch.path.clone();
                    self.popup = Some(Popup::Report(Box::new(Report {
                        path: path.clone(),
                        result: None,
                        scroll: 0,
                        lines: Cell::new(0),
                        height: Cell::new(10),
                    })));
                    self.start(Job::Verify(path), ctx);
                }
            }
            Input::Action(Action::Up) => self.move_to(selected - 1),
            Input::Action(Action::Down) => self.move_to(selected + 1),
            Input::Action(Action::PageUp) => self.move_to(selected - page),
            Input::Action(Action::PageDown) => self.move_to(selected + page),
            Input::Action(Action::Home) => self.move_to(0),
            Input::Action(Action::End) => self.move_to(self.history.len() as isize - 1),
            _ => {}
        }
        Effect::None
    }

    fn on_msg(&mut self, msg: &mut AppMsg, ctx: &mut Ctx) -> Option<Effect> {
        let AppMsg::Job(news) = msg else {
            return None;
        };
        let id = news.job();
        if news.is_end() {
            let tag = self.running.remove(&id)?;
            let end = news
                .take::<Msg>()
                .unwrap_or_else(|| failed(&tag, t(ctx.lang, T::JobStopped).to_string()));
            self.accept(end, ctx);
        } else {
            if !self.running.contains_key(&id) {
                return None;
            }
            if let Some(step) = news.take::<Msg>() {
                self.accept(step, ctx);
            }
        }
        Some(Effect::None)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
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
            Some(Popup::ImportPaths(form)) => {
                batch_import::render_path_form(frame, area, form, view);
            }
            Some(Popup::Imported(report)) => batch_import::render_report(frame, area, report, lang),
            None => {}
        }
    }

    fn footer(&self) -> Vec<Action> {
        match &self.popup {
            Some(Popup::Options(_)) => vec![Action::Save, Action::NextField],
            Some(Popup::ImportPaths(_)) => vec![Action::Save, Action::Back],
            Some(Popup::Report(_) | Popup::Imported(_)) => {
                vec![Action::Down, Action::PageDown, Action::Back]
            }
            None => vec![
                Action::Export,
                Action::Confirm,
                // Esc leaves as on every screen; the row has no room for it in English.
                Action::ImportBatch,
                Action::Conflicts,
            ],
        }
    }
}

/// Columns of the history list: marker, time, direction, status, three counts; the batch
/// name takes the rest.
const COLUMNS: [usize; 7] = [2, 16, 4, 10, 6, 6, 7];

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
        let header = [
            " ".repeat(COLUMNS[0] - 1),
            fit(t(lang, T::ColTime), COLUMNS[1]),
            fit(t(lang, T::ColDirection), COLUMNS[2]),
            fit(t(lang, T::ColStatus), COLUMNS[3]),
            right(t(lang, T::ColWorkers), COLUMNS[4]),
            right(t(lang, T::ColEvents), COLUMNS[5]),
            right(t(lang, T::ColServices), COLUMNS[6]),
            fit(t(lang, T::ColBatch), name_width),
        ]
        .join(" ");
        frame.render_widget(
            Paragraph::new(header).style(bold.add_modifier(Modifier::UNDERLINED)),
            Rect::new(area.x, area.y + 1, area.width, 1),
        );
        // Two heading rows above, the selected batch's whole path below.
        let list_height = area.height.saturating_sub(3);
        self.page_height.set(usize::from(list_height).max(1));
        if self.history.is_empty() {
            if self.waiting.is_some() {
                frame.render_widget(
                    Paragraph::new(format!("  {}", t(lang, T::NoBatches))),
                    Rect::new(area.x, area.y + 2, area.width, 1),
                );
            }
            return;
        }
        let height = usize::from(list_height);
        let top = (self.selected + 1).saturating_sub(height);
        for (row, item) in self.history.iter().enumerate().skip(top).take(height) {
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
                match (b.status.as_str(), item.gap) {
                    ("writing", _) => T::StatusWriting,
                    (_, true) => T::StatusGap,
                    _ => T::StatusComplete,
                },
            );
            let name = Path::new(&b.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| b.path.clone());
            let selected = row == self.selected;
            let text = [
                if selected {
                    "▸".to_string()
                } else {
                    " ".to_string()
                },
                fit(&time, COLUMNS[1]),
                fit(direction, COLUMNS[2]),
                fit(status, COLUMNS[3]),
                right(&b.worker_count.to_string(), COLUMNS[4]),
                right(&b.event_count.to_string(), COLUMNS[5]),
                right(&b.service_count.to_string(), COLUMNS[6]),
                fit_tail(&name, name_width),
            ]
            .join(" ");
            let style = if selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            frame.render_widget(
                Paragraph::new(text).style(style),
                Rect::new(area.x, area.y + 2 + (row - top) as u16, area.width, 1),
            );
        }
        if let Some(item) = self.history.get(self.selected) {
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
            let [w, e, s] = r.tallies.map(|t| t.count.to_string());
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
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(bold)
        .title(format!(" {} ", title.trim_end()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    report.lines.set(lines.len());
    report.height.set(rows);
    let scroll = report.scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        ),
    );
}

/// How many problems the verify popup lists; `jingong verify` prints them all.
const PROBLEMS_SHOWN: usize = 500;

/// `text` right-aligned in `width` columns.
fn right(text: &str, width: usize) -> String {
    let used = Line::from(text).width();
    if used >= width {
        return fit(text, width);
    }
    format!("{}{text}", " ".repeat(width - used))
}

/// `text` in exactly `width` columns, cut at the front when too long ("…" then the end):
/// of a path, the end names the batch.
pub fn fit_tail(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return format!("{text}{}", " ".repeat(width - total));
    }
    if width == 0 {
        return String::new();
    }
    let mut tail = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        tail.push(c);
        used += w;
    }
    let kept: String = tail.into_iter().rev().collect();
    format!("…{kept}{}", " ".repeat(width - used))
}

/// `text` broken into lines of at most `width` columns; lines after the first are
/// `indent` columns narrower (they are drawn indented). A two-column character never
/// straddles a break.
pub(super) fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut limit = width.max(1);
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > limit && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
            limit = width.saturating_sub(indent).max(1);
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_tail_keeps_the_end_in_columns() {
        assert_eq!(fit_tail("/a/b", 6), "/a/b  ");
        assert_eq!(fit_tail("/数据/批次", 7), "…/批次 ");
        assert_eq!(fit_tail("abcdef", 4), "…def");
    }

    #[test]
    fn wrap_breaks_by_columns_and_indents_the_rest() {
        assert_eq!(wrap("王建国李明", 4, 0), vec!["王建", "国李", "明"]);
        assert_eq!(wrap("abcdefgh", 4, 2), vec!["abcd", "ef", "gh"]);
        assert_eq!(wrap("", 4, 0), vec![""]);
    }
}
