//! The app: a stack of screens over one store, the keymap, the search thread, the jobs and the
//! status line. Events become inputs for the top screen; its effect changes the stack. Every
//! message from off the UI thread comes in on one channel (`jobs::AppMsg`).

mod backup;

use super::action::{Action, Input};
use super::event::{Translated, translate};
use super::jobs::{AppMsg, JobId, Jobs};
use super::keymap::{Context, Keymap};
use super::routes::{self, Route};
use super::screens::{Ctx, Effect, Screen, View};
use super::search::{Reply, SearchClient};
use super::text::{T, t, tf};
use super::widgets::fit;
use crate::domain::Officer;
use crate::store::Store;
use crate::text::Lang;
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::cell::Cell;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub struct App {
    store: Store,
    keymap: Keymap,
    lang: Lang,
    screens: Vec<Box<dyn Screen>>,
    search: SearchClient,
    jobs: Jobs,
    /// Everything that happens off the UI thread, in the order it happened.
    inbox: Receiver<AppMsg>,
    officer: Option<Officer>,
    pending: Option<i64>,
    message: Option<String>,
    /// The stack position of the screen the message belongs to: leaving that screen clears
    /// it, so `已登记：李桂芝` does not stay on the next worker's form.
    message_owner: usize,
    /// How the status line names the database (its path unless told otherwise).
    db_label: String,
    /// The automatic backup running, if one is.
    backup_job: Option<JobId>,
    /// An export ended while a backup ran: one more follows, so the newest copy has it.
    backup_again: bool,
    /// The last batch this device sent, as last seen: a new one means an export ended and a
    /// backup follows.
    last_sent: Option<String>,
    /// The age of the last backup for the home screen's status line.
    backup_note: String,
    quit: bool,
    /// The window is under the minimum size: only the "too small" notice shows, so keys
    /// must not act on a screen the officer cannot see (Ctrl-Q still quits).
    too_small: Cell<bool>,
}

impl App {
    /// Opens the first screen: the officer form on a new database, else the workers list.
    pub fn new(store: Store, keymap: Keymap, lang: Lang) -> App {
        // Searches, statistics and the pending count run on a thread with its own
        // connection to the database file.
        let (jobs, inbox) = Jobs::channel();
        let search = SearchClient::start(store.opener(), store.clock(), jobs.sender());
        let officer = store.officer().ok().flatten();
        let db_label = store.path().display().to_string();
        let mut app = App {
            store,
            keymap,
            lang,
            screens: Vec::new(),
            search,
            jobs,
            inbox,
            officer,
            pending: None,
            message: None,
            message_owner: 0,
            db_label,
            backup_job: None,
            backup_again: false,
            last_sent: None,
            backup_note: String::new(),
            quit: false,
            too_small: Cell::new(false),
        };
        app.last_sent = app.store.last_sent().ok().flatten().map(|l| l.uid);
        app.with_ctx(|screens, ctx| {
            let first = routes::start(ctx);
            apply(screens, Effect::Push(first), ctx);
            Turn::default()
        });
        app.refresh_pending();
        if let Some(warning) = keys_taken(&app.keymap, lang) {
            app.message = Some(warning);
        }
        app
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Names the database in the status line (tests show a fixed name instead of a temp path).
    pub fn set_db_label(&mut self, label: impl Into<String>) {
        self.db_label = label.into();
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The keymap context of the top screen.
    pub fn context(&self) -> Context {
        self.screens
            .last()
            .map(|s| s.context())
            .unwrap_or(Context::Global)
    }

    /// Handles one terminal event; true when the screen must be drawn again.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        if let Event::Resize(width, height) = event {
            self.too_small
                .set(*width < MIN_WIDTH || *height < MIN_HEIGHT);
        }
        match translate(event, &self.keymap, self.context()) {
            Translated::Input(Input::Action(Action::Quit)) => {
                self.quit = true;
                true
            }
            Translated::Input(_) if self.too_small.get() => false,
            Translated::Input(input) => {
                self.input(input);
                true
            }
            Translated::Redraw => true,
            Translated::Ignored => false,
        }
    }

    pub fn press(&mut self, key: KeyEvent) -> bool {
        self.handle_event(&Event::Key(key))
    }

    /// Runs a closure with the top of the stack and a context over the app's parts, then
    /// takes in what the screen reported (message, writes) and what the turn did to the stack.
    fn with_ctx(&mut self, f: impl FnOnce(&mut Vec<Box<dyn Screen>>, &mut Ctx) -> Turn) {
        let mut ctx = Ctx {
            store: &mut self.store,
            lang: self.lang,
            keymap: &self.keymap,
            search: &mut self.search,
            jobs: &mut self.jobs,
            message: None,
            wrote: false,
            officer_changed: false,
            backup_changed: false,
        };
        let turn = f(&mut self.screens, &mut ctx);
        let (message, wrote, officer_changed, backup_changed) = (
            ctx.message,
            ctx.wrote,
            ctx.officer_changed,
            ctx.backup_changed,
        );
        if let Some(closed) = turn.closed
            && self.message_owner >= closed
        {
            self.message = None;
        }
        if let Some(m) = message {
            // Said by a screen as it closed ("saved"): it belongs to the screen now on top.
            let top = self.screens.len().saturating_sub(1);
            self.message_owner = match turn.closed {
                Some(_) => top,
                None => turn.speaker.unwrap_or(top),
            };
            self.message = (!m.is_empty()).then_some(m);
        }
        if officer_changed {
            self.officer = self.store.officer().ok().flatten();
        }
        if backup_changed {
            self.refresh_backup_note();
            self.start_backup(true);
        }
        if wrote {
            self.refresh_pending();
        }
    }

    pub fn input(&mut self, input: Input) {
        match input {
            Input::Action(Action::Quit) => {
                self.quit = true;
                return;
            }
            Input::Action(Action::Help) if self.context() != Context::Help => {
                let under = self.context();
                self.with_ctx(|screens, ctx| Turn {
                    closed: apply(screens, Effect::Push(Route::Help(under)), ctx),
                    speaker: None,
                });
                return;
            }
            _ => {}
        }
        self.with_ctx(|screens, ctx| {
            let Some(top) = screens.last_mut() else {
                return Turn::default();
            };
            let effect = top.handle(input, ctx);
            Turn {
                closed: apply(screens, effect, ctx),
                speaker: None,
            }
        });
        if self.screens.is_empty() {
            self.quit = true;
        }
    }

    /// Says `line` in the status line, as a screen would.
    pub fn say(&mut self, line: impl Into<String>) {
        self.message = Some(line.into());
        self.message_owner = 0;
    }

    fn refresh_pending(&mut self) {
        self.search.count_pending();
        // The age moves on while the screens stay open: read again whenever work was saved.
        self.refresh_backup_note();
    }

    /// Another sender into the app's channel, for the thread that forwards terminal events.
    pub fn sender(&self) -> Sender<AppMsg> {
        self.jobs.sender()
    }

    /// The next message, waiting up to `wait` for one; `None` when none came.
    pub fn next_msg(&self, wait: Duration) -> Option<AppMsg> {
        self.inbox.recv_timeout(wait).ok()
    }

    /// Takes in one message; true when the screen must be drawn again.
    pub fn handle_msg(&mut self, msg: AppMsg) -> bool {
        match msg {
            AppMsg::Terminal(event) => self.handle_event(&event),
            // The loop ends on it before it comes here; nothing on screen changes.
            AppMsg::TerminalFailed(_) => false,
            AppMsg::Search(reply) => {
                self.search.note(&reply);
                match reply {
                    Reply::Pending(Ok(n)) => self.pending = Some(n),
                    Reply::Pending(Err(_)) => {}
                    reply => self.deliver(AppMsg::Search(reply)),
                }
                true
            }
            AppMsg::Job(mut job) => {
                if job.is_end() {
                    self.jobs.ended();
                    // A job may have written (an export marks records, an import adds them).
                    self.refresh_pending();
                }
                if self.backup_job == Some(job.job()) {
                    if job.is_end() {
                        self.backup_ended(job.take::<Option<String>>().flatten());
                    }
                    return true;
                }
                if job.is_end() {
                    self.backup_after_export();
                }
                self.deliver(AppMsg::Job(job));
                true
            }
        }
    }

    /// Offers `msg` to the screens from the top down until one takes it. Only the top screen
    /// changes the stack; a screen below takes the message in and waits its turn.
    fn deliver(&mut self, mut msg: AppMsg) {
        self.with_ctx(|screens, ctx| {
            let top = screens.len().saturating_sub(1);
            for i in (0..screens.len()).rev() {
                if let Some(effect) = screens[i].on_msg(&mut msg, ctx) {
                    let closed = if i == top {
                        apply(screens, effect, ctx)
                    } else {
                        None
                    };
                    return Turn {
                        closed,
                        speaker: Some(i),
                    };
                }
            }
            Turn::default()
        });
        if self.screens.is_empty() {
            self.quit = true;
        }
    }

    /// True while the app waits for a reply from the search thread.
    pub fn waiting(&self) -> bool {
        self.search.busy()
    }

    /// True while a job (an export, a verification, an import) has not reported its end.
    pub fn working(&self) -> bool {
        self.jobs.running() > 0
    }

    /// Takes in messages until one from a job came, waiting up to `wait`: lets a test see each
    /// step of a long job (the export gauge) in turn. False when none came.
    pub fn step_background(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        while self.working() {
            let Some(msg) = self.next_msg(deadline.saturating_duration_since(Instant::now()))
            else {
                return false;
            };
            let from_job = matches!(msg, AppMsg::Job(_));
            self.handle_msg(msg);
            if from_job {
                return true;
            }
        }
        false
    }

    /// Waits until every awaited reply is in and every job has ended (tests, and the first
    /// screen).
    pub fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.waiting() || self.working() {
            match self.next_msg(deadline.saturating_duration_since(Instant::now())) {
                Some(msg) => {
                    self.handle_msg(msg);
                }
                None => return,
            }
        }
    }

    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        self.too_small
            .set(area.width < MIN_WIDTH || area.height < MIN_HEIGHT);
        if self.too_small.get() {
            let text = tf(
                self.lang,
                T::TooSmall,
                &[&area.width.to_string(), &area.height.to_string()],
            );
            let y = area.height / 2;
            frame.render_widget(
                Paragraph::new(text)
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true }),
                Rect::new(
                    area.x,
                    area.y + y.saturating_sub(1),
                    area.width,
                    3.min(area.height),
                ),
            );
            return;
        }
        let Some(top) = self.screens.last() else {
            return;
        };
        let view = View {
            lang: self.lang,
            keymap: &self.keymap,
        };
        let title = format!(" {} · {}", t(self.lang, T::AppName), top.title(self.lang));
        frame.render_widget(
            Paragraph::new(fit(&title, usize::from(area.width)))
                .style(Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)),
            Rect::new(area.x, area.y, area.width, 1),
        );
        let body = Rect::new(area.x, area.y + 2, area.width, area.height - 5);
        top.render(frame, body, &view);
        self.render_footer(
            frame,
            top.as_ref(),
            Rect::new(area.x, area.bottom() - 2, area.width, 1),
        );
        self.render_status(frame, Rect::new(area.x, area.bottom() - 1, area.width, 1));
    }

    fn render_footer(&self, frame: &mut Frame, top: &dyn Screen, area: Rect) {
        let context = top.context();
        let actions = match context {
            Context::Picker => vec![Action::Confirm, Action::Back, Action::Up, Action::Down],
            Context::Confirm | Context::Repeat => vec![Action::Yes, Action::No],
            _ => top.footer(),
        };
        let mut spans = Vec::new();
        // Whole items only: a footer cut mid-word ("w  撤回") names no action.
        let mut room = usize::from(area.width);
        for action in actions {
            let Some(binding) = [context, Context::Global].into_iter().find_map(|c| {
                self.keymap
                    .bindings(c)
                    .iter()
                    .find(|b| b.action == action && !b.keys.is_empty())
            }) else {
                continue;
            };
            let key = format!(" {} ", binding.keys[0]);
            let desc = top
                .footer_label(action, self.lang)
                .unwrap_or_else(|| binding.desc(self.lang));
            let desc = format!(" {desc}  ");
            let width = Line::from(key.as_str()).width() + Line::from(desc.trim_end()).width() + 1;
            if width > room {
                break;
            }
            room -= (width + 1).min(room);
            spans.push(Span::styled(
                key,
                Style::default().add_modifier(Modifier::REVERSED),
            ));
            spans.push(Span::raw(desc));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn render_status(&self, frame: &mut Frame, area: Rect) {
        let officer = match &self.officer {
            Some(o) => format!(
                "{} · {}",
                crate::tui::widgets::shown(&o.name),
                crate::tui::widgets::shown(&o.organisation)
            ),
            None => t(self.lang, T::NoOfficerYet).to_string(),
        };
        let pending = match self.pending {
            Some(n) => tf(self.lang, T::Pending, &[&n.to_string()]),
            None => "…".to_string(),
        };
        // The backup's age on the home screen, the one the officer comes back to, when
        // nothing more pressing is said.
        let home = self.screens.len() == 1 && self.context() == Context::List;
        let message = match &self.message {
            Some(m) => m.clone(),
            None if home => self.backup_note.clone(),
            None => String::new(),
        };
        let width = usize::from(area.width);
        // A long database path gives way first: the count waiting for export must stay whole
        // at 80 columns (it was cut to "待…").
        let others = Line::from(format!(" {officer} │  │ {pending} │ ").as_str()).width();
        let db_room = (width * 2 / 3).saturating_sub(others).max(4);
        let left = format!(
            " {officer} │ {} │ {pending} │ ",
            super::widgets::width::fit_tail(&self.db_label, db_room).trim_end()
        );
        let left_width = Line::from(left.as_str()).width().min(width * 2 / 3);
        let line = Line::from(vec![
            Span::styled(
                fit(&left, left_width),
                Style::default().add_modifier(Modifier::DIM),
            ),
            Span::styled(
                fit(&message, width - left_width),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ]);
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// What one turn (an input or a message taken in) did: who spoke, and from which stack
/// position screens were closed.
#[derive(Default)]
struct Turn {
    /// The screen that took the message, when it was not the top one.
    speaker: Option<usize>,
    closed: Option<usize>,
}

/// Changes the stack as a screen asked; the screen that comes back on top reloads. Returns
/// the position of the lowest screen closed, if any was.
fn apply(screens: &mut Vec<Box<dyn Screen>>, effect: Effect, ctx: &mut Ctx) -> Option<usize> {
    let top = screens.len().checked_sub(1);
    match effect {
        Effect::None => None,
        Effect::Back => {
            screens.pop();
            if let Some(top) = screens.last_mut() {
                top.resume(ctx);
            }
            top
        }
        Effect::Push(route) => {
            if let Some(screen) = routes::open(route, ctx) {
                screens.push(screen);
            }
            None
        }
        Effect::Replace(route) => {
            screens.pop();
            match routes::open(route, ctx) {
                Some(screen) => screens.push(screen),
                // Nothing to show in its place: the screen below comes back, as after Back.
                None => {
                    if let Some(top) = screens.last_mut() {
                        top.resume(ctx);
                    }
                }
            }
            top
        }
        Effect::Quit => {
            screens.clear();
            Some(0)
        }
    }
}

/// "F9 now means 导出; 统计 lost it", for each key a user keymap took from another action.
fn keys_taken(keymap: &Keymap, lang: Lang) -> Option<String> {
    let lines: Vec<String> = super::screens::help::taken_keys(keymap, lang)
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    (!lines.is_empty()).then(|| lines.join(lang.pick("；", "; ")))
}
