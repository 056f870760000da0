//! Batches: what waits for the next export (per kind, deletions among them), exporting it
//! with a gauge, the history of batches made and merged here, and verifying one of them.
//!
//! Everything that reads the database or batch files runs on a thread of its own with its
//! own connection, and reports over a channel that the app drains between key presses: a
//! first export of a million workers takes minutes, and counting the waiting deletions reads
//! every waiting row. The export function keeps its promise (a whole batch or none) whatever
//! happens to this screen or the process.

mod draw;

use super::batch_import::{self, ImportReport, ImportResult};
use super::conflicts::ConflictsScreen;
use super::{Ctx, Effect, Screen, View};
use crate::batch::earlier::verify_in_context;
use crate::batch::export::{ExportOptions, ExportOutcome, ExportStep, export};
use crate::batch::verify::VerifyReport;
use crate::store::batch_queries::{BatchRow, Waiting};
use crate::store::{Access, Clock, Opener, Store};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::table::ListTable;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::cell::Cell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

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
    db: PathBuf,
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
    /// Jobs sent off whose final message has not come yet.
    outstanding: usize,
    /// After an export, the reload selects the new batch at the top.
    select_newest: bool,
    sender: Sender<Msg>,
    receiver: Receiver<Msg>,
    table: ListTable,
}

/// The folder `jingong export` writes to without `--out`: `batches` beside the database.
pub fn default_out_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|p| p.join("batches"))
        .unwrap_or_else(|| "batches".into())
}

impl BatchesScreen {
    pub fn open(ctx: &mut Ctx) -> BatchesScreen {
        let (sender, receiver) = mpsc::channel();
        let db = ctx.store.path().to_path_buf();
        let mut screen = BatchesScreen {
            out_dir: default_out_dir(&db).display().to_string(),
            import_paths: String::new(),
            db,
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
            outstanding: 0,
            select_newest: false,
            sender,
            receiver,
            table: ListTable::new(10),
        };
        screen.start(Job::Load, ctx);
        screen
    }

    /// Runs `job` on its own thread and connection; a database without a file (tests of the
    /// store alone) has no second connection, so the job runs here.
    fn start(&mut self, job: Job, ctx: &mut Ctx) {
        self.outstanding += 1;
        let sender = self.sender.clone();
        let lang = self.lang;
        if !self.db.is_file() {
            run(job, ctx.store, lang, &sender);
            return;
        }
        let opener = self.opener.clone();
        let clock = self.clock;
        let is_export = matches!(job, Job::Export(_));
        let is_import = matches!(job, Job::Import(_));
        let spawned = std::thread::Builder::new()
            .name("jingong-batches".into())
            .spawn(move || {
                let opened = match &job {
                    // Export and import write; the rest only reads.
                    Job::Export(_) | Job::Import(_) => opener.open(Access::ReadWrite),
                    Job::Load | Job::Verify(_) => opener.open(Access::ReadOnly),
                };
                match opened {
                    Ok(mut store) => {
                        store.set_clock(clock);
                        run(job, &mut store, lang, &sender);
                    }
                    Err(e) => {
                        let _ = sender.send(failed(job, e.message(lang)));
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "batches thread not started");
            self.outstanding -= 1;
            if is_export {
                self.export = None;
            }
            if is_import {
                self.popup = None;
            }
            self.notice = Some(Notice::Error(tf(self.lang, T::Error, &[&e.to_string()])));
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

    /// Takes in one message.
    fn accept(&mut self, msg: Msg, ctx: &mut Ctx) {
        match msg {
            Msg::Loaded(result) => {
                self.outstanding = self.outstanding.saturating_sub(1);
                match result {
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
                        // The list may be shorter now.
                        self.selected = self.selected.min(self.history.len().saturating_sub(1));
                    }
                    Err(message) => {
                        self.notice = Some(Notice::Error(tf(ctx.lang, T::LoadFailed, &[&message])));
                    }
                }
            }
            Msg::Progress(step) => {
                if self.export.is_some() {
                    self.export = Some(Some(step));
                }
            }
            Msg::Exported(result) => {
                self.outstanding = self.outstanding.saturating_sub(1);
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
                // The status line's count of records to export changed.
                ctx.wrote = true;
                self.start(Job::Load, ctx);
            }
            Msg::Imported(result) => {
                self.outstanding = self.outstanding.saturating_sub(1);
                if let Some(Popup::Imported(report)) = &mut self.popup {
                    report.result = Some(result);
                } else if let Ok(r) = &result
                    && let Some(last) = r.lines.last()
                {
                    // The popup was closed meanwhile: its last word goes to the status line.
                    ctx.say(last.trim());
                }
                ctx.wrote = true;
                self.start(Job::Load, ctx);
            }
            Msg::Verified { path, result } => {
                self.outstanding = self.outstanding.saturating_sub(1);
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

/// Does `job` on `store` and reports to `sender`. Errors are worded here, in the UI's
/// language, because the thread has the error and the screen only text.
fn run(job: Job, store: &mut Store, lang: Lang, sender: &Sender<Msg>) {
    let msg = match job {
        Job::Load => Msg::Loaded(
            store
                .waiting_for_export()
                .and_then(|w| Ok((w, store.batches()?)))
                .map_err(|e| e.message(lang)),
        ),
        Job::Export(options) => {
            let progress_sender = sender.clone();
            let mut progress = |step: ExportStep| {
                let _ = progress_sender.send(Msg::Progress(step));
            };
            let result = export(store, &options, &mut progress).map_err(|e| e.message(lang));
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
    };
    // The screen may have closed meanwhile; the work itself is done either way.
    let _ = sender.send(msg);
}

/// The final message of a job that could not even open the database.
fn failed(job: Job, message: String) -> Msg {
    match job {
        Job::Load => Msg::Loaded(Err(message)),
        Job::Export(_) => Msg::Exported(Err(message)),
        Job::Import(_) => Msg::Imported(Err(message)),
        Job::Verify(path) => Msg::Verified {
            path,
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
                return Effect::Push(Box::new(ConflictsScreen::open(ctx)));
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
            Input::Action(action) => {
                self.table
                    .move_selection(&action, &mut self.selected, self.history.len());
            }
            _ => {}
        }
        Effect::None
    }

    fn take_background(&mut self, ctx: &mut Ctx, wait: Duration) -> bool {
        let msg = if wait.is_zero() {
            match self.receiver.try_recv() {
                Ok(msg) => msg,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return false,
            }
        } else {
            match self.receiver.recv_timeout(wait) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            }
        };
        self.accept(msg, ctx);
        true
    }

    fn working(&self) -> bool {
        self.outstanding > 0
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.draw(frame, area, view);
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
