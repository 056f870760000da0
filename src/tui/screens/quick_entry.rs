//! Quick entry at an event: one line. A full ID number of a registered worker and Enter record
//! the event's service at once (19 keys in all); an unknown but valid number opens the worker
//! form, prefilled, which records the service when saved; a name, pinyin or ID tail lists
//! matches to pick from. A worker already served in the event is asked about first, one key
//! takes back the last record of this sitting (another puts it back), and the attendee list is
//! one key away.

use super::{Ctx, Effect, Screen, View};
use crate::domain::idcard::{age_on, clean_id_input};
use crate::domain::refdata::{self, KindForm};
use crate::domain::{Event, Worker, format_fen, mask_id_number, parse_id_number};
use crate::store::event_entry::TakeBack;
use crate::store::{SearchHit, SearchPage};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::AppMsg;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::search::Reply;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::confirm::{Answer, Confirm};
use crate::tui::widgets::fit;
use crate::tui::widgets::text_field::TextField;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cell::Cell;

/// Matches asked for at a time: more than a screen holds, fewer than anyone scrolls through.
const MATCHES: usize = 50;

/// What the line under the input says about the last Enter or undo.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Feedback {
    Recorded(String),
    Undone(String),
    Note(String),
    Problem(String),
}

/// A service recorded from this screen since it was opened, newest first on screen.
#[derive(Debug, Clone)]
struct Recorded {
    service_uid: String,
    name: String,
    masked_id: String,
    at: String,
    /// Found exported by an undo: undo passes over it from then on (it is withdrawn instead).
    exported: bool,
}

pub struct QuickEntryScreen {
    event: Event,
    line: TextField,
    feedback: Option<Feedback>,
    /// Matches of the name, pinyin or number typed, for the query in `hits_query`.
    hits: Vec<SearchHit>,
    hits_query: String,
    hits_total: usize,
    selected: usize,
    /// The officer moved the selection since the line last changed.
    chosen: bool,
    /// The search whose reply is awaited; older replies are dropped.
    awaited: Option<u64>,
    /// The records of this sitting that are live, in the order they were made. Undo takes
    /// only from here, so records made before the screen was opened are never touched.
    session: Vec<Recorded>,
    /// What this sitting's undo took, the latest undone last: redo puts these back.
    undone: Vec<Recorded>,
    /// The event's latest live service as this screen last saw it: a different one when the
    /// screen is back on top means a form opened from here recorded someone.
    latest_seen: Option<String>,
    duplicate: Option<(Confirm, Worker)>,
    today: NaiveDate,
    page_height: Cell<usize>,
}

/// The kind's own per-person form, when it has one (health results, a legal-aid case).
fn needs_form(event: &Event) -> Option<KindForm> {
    refdata::service_kind(&event.input.kind)
        .map(|k| k.form)
        .filter(|f| *f != KindForm::Plain)
}

/// Fifteen or more digits (an X allowed) are an ID number being entered, not a search: Enter
/// checks them and says what is wrong rather than looking for a worker.
fn looks_like_id(text: &str) -> bool {
    let cleaned = clean_id_input(text);
    cleaned.chars().count() >= 15 && cleaned.chars().all(|c| c.is_ascii_digit() || c == 'X')
}

pub fn kind_name(code: &str, lang: Lang) -> String {
    refdata::service_kind(code)
        .map(|k| lang.pick(&k.zh, &k.en).to_string())
        .unwrap_or_else(|| crate::tui::widgets::shown(code).into_owned())
}

pub fn district_name(code: &str, lang: Lang) -> String {
    refdata::district(code)
        .map(|d| lang.pick(&d.zh, &d.en).to_string())
        .unwrap_or_default()
}

/// "2026-03-15 · 夏送清凉 · 南开区某工地 · 南开区 · 每人 1 份 ¥0.00".
pub fn event_summary(event: &Event, lang: Lang) -> String {
    let mut parts = vec![
        event.held_on.format("%Y-%m-%d").to_string(),
        kind_name(&event.input.kind, lang),
    ];
    if !event.input.place.trim().is_empty() {
        parts.push(crate::tui::widgets::shown(&event.input.place).into_owned());
    }
    let district = district_name(&event.input.district_code, lang);
    if !district.is_empty() {
        parts.push(district);
    }
    parts.push(tf(
        lang,
        T::PerPerson,
        &[
            &event.input.default_quantity.to_string(),
            &format_fen(event.input.default_amount_fen),
        ],
    ));
    parts.join(" · ")
}

impl QuickEntryScreen {
    pub fn open(event: Event, ctx: &mut Ctx) -> QuickEntryScreen {
        let mut screen = QuickEntryScreen {
            event,
            line: TextField::default(),
            feedback: None,
            hits: Vec::new(),
            hits_query: String::new(),
            hits_total: 0,
            selected: 0,
            chosen: false,
            awaited: None,
            session: Vec::new(),
            undone: Vec::new(),
            latest_seen: None,
            duplicate: None,
            today: ctx.store.clock().today(),
            page_height: Cell::new(8),
        };
        screen.latest_seen = screen.latest_service(ctx);
        screen
    }

    fn latest_service(&self, ctx: &mut Ctx) -> Option<String> {
        ctx.store
            .event_attendees(&self.event.uid, 0, 1)
            .ok()
            .and_then(|page| page.into_iter().next())
            .map(|a| a.service_uid)
    }

    /// The event again, for its running count of workers served.
    fn reload_event(&mut self, ctx: &mut Ctx) {
        if let Ok(Some(event)) = ctx.store.event_by_uid(&self.event.uid) {
            self.event = event;
        }
        self.today = ctx.store.clock().today();
    }

    fn clear_line(&mut self) {
        self.line.set_value("");
        self.clear_matches();
    }

    fn clear_matches(&mut self) {
        self.hits.clear();
        self.hits_query.clear();
        self.hits_total = 0;
        self.selected = 0;
        self.chosen = false;
        self.awaited = None;
    }

    fn problem(&mut self, ctx: &Ctx, e: &crate::store::StoreError) {
        self.feedback = Some(Feedback::Problem(tf(
            ctx.lang,
            T::Error,
            &[&e.message(ctx.lang)],
        )));
    }

    fn search(&mut self, ctx: &mut Ctx) {
        let query = self.line.value().to_string();
        if query.trim().is_empty() {
            self.clear_matches();
            return;
        }
        self.awaited = Some(ctx.search.search(&query, 0, MATCHES, None));
    }

    fn accept(&mut self, query: &str, result: Result<SearchPage, String>) {
        match result {
            Ok(page) => {
                self.hits = page.hits;
                self.hits_total = page.total;
                self.hits_query = query.to_string();
                self.selected = self.selected.min(self.hits.len().saturating_sub(1));
            }
            Err(message) => tracing::warn!(len = message.len(), "quick-entry search failed"),
        }
    }

    /// Enter: the line names one worker (a full ID number, or the match chosen) to serve.
    fn enter(&mut self, ctx: &mut Ctx) -> Effect {
        let typed = self.line.value().to_string();
        if typed.trim().is_empty() {
            return Effect::None;
        }
        if looks_like_id(&typed) {
            let id = match parse_id_number(&typed, self.today) {
                Ok(id) => id,
                Err(e) => {
                    self.feedback = Some(Feedback::Problem(e.message(ctx.lang)));
                    return Effect::None;
                }
            };
            return match ctx.store.worker_by_id_number(&id.number) {
                Ok(Some(worker)) => self.serve(worker, ctx),
                Ok(None) => Effect::Push(Route::NewWorkerAtEvent {
                    id_number: id.number,
                    name: String::new(),
                    event: Box::new(self.event.clone()),
                }),
                Err(e) => {
                    self.problem(ctx, &e);
                    Effect::None
                }
            };
        }
        // The reply for what is on the line may not be in yet: ask here, so Enter never acts
        // on the matches of an earlier query.
        if self.hits_query != typed {
            let result = ctx.store.search(&typed, 0, MATCHES);
            self.awaited = None;
            self.accept(&typed, result.map_err(|e| e.message(ctx.lang)));
        }
        // Several workers match (a common name, a short tail, the start of a number): Enter
        // must not take the first of them for the person meant.
        if self.hits.len() > 1 && !self.chosen {
            let key = |a| {
                ctx.keymap
                    .key_for(Context::QuickEntry, a)
                    .map(|k| k.to_string())
                    .unwrap_or_default()
            };
            self.feedback = Some(Feedback::Note(tf(
                ctx.lang,
                T::QuickChooseFirst,
                &[
                    &self.hits_total.to_string(),
                    &format!("{}{}", key(Action::Up), key(Action::Down)),
                    &key(Action::Confirm),
                ],
            )));
            return Effect::None;
        }
        let Some(hit) = self.hits.get(self.selected) else {
            let key = ctx
                .keymap
                .key_for(Context::QuickEntry, Action::NewWorker)
                .map(|k| k.to_string())
                .unwrap_or_default();
            self.feedback = Some(Feedback::Note(tf(ctx.lang, T::QuickNoMatch, &[&key])));
            return Effect::None;
        };
        match ctx.store.worker_by_uid(&hit.uid) {
            Ok(Some(worker)) if !worker.deleted => self.serve(worker, ctx),
            Ok(_) => {
                self.feedback = Some(Feedback::Problem(ctx.t(T::WorkerGone).to_string()));
                Effect::None
            }
            Err(e) => {
                self.problem(ctx, &e);
                Effect::None
            }
        }
    }

    /// Records the worker, asking first when the event already served them.
    fn serve(&mut self, worker: Worker, ctx: &mut Ctx) -> Effect {
        match ctx.store.served_in_event(&self.event.uid, &worker.uid) {
            Ok(true) => {
                let question = tf(
                    ctx.lang,
                    T::QuickDuplicate,
                    &[&worker.input.name, &mask_id_number(&worker.input.id_number)],
                );
                self.duplicate = Some((Confirm::cautious(question), worker));
                Effect::None
            }
            Ok(false) => self.record(worker, ctx),
            Err(e) => {
                self.problem(ctx, &e);
                Effect::None
            }
        }
    }

    fn record(&mut self, worker: Worker, ctx: &mut Ctx) -> Effect {
        if needs_form(&self.event).is_some() {
            return Effect::Push(Route::ServiceAtEvent {
                worker: Box::new(worker),
                event: Box::new(self.event.clone()),
            });
        }
        match ctx.store.record_event_service(&self.event.uid, &worker.uid) {
            Ok(record) => {
                ctx.wrote = true;
                self.reload_event(ctx);
                self.note_recorded(record.uid, &worker.input.name, &worker.input.id_number, ctx);
                self.clear_line();
            }
            Err(e) => self.problem(ctx, &e),
        }
        Effect::None
    }

    fn note_recorded(&mut self, service_uid: String, name: &str, id_number: &str, ctx: &Ctx) {
        let masked_id = mask_id_number(id_number);
        self.feedback = Some(Feedback::Recorded(tf(
            ctx.lang,
            T::QuickRecorded,
            &[name, &masked_id, &self.event.served_count.to_string()],
        )));
        self.latest_seen = Some(service_uid.clone());
        self.session.push(Recorded {
            service_uid,
            name: name.to_string(),
            masked_id,
            at: ctx.store.clock().now().format("%H:%M:%S").to_string(),
            exported: false,
        });
    }

    /// Ctrl-Z: takes back the newest record of this sitting not yet exported, by its uid.
    fn undo(&mut self, ctx: &mut Ctx) {
        while let Some(at) = self.session.iter().rposition(|r| !r.exported) {
            let outcome = match ctx.store.undo_event_service(&self.session[at].service_uid) {
                Ok(outcome) => outcome,
                Err(e) => return self.problem(ctx, &e),
            };
            match outcome {
                Some(TakeBack::Done { worker_name }) => {
                    ctx.wrote = true;
                    self.undone.push(self.session.remove(at));
                    self.after_change(ctx);
                    self.feedback = Some(Feedback::Undone(tf(
                        ctx.lang,
                        T::QuickUndone,
                        &[&worker_name, &self.event.served_count.to_string()],
                    )));
                }
                Some(TakeBack::Exported { worker_name }) => {
                    self.session[at].exported = true;
                    let key = ctx
                        .keymap
                        .key_for(Context::QuickEntry, Action::Attendees)
                        .map(|k| k.to_string())
                        .unwrap_or_default();
                    self.feedback = Some(Feedback::Problem(tf(
                        ctx.lang,
                        T::QuickUndoExported,
                        &[&worker_name, &key],
                    )));
                }
                Some(_) => {
                    // Withdrawn elsewhere meanwhile: not this sitting's to take back any more.
                    let gone = self.session.remove(at);
                    self.after_change(ctx);
                    self.feedback = Some(Feedback::Note(tf(
                        ctx.lang,
                        T::QuickUndoGone,
                        &[&gone.name],
                    )));
                }
                None => {
                    self.session.remove(at);
                    continue;
                }
            }
            return;
        }
        self.feedback = Some(Feedback::Note(ctx.t(T::QuickNothingToUndo).into()));
    }

    /// Ctrl-R: puts back the record this sitting's undo took last.
    fn redo(&mut self, ctx: &mut Ctx) {
        let Some(record) = self.undone.pop() else {
            self.feedback = Some(Feedback::Note(ctx.t(T::QuickNothingToRedo).into()));
            return;
        };
        let outcome = match ctx.store.redo_event_service(&record.service_uid) {
            Ok(outcome) => outcome,
            Err(e) => {
                self.undone.push(record);
                return self.problem(ctx, &e);
            }
        };
        let name = record.name.clone();
        let (key, style_note) = match outcome {
            Some(TakeBack::Done { .. }) => {
                ctx.wrote = true;
                self.session.push(record);
                self.after_change(ctx);
                self.feedback = Some(Feedback::Recorded(tf(
                    ctx.lang,
                    T::QuickRedone,
                    &[&name, &self.event.served_count.to_string()],
                )));
                return;
            }
            Some(TakeBack::Exported { .. }) => (T::QuickRedoExported, false),
            Some(TakeBack::ServedAgain { .. }) => (T::QuickRedoServedAgain, true),
            Some(TakeBack::Unchanged { .. }) | None => (T::QuickUndoGone, true),
        };
        let text = tf(ctx.lang, key, &[&name]);
        self.feedback = Some(if style_note {
            Feedback::Note(text)
        } else {
            Feedback::Problem(text)
        });
    }

    /// The running count and the change detection of `resume` after an undo or a redo.
    fn after_change(&mut self, ctx: &mut Ctx) {
        self.reload_event(ctx);
        self.latest_seen = self.latest_service(ctx);
    }

    /// F3: the worker form with whatever the line holds, an ID number or a name.
    fn register(&mut self) -> Effect {
        let typed = self.line.value().trim().to_string();
        let (id_number, name) = if typed.chars().any(|c| c.is_ascii_digit()) {
            (clean_id_input(&typed), String::new())
        } else {
            (String::new(), typed)
        };
        Effect::Push(Route::NewWorkerAtEvent {
            id_number,
            name,
            event: Box::new(self.event.clone()),
        })
    }

    fn move_selection(&mut self, by: isize) {
        let last = self.hits.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + by).clamp(0, last.max(0)) as usize;
        self.chosen = true;
    }

    fn feedback_line(&self) -> Option<(Style, String)> {
        Some(match self.feedback.as_ref()? {
            Feedback::Recorded(text) => (
                Style::default()
                    .fg(Color::Green)
                    .add_modifier(Modifier::BOLD),
                format!("✓ {text}"),
            ),
            Feedback::Undone(text) => (Style::default().fg(Color::Yellow), format!("↶ {text}")),
            Feedback::Note(text) => (Style::default().fg(Color::Cyan), format!("· {text}")),
            Feedback::Problem(text) => (Style::default().fg(Color::Red), format!("✗ {text}")),
        })
    }

    fn hit_line(&self, hit: &SearchHit, lang: Lang, width: usize) -> String {
        let sex = match hit.gender.as_str() {
            "female" => t(lang, T::Female),
            _ => t(lang, T::Male),
        };
        let age = age_on(hit.birth_date, self.today).to_string();
        let fixed = [16usize, 18, 8];
        let rest = width.saturating_sub(fixed.iter().sum::<usize>() + fixed.len() + 2);
        [
            fit(&hit.name, fixed[0]),
            fit(&mask_id_number(&hit.id_number), fixed[1]),
            fit(&tf(lang, T::SexAge, &[sex, &age]), fixed[2]),
            fit(&hit.employer, rest),
        ]
        .join(" ")
    }

    fn render_rows(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let row = |y: u16| Rect::new(area.x, area.y + y, area.width, 1);
        let height = usize::from(area.height.saturating_sub(1));
        self.page_height.set(height.max(1));
        let width = usize::from(area.width);
        if !self.line.value().trim().is_empty() && self.hits_query == self.line.value() {
            let heading = if self.hits.is_empty() {
                let key = view.key(Context::QuickEntry, Action::NewWorker);
                tf(lang, T::QuickNoMatch, &[&key])
            } else {
                let key = view.key(Context::QuickEntry, Action::Confirm);
                tf(lang, T::QuickMatches, &[&self.hits_total.to_string(), &key])
            };
            frame.render_widget(Paragraph::new(format!(" {heading}")).style(bold), row(0));
            let top = (self.selected + 1).saturating_sub(height);
            for (n, hit) in self.hits.iter().enumerate().skip(top).take(height) {
                let selected = n == self.selected;
                let style = if selected {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default()
                };
                let marker = if selected { "▸ " } else { "  " };
                frame.render_widget(
                    Paragraph::new(format!("{marker}{}", self.hit_line(hit, lang, width)))
                        .style(style),
                    row(1 + (n - top) as u16),
                );
            }
            return;
        }
        if self.session.is_empty() {
            let key = |a| view.key(Context::QuickEntry, a);
            let hints = [
                tf(lang, T::QuickHintId, &[&key(Action::Confirm)]),
                t(lang, T::QuickHintName).to_string(),
                t(lang, T::QuickHintNew).to_string(),
                tf(
                    lang,
                    T::QuickHintKeys,
                    &[
                        &key(Action::Undo),
                        &key(Action::Redo),
                        &key(Action::Attendees),
                    ],
                ),
            ];
            if needs_form(&self.event).is_some() {
                frame.render_widget(
                    Paragraph::new(format!(" {}", t(lang, T::QuickNeedsForm)))
                        .style(Style::default().fg(Color::Yellow)),
                    row(0),
                );
            }
            for (i, hint) in hints.iter().enumerate() {
                frame.render_widget(
                    Paragraph::new(format!(" · {hint}"))
                        .style(Style::default().add_modifier(Modifier::DIM)),
                    row(1 + i as u16),
                );
            }
            return;
        }
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                tf(lang, T::QuickSession, &[&self.session.len().to_string()])
            ))
            .style(bold),
            row(0),
        );
        for (n, r) in self.session.iter().rev().take(height).enumerate() {
            let text = format!(
                "  {} {} {}",
                fit(&r.at, 8),
                fit(&r.name, 16),
                fit(&r.masked_id, 18)
            );
            frame.render_widget(Paragraph::new(text), row(1 + n as u16));
        }
    }
}

impl Screen for QuickEntryScreen {
    fn context(&self) -> Context {
        if self.duplicate.is_some() {
            Context::Repeat
        } else {
            Context::QuickEntry
        }
    }

    fn title(&self, lang: Lang) -> String {
        tf(lang, T::QuickTitle, &[&self.event.input.name])
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Some((confirm, worker)) = self.duplicate.take() {
            // Typing on means the officer has moved to the next worker: not again, and the
            // keys start the next entry instead of being lost.
            let typing = matches!(input, Input::Text(_));
            match confirm.handle(&input) {
                Answer::Yes => return self.record(worker, ctx),
                Answer::Undecided if !typing => {
                    self.duplicate = Some((confirm, worker));
                    return Effect::None;
                }
                Answer::No | Answer::Undecided => {
                    self.feedback = Some(Feedback::Note(tf(
                        ctx.lang,
                        T::QuickNotTwice,
                        &[&worker.input.name],
                    )));
                    self.clear_line();
                    if !typing {
                        return Effect::None;
                    }
                }
            }
        }
        let page = self.page_height.get().max(1) as isize;
        match input {
            Input::Action(Action::Confirm) => return self.enter(ctx),
            Input::Action(Action::Undo) => self.undo(ctx),
            Input::Action(Action::Redo) => self.redo(ctx),
            Input::Action(Action::Attendees) => {
                return Effect::Push(Route::Attendees(Box::new(self.event.clone())));
            }
            Input::Action(Action::NewWorker) => return self.register(),
            Input::Action(Action::Up) => self.move_selection(-1),
            Input::Action(Action::Down) => self.move_selection(1),
            Input::Action(Action::PageUp) => self.move_selection(-page),
            Input::Action(Action::PageDown) => self.move_selection(page),
            Input::Action(Action::Back) => {
                if self.line.value().is_empty() {
                    return Effect::Back;
                }
                self.clear_line();
            }
            Input::Action(_) => {}
            Input::Text(edit) => {
                if self.line.apply(&edit) {
                    self.selected = 0;
                    self.chosen = false;
                    self.search(ctx);
                }
            }
        }
        Effect::None
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload_event(ctx);
        let Ok(latest) = ctx.store.event_attendees(&self.event.uid, 0, 1) else {
            return;
        };
        let Some(latest) = latest.into_iter().next() else {
            self.latest_seen = None;
            return;
        };
        if self.latest_seen.as_deref() == Some(latest.service_uid.as_str()) {
            return;
        }
        // A form opened from here (a new worker, a health check) recorded this one.
        self.note_recorded(
            latest.service_uid,
            &latest.worker_name,
            &latest.id_number,
            ctx,
        );
        self.clear_line();
    }

    fn on_msg(&mut self, msg: &mut AppMsg, _ctx: &mut Ctx) -> Option<Effect> {
        let AppMsg::Search(reply) = msg else {
            return None;
        };
        if let Reply::Search {
            request, result, ..
        } = reply
            && Some(request.seq) == self.awaited
        {
            self.awaited = None;
            if request.query == self.line.value() {
                self.accept(&request.query, result.clone());
            }
            return Some(Effect::None);
        }
        None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 8 {
            return;
        }
        let lang = view.lang;
        let width = usize::from(area.width.saturating_sub(2));
        let line = |y: u16| Rect::new(area.x + 1, area.y + y, area.width.saturating_sub(2), 1);
        frame.render_widget(
            Paragraph::new(fit(&event_summary(&self.event, lang), width))
                .style(Style::default().add_modifier(Modifier::DIM)),
            line(0),
        );
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    tf(lang, T::QuickTally, &[&self.event.served_count.to_string()]),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(tf(
                    lang,
                    T::QuickSessionCount,
                    &[&self.session.len().to_string()],
                )),
            ])),
            line(1),
        );

        // The input line: label, then the field to the right edge.
        let label = format!("{}{}", t(lang, T::QuickLabel), lang.pick("：", ": "));
        let label_w = Line::from(label.as_str()).width() as u16;
        let y = area.y + 3;
        frame.render_widget(
            Paragraph::new(Span::styled(
                label,
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Rect::new(area.x + 1, y, label_w, 1),
        );
        let field = Rect::new(
            area.x + 1 + label_w,
            y,
            area.width.saturating_sub(label_w + 2),
            1,
        );
        let underlined = Style::default().add_modifier(Modifier::UNDERLINED);
        frame.render_widget(Paragraph::new("").style(underlined), field);
        let caret = self.line.render(field, frame.buffer_mut(), underlined);
        if self.duplicate.is_none() {
            frame.set_cursor_position(caret);
        }
        if let Some((style, text)) = self.feedback_line() {
            frame.render_widget(Paragraph::new(fit(&text, width)).style(style), line(4));
        }

        let rows = Rect::new(
            area.x,
            area.y + 6,
            area.width,
            area.height.saturating_sub(6),
        );
        self.render_rows(frame, rows, view);

        if let Some((confirm, _)) = &self.duplicate {
            confirm.render(frame, area, lang, view.keymap);
        }
    }

    fn footer(&self) -> Vec<Action> {
        vec![
            Action::Confirm,
            Action::Undo,
            Action::Redo,
            Action::Attendees,
            // F3 is named by the hints and by "no match"; the footer has room for five keys.
            Action::Back,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_id;

    #[test]
    fn fifteen_or_more_digits_are_an_id_number_not_a_search() {
        assert!(looks_like_id("130102198506123314"));
        assert!(looks_like_id("1301 0219 8506 1233 1x"));
        assert!(looks_like_id("130102850612331"));
        assert!(!looks_like_id("3314"));
        assert!(!looks_like_id("13812345678"));
        assert!(!looks_like_id("王建国"));
        assert!(!looks_like_id("wjg"));
    }
}
