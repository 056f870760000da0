//! Printing an event's sheet from a screen (`p` on the events list and the attendee list):
//! a choice list of the two kinds, then the file to write, offered as
//! `<event name>-签领表.xlsx` in the batches folder beside the database and editable. The
//! sheet is written on a job, through the same call as `jingong event sheet`, and the status
//! line says where it went or why not.
//!
//! Both kinds are always offered: a payout sheet also serves goods handed out (its 数量
//! column), so the kind of the event does not hide it; the list starts on the payout sheet
//! when the event gives money to each person, else on the sign-in sheet.

use super::picker::{Choice, Picker, PickerOutcome};
use super::popup::{centered, clear_popup_area};
use super::text_field::TextField;
use crate::domain::{Event, format_fen};
use crate::paperwork::{SheetKind, SheetRequest, SheetSummary, write_event_sheet};
use crate::store::{Access, Opener};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::{AppMsg, JobId};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::screens::Ctx;
use crate::tui::text::{T, t, tf};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use std::path::{Path, PathBuf};

/// The keymap context of both steps: typing, Enter confirms, Esc cancels.
pub const SHEET_CONTEXT: Context = Context::Picker;

const PAYOUT: &str = "payout";
const SIGN_IN: &str = "signin";

enum Step {
    Kind(Picker),
    Path {
        kind: SheetKind,
        field: TextField,
        error: Option<String>,
        /// The existing file the officer was warned about: Enter again replaces it.
        overwrite: Option<PathBuf>,
    },
}

/// A sheet being asked for, and the one being written.
#[derive(Default)]
pub struct SheetPrinter {
    asking: Option<(Event, Step)>,
    running: Option<(JobId, SheetKind, PathBuf)>,
}

/// The file name offered for `event`'s sheet: the event's name with the characters a file
/// name cannot hold replaced, then the kind (`-签领表.xlsx`, `-签到表.xlsx`).
pub fn offered_file_name(event_name: &str, kind: SheetKind) -> String {
    let name: String = event_name
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(60)
        .collect();
    let name = name.trim_start_matches('.');
    let suffix = match kind {
        SheetKind::Payout => "签领表",
        SheetKind::SignIn => "签到表",
    };
    if name.is_empty() {
        format!("{suffix}.xlsx")
    } else {
        format!("{name}-{suffix}.xlsx")
    }
}

impl SheetPrinter {
    pub fn is_open(&self) -> bool {
        self.asking.is_some()
    }

    /// Starts asking for a sheet of `event`; an event nobody attended is refused at once (the
    /// job would refuse it too, with the command line's advice).
    pub fn open(&mut self, event: &Event, ctx: &mut Ctx) {
        let lang = ctx.lang;
        if event.served_count == 0 {
            ctx.say(tf(lang, T::SheetNoAttendees, &[&event.input.name]));
            return;
        }
        let items = vec![
            Choice::new(SIGN_IN, t(lang, T::SheetSignIn)),
            Choice::new(PAYOUT, t(lang, T::SheetPayout)),
        ];
        let start = if event.input.default_amount_fen > 0 {
            PAYOUT
        } else {
            SIGN_IN
        };
        let picker = Picker::new(t(lang, T::SheetKindTitle), items, Some(start));
        self.asking = Some((event.clone(), Step::Kind(picker)));
    }

    pub fn handle(&mut self, input: &Input, ctx: &mut Ctx) {
        match &self.asking {
            Some((_, Step::Kind(_))) => self.handle_kind(input, ctx),
            Some((_, Step::Path { .. })) => self.handle_path(input, ctx),
            None => {}
        }
    }

    fn handle_kind(&mut self, input: &Input, ctx: &mut Ctx) {
        let Some((event, Step::Kind(picker))) = &mut self.asking else {
            return;
        };
        match picker.handle(input) {
            PickerOutcome::Open => {}
            PickerOutcome::Cancelled => self.asking = None,
            PickerOutcome::Chosen(choice) => {
                let kind = if choice.code == PAYOUT {
                    SheetKind::Payout
                } else {
                    SheetKind::SignIn
                };
                let dir = crate::session::batches_dir(ctx.store.path());
                let path = dir.join(offered_file_name(&event.input.name, kind));
                let step = Step::Path {
                    kind,
                    field: TextField::new(&path.display().to_string()),
                    error: None,
                    overwrite: None,
                };
                let event = event.clone();
                self.asking = Some((event, step));
            }
        }
    }

    fn handle_path(&mut self, input: &Input, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let Some((
            event,
            Step::Path {
                kind,
                field,
                error,
                overwrite,
            },
        )) = &mut self.asking
        else {
            return;
        };
        match input {
            Input::Action(Action::Back) => self.asking = None,
            Input::Action(Action::Confirm) => match Self::check_path(field.value(), lang) {
                Err(message) => *error = Some(message),
                Ok(path) if path.exists() && overwrite.as_deref() != Some(path.as_path()) => {
                    let key = ctx
                        .keymap
                        .key_for(SHEET_CONTEXT, Action::Confirm)
                        .map(|k| k.to_string())
                        .unwrap_or_default();
                    *error = Some(tf(lang, T::SheetExists, &[&key]));
                    *overwrite = Some(path);
                }
                Ok(path) => {
                    let (event, kind) = (event.clone(), *kind);
                    self.asking = None;
                    self.start(&event, kind, path, ctx);
                }
            },
            Input::Text(edit) => {
                if field.apply(edit) {
                    *error = None;
                    *overwrite = None;
                }
            }
            Input::Action(_) => {}
        }
    }

    /// The typed path, when it can name a workbook.
    fn check_path(typed: &str, lang: Lang) -> Result<PathBuf, String> {
        let typed = typed.trim();
        let label = t(lang, T::SheetPathLabel);
        if typed.is_empty() {
            return Err(format!(
                "{label}{}{}",
                lang.pick("：", ": "),
                t(lang, T::Required)
            ));
        }
        let path = PathBuf::from(typed);
        let is_xlsx = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if !is_xlsx {
            return Err(t(lang, T::SheetNotXlsx).to_string());
        }
        Ok(path)
    }

    fn start(&mut self, event: &Event, kind: SheetKind, path: PathBuf, ctx: &mut Ctx) {
        let lang = ctx.lang;
        if self.running.is_some() {
            ctx.say(t(lang, T::SheetBusy));
            return;
        }
        let opener = ctx.store.opener();
        let uid = event.uid.clone();
        let out = path.clone();
        let spawned = ctx
            .jobs
            .spawn("jingong-sheet", move |_: &crate::tui::jobs::Progress<()>| {
                write_sheet(&opener, &uid, kind, &out, lang)
            });
        match spawned {
            Ok(id) => {
                self.running = Some((id, kind, path.clone()));
                ctx.say(tf(lang, T::SheetWriting, &[&path.display().to_string()]));
            }
            Err(e) => ctx.say(tf(lang, T::SheetFailed, &[&e.to_string()])),
        }
    }

    /// Takes in the end of the sheet's job; `None` when the message is not about it.
    pub fn on_msg(&mut self, msg: &mut AppMsg, ctx: &mut Ctx) -> Option<()> {
        let AppMsg::Job(news) = msg else {
            return None;
        };
        let (id, kind, path) = self.running.as_ref()?;
        if news.job() != *id {
            return None;
        }
        if !news.is_end() {
            return Some(());
        }
        let lang = ctx.lang;
        let shown = path.display().to_string();
        let said = match news.take::<Result<SheetSummary, String>>() {
            Some(Ok(summary)) => match kind {
                SheetKind::Payout => tf(
                    lang,
                    T::SheetWrittenPayout,
                    &[
                        &shown,
                        &summary.lines.to_string(),
                        &format_fen(summary.total_fen),
                    ],
                ),
                SheetKind::SignIn => tf(
                    lang,
                    T::SheetWrittenSignIn,
                    &[&shown, &summary.lines.to_string()],
                ),
            },
            Some(Err(message)) => tf(lang, T::SheetFailed, &[&message]),
            None => t(lang, T::JobStopped).to_string(),
        };
        ctx.say(said);
        self.running = None;
        Some(())
    }

    pub fn render(&self, frame: &mut Frame, outer: Rect, lang: Lang, keymap: &Keymap) {
        let Some((event, step)) = &self.asking else {
            return;
        };
        match step {
            Step::Kind(picker) => picker.render(frame, outer, lang),
            Step::Path {
                kind, field, error, ..
            } => render_path(
                frame,
                outer,
                lang,
                keymap,
                event,
                *kind,
                field,
                error.as_deref(),
            ),
        }
    }
}

/// The job: a read-only connection of its own, the sheet written owner-only into a folder
/// made owner-only when it is missing.
fn write_sheet(
    opener: &Opener,
    event_uid: &str,
    kind: SheetKind,
    out: &Path,
    lang: Lang,
) -> Result<SheetSummary, String> {
    if let Some(dir) = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let store = opener.open(Access::ReadOnly).map_err(|e| e.message(lang))?;
    let request = SheetRequest {
        event_uid,
        kind,
        out,
        reveal: false,
        expected: None,
    };
    let result = write_event_sheet(&store, &request).map_err(|e| e.message(lang));
    if let Err(message) = &result {
        tracing::warn!(len = message.len(), "sheet from the TUI not written");
    }
    result
}

#[allow(clippy::too_many_arguments)]
fn render_path(
    frame: &mut Frame,
    outer: Rect,
    lang: Lang,
    keymap: &Keymap,
    event: &Event,
    kind: SheetKind,
    field: &TextField,
    error: Option<&str>,
) {
    let width = 76u16.min(outer.width);
    let area = centered(outer, width, 7);
    clear_popup_area(area, frame.buffer_mut());
    let kind_name = match kind {
        SheetKind::Payout => t(lang, T::SheetPayout),
        SheetKind::SignIn => t(lang, T::SheetSignIn),
    };
    let title = format!(" {} · {} ", super::shown(&event.input.name), kind_name);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().add_modifier(Modifier::BOLD))
        .title(
            super::fit(&title, usize::from(width.saturating_sub(4)))
                .trim_end()
                .to_string()
                + " ",
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || inner.width < 4 {
        return;
    }
    let inner = Rect::new(inner.x + 1, inner.y, inner.width - 2, inner.height);
    let label = format!("{}{}", t(lang, T::SheetPathLabel), lang.pick("：", ": "));
    let label_width = Line::from(label.as_str()).width() as u16;
    frame.render_widget(
        Paragraph::new(label.as_str()),
        Rect::new(inner.x, inner.y + 1, label_width, 1),
    );
    let field_area = Rect::new(
        inner.x + label_width,
        inner.y + 1,
        inner.width.saturating_sub(label_width),
        1,
    );
    let caret = field.render(
        field_area,
        frame.buffer_mut(),
        Style::default().add_modifier(Modifier::UNDERLINED),
    );
    frame.set_cursor_position(caret);
    if let Some(error) = error {
        frame.render_widget(
            Paragraph::new(super::fit(error, usize::from(inner.width)))
                .style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(inner.x, inner.y + 2, inner.width, 1),
        );
    }
    let key = |a| {
        keymap
            .key_for(SHEET_CONTEXT, a)
            .map(|k| k.to_string())
            .unwrap_or_default()
    };
    frame.render_widget(
        Paragraph::new(tf(
            lang,
            T::SheetPathKeys,
            &[&key(Action::Confirm), &key(Action::Back)],
        )),
        Rect::new(inner.x, inner.y + 3, inner.width, 1),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offered_name_keeps_the_event_name_and_drops_path_characters() {
        assert_eq!(
            offered_file_name("2026 送温暖", SheetKind::Payout),
            "2026 送温暖-签领表.xlsx"
        );
        assert_eq!(
            offered_file_name("../夏送清凉/河西", SheetKind::SignIn),
            "_夏送清凉_河西-签到表.xlsx"
        );
        assert_eq!(offered_file_name("  ", SheetKind::SignIn), "签到表.xlsx");
    }
}
