//! One file per screen. A screen turns inputs into state changes and effects (`handle`) and
//! draws itself from that state (`render`, which never touches the database).

pub mod aid_records;
pub mod attendees;
pub mod batch_import;
pub mod batches;
pub mod claim_form;
pub mod conflicts;
pub mod detail;
pub mod drafts;
pub mod event_form;
pub mod events;
pub mod form_screen;
pub mod health_check;
pub mod help;
pub mod legal_aid;
pub mod needs_checklist;
pub mod officer;
pub mod quick_entry;
pub mod roster_import;
pub mod service_form;
pub mod stats;
pub mod worker_form;
pub mod workers;

use super::action::{Action, Input};
use super::jobs::{AppMsg, Jobs};
use super::keymap::{Context, Keymap};
use super::routes::Route;
use super::search::SearchClient;
use super::text::{T, t};
use crate::domain::Officer;
use crate::store::Store;
use crate::text::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;

/// What the app does after a screen handled an input.
pub enum Effect {
    None,
    /// Close this screen and return to the one below (which is told to `resume`).
    Back,
    /// Open the screen `Route` names on top of this one.
    Push(Route),
    /// Close this screen and open the one `Route` names in its place (or just close it when
    /// that screen cannot open).
    Replace(Route),
    Quit,
}

/// What a screen may use while handling input.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub lang: Lang,
    pub keymap: &'a Keymap,
    pub search: &'a mut SearchClient,
    /// Starts work on a thread of its own; its news come back through `Screen::on_msg`.
    pub jobs: &'a mut Jobs,
    /// Set by a screen to show in the status line.
    pub message: Option<String>,
    /// Set after a write, so the count of records to export is refreshed.
    pub wrote: bool,
    /// Set when the officer profile changed.
    pub officer_changed: bool,
    /// Set when the backup folder was chosen or cleared: the status line changes, and a
    /// folder chosen gets a first backup at once.
    pub backup_changed: bool,
}

impl Ctx<'_> {
    pub fn say(&mut self, message: impl Into<String>) {
        self.message = Some(message.into());
    }

    /// Clears the status line: what it said belonged to what the officer just put away.
    pub fn unsay(&mut self) {
        self.message = Some(String::new());
    }

    pub fn t(&self, key: T) -> &'static str {
        t(self.lang, key)
    }

    pub fn officer(&self) -> Option<Officer> {
        self.store.officer().ok().flatten()
    }
}

/// What a screen may use while drawing.
pub struct View<'a> {
    pub lang: Lang,
    pub keymap: &'a Keymap,
}

impl View<'_> {
    pub fn t(&self, key: T) -> &'static str {
        t(self.lang, key)
    }

    /// "F2" for the first key of `action` in `context`, or "" when unbound.
    pub fn key(&self, context: Context, action: Action) -> String {
        self.keymap
            .key_for(context, action)
            .map(|k| k.to_string())
            .unwrap_or_default()
    }
}

pub trait Screen {
    /// The keymap context the screen (or its open popup) reads keys in.
    fn context(&self) -> Context;
    fn title(&self, lang: Lang) -> String;
    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect;
    fn render(&self, frame: &mut Frame, area: Rect, view: &View);
    /// The screen is on top again after the one above it closed: reload what may have changed.
    fn resume(&mut self, _ctx: &mut Ctx) {}
    /// Work off the UI thread reported: a search answered, or a job the screen started
    /// (`ctx.jobs`) sent a step or its end. `None` when the message is not this screen's;
    /// otherwise what to do next.
    fn on_msg(&mut self, _msg: &mut AppMsg, _ctx: &mut Ctx) -> Option<Effect> {
        None
    }
    /// Actions whose keys the footer shows, most used first.
    fn footer(&self) -> Vec<Action>;
    /// What `action` does on this screen when the keymap's words for it would mislead: F2 on
    /// the import screen starts the import, it saves nothing.
    fn footer_label(&self, _action: Action, _lang: Lang) -> Option<&'static str> {
        None
    }
}
