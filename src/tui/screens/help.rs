//! Every key of the screen underneath and of every screen, read from the keymap actually
//! loaded, so help never disagrees with the keys.

use super::{Ctx, Effect, Screen, View};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::{Binding, Chord, Context, Keymap};
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::cell::Cell;

pub struct HelpScreen {
    under: Context,
    scroll: usize,
    page_height: Cell<usize>,
}

impl HelpScreen {
    pub fn new(under: Context) -> HelpScreen {
        HelpScreen {
            under,
            scroll: 0,
            page_height: Cell::new(20),
        }
    }

    fn lines(&self, view: &View, width: usize) -> Vec<Line<'static>> {
        let lang = view.lang;
        let heading = |text: String| {
            Line::from(Span::styled(
                text,
                Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ))
        };
        let binding_line = |b: &Binding| {
            let keys = if b.keys.is_empty() {
                t(lang, T::HelpUnbound).to_string()
            } else {
                b.keys_label()
            };
            Line::from(vec![
                Span::styled(
                    format!("  {}", fit(&keys, 24)),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(b.desc(lang).to_string()),
            ])
        };
        let mut lines = vec![heading(tf(
            lang,
            T::HelpContext,
            &[context_name(self.under, lang)],
        ))];
        lines.extend(view.keymap.bindings(self.under).iter().map(binding_line));
        lines.push(Line::from(""));
        lines.push(heading(t(lang, T::HelpGlobal).to_string()));
        lines.extend(
            view.keymap
                .bindings(Context::Global)
                .iter()
                .map(binding_line),
        );
        // What a user keymap took from another action, so F9 moved to another action does
        // not leave statistics keyless unnoticed (also said in the status line at start).
        let taken: Vec<String> = taken_keys(view.keymap, lang)
            .into_iter()
            .filter(|(c, _)| *c == self.under || *c == Context::Global)
            .map(|(_, line)| line)
            .collect();
        if !taken.is_empty() {
            lines.push(Line::from(""));
            lines.push(heading(t(lang, T::HelpTakenHeading).to_string()));
            for line in taken {
                lines.extend(phrase_rows(&line, width));
            }
        }
        lines.push(Line::from(""));
        lines.push(heading(t(lang, T::HelpSchemeHeading).to_string()));
        lines.extend(phrase_rows(t(lang, T::HelpScheme), width));
        if self.under.types_text() {
            lines.push(Line::from(""));
            lines.push(heading(t(lang, T::HelpTyping).to_string()));
            // Ctrl-U and Ctrl-W edit the text only where no binding of this screen claims
            // them (the vim keymap pages up with Ctrl-U): help says what the key will do.
            let mut typing = t(lang, T::HelpTypingKeys).to_string();
            for (spec, text) in [
                ("ctrl-u", T::HelpTypingClear),
                ("ctrl-w", T::HelpTypingWord),
            ] {
                let free = Chord::parse(spec)
                    .map(|key| view.keymap.lookup(self.under, key).is_none())
                    .unwrap_or(false);
                if free {
                    typing.push_str(lang.pick("，", ", "));
                    typing.push_str(t(lang, text));
                }
            }
            lines.extend(phrase_rows(&typing, width));
        }
        lines
    }
}

/// `text` in rows of `width` columns, indented, broken only between phrases so a narrow
/// window never parts "Ctrl-U" from "清空" (issue 14). A phrase ends after "，", "；", "、",
/// ", ", "; " or " · "; a phrase wider than a row is cut.
fn phrase_rows(text: &str, width: usize) -> Vec<Line<'static>> {
    let mut phrases: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let ends = matches!(c, '，' | '；' | '、')
            || (matches!(c, ',' | ';' | '·') && chars.peek() == Some(&' '));
        if ends {
            if chars.peek() == Some(&' ') {
                current.push(chars.next().unwrap_or(' '));
            }
            phrases.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        phrases.push(current);
    }
    let room = width.saturating_sub(4).max(10);
    let mut rows: Vec<String> = vec![String::new()];
    for phrase in phrases {
        let last = rows.last_mut().expect("one row at least");
        let used = Line::from(last.as_str()).width();
        if used > 0 && used + Line::from(phrase.trim_end()).width() > room {
            rows.push(String::new());
        }
        rows.last_mut().expect("one row at least").push_str(&phrase);
    }
    rows.into_iter()
        .map(|row| Line::from(format!("  {}", fit(row.trim_end(), room).trim_end())))
        .collect()
}

/// Each key a user keymap took from another action, in words: "F9 现在是「批次」，「统计」
/// （职工列表）不再用此键", with the context it happened in.
pub fn taken_keys(keymap: &Keymap, lang: Lang) -> Vec<(Context, String)> {
    keymap
        .taken
        .iter()
        .map(|taken| {
            let now = keymap
                .bindings(taken.context)
                .iter()
                .find(|b| b.action == taken.to)
                .map(|b| b.desc(lang).to_string())
                .unwrap_or_else(|| t(lang, T::KeyUnbound).to_string());
            let line = tf(
                lang,
                T::KeyTaken,
                &[
                    &taken.key.to_string(),
                    &now,
                    taken.from.desc(lang),
                    context_name(taken.context, lang),
                ],
            );
            (taken.context, line)
        })
        .collect()
}

pub fn context_name(context: Context, lang: Lang) -> &'static str {
    t(
        lang,
        match context {
            Context::Global => T::CtxGlobal,
            Context::List => T::CtxList,
            Context::Form => T::CtxForm,
            Context::Detail => T::CtxDetail,
            Context::Picker => T::CtxPicker,
            Context::Confirm => T::CtxConfirm,
            Context::Help => T::CtxHelp,
            Context::Stats => T::CtxStats,
            Context::Batches => T::CtxBatches,
            Context::Events => T::CtxEvents,
            Context::QuickEntry => T::CtxQuickEntry,
            Context::Attendees => T::CtxAttendees,
            Context::Import => T::CtxImport,
            Context::Repeat => T::CtxRepeat,
            Context::Drafts => T::CtxDrafts,
        },
    )
}

impl Screen for HelpScreen {
    fn context(&self) -> Context {
        Context::Help
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::HelpTitle).to_string()
    }

    fn handle(&mut self, input: Input, _ctx: &mut Ctx) -> Effect {
        let page = self.page_height.get().max(1);
        match input {
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Input::Action(Action::Down) => self.scroll += 1,
            Input::Action(Action::PageUp) => self.scroll = self.scroll.saturating_sub(page),
            Input::Action(Action::PageDown) => self.scroll += page,
            _ => {}
        }
        Effect::None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let lines = self.lines(view, usize::from(area.width).saturating_sub(2));
        let height = usize::from(area.height);
        self.page_height.set(height);
        let scroll = self.scroll.min(lines.len().saturating_sub(height));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll as u16, 0)),
            Rect::new(
                area.x + 1,
                area.y,
                area.width.saturating_sub(2),
                area.height,
            ),
        );
    }

    fn footer(&self) -> Vec<Action> {
        vec![Action::Back, Action::Down, Action::PageDown]
    }
}
