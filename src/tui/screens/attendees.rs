//! The workers served in one event, the latest recorded first, a window of rows at a time.
//! Enter opens a worker; `w` withdraws the selected service with a reason. ID numbers are
//! masked.

use super::{Ctx, Effect, Screen, View};
use crate::domain::{Event, mask_id_number, refdata};
use crate::store::event_entry::EventAttendee;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::AppMsg;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::labels::event_summary;
use crate::tui::widgets::paged::Paged;
use crate::tui::widgets::reason_prompt::{REASON_CONTEXT, ReasonAnswer, ReasonPrompt};
use crate::tui::widgets::sheet_prompt::{SHEET_CONTEXT, SheetPrinter};
use crate::tui::widgets::table::{ListTable, unread_row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Row};

pub struct AttendeesScreen {
    event: Event,
    list: Paged<EventAttendee>,
    error: Option<String>,
    table: ListTable,
    /// The attendee whose service is being withdrawn, and the popup asking why.
    withdrawing: Option<(EventAttendee, ReasonPrompt)>,
    sheet: SheetPrinter,
}

impl AttendeesScreen {
    pub fn open(event: Event, ctx: &mut Ctx) -> AttendeesScreen {
        let mut screen = AttendeesScreen {
            event,
            list: Paged::default(),
            error: None,
            table: ListTable::new(10),
            withdrawing: None,
            sheet: SheetPrinter::default(),
        };
        screen.reload(ctx);
        screen
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match ctx.store.event_by_uid(&self.event.uid) {
            Ok(Some(event)) => self.event = event,
            Ok(None) => {}
            Err(e) => {
                self.error = Some(e.message(ctx.lang));
                return;
            }
        }
        let (store, uid) = (&*ctx.store, &self.event.uid);
        let total = self.event.served_count.max(0) as usize;
        let result = self.list.reset(total, |offset, limit| {
            store.event_attendees(uid, offset, limit)
        });
        self.error = result.err().map(|e| e.message(ctx.lang));
    }

    fn move_to(&mut self, target: isize, ctx: &mut Ctx) {
        let (store, uid) = (&*ctx.store, &self.event.uid);
        let result = self.list.move_to(target, |offset, limit| {
            store.event_attendees(uid, offset, limit)
        });
        self.error = result.err().map(|e| e.message(ctx.lang));
    }
}

/// "2026-03-15T09:30:12.345+08:00" as "2026-03-15 09:30".
fn recorded_at(stamp: &str) -> String {
    stamp.get(..16).unwrap_or(stamp).replace('T', " ")
}

impl Screen for AttendeesScreen {
    fn context(&self) -> Context {
        if self.sheet.is_open() {
            SHEET_CONTEXT
        } else if self.withdrawing.is_some() {
            REASON_CONTEXT
        } else {
            Context::Attendees
        }
    }

    fn title(&self, lang: Lang) -> String {
        tf(lang, T::AttendeesTitle, &[&self.event.input.name])
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if self.sheet.is_open() {
            self.sheet.handle(&input, ctx);
            return Effect::None;
        }
        if let Some((row, mut prompt)) = self.withdrawing.take() {
            let lang = ctx.lang;
            match prompt.handle(&input, lang) {
                ReasonAnswer::Given(reason) => {
                    match ctx.store.withdraw_service(&row.service_uid, &reason, None) {
                        Ok(_) => {
                            ctx.wrote = true;
                            ctx.say(tf(lang, T::Withdrawn, &[&row.worker_name]));
                            self.reload(ctx);
                        }
                        Err(e) => ctx.say(tf(lang, T::Error, &[&e.message(lang)])),
                    }
                }
                ReasonAnswer::Cancelled => {}
                ReasonAnswer::Undecided => self.withdrawing = Some((row, prompt)),
            }
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
                if let Some(row) = self.list.selected_row() {
                    return Effect::Push(Route::WorkerDetail(row.worker_uid.clone()));
                }
            }
            Input::Action(Action::Withdraw) => {
                if let Some(row) = self.list.selected_row().cloned() {
                    let kind = refdata::service_kind_name(&self.event.input.kind, ctx.lang);
                    let question = tf(
                        ctx.lang,
                        T::WithdrawServiceQuestion,
                        &[&row.worker_name, &kind],
                    );
                    self.withdrawing = Some((row, ReasonPrompt::new(question)));
                }
            }
            Input::Action(Action::PrintSheet) => self.sheet.open(&self.event, ctx),
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
        if let Some((_, prompt)) = &self.withdrawing {
            prompt.render(frame, area, view.lang, view.keymap);
        }
    }

    fn footer(&self) -> Vec<Action> {
        vec![
            Action::Confirm,
            Action::Withdraw,
            // PgDn gave its place at 80 columns: the page keys are the usual ones, and F1
            // lists them.
            Action::PrintSheet,
            Action::Back,
            Action::Help,
        ]
    }
}

impl AttendeesScreen {
    fn render_list(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 5 {
            return;
        }
        let lang = view.lang;
        let width = usize::from(area.width.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(fit(&event_summary(&self.event, lang), width))
                .style(Style::default().add_modifier(Modifier::DIM)),
            Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), 1),
        );
        let heading = match &self.error {
            Some(message) => tf(lang, T::Error, &[message]),
            None => tf(lang, T::AttendeesCount, &[&self.list.total().to_string()]),
        };
        frame.render_widget(
            Paragraph::new(heading).style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), 1),
        );
        // Columns: order of recording, name, ID number (masked), when recorded.
        let widths = [5usize, 16, 18, 16];
        let cells = |texts: [&str; 4]| -> Vec<String> {
            texts.iter().zip(widths).map(|(c, w)| fit(c, w)).collect()
        };
        let header = Row::new(cells([
            "#",
            t(lang, T::ColName),
            t(lang, T::ColIdNumber),
            t(lang, T::ColRecordedAt),
        ]));
        let list = Rect::new(area.x, area.y + 3, area.width, area.height - 3);
        let total = self.list.total();
        self.table.render(
            frame,
            list,
            Some(header),
            &widths,
            (self.list.selected(), total),
            |index| match self.list.get(index) {
                // Numbered in the order recorded: the latest, shown first, has the highest
                // number.
                Some(a) => Row::new(cells([
                    &(total - index).to_string(),
                    &a.worker_name,
                    &mask_id_number(&a.id_number),
                    &recorded_at(&a.recorded_at),
                ])),
                None => unread_row(),
            },
        );
        if total == 0 {
            frame.render_widget(
                Paragraph::new(format!("  {}", t(lang, T::AttendeesNone))),
                Rect::new(list.x, list.y + 1, list.width, list.height - 1),
            );
        }
    }
}
