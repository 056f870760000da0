//! One worker: the profile and every service, newest first, each legal-aid visit showing the
//! visit it continues, and the worker's legal-aid cases with their amounts. From here the
//! officer logs services, corrects or withdraws the selected one, edits the worker, or
//! withdraws the worker; a withdrawal asks for its reason. `X` erases the worker's personal
//! data on request, once the officer has typed the reason code and confirmed. Its needs and
//! mutual-aid claims show under the profile: `n` ticks needs, `c` records a claim, `u` takes
//! the newest unsettled claim a step.

use super::{Ctx, Effect, Screen, View};
use crate::domain::idcard::age_on;
use crate::domain::refdata::{self, KindForm};
use crate::domain::{Field, Gender, Service, Worker, format_fen};
use crate::receipt::masked_reason;
use crate::store::legal_cases::LegalCase;
use crate::store::receipts::ReturnedRecordRow;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::aid_lines::AidSummary;
use crate::tui::widgets::labels::{case_text, hometown_name, membership_name};
use crate::tui::widgets::reason_prompt::{REASON_CONTEXT, ReasonAnswer, ReasonPrompt};
use crate::tui::widgets::table::ListTable;
use crate::tui::widgets::width::wrap;
use crate::tui::widgets::{fit, shown};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
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
        Some(DetailScreen {
            worker,
            services,
            cases,
            aid: AidSummary::of(ctx.store, uid),
            returns,
            selected: 0,
            withdrawing: None,
            today: ctx.store.clock().today(),
            table: ListTable::new(10),
        })
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
        self.selected = self.selected.min(self.services.len().saturating_sub(1));
        self.today = ctx.store.clock().today();
    }

    fn profile_lines(&self, lang: Lang) -> Vec<Line<'static>> {
        let w = &self.worker;
        let label = |s: &str| {
            Span::styled(
                format!("{s} "),
                Style::default().add_modifier(Modifier::DIM),
            )
        };
        let value = |s: String| Span::raw(format!("{}    ", shown(&s)));
        let sex = match w.gender {
            Gender::Male => t(lang, T::Male),
            Gender::Female => t(lang, T::Female),
        };
        let hometown = hometown_name(&w.hometown_code, lang);
        let district = refdata::district(&w.input.district_code)
            .map(|d| d.name(lang).to_string())
            .unwrap_or_else(|| "—".into());
        let membership = membership_name(w.input.membership, lang);
        let or_dash = |s: &str| {
            if s.trim().is_empty() {
                "—".to_string()
            } else {
                s.to_string()
            }
        };
        let mut lines = vec![
            Line::from(vec![
                label(Field::IdNumber.label(lang)),
                value(w.input.id_number.clone()),
                label(t(lang, T::GenderLabel)),
                value(sex.to_string()),
                label(t(lang, T::BirthLabel)),
                value(format!(
                    "{} ({})",
                    w.birth_date.format("%Y-%m-%d"),
                    tf(
                        lang,
                        T::Years,
                        &[&age_on(w.birth_date, self.today).to_string()]
                    )
                )),
                label(t(lang, T::HometownLabel)),
                value(hometown),
            ]),
            Line::from(vec![
                label(Field::Phone.label(lang)),
                value(or_dash(&w.input.phone)),
                label(Field::Employer.label(lang)),
                value(or_dash(&w.input.employer)),
                label(Field::Worksite.label(lang)),
                value(or_dash(&w.input.worksite)),
            ]),
            Line::from(vec![
                label(Field::Trade.label(lang)),
                value(or_dash(&w.input.trade)),
                label(Field::District.label(lang)),
                value(district),
                label(Field::Membership.label(lang)),
                value(membership.to_string()),
                label(Field::CardNo.label(lang)),
                value(or_dash(&w.input.card_no)),
                label(t(lang, T::HardshipLabel)),
                value(t(lang, if w.input.hardship { T::Yes } else { T::No }).to_string()),
            ]),
        ];
        if !w.input.note.trim().is_empty() {
            lines.push(Line::from(vec![
                label(Field::Note.label(lang)),
                value(w.input.note.clone()),
            ]));
        }
        if !self.cases.is_empty() {
            let open = self.cases.iter().filter(|c| c.open).count();
            let mut spans = vec![label(&tf(
                lang,
                T::LegalCasesLine,
                &[&self.cases.len().to_string(), &open.to_string()],
            ))];
            spans.extend(self.cases.iter().map(|c| value(case_text(c, lang))));
            lines.push(Line::from(spans));
        }
        for (heading, items) in self.aid.lines(lang) {
            let mut spans = vec![label(&heading)];
            spans.extend(items.into_iter().map(value));
            lines.push(Line::from(spans));
        }
        lines
    }

    /// What the city refused of this worker and why, so the officer corrects it before the
    /// next export; `None` when nothing waits.
    fn returned_line(&self, lang: Lang) -> Option<String> {
        if self.returns.is_empty() {
            return None;
        }
        let reasons: Vec<String> = self
            .returns
            .iter()
            .map(|r| {
                let kind = if r.table == "worker" {
                    T::ReturnedWorker
                } else {
                    T::ReturnedService
                };
                let reason = lang.pick(&r.reason_zh, &r.reason_en);
                masked_reason(&format!("{}: {reason}", t(lang, kind)))
            })
            .collect();
        let text = tf(lang, T::ReturnedByCity, &[&self.returns.len().to_string()]);
        Some(shown(&format!("{text}{}", reasons.join(lang.pick("；", "; ")))).into_owned())
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
        let Some(service) = self.services.get(self.selected) else {
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

    /// What a service was, in one line: amounts, health or legal-aid details.
    fn details(&self, s: &Service, lang: Lang) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(h) = &s.health {
            if !h.provider.is_empty() {
                parts.push(h.provider.clone());
            }
            if !h.blood_pressure.is_empty() {
                parts.push(tf(lang, T::BloodPressureShort, &[&h.blood_pressure]));
            }
            if let Some(g) = h.glucose_tenths {
                parts.push(tf(
                    lang,
                    T::GlucoseShort,
                    &[&format!("{}.{}", g / 10, g % 10)],
                ));
            }
            if !h.findings.is_empty() {
                parts.push(h.findings.clone());
            }
            if h.referral {
                parts.push(t(lang, T::NeedsReferral).to_string());
            }
            if let Some(d) = h.follow_up_on {
                parts.push(tf(
                    lang,
                    T::FollowUpShort,
                    &[&d.format("%Y-%m-%d").to_string()],
                ));
            }
        }
        if let Some(l) = &s.legal {
            if let Some(c) = refdata::legal_aid_category(&l.category) {
                parts.push(c.name(lang).to_string());
            }
            if let Some(st) = refdata::legal_aid_status(&l.status) {
                parts.push(st.name(lang).to_string());
            }
            parts.push(tf(lang, T::Claimed, &[&format_fen(l.claimed_fen)]));
            parts.push(tf(lang, T::Recovered, &[&format_fen(l.recovered_fen)]));
            if !l.description.is_empty() {
                parts.push(l.description.clone());
            }
        }
        if s.health.is_none() && s.legal.is_none() {
            if s.quantity != 1 {
                parts.push(tf(lang, T::QuantityShort, &[&s.quantity.to_string()]));
            }
            if s.amount_fen != 0 {
                parts.push(format!("¥{}", format_fen(s.amount_fen)));
            }
        }
        if !s.note.is_empty() {
            parts.push(s.note.clone());
        }
        shown(&parts.join(" · ")).into_owned()
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
                .move_selection(action, &mut self.selected, self.services.len())
        {
            return Effect::None;
        }
        match input {
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(Action::Edit) => {
                return Effect::Push(Route::EditWorker(Box::new(self.worker.clone())));
            }
            Input::Action(Action::Confirm) => return self.edit_selected(ctx),
            Input::Action(Action::Withdraw) => match self.services.get(self.selected) {
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
        let profile = self.profile_lines(lang);
        // Rows once wrapped (a long line in English takes two at 80 columns).
        let room = usize::from(area.width).saturating_sub(2).max(1);
        let profile_height = profile
            .iter()
            .map(|l| {
                // Trailing spaces do not wrap to a row of their own (`trim`).
                let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                let width = Line::from(text.trim_end()).width();
                width.div_ceil(room).max(1) as u16
            })
            .sum::<u16>();
        frame.render_widget(
            Paragraph::new(profile).wrap(Wrap { trim: true }),
            Rect::new(
                area.x + 1,
                area.y,
                area.width.saturating_sub(2),
                profile_height + 1,
            ),
        );
        let mut y = area.y + profile_height + 1;
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
        frame.render_widget(
            Paragraph::new(tf(
                lang,
                T::ServicesHeading,
                &[&self.services.len().to_string()],
            ))
            .style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
        );
        y += 1;
        if self.services.is_empty() {
            frame.render_widget(
                Paragraph::new(format!("  {}", view.t(T::NoServices))),
                Rect::new(area.x, y, area.width, 1),
            );
        } else {
            let widths = [10usize, 12, 14, 8];
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
                (self.selected, self.services.len()),
                |index| {
                    let s = &self.services[index];
                    let mut details = self.details(s, lang);
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
            if let Some(s) = self.services.get(self.selected) {
                let full = format!(
                    "{} {}: {}",
                    s.served_on.format("%Y-%m-%d"),
                    refdata::service_kind_name(&s.kind, lang),
                    self.details(s, lang)
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
            Action::AddNeed,
            Action::LogClaim,
            Action::UpdateClaim,
            Action::Confirm,
            Action::Withdraw,
            Action::Edit,
            Action::Delete,
            Action::Erase,
            Action::Help,
            Action::Back,
        ]
    }
}
