//! The unsaved drafts, newest first: which form, for whom, when last typed in. Enter opens
//! the form, which offers the draft back as it always does; `d` discards one. The home screen
//! announces how many there are, so half-typed work is not forgotten on the next day.

use super::{Ctx, Effect, Screen, View};
use crate::domain::refdata;
use crate::store::drafts::DraftRow;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::table::ListTable;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Row};

/// Drafts listed at most: one per form and record, so far more than an officer keeps.
const LIMIT: usize = 200;

struct Item {
    row: DraftRow,
    /// "免费查体：王建国", in the UI language.
    what: String,
}

pub struct DraftsScreen {
    items: Vec<Item>,
    selected: usize,
    table: ListTable,
}

impl DraftsScreen {
    pub fn open(ctx: &mut Ctx) -> DraftsScreen {
        let mut screen = DraftsScreen {
            items: Vec::new(),
            selected: 0,
            table: ListTable::new(10),
        };
        screen.reload(ctx);
        screen
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        let rows = match ctx.store.drafts(LIMIT) {
            Ok(rows) => rows,
            Err(e) => {
                ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)]));
                Vec::new()
            }
        };
        self.items = rows
            .into_iter()
            .map(|row| Item {
                what: describe(&row.form_key, ctx),
                row,
            })
            .collect();
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }
}

/// What a draft key names, in words: the form and the worker or event it is for.
fn describe(key: &str, ctx: &Ctx) -> String {
    let lang = ctx.lang;
    let worker = |uid: &str| {
        ctx.store
            .worker_by_uid(uid)
            .ok()
            .flatten()
            .map(|w| w.input.name)
            .unwrap_or_else(|| "?".into())
    };
    let event = |uid: &str| {
        ctx.store
            .event_by_uid(uid)
            .ok()
            .flatten()
            .map(|e| e.input.name)
            .unwrap_or_else(|| "?".into())
    };
    let (kind, rest) = key.split_once(':').unwrap_or((key, ""));
    match (kind, rest) {
        ("worker", "new") => t(lang, T::WorkerNewTitle).to_string(),
        ("worker", uid) => tf(lang, T::DraftEditWorker, &[&worker(uid)]),
        ("event", _) => t(lang, T::EventNewTitle).to_string(),
        ("event-edit", uid) => tf(lang, T::DraftEditEvent, &[&event(uid)]),
        ("service", rest) => {
            let (uid, form) = rest.split_once(':').unwrap_or((rest, ""));
            let title = match form {
                "health_check" => T::HealthTitle,
                "legal_aid" => T::LegalTitle,
                _ => T::ServiceTitle,
            };
            tf(lang, title, &[&worker(uid)])
        }
        ("service-edit", uid) => {
            let service = ctx.store.service_by_uid(uid).ok().flatten();
            match service {
                Some(s) => tf(
                    lang,
                    T::DraftEditService,
                    &[
                        &refdata::service_kind_name(&s.kind, lang),
                        &worker(&s.worker_uid),
                    ],
                ),
                None => tf(lang, T::DraftEditService, &["?", "?"]),
            }
        }
        _ => key.to_string(),
    }
}

impl Screen for DraftsScreen {
    fn context(&self) -> Context {
        Context::Drafts
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::DraftsTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Input::Action(action) = &input
            && self
                .table
                .move_selection(action, &mut self.selected, self.items.len())
        {
            return Effect::None;
        }
        match input {
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(Action::Confirm) => {
                if let Some(item) = self.items.get(self.selected) {
                    return Effect::Push(Route::Draft(item.row.form_key.clone()));
                }
            }
            Input::Action(Action::Delete) => {
                if let Some(item) = self.items.get(self.selected) {
                    match ctx.store.clear_draft(&item.row.form_key) {
                        Ok(()) => ctx.say(tf(ctx.lang, T::DraftDiscarded, &[&item.what])),
                        Err(e) => ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)])),
                    }
                    self.reload(ctx);
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                tf(lang, T::DraftsCount, &[&self.items.len().to_string()])
            ))
            .style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x, area.y, area.width, 1),
        );
        if self.items.is_empty() {
            frame.render_widget(
                Paragraph::new(format!("  {}", view.t(T::DraftsNone))),
                Rect::new(area.x, area.y + 2, area.width, 1),
            );
            return;
        }
        let time_w = 16;
        let what_w = usize::from(area.width).saturating_sub(time_w + 4).max(10);
        let widths = [time_w, what_w];
        let header = Row::new([
            fit(view.t(T::ColDraftSaved), time_w),
            fit(view.t(T::ColDraftForm), what_w),
        ]);
        self.table.render(
            frame,
            Rect::new(
                area.x,
                area.y + 2,
                area.width,
                area.height.saturating_sub(2),
            ),
            Some(header),
            &widths,
            (self.selected, self.items.len()),
            |index| {
                let item = &self.items[index];
                let when = item
                    .row
                    .updated_at
                    .get(..16)
                    .unwrap_or("")
                    .replace('T', " ");
                Row::new([fit(&when, time_w), fit(&item.what, what_w)])
            },
        );
    }

    fn footer(&self) -> Vec<Action> {
        vec![Action::Confirm, Action::Delete, Action::Back, Action::Help]
    }
}
