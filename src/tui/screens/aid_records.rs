//! One worker's needs (诉求) and mutual-aid claims, one per row, to put right by hand: close an
//! open need (the worker no longer asks, or it was met elsewhere) with an optional note, or
//! withdraw a need or a claim recorded by mistake, with its reason. Both ask first in a popup;
//! Enter there is the confirmation, Esc leaves everything as it was.

use super::{Ctx, Effect, Screen, View};
use crate::domain::Worker;
use crate::domain::claims::claim_type_name;
use crate::domain::format_fen;
use crate::domain::needs::{Need, NeedState, need_kind_name};
use crate::store::claims::Claim;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::text::{T, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::reason_prompt::{REASON_CONTEXT, ReasonAnswer, ReasonPrompt};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The keys of this screen are the worker page's: the same close and withdraw keys.
const CONTEXT: Context = Context::Detail;

/// A row of the list.
#[derive(Debug, Clone)]
enum AidRecord {
    Need(Need),
    Claim(Claim),
}

impl AidRecord {
    fn uid(&self) -> &str {
        match self {
            AidRecord::Need(n) => &n.uid,
            AidRecord::Claim(c) => &c.uid,
        }
    }
}

/// What the popup will do once confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Close {
        uid: String,
        version: i64,
        label: String,
    },
    WithdrawNeed {
        uid: String,
        version: i64,
        label: String,
    },
    WithdrawClaim {
        uid: String,
        version: i64,
        label: String,
    },
}

pub struct AidRecordsScreen {
    worker: Worker,
    rows: Vec<AidRecord>,
    selected: usize,
    asking: Option<(Pending, ReasonPrompt)>,
}

fn need_label(n: &Need, lang: Lang) -> String {
    format!("{} {}", need_kind_name(&n.kind, lang), n.raised_on)
}

fn claim_label(c: &Claim, lang: Lang) -> String {
    format!(
        "{} ¥{}",
        claim_type_name(&c.claim_type, lang),
        format_fen(c.amount_fen)
    )
}

impl AidRecordsScreen {
    /// The list for live worker `uid`, or `None` (with a message) when there is none.
    pub fn open(uid: &str, ctx: &mut Ctx) -> Option<AidRecordsScreen> {
        let worker = match ctx.store.worker_by_uid(uid) {
            Ok(Some(w)) if !w.deleted => w,
            _ => {
                ctx.say(ctx.t(T::WorkerGone));
                return None;
            }
        };
        let mut screen = AidRecordsScreen {
            worker,
            rows: Vec::new(),
            selected: 0,
            asking: None,
        };
        screen.reload(ctx);
        Some(screen)
    }

    /// Reads the rows again; the selection stays on the record it was on (a closed need
    /// moves below the open ones) or, when that one is gone, at the same place.
    fn reload(&mut self, ctx: &mut Ctx) {
        let kept = self.rows.get(self.selected).map(|r| r.uid().to_string());
        let uid = &self.worker.uid;
        let needs = ctx.store.needs_of_worker(uid).unwrap_or_default();
        let claims = ctx.store.claims_of_worker(uid).unwrap_or_default();
        self.rows = needs
            .into_iter()
            .map(AidRecord::Need)
            .chain(claims.into_iter().map(AidRecord::Claim))
            .collect();
        if let Some(at) = kept.and_then(|uid| self.rows.iter().position(|r| r.uid() == uid)) {
            self.selected = at;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn ask_close(&mut self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        match self.rows.get(self.selected) {
            Some(AidRecord::Need(n)) if n.state == NeedState::Open => {
                let label = need_label(n, lang);
                let question = tf(
                    lang,
                    T::CloseNeedQuestion,
                    &[&self.worker.input.name, &label],
                );
                let pending = Pending::Close {
                    uid: n.uid.clone(),
                    version: n.version,
                    label,
                };
                self.asking = Some((pending, ReasonPrompt::optional_note(question)));
            }
            // The store's own refusal names the state (answered, closed) or the record.
            Some(AidRecord::Need(n)) => {
                let refused = crate::domain::needs::check_close(n.state)
                    .err()
                    .map(|e| e.message(lang))
                    .unwrap_or_default();
                ctx.say(tf(lang, T::Error, &[&refused]));
            }
            _ => ctx.say(ctx.t(T::NothingSelected)),
        }
    }

    fn ask_withdraw(&mut self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let name = self.worker.input.name.clone();
        let (pending, question) = match self.rows.get(self.selected) {
            Some(AidRecord::Need(n)) => {
                let label = need_label(n, lang);
                let question = tf(lang, T::WithdrawNeedQuestion, &[&name, &label]);
                let pending = Pending::WithdrawNeed {
                    uid: n.uid.clone(),
                    version: n.version,
                    label,
                };
                (pending, question)
            }
            Some(AidRecord::Claim(c)) => {
                let label = claim_label(c, lang);
                let question = tf(lang, T::WithdrawClaimQuestion, &[&name, &label]);
                let pending = Pending::WithdrawClaim {
                    uid: c.uid.clone(),
                    version: c.version,
                    label,
                };
                (pending, question)
            }
            None => {
                ctx.say(ctx.t(T::NothingSelected));
                return;
            }
        };
        self.asking = Some((pending, ReasonPrompt::new(question)));
    }

    /// Carries out what the popup confirmed, at the version shown.
    fn carry_out(&mut self, pending: Pending, answer: &str, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let (result, said) = match &pending {
            Pending::Close {
                uid,
                version,
                label,
            } => (
                ctx.store
                    .close_need(uid, answer, Some(*version))
                    .map(|_| ()),
                tf(lang, T::NeedClosedSaid, &[label]),
            ),
            Pending::WithdrawNeed {
                uid,
                version,
                label,
            } => (
                ctx.store
                    .withdraw_need(uid, answer, Some(*version))
                    .map(|_| ()),
                tf(lang, T::Withdrawn, &[label]),
            ),
            Pending::WithdrawClaim {
                uid,
                version,
                label,
            } => (
                ctx.store
                    .withdraw_claim(uid, answer, Some(*version))
                    .map(|_| ()),
                tf(lang, T::Withdrawn, &[label]),
            ),
        };
        match result {
            Ok(()) => {
                ctx.wrote = true;
                ctx.say(said);
            }
            Err(e) => ctx.say(tf(lang, T::Error, &[&e.message(lang)])),
        }
        self.reload(ctx);
    }

    fn row_text(record: &AidRecord, lang: Lang) -> String {
        match record {
            AidRecord::Need(n) => {
                let mut text = format!(
                    "{}  {}  {}",
                    need_label(n, lang),
                    n.state.name(lang),
                    n.settled_on.map(|d| d.to_string()).unwrap_or_default()
                );
                for note in [&n.note, &n.close_note] {
                    if !note.is_empty() {
                        text.push_str("  ");
                        text.push_str(note);
                    }
                }
                text
            }
            AidRecord::Claim(c) => format!(
                "{}  {}  {}",
                claim_label(c, lang),
                c.progress.status.name(lang),
                c.created_at.get(..10).unwrap_or("")
            ),
        }
    }
}

impl Screen for AidRecordsScreen {
    fn context(&self) -> Context {
        if self.asking.is_some() {
            REASON_CONTEXT
        } else {
            CONTEXT
        }
    }

    fn title(&self, lang: Lang) -> String {
        tf(lang, T::AidRecordsTitle, &[&self.worker.input.name])
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Some((pending, mut prompt)) = self.asking.take() {
            match prompt.handle(&input, ctx.lang) {
                ReasonAnswer::Given(answer) => self.carry_out(pending, &answer, ctx),
                ReasonAnswer::Cancelled => {}
                ReasonAnswer::Undecided => self.asking = Some((pending, prompt)),
            }
            return Effect::None;
        }
        let last = self.rows.len().saturating_sub(1);
        match input {
            Input::Action(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Input::Action(Action::Down) => self.selected = (self.selected + 1).min(last),
            Input::Action(Action::Home | Action::PageUp) => self.selected = 0,
            Input::Action(Action::End | Action::PageDown) => self.selected = last,
            Input::Action(Action::CloseNeed) => self.ask_close(ctx),
            Input::Action(Action::Withdraw) => self.ask_withdraw(ctx),
            Input::Action(Action::Back) => return Effect::Back,
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
        let mut lines = vec![Line::styled(
            fit(
                &tf(
                    lang,
                    T::AidRecordsHint,
                    &[
                        &view.key(CONTEXT, Action::CloseNeed),
                        &view.key(CONTEXT, Action::Withdraw),
                        &view.key(CONTEXT, Action::Back),
                    ],
                ),
                room,
            ),
            Style::default().add_modifier(Modifier::DIM),
        )];
        if self.rows.is_empty() {
            lines.push(Line::from(view.t(T::AidRecordsNone)));
        }
        for (i, record) in self.rows.iter().enumerate() {
            let style = if i == self.selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            lines.push(Line::styled(
                fit(&Self::row_text(record, lang), room),
                style,
            ));
        }
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(
                area.x + 1,
                area.y,
                area.width.saturating_sub(2),
                area.height,
            ),
        );
        if let Some((_, prompt)) = &self.asking {
            prompt.render(frame, area, lang, view.keymap);
        }
    }

    fn footer(&self) -> Vec<Action> {
        vec![
            Action::CloseNeed,
            Action::Withdraw,
            Action::Up,
            Action::Down,
            Action::Help,
            Action::Back,
        ]
    }
}
