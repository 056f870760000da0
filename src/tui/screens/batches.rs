//! Batches: what waits for the next export (per kind, deletions among them), exporting it
//! with a gauge, the history of batches made and merged here, and verifying one of them.
//!
//! Everything that reads the database or batch files runs on a thread of its own with its
//! own connection, and reports over a channel that the app drains between key presses: a
//! first export of a million workers takes minutes, and counting the waiting deletions reads
//! every waiting row. The export function keeps its promise (a whole batch or none) whatever
//! happens to this screen or the process.

mod draw;
mod work;

use crate::batch::receipt_import::late_without_receipt;
use work::{failed, run, with_recovered};

use super::batch_import::{self, ImportReport, ImportResult};
use super::{Ctx, Effect, Screen, View};
use crate::batch::export::{ExportOptions, ExportOutcome, ExportStep};
use crate::batch::verify::VerifyReport;
use crate::store::batch_checks::FailedCheck;
use crate::store::batch_queries::{BatchRow, Waiting};
use crate::store::receipts::ReceiptSummary;
use crate::store::{Access, Clock, Opener};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::{self, AppMsg, JobId};
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::file_picker::{FileOutcome, FilePicker, Wanted};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::table::ListTable;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What the background work reports.
enum Msg {
    Loaded(Result<(Waiting, Vec<BatchRow>, Receipts), String>),
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
    ImportReceipts(Vec<PathBuf>),
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
            Job::Import(_) | Job::ImportReceipts(_) => JobTag::Import,
        }
    }
}

/// The export as the gauge shows it: `None` until the first report.
type Progress = Option<ExportStep>;

/// The city's receipts recorded here, by batch uid.
type Receipts = HashMap<String, ReceiptSummary>;

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
    /// The paths of batches (or receipts) to import.
    ImportPaths(Form, PathsOf),
    /// The file chooser over the path popup, which it goes back to.
    Files(Box<FilePicker>, Form, PathsOf),
    Imported(Box<ImportReport>),
}

/// What the path popup imports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathsOf {
    Batches,
    Receipts,
}

/// One history row with what the list shows of it.
struct HistoryRow {
    batch: BatchRow,
    /// Its laptop's previous batch is not in this database.
    gap: bool,
    /// The city's answer to an exported batch.
    city: Option<ReceiptSummary>,
    /// Its last verification failed (kept in the database until one passes).
    check: Option<FailedCheck>,
}

pub struct BatchesScreen {
    /// Opens the thread's own connection, with the key of an encrypted database.
    opener: Opener,
    clock: Clock,
    lang: Lang,
    out_dir: String,
    /// What was last typed in the import popups, offered again.
    import_paths: String,
    receipt_paths: String,
    /// Exported batches older than a week with no receipt from the city.
    unanswered: usize,
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
    table: ListTable,
}

/// The folder `jingong export` writes to without `--out`: `batches` beside the database.
pub fn default_out_dir(db: &Path) -> PathBuf {
    crate::session::batches_dir(db)
}

impl BatchesScreen {
    pub fn open(ctx: &mut Ctx) -> BatchesScreen {
        let db = ctx.store.path().to_path_buf();
        let mut screen = BatchesScreen {
            out_dir: default_out_dir(&db).display().to_string(),
            import_paths: String::new(),
            receipt_paths: String::new(),
            unanswered: 0,
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
            table: ListTable::new(10),
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
                    Job::Export(_) | Job::Import(_) | Job::ImportReceipts(_) => {
                        opener.open(Access::ReadWrite)
                    }
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
            reveal_health: false,
            // A laptop with receivers' keys set seals every batch, as `export` does.
            seal_to: ctx
                .store
                .seal_recipients()
                .map_err(|e| e.message(ctx.lang))?,
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
            Msg::Loaded(result) => match result {
                Ok((waiting, batches, mut receipts)) => {
                    self.waiting = Some(waiting);
                    self.unanswered = late_without_receipt(&batches, &receipts, self.clock.today());
                    let known: HashSet<&str> = batches.iter().map(|b| b.uid.as_str()).collect();
                    let gaps: Vec<bool> = batches
                        .iter()
                        .map(|b| {
                            b.previous_batch_uid
                                .as_deref()
                                .is_some_and(|p| !known.contains(p))
                        })
                        .collect();
                    let mut checks = ctx.store.failed_batch_checks().unwrap_or_default();
                    self.history = batches
                        .into_iter()
                        .zip(gaps)
                        .rev()
                        .map(|(batch, gap)| HistoryRow {
                            city: receipts.remove(&batch.uid),
                            check: checks.remove(&batch.path),
                            batch,
                            gap,
                        })
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
                            let [w, e, s, ..] = summary.counts.map(|n| n.to_string());
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
                self.remember_check(&path, &result, ctx);
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
            Popup::ImportPaths(mut form, of) => match input {
                Input::Action(Action::Back) => {}
                Input::Action(Action::Save | Action::NextField) => {
                    let typed = form.raw(batch_import::PATHS_FIELD);
                    let paths = batch_import::batch_paths(&typed);
                    if paths.is_empty() {
                        form.touch_all();
                        let no_path = match of {
                            PathsOf::Batches => T::ImportBatchNoPath,
                            PathsOf::Receipts => T::ImportReceiptNoPath,
                        };
                        if let Some(field) = form.field_mut(batch_import::PATHS_FIELD) {
                            field.error = Some(t(ctx.lang, no_path).to_string());
                        }
                        self.popup = Some(Popup::ImportPaths(form, of));
                    } else {
                        let mut report = ImportReport::running();
                        report.receipts = of == PathsOf::Receipts;
                        self.popup = Some(Popup::Imported(Box::new(report)));
                        if of == PathsOf::Batches {
                            self.import_paths = typed;
                            self.start(Job::Import(paths), ctx);
                        } else {
                            self.receipt_paths = typed;
                            self.start(Job::ImportReceipts(paths), ctx);
                        }
                    }
                }
                Input::Action(Action::OpenPicker) => {
                    let wanted = match of {
                        PathsOf::Batches => Wanted::Batch,
                        PathsOf::Receipts => Wanted::Receipt,
                    };
                    let files = Box::new(FilePicker::new(wanted));
                    self.popup = Some(Popup::Files(files, form, of));
                }
                Input::Action(_) => self.popup = Some(Popup::ImportPaths(form, of)),
                Input::Text(edit) => {
                    form.edit(&edit);
                    if let Some(field) = form.field_mut(batch_import::PATHS_FIELD) {
                        field.error = None;
                    }
                    self.popup = Some(Popup::ImportPaths(form, of));
                }
            },
            Popup::Files(mut files, mut form, of) => match files.handle(&input) {
                FileOutcome::Open => self.popup = Some(Popup::Files(files, form, of)),
                outcome => {
                    batch_import::take_chosen(&mut form, outcome);
                    self.popup = Some(Popup::ImportPaths(form, of));
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

impl Screen for BatchesScreen {
    fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Options(_) | Popup::ImportPaths(..)) => Context::Form,
            Some(Popup::Files(..)) => Context::Picker,
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
                let form =
                    batch_import::path_form(ctx.lang, T::ImportBatchLabel, &self.import_paths);
                self.popup = Some(Popup::ImportPaths(form, PathsOf::Batches));
            }
            Input::Action(Action::ImportReceipt) => {
                let form =
                    batch_import::path_form(ctx.lang, T::ImportReceiptLabel, &self.receipt_paths);
                self.popup = Some(Popup::ImportPaths(form, PathsOf::Receipts));
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
            Input::Action(action) => {
                self.table
                    .move_selection(&action, &mut self.selected, self.history.len());
            }
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
        self.draw(frame, area, view);
    }

    fn footer_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        self.footer_word(action, lang)
    }

    fn footer(&self) -> Vec<Action> {
        self.footer_actions()
    }
}
