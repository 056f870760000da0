//! The needs checklist (诉求): what the worker asks for, ticked from the catalog. Opened from
//! the worker's page and offered after a health check or legal-aid visit is saved; Esc skips
//! it. Needs already open are shown as such and cannot be ticked twice. Below the list, an
//! optional note (the row after the last need) goes with every need ticked.

use super::{Ctx, Effect, Screen, View};
use crate::domain::needs::{NeedDraft, NeedState, need_kinds, validate_need};
use crate::domain::{Field, Worker};
use crate::text::Lang;
use crate::tui::action::{Action, Input, TextEdit};
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::popup::{centered, clear_popup_area};
use crate::tui::widgets::shown;
use crate::tui::widgets::text_field::TextField;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

pub struct NeedsScreen {
    worker: Worker,
    /// Per catalog entry: ticked now, and already open for this worker.
    ticked: Vec<bool>,
    open: Vec<bool>,
    /// A need's row, or `ticked.len()` for the note.
    selected: usize,
    note: TextField,
}

impl NeedsScreen {
    /// The checklist for live worker `uid`, or `None` (with a message) when there is none.
    pub fn open(uid: &str, ctx: &mut Ctx) -> Option<NeedsScreen> {
        let worker = match ctx.store.worker_by_uid(uid) {
            Ok(Some(w)) if !w.deleted => w,
            _ => {
                ctx.say(ctx.t(T::WorkerGone));
                return None;
            }
        };
        let needs = ctx.store.needs_of_worker(uid).unwrap_or_default();
        let open = need_kinds()
            .iter()
            .map(|k| {
                needs
                    .iter()
                    .any(|n| n.kind == k.code && n.state == NeedState::Open)
            })
            .collect();
        Some(NeedsScreen {
            worker,
            ticked: vec![false; need_kinds().len()],
            open,
            selected: 0,
            note: TextField::new(""),
        })
    }

    /// Records one need per ticked entry, all checked before the first is written.
    fn save(&mut self, ctx: &mut Ctx) -> Effect {
        let lang = ctx.lang;
        let today = ctx.store.clock().today();
        let mut inputs = Vec::new();
        for (kind, _) in need_kinds().iter().zip(&self.ticked).filter(|(_, on)| **on) {
            let draft = NeedDraft {
                kind: kind.code.clone(),
                note: self.note.value().to_string(),
                ..Default::default()
            };
            match validate_need(&draft, today, Some(self.worker.birth_date)) {
                Ok(input) => inputs.push(input),
                Err(errors) => {
                    let messages: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
                    ctx.say(tf(lang, T::SaveFailed, &[&messages.join("；")]));
                    return Effect::None;
                }
            }
        }
        if inputs.is_empty() {
            ctx.say(t(lang, T::NeedsNone));
            return Effect::Back;
        }
        for input in &inputs {
            if let Err(e) = ctx.store.add_need(&self.worker.uid, input) {
                ctx.say(tf(lang, T::SaveFailed, &[&e.message(lang)]));
                return Effect::None;
            }
        }
        ctx.wrote = true;
        ctx.say(tf(
            lang,
            T::NeedsSaved,
            &[&inputs.len().to_string(), &self.worker.input.name],
        ));
        Effect::Back
    }

    fn lines(&self, lang: Lang) -> Vec<Line<'static>> {
        need_kinds()
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let mark = if self.open[i] {
                    "[·]"
                } else if self.ticked[i] {
                    "[x]"
                } else {
                    "[ ]"
                };
                let open = if self.open[i] {
                    t(lang, T::NeedOpenMark)
                } else {
                    ""
                };
                let text = format!("{mark} {}{open}", kind.name(lang));
                let style = if i == self.selected {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else if self.open[i] {
                    Style::default().add_modifier(Modifier::DIM)
                } else {
                    Style::default()
                };
                Line::styled(text, style)
            })
            .collect()
    }
}

impl Screen for NeedsScreen {
    /// The checklist reads keys like a pop-up choice list: arrows, Enter, Esc; space ticks.
    fn context(&self) -> Context {
        Context::Picker
    }

    fn title(&self, lang: Lang) -> String {
        tf(lang, T::NeedsTitle, &[&self.worker.input.name])
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        let count = self.ticked.len();
        let on_note = self.selected == count;
        match input {
            Input::Action(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Input::Action(Action::Down) => self.selected = (self.selected + 1).min(count),
            Input::Action(Action::PageUp | Action::Home) => self.selected = 0,
            Input::Action(Action::PageDown | Action::End) => self.selected = count,
            Input::Text(edit) if on_note => {
                self.note.apply(&edit);
            }
            Input::Text(TextEdit::Insert(' ')) if !self.open[self.selected] => {
                self.ticked[self.selected] = !self.ticked[self.selected];
            }
            Input::Action(Action::Confirm) => return self.save(ctx),
            Input::Action(Action::Back) => return Effect::Back,
            _ => {}
        }
        Effect::None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lang = view.lang;
        let mut lines = self.lines(lang);
        let note_row = lines.len() as u16;
        let note_label = format!("{} ", Field::Note.label(lang));
        let note_style = if self.selected == self.ticked.len() {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        lines.push(Line::styled(note_label.clone(), note_style));
        lines.push(Line::from(""));
        lines.push(Line::styled(
            tf(
                lang,
                T::NeedsHint,
                &[
                    &view.key(Context::Picker, Action::Confirm),
                    &view.key(Context::Picker, Action::Back),
                ],
            ),
            Style::default().add_modifier(Modifier::DIM),
        ));
        let height = lines.len() as u16 + 2;
        let popup = centered(area, 50, height);
        clear_popup_area(popup, frame.buffer_mut());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(Style::default().add_modifier(Modifier::BOLD))
            .title(format!(
                " {} ",
                shown(&tf(lang, T::NeedsTitle, &[&self.worker.input.name]))
            ));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(
                inner.x + 1,
                inner.y,
                inner.width.saturating_sub(1),
                inner.height,
            ),
        );
        let label_width = Line::from(note_label.as_str()).width() as u16;
        let note_area = Rect::new(
            inner.x + 1 + label_width,
            inner.y + note_row,
            inner.width.saturating_sub(2 + label_width),
            1,
        );
        let caret = self
            .note
            .render(note_area, frame.buffer_mut(), Style::default());
        if self.selected == self.ticked.len() {
            // The input method draws its candidates at the real cursor.
            frame.set_cursor_position(caret);
        }
    }

    fn footer(&self) -> Vec<Action> {
        vec![Action::Confirm, Action::Back, Action::Up, Action::Down]
    }
}
