//! Quick entry at an event: one line. A full ID number of a registered worker and Enter record
//! the event's service at once (19 keys in all); an unknown but valid number opens the worker
//! form, prefilled, which records the service when saved; a name, pinyin or ID tail lists
//! matches to pick from. A worker already served in the event is asked about first, one key
//! takes back the last record of this sitting (another puts it back), and the attendee list is
//! one key away. Needs the worker asks for are ticked by digits after one key shows the
//! catalog, and raised with the record.

mod draw;
mod needs;
mod undo;

use super::{Ctx, Effect, Screen, View};
use crate::domain::idcard::clean_id_input;
use crate::domain::refdata::{self, KindForm};
use crate::domain::{Event, Worker, mask_id_number, parse_id_number};
use crate::store::{SearchHit, SearchPage};
use crate::text::Lang;
use crate::tui::action::{Action, Input, TextEdit};
use crate::tui::jobs::AppMsg;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::search::Reply;
use crate::tui::text::{T, tf};
use crate::tui::widgets::confirm::{Answer, Confirm};
use crate::tui::widgets::table::ListTable;
use crate::tui::widgets::text_field::TextField;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

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
    /// The needs ticked and raised with it: undo and redo take them along.
    needs: Vec<String>,
}

pub struct QuickEntryScreen {
    event: Event,
    line: TextField,
    feedback: Option<Feedback>,
    /// Matches of the name, pinyin or number typed, for the query in `hits_query`.
    hits: Vec<SearchHit>,
    /// Uids among `hits` the event has already served, marked in the list.
    served_hits: std::collections::HashSet<String>,
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
    /// Needs ticked for the next worker recorded.
    needs: needs::NeedTicks,
    /// Needs raised for a worker whose service a form opened from here is recording.
    raised_for_form: Vec<String>,
    today: NaiveDate,
    table: ListTable,
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

impl QuickEntryScreen {
    pub fn open(event: Event, ctx: &mut Ctx) -> QuickEntryScreen {
        let mut screen = QuickEntryScreen {
            event,
            line: TextField::default(),
            feedback: None,
            hits: Vec::new(),
            served_hits: Default::default(),
            hits_query: String::new(),
            hits_total: 0,
            selected: 0,
            chosen: false,
            awaited: None,
            session: Vec::new(),
            undone: Vec::new(),
            latest_seen: None,
            duplicate: None,
            needs: Default::default(),
            raised_for_form: Vec::new(),
            today: ctx.store.clock().today(),
            table: ListTable::new(8),
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

    /// Forgets a problem shown about the line once the line is cleared or typed again.
    fn drop_problem(&mut self) {
        if matches!(self.feedback, Some(Feedback::Problem(_))) {
            self.feedback = None;
        }
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

    fn accept(
        &mut self,
        query: &str,
        result: Result<SearchPage, String>,
        store: &crate::store::Store,
    ) {
        match result {
            Ok(page) => {
                let uids: Vec<&str> = page.hits.iter().map(|h| h.uid.as_str()).collect();
                self.served_hits = store
                    .served_among(&self.event.uid, &uids)
                    .unwrap_or_default();
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
            self.accept(&typed, result.map_err(|e| e.message(ctx.lang)), ctx.store);
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
        // Raised before the service, which answers them when its kind does.
        let Some(raised) = self.raise_ticked(&worker.uid, ctx) else {
            return Effect::None;
        };
        if needs_form(&self.event).is_some() {
            self.raised_for_form = raised;
            return Effect::Push(Route::ServiceAtEvent {
                worker: Box::new(worker),
                event: Box::new(self.event.clone()),
            });
        }
        match ctx.store.record_event_service(&self.event.uid, &worker.uid) {
            Ok(record) => {
                ctx.wrote = true;
                self.reload_event(ctx);
                let count = raised.len();
                self.note_recorded(
                    record.uid,
                    &worker.input.name,
                    &worker.input.id_number,
                    raised,
                    ctx,
                );
                self.say_needs_raised(count, ctx);
                self.clear_line();
            }
            Err(e) => self.problem(ctx, &e),
        }
        Effect::None
    }

    /// Raises the needs ticked for this worker and clears the ticks; `None` (the problem
    /// shown, nothing recorded) when the store refused them. Returns the needs raised.
    fn raise_ticked(&mut self, worker_uid: &str, ctx: &mut Ctx) -> Option<Vec<String>> {
        if self.needs.is_empty() {
            self.needs.clear();
            return Some(Vec::new());
        }
        match ctx.store.raise_needs(worker_uid, &self.needs.codes()) {
            Ok(raised) => {
                ctx.wrote = true;
                self.needs.clear();
                Some(raised)
            }
            Err(e) => {
                self.problem(ctx, &e);
                None
            }
        }
    }

    fn say_needs_raised(&mut self, raised: usize, ctx: &Ctx) {
        if let (Some(Feedback::Recorded(text)), true) = (&mut self.feedback, raised > 0) {
            text.push_str(&tf(ctx.lang, T::QuickNeedsRaised, &[&raised.to_string()]));
        }
    }

    fn note_recorded(
        &mut self,
        service_uid: String,
        name: &str,
        id_number: &str,
        needs: Vec<String>,
        ctx: &Ctx,
    ) {
        let masked_id = mask_id_number(id_number);
        self.feedback = Some(Feedback::Recorded(tf(
            ctx.lang,
            T::QuickRecorded,
            &[
                name,
                &masked_id,
                &self.event.people_count.to_string(),
                &self.event.served_count.to_string(),
            ],
        )));
        self.latest_seen = Some(service_uid.clone());
        self.session.push(Recorded {
            service_uid,
            name: name.to_string(),
            masked_id,
            at: ctx.store.clock().now().format("%H:%M:%S").to_string(),
            exported: false,
            needs,
        });
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
        match input {
            Input::Action(Action::Confirm) => return self.enter(ctx),
            Input::Action(Action::Undo) => self.undo(ctx),
            Input::Action(Action::Redo) => self.redo(ctx),
            Input::Action(Action::Attendees) => {
                return Effect::Push(Route::Attendees(Box::new(self.event.clone())));
            }
            Input::Action(Action::NewWorker) => return self.register(),
            Input::Action(Action::QuickNeeds) => self.needs.toggle_shown(),
            // While the needs row shows, digits tick needs rather than type.
            Input::Text(TextEdit::Insert(c)) if self.needs.shown && self.needs.tick(c) => {}
            // Home and End stay with the typed line.
            Input::Action(
                action @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown),
            ) => {
                self.table
                    .move_selection(&action, &mut self.selected, self.hits.len());
                self.chosen = true;
            }
            Input::Action(Action::Back) => {
                if self.line.value().is_empty() {
                    return Effect::Back;
                }
                // A problem reported about the line goes with it.
                self.clear_line();
                self.drop_problem();
                ctx.unsay();
            }
            Input::Action(_) => {}
            Input::Text(edit) => {
                if self.line.apply(&edit) {
                    self.drop_problem();
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
        // Raised before a form that may have been left without recording: theirs only if
        // the form recorded the service now seen.
        let mut raised = std::mem::take(&mut self.raised_for_form);
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
        // A form opened from here (a new worker, a health check) recorded this one; the
        // needs ticked before the worker was registered go with them.
        raised.extend(
            self.raise_ticked(&latest.worker_uid, ctx)
                .unwrap_or_default(),
        );
        let count = raised.len();
        self.note_recorded(
            latest.service_uid,
            &latest.worker_name,
            &latest.id_number,
            raised,
            ctx,
        );
        self.say_needs_raised(count, ctx);
        self.clear_line();
    }

    fn on_msg(&mut self, msg: &mut AppMsg, ctx: &mut Ctx) -> Option<Effect> {
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
                self.accept(&request.query, result.clone(), ctx.store);
            }
            return Some(Effect::None);
        }
        None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.draw(frame, area, view);
    }

    fn footer(&self) -> Vec<Action> {
        vec![
            Action::Confirm,
            Action::Undo,
            Action::Redo,
            Action::Attendees,
            // F3 is named by the hints and by "no match", the needs key above the line; the
            // footer has room for five keys.
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
