//! The service events, newest first: where an officer makes an event, starts quick entry at
//! one, looks at who was served, or imports a roster. Events are few next to workers, yet the
//! list still reads only a window of rows around the selection. An event is corrected (`e`)
//! or withdrawn with a reason (`w`); when attendees' services are recorded in it, the officer
//! is asked whether to withdraw them too.

use super::{Ctx, Effect, Screen, View};
use crate::domain::{Event, refdata};
use crate::store::corrections::AttendeeServices;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::AppMsg;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::confirm::{Answer, Confirm};
use crate::tui::widgets::fit;
use crate::tui::widgets::labels::event_summary;
use crate::tui::widgets::paged::Paged;
use crate::tui::widgets::reason_prompt::{REASON_CONTEXT, ReasonAnswer, ReasonPrompt};
use crate::tui::widgets::sheet_prompt::{SHEET_CONTEXT, SheetPrinter};
use crate::tui::widgets::table::{ListTable, unread_row};
use crate::tui::widgets::width::right;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Paragraph;
use ratatui::widgets::Row;

pub struct EventsScreen {
    list: Paged<Event>,
    error: Option<String>,
    table: ListTable,
    withdrawal: Option<Withdrawal>,
    sheet: SheetPrinter,
}

/// An event's withdrawal in its two steps: the reason, then (with attendee services) whether
/// to withdraw those too.
enum Withdrawal {
    Reason(Event, ReasonPrompt),
    Attendees {
        event: Event,
        reason: String,
        confirm: Confirm,
    },
}

impl EventsScreen {
    pub fn open(ctx: &mut Ctx) -> EventsScreen {
        let mut screen = EventsScreen {
            list: Paged::default(),
            error: None,
            table: ListTable::new(10),
            withdrawal: None,
            sheet: SheetPrinter::default(),
        };
        screen.reload(ctx);
        screen
    }

    /// The next step of a withdrawal under way.
    fn handle_withdrawal(&mut self, step: Withdrawal, input: &Input, ctx: &mut Ctx) {
        let lang = ctx.lang;
        match step {
            Withdrawal::Reason(event, mut prompt) => match prompt.handle(input, lang) {
                ReasonAnswer::Given(reason) => match ctx.store.live_services_in_event(&event.uid) {
                    Ok(0) => self.withdraw(&event, &reason, AttendeeServices::Refuse, ctx),
                    Ok(count) => {
                        let question =
                            tf(lang, T::WithdrawAttendeesQuestion, &[&count.to_string()]);
                        self.withdrawal = Some(Withdrawal::Attendees {
                            event,
                            reason,
                            confirm: Confirm::new(question),
                        });
                    }
                    Err(e) => ctx.say(tf(lang, T::Error, &[&e.message(lang)])),
                },
                ReasonAnswer::Cancelled => {}
                ReasonAnswer::Undecided => {
                    self.withdrawal = Some(Withdrawal::Reason(event, prompt))
                }
            },
            Withdrawal::Attendees {
                event,
                reason,
                confirm,
            } => match confirm.handle(input) {
                Answer::Yes => self.withdraw(&event, &reason, AttendeeServices::WithdrawToo, ctx),
                Answer::No => ctx.say(t(lang, T::EventNotWithdrawn)),
                Answer::Undecided => {
                    self.withdrawal = Some(Withdrawal::Attendees {
                        event,
                        reason,
                        confirm,
                    })
                }
            },
        }
    }

    fn withdraw(
        &mut self,
        event: &Event,
        reason: &str,
        attendees: AttendeeServices,
        ctx: &mut Ctx,
    ) {
        let lang = ctx.lang;
        match ctx
            .store
            .withdraw_event(&event.uid, reason, attendees, Some(event.version))
        {
            Ok(done) => {
                ctx.wrote = true;
                ctx.say(tf(
                    lang,
                    T::EventWithdrawn,
                    &[&event.input.name, &done.services_withdrawn.to_string()],
                ));
                self.reload(ctx);
            }
            Err(e) => ctx.say(tf(lang, T::Error, &[&e.message(lang)])),
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        let store = &*ctx.store;
        let result = store.live_event_count().and_then(|n| {
            self.list
                .reset(n, |offset, limit| store.events(offset, limit))
        });
        self.error = result.err().map(|e| e.message(ctx.lang));
    }

    fn move_to(&mut self, target: isize, ctx: &mut Ctx) {
        let store = &*ctx.store;
        let result = self
            .list
            .move_to(target, |offset, limit| store.events(offset, limit));
        self.error = result.err().map(|e| e.message(ctx.lang));
    }

    fn selected_event(&self) -> Option<Event> {
        self.list.selected_row().cloned()
    }
}

/// Column widths: date, name (takes the rest), kind, place, district, workers served. English
/// kind names are longer than the Chinese (带薪休假补贴 is the longest at 12 columns).
fn widths(total: usize, lang: Lang) -> [usize; 6] {
    let kind = match lang {
        Lang::Zh => 12,
        Lang::En => 14,
    };
    let fixed = [10usize, 0, kind, 14, 8, 6];
    let used: usize = fixed.iter().sum::<usize>() + fixed.len() - 1 + 2;
    let name = total.saturating_sub(used).max(8);
    [fixed[0], name, fixed[2], fixed[3], fixed[4], fixed[5]]
}

/// The cells of a row, each fitted to its column's width.
fn cells(texts: [&str; 6], widths: &[usize; 6]) -> Vec<String> {
    let mut out: Vec<String> = texts[..5]
        .iter()
        .zip(widths)
        .map(|(c, w)| fit(c, *w))
        .collect();
    // The count reads best right-aligned, under its heading's end.
    out.push(right(texts[5], widths[5]));
    out
}

impl Screen for EventsScreen {
    fn context(&self) -> Context {
        if self.sheet.is_open() {
            return SHEET_CONTEXT;
        }
        match &self.withdrawal {
            Some(Withdrawal::Reason(..)) => REASON_CONTEXT,
            Some(Withdrawal::Attendees { .. }) => Context::Confirm,
            None => Context::Events,
        }
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::EventsTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if self.sheet.is_open() {
            self.sheet.handle(&input, ctx);
            return Effect::None;
        }
        if let Some(step) = self.withdrawal.take() {
            self.handle_withdrawal(step, &input, ctx);
            return Effect::None;
        }
        if let Input::Action(action) = &input
            && let Some(target) = self
                .table
                .target(action, self.list.selected(), self.list.total())
        {
            self.move_to(target, ctx);
            return Effect::None;
        }
        match input {
            Input::Action(Action::Confirm) => {
                if let Some(event) = self.selected_event() {
                    return Effect::Push(Route::QuickEntry(Box::new(event)));
                }
            }
            Input::Action(Action::NewEvent) => {
                return Effect::Push(Route::NewEvent);
            }
            Input::Action(Action::Attendees) => {
                if let Some(event) = self.selected_event() {
                    return Effect::Push(Route::Attendees(Box::new(event)));
                }
            }
            Input::Action(Action::Edit) => {
                if let Some(event) = self.selected_event() {
                    return Effect::Push(Route::EditEvent(Box::new(event)));
                }
            }
            Input::Action(Action::Withdraw) => {
                if let Some(event) = self.selected_event() {
                    let question = tf(ctx.lang, T::WithdrawEventQuestion, &[&event.input.name]);
                    self.withdrawal = Some(Withdrawal::Reason(event, ReasonPrompt::new(question)));
                }
            }
            Input::Action(Action::PrintSheet) => {
                if let Some(event) = self.selected_event() {
                    self.sheet.open(&event, ctx);
                }
            }
            Input::Action(Action::ImportRoster) => {
                return Effect::Push(Route::RosterImport(self.selected_event().map(Box::new)));
            }
            Input::Action(Action::Back) => return Effect::Back,
            _ => {}
        }
        Effect::None
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn on_msg(&mut self, msg: &mut AppMsg, ctx: &mut Ctx) -> Option<Effect> {
        self.sheet.on_msg(msg, ctx).map(|()| Effect::None)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.render_list(frame, area, view);
        self.sheet.render(frame, area, view.lang, view.keymap);
        match &self.withdrawal {
            Some(Withdrawal::Reason(_, prompt)) => {
                prompt.render(frame, area, view.lang, view.keymap)
            }
            Some(Withdrawal::Attendees { confirm, .. }) => {
                confirm.render(frame, area, view.lang, view.keymap)
            }
            None => {}
        }
    }

    fn footer(&self) -> Vec<Action> {
        vec![
            Action::Confirm,
            Action::NewEvent,
            Action::ImportRoster,
            Action::Attendees,
            Action::PrintSheet,
            Action::Edit,
            Action::Withdraw,
            Action::Back,
        ]
    }
}

impl EventsScreen {
    fn render_list(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 5 {
            return;
        }
        let lang = view.lang;
        let heading = match &self.error {
            Some(message) => tf(lang, T::Error, &[message]),
            None if self.list.total() == 1 => t(lang, T::EventsCountOne).to_string(),
            None => tf(lang, T::EventsCount, &[&self.list.total().to_string()]),
        };
        frame.render_widget(
            Paragraph::new(format!(" {heading}"))
                .style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x, area.y, area.width, 1),
        );
        let widths = widths(usize::from(area.width), lang);
        let header = Row::new(cells(
            [
                t(lang, T::ColDate),
                t(lang, T::ColEventName),
                t(lang, T::ColKind),
                t(lang, T::ColPlace),
                t(lang, T::ColDistrict),
                t(lang, T::ColServed),
            ],
            &widths,
        ));
        // The last line tells the selected event in full (per-person quantity and amount).
        let list = Rect::new(area.x, area.y + 2, area.width, area.height - 4);
        self.table.render(
            frame,
            list,
            Some(header),
            &widths,
            (self.list.selected(), self.list.total()),
            |index| match self.list.get(index) {
                Some(e) => Row::new(cells(
                    [
                        &e.held_on.format("%Y-%m-%d").to_string(),
                        &e.input.name,
                        &refdata::service_kind_name(&e.input.kind, lang),
                        &e.input.place,
                        &refdata::district_name(&e.input.district_code, lang),
                        &e.people_count.to_string(),
                    ],
                    &widths,
                )),
                None => unread_row(),
            },
        );
        if self.list.total() == 0 {
            let key = view.key(Context::Events, Action::NewEvent);
            frame.render_widget(
                Paragraph::new(format!("  {}", tf(lang, T::NoEventsYet, &[&key]))),
                Rect::new(list.x, list.y + 2, list.width, 1),
            );
            return;
        }
        if let Some(event) = self.list.selected_row() {
            // The row cuts long places; this line has room for them and for what each gets.
            frame.render_widget(
                Paragraph::new(fit(
                    &event_summary(event, lang),
                    usize::from(area.width.saturating_sub(2)),
                ))
                .style(Style::default().add_modifier(Modifier::DIM)),
                Rect::new(
                    area.x + 1,
                    area.bottom() - 1,
                    area.width.saturating_sub(2),
                    1,
                ),
            );
        }
    }
}
