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

mod draw;

use super::{Ctx, Effect, Screen, View};
use crate::batch::roster::{
    default_changes_path, default_rejects_path, read_roster, write_changes, write_rejects,
};
use crate::domain::{Event, Field, refdata};
use crate::store::roster_import::{
    AcceptRenames, ImportOptions, ImportProgress, ImportSummary, RejectReason,
};
use crate::store::{Access, Store};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::{AppMsg, JobId, Progress};
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::file_picker::{FileOutcome, FilePicker, Wanted};
use crate::tui::widgets::form::{EditOutcome, Form, FormField};
use ratatui::Frame;
use ratatui::layout::Rect;
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
    /// The file chooser, while open over the form.
    files: Option<FilePicker>,
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
        let picker_key = ctx
            .keymap
            .key_for(Context::Form, Action::OpenPicker)
            .map(|k| k.to_string())
            .unwrap_or_default();
        let mut fields = vec![
            FormField::text("file", t(lang, T::ImportFile), "")
                .required()
                .hint(tf(lang, T::FilesFieldHint, &[&picker_key])),
        ];
        if let Some(event) = &event {
            fields.push(
                FormField::check("event", t(lang, T::ImportForEvent), false).hint(tf(
                    lang,
                    T::ImportForEventHint,
                    &[
                        &event.input.name,
                        &refdata::service_kind_name(&event.input.kind, lang),
                    ],
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
            files: None,
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
        if let Some(files) = &mut self.files {
            match files.handle(&input) {
                FileOutcome::Open => {}
                FileOutcome::Cancelled => self.files = None,
                FileOutcome::Chosen(path) => {
                    self.files = None;
                    if let Some(f) = self.form.field_mut("file") {
                        f.set_raw(&path.display().to_string());
                        f.error = None;
                    }
                }
            }
            return Effect::None;
        }
        match input {
            Input::Action(Action::OpenPicker) => self.files = Some(FilePicker::new(Wanted::Roster)),
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

impl Screen for ImportScreen {
    fn context(&self) -> Context {
        match self.stage {
            Stage::Setup if self.files.is_some() => Context::Picker,
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
        self.draw(frame, area, view);
        if let (Stage::Setup, Some(files)) = (&self.stage, &self.files) {
            files.render(frame, area, view, t(view.lang, T::FilesTitle));
        }
    }

    fn footer_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        (matches!(self.stage, Stage::Setup) && action == Action::Save)
            .then(|| t(lang, T::FooterStart))
    }

    fn footer(&self) -> Vec<Action> {
        match self.stage {
            // Esc leaves without asking (only a path is lost), unlike the other forms whose
            // Esc the form context describes; it is not offered here.
            Stage::Setup if self.files.is_some() => {
                vec![Action::Confirm, Action::NextTab, Action::Back]
            }
            Stage::Setup => vec![
                Action::Save,
                Action::NextField,
                Action::OpenPicker,
                Action::Help,
            ],
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
}
