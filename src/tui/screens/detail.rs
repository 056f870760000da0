//! One worker: the profile and every service, newest first, each legal-aid visit showing the
//! visit it continues, and the worker's legal-aid cases with their amounts. From here the
//! officer logs services, corrects or withdraws the selected one, edits the worker, or
//! withdraws the worker; a withdrawal asks for its reason. `X` erases the worker's personal
//! data on request, once the officer has typed the reason code and confirmed. Its needs and
//! mutual-aid claims show under the profile: `n` ticks needs, `m` records a claim, `u` takes
//! the newest unsettled claim a step, `x` lists them to close a need or withdraw a mistake.

mod focus;
mod layout;
mod profile;
mod rows;

use super::{Ctx, Effect, Screen, View};
use crate::domain::refdata::{self, KindForm};
use crate::domain::{Service, Worker};
use crate::store::legal_cases::LegalCase;
use crate::store::receipts::ReturnedRecordRow;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, tf};
use crate::tui::widgets::aid_lines::AidSummary;
use crate::tui::widgets::fit;
use crate::tui::widgets::reason_prompt::{REASON_CONTEXT, ReasonAnswer, ReasonPrompt};
use crate::tui::widgets::table::ListTable;
use crate::tui::widgets::width::wrap;
use chrono::NaiveDate;
use focus::Focus;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Wrap};

pub struct DetailScreen {
    worker: Worker,
    services: Vec<Service>,
    cases: Vec<LegalCase>,
    aid: AidSummary,
    /// Records of this worker the city returned, waiting to go again.
    returns: Vec<ReturnedRecordRow>,
    selected: usize,
    /// A withdrawal waiting for its reason.
    withdrawing: Option<(Withdrawal, ReasonPrompt)>,
    today: NaiveDate,
    table: ListTable,
    /// Which records the list shows: all, or the answer to one of the page's questions.
    focus: Focus,
    /// Indexes into `services` of the records shown.
    shown: Vec<usize>,
}

/// What the reason popup will withdraw.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Withdrawal {
    /// A service, at the version shown (a change made elsewhere meanwhile is not overwritten).
    Service {
        uid: String,
        version: i64,
        label: String,
    },
    Worker,
    /// The worker's personal data, erased on request; the answer is a reason code.
    Erasure,
}

impl DetailScreen {
    /// The live worker `uid`, or `None` (with a message) when there is none.
    pub fn open(uid: &str, ctx: &mut Ctx) -> Option<DetailScreen> {
        let worker = match ctx.store.worker_by_uid(uid) {
            Ok(Some(w)) if !w.deleted => w,
            Ok(_) => {
                ctx.say(ctx.t(T::WorkerGone));
                return None;
            }
            Err(e) => {
                ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)]));
                return None;
            }
        };
        let services = ctx.store.services_of_worker(uid).unwrap_or_default();
        let cases = ctx.store.legal_cases_of_worker(uid).unwrap_or_default();
        let returns = ctx.store.open_returns_of_worker(uid).unwrap_or_default();
        Some(
            DetailScreen {
                worker,
                services,
                cases,
                aid: AidSummary::of(ctx.store, uid),
                returns,
                selected: 0,
                withdrawing: None,
                today: ctx.store.clock().today(),
                table: ListTable::new(10),
                focus: Focus::All,
                shown: Vec::new(),
            }
            .refocused(),
        )
    }

    fn refocused(mut self) -> DetailScreen {
        self.refocus();
        self
    }

    /// Recomputes the records shown after the records or the focus changed.
    fn refocus(&mut self) {
        self.shown = focus::shown(&self.focus, &self.services, &self.cases, self.today);
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// The selected record among those shown.
    fn current(&self) -> Option<&Service> {
        self.shown
            .get(self.selected)
            .and_then(|&i| self.services.get(i))
    }

    /// Narrows the list to `focus` (or shows all again when it is already narrowed so).
    fn set_focus(&mut self, focus: Focus, ctx: &mut Ctx) {
        self.focus = if self.focus == focus && focus != Focus::All {
            Focus::All
        } else {
            focus
        };
        self.selected = 0;
        self.refocus();
        if self.shown.is_empty() && self.focus != Focus::All {
            ctx.say(ctx.t(T::FocusEmpty));
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        if let Ok(Some(w)) = ctx.store.worker_by_uid(&self.worker.uid) {
            self.worker = w;
        }
        self.services = ctx
            .store
            .services_of_worker(&self.worker.uid)
            .unwrap_or_default();
        self.cases = ctx
            .store
            .legal_cases_of_worker(&self.worker.uid)
            .unwrap_or_default();
        self.returns = ctx
            .store
            .open_returns_of_worker(&self.worker.uid)
            .unwrap_or_default();
        self.aid = AidSummary::of(ctx.store, &self.worker.uid);
        self.today = ctx.store.clock().today();
        self.refocus();
    }

    /// The form for a new service of this worker.
    fn new_service(&self, form: KindForm) -> Route {
        Route::NewService {
            worker: Box::new(self.worker.clone()),
            form,
        }
    }

    /// Opens the form of the selected service's kind, filled with its values.
    fn edit_selected(&self, ctx: &mut Ctx) -> Effect {
        let Some(service) = self.current() else {
            ctx.say(ctx.t(T::NothingSelected));
            return Effect::None;
        };
        Effect::Push(Route::EditService {
            worker: Box::new(self.worker.clone()),
            service: Box::new(service.clone()),
        })
    }

    /// Carries out a withdrawal whose reason was given.
    fn withdraw(&mut self, what: Withdrawal, reason: &str, ctx: &mut Ctx) -> Effect {
        let lang = ctx.lang;
        let result = match &what {
            Withdrawal::Service { uid, version, .. } => ctx
                .store
                .withdraw_service(uid, reason, Some(*version))
                .map(|_| 0),
            Withdrawal::Worker => ctx
                .store
                .withdraw_worker(&self.worker.uid, reason, Some(self.worker.version))
                .map(|_| 0),
            Withdrawal::Erasure => ctx
                .store
                .erase_worker(&self.worker.uid, reason)
                .map(|e| e.services as i64),
        };
        match result {
            Ok(services) => {
                ctx.wrote = true;
                match what {
                    Withdrawal::Service { label, .. } => {
                        ctx.say(tf(lang, T::Withdrawn, &[&label]));
                        self.reload(ctx);
                        Effect::None
                    }
                    Withdrawal::Worker => {
                        ctx.say(tf(lang, T::Withdrawn, &[&self.worker.input.name]));
                        Effect::Back
                    }
                    Withdrawal::Erasure => {
                        ctx.say(tf(lang, T::Erased, &[&services.to_string()]));
                        Effect::Back
                    }
                }
            }
            Err(e) => {
                ctx.say(tf(lang, T::Error, &[&e.message(lang)]));
                Effect::None
            }
        }
    }

    /// The date of the visit a legal-aid visit continues, when it continues one.
    fn follows_date(&self, s: &Service) -> Option<String> {
        let follows = s.legal.as_ref()?.follows_uid.as_deref()?;
        let earlier = self.services.iter().find(|e| e.uid == follows)?;
        Some(earlier.served_on.format("%Y-%m-%d").to_string())
    }
}

impl Screen for DetailScreen {
    fn context(&self) -> Context {
        if self.withdrawing.is_some() {
            REASON_CONTEXT
        } else {
            Context::Detail
        }
    }

    fn title(&self, lang: Lang) -> String {
        tf(lang, T::DetailTitle, &[&self.worker.input.name])
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Some((what, mut prompt)) = self.withdrawing.take() {
            match prompt.handle(&input, ctx.lang) {
                ReasonAnswer::Given(reason) => return self.withdraw(what, &reason, ctx),
                ReasonAnswer::Cancelled => {}
                ReasonAnswer::Undecided => self.withdrawing = Some((what, prompt)),
            }
            return Effect::None;
        }
        if let Input::Action(action) = &input
            && self
                .table
                .move_selection(action, &mut self.selected, self.shown.len())
        {
            return Effect::None;
        }
        match input {
            // Esc first shows every record again, then leaves.
            Input::Action(Action::Back) if self.focus != Focus::All => {
                self.set_focus(Focus::All, ctx);
            }
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(Action::FilterKind) => {
                let answers = focus::answers(&self.services, &self.cases, self.today);
                let next = focus::next_kind(&self.focus, &answers);
                self.focus = Focus::All;
                self.set_focus(next, ctx);
            }
            Input::Action(Action::OpenCases) => self.set_focus(Focus::OpenCases, ctx),
            Input::Action(Action::FollowUps) => self.set_focus(Focus::FollowUps, ctx),
            Input::Action(Action::Edit) => {
                return Effect::Push(Route::EditWorker(Box::new(self.worker.clone())));
            }
            Input::Action(Action::Confirm) => return self.edit_selected(ctx),
            Input::Action(Action::Withdraw) => match self.current() {
                Some(s) => {
                    let label = format!(
                        "{} {}",
                        s.served_on.format("%Y-%m-%d"),
                        refdata::service_kind_name(&s.kind, ctx.lang)
                    );
                    let question = tf(
                        ctx.lang,
                        T::WithdrawServiceQuestion,
                        &[&self.worker.input.name, &label],
                    );
                    let what = Withdrawal::Service {
                        uid: s.uid.clone(),
                        version: s.version,
                        label,
                    };
                    self.withdrawing = Some((what, ReasonPrompt::new(question)));
                }
                None => ctx.say(ctx.t(T::NothingSelected)),
            },
            Input::Action(Action::Delete) => {
                let question = tf(
                    ctx.lang,
                    T::WithdrawWorkerQuestion,
                    &[&self.worker.input.name],
                );
                self.withdrawing = Some((Withdrawal::Worker, ReasonPrompt::new(question)));
            }
            Input::Action(Action::Erase) => {
                let question = tf(ctx.lang, T::EraseWorkerQuestion, &[&self.worker.input.name]);
                self.withdrawing = Some((Withdrawal::Erasure, ReasonPrompt::erasure(question)));
            }
            Input::Action(Action::LogHealthCheck) => {
                return Effect::Push(self.new_service(KindForm::HealthCheck));
            }
            Input::Action(Action::LogLegalAid) => {
                return Effect::Push(self.new_service(KindForm::LegalAid));
            }
            Input::Action(Action::LogService) => {
                return Effect::Push(self.new_service(KindForm::Plain));
            }
            Input::Action(Action::AddNeed) => {
                return Effect::Push(Route::Needs(self.worker.uid.clone()));
            }
            Input::Action(Action::CloseNeed) => {
                return Effect::Push(Route::AidRecords(self.worker.uid.clone()));
            }
            Input::Action(Action::LogClaim) => {
                return Effect::Push(Route::NewClaim(Box::new(self.worker.clone())));
            }
            Input::Action(Action::UpdateClaim) => match self.aid.unsettled_claim() {
                Some(claim) => {
                    let worker = Box::new(self.worker.clone());
                    let claim = Box::new(claim.clone());
                    return Effect::Push(Route::ClaimStep { worker, claim });
                }
                None => ctx.say(ctx.t(T::NoOpenClaim)),
            },
            _ => {}
        }
        Effect::None
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let room = usize::from(area.width).saturating_sub(2).max(1);
        let profile = layout::pack(self.profile_lines(lang), room);
        let profile_height = profile.len() as u16;
        frame.render_widget(
            Paragraph::new(profile),
            Rect::new(
                area.x + 1,
                area.y,
                area.width.saturating_sub(2),
                profile_height,
            ),
        );
        // The page's next questions, each with its key: this year by kind, open cases,
        // follow-ups due.
        let answers = focus::answers(&self.services, &self.cases, self.today);
        let keys = [Action::FilterKind, Action::OpenCases, Action::FollowUps]
            .map(|a| view.key(Context::Detail, a));
        let summary = focus::summary_rows(&answers, lang, [&keys[0], &keys[1], &keys[2]], room);
        let summary_height = summary.len() as u16;
        frame.render_widget(
            Paragraph::new(
                summary
                    .iter()
                    .map(|row| Line::from(fit(row, room)))
                    .collect::<Vec<_>>(),
            )
            .style(Style::default().fg(Color::Cyan)),
            Rect::new(
                area.x + 1,
                area.y + profile_height,
                area.width.saturating_sub(2),
                summary_height,
            ),
        );
        let mut y = area.y + profile_height + summary_height;
        if let Some(text) = self.returned_line(lang) {
            // Two rows at most: the reasons of many returned records end in "…".
            let room = usize::from(area.width).saturating_sub(2);
            let rows: Vec<Line> = wrap(&text, room, 2)
                .into_iter()
                .take(2)
                .map(|row| Line::from(fit(&row, room)))
                .collect();
            let height = rows.len() as u16;
            frame.render_widget(
                Paragraph::new(rows)
                    .style(Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)),
                Rect::new(area.x + 1, y, area.width.saturating_sub(2), height),
            );
            y += height;
        }
        let heading = match focus::label(&self.focus, &answers, lang) {
            Some(label) => tf(
                lang,
                T::FocusHeading,
                &[
                    &label,
                    &self.shown.len().to_string(),
                    &self.services.len().to_string(),
                ],
            ),
            None => tf(
                lang,
                T::ServicesHeading,
                &[&self.services.len().to_string()],
            ),
        };
        frame.render_widget(
            Paragraph::new(heading).style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
        );
        y += 1;
        if self.shown.is_empty() {
            let none = match self.focus {
                Focus::All => T::NoServices,
                _ => T::FocusEmpty,
            };
            frame.render_widget(
                Paragraph::new(format!("  {}", view.t(none))),
                Rect::new(area.x, y, area.width, 1),
            );
        } else {
            // English kind names run longer ("Free health check").
            let kind_w = match lang {
                Lang::Zh => 12,
                Lang::En => 17,
            };
            let widths = [10usize, kind_w, 14, 8];
            let used: usize = widths.iter().sum::<usize>() + widths.len() + 3;
            let details_w = usize::from(area.width).saturating_sub(used).max(6);
            let cells = |date: &str, kind: &str, place: &str, details: &str, officer: &str| {
                Row::new([
                    fit(date, widths[0]),
                    fit(kind, widths[1]),
                    fit(place, widths[2]),
                    fit(details, details_w),
                    fit(officer, widths[3]),
                ])
            };
            let header = cells(
                view.t(T::ColDate),
                view.t(T::ColKind),
                view.t(T::ColPlace),
                view.t(T::ColDetails),
                view.t(T::ColOfficer),
            );
            // The last two lines show the selected record in full.
            let list_height = area.bottom().saturating_sub(y + 1).saturating_sub(2);
            self.table.render(
                frame,
                Rect::new(area.x, y, area.width, list_height + 1),
                Some(header),
                &[widths[0], widths[1], widths[2], details_w, widths[3]],
                (self.selected, self.shown.len()),
                |index| {
                    let s = &self.services[self.shown[index]];
                    let mut details = rows::details(s, lang);
                    if let Some(date) = self.follows_date(s) {
                        details = format!("{} {details}", tf(lang, T::FollowsShort, &[&date]));
                    }
                    cells(
                        &s.served_on.format("%Y-%m-%d").to_string(),
                        &refdata::service_kind_name(&s.kind, lang),
                        &s.place,
                        &details,
                        &s.officer_name,
                    )
                },
            );
            if let Some(s) = self.current() {
                let full = format!(
                    "{} {}: {}",
                    s.served_on.format("%Y-%m-%d"),
                    refdata::service_kind_name(&s.kind, lang),
                    rows::details(s, lang)
                );
                frame.render_widget(
                    Paragraph::new(full)
                        .wrap(Wrap { trim: true })
                        .style(Style::default().add_modifier(Modifier::DIM)),
                    Rect::new(
                        area.x + 1,
                        area.bottom().saturating_sub(2),
                        area.width.saturating_sub(2),
                        2,
                    ),
                );
            }
        }
        if let Some((_, prompt)) = &self.withdrawing {
            prompt.render(frame, area, lang, view.keymap);
        }
    }

    fn footer(&self) -> Vec<Action> {
        vec![
            Action::LogHealthCheck,
            Action::LogLegalAid,
            Action::LogService,
            Action::Confirm,
            Action::Withdraw,
            Action::Edit,
            Action::AddNeed,
            Action::LogClaim,
            Action::UpdateClaim,
            Action::Delete,
            Action::Erase,
            Action::Help,
            Action::Back,
        ]
    }
}
