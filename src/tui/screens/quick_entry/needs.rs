//! Needs ticked in quick entry for the next worker recorded: one key shows the catalog as a
//! row under the line, a digit ticks or unticks a need (1 the first of the catalog … 0 the
//! tenth), and Enter records the worker with the needs ticked, as fast as the rest of the line.

use crate::domain::needs::need_kinds;
use crate::text::Lang;
use crate::tui::text::{T, t};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

const NO_BREAK: &str = "\u{a0}";

/// How many needs a digit can reach: 1 … 9, then 0 for the tenth.
const BY_DIGIT: usize = 10;

#[derive(Debug, Clone, Default)]
pub(super) struct NeedTicks {
    /// The row is on screen and digits tick instead of typing.
    pub(super) shown: bool,
    /// Catalog indexes ticked, in the order ticked.
    ticked: Vec<usize>,
}

/// The catalog index a digit names, if it names one.
fn index_of_digit(c: char) -> Option<usize> {
    let digit = c.to_digit(10)? as usize;
    let index = if digit == 0 { 9 } else { digit - 1 };
    (index < need_kinds().len().min(BY_DIGIT)).then_some(index)
}

impl NeedTicks {
    pub(super) fn toggle_shown(&mut self) {
        self.shown = !self.shown;
    }

    /// Ticks or unticks the need a digit names; false when the digit names none.
    pub(super) fn tick(&mut self, c: char) -> bool {
        let Some(index) = index_of_digit(c) else {
            return false;
        };
        match self.ticked.iter().position(|&i| i == index) {
            Some(at) => {
                self.ticked.remove(at);
            }
            None => self.ticked.push(index),
        }
        true
    }

    pub(super) fn codes(&self) -> Vec<String> {
        self.ticked
            .iter()
            .filter_map(|&i| need_kinds().get(i))
            .map(|k| k.code.clone())
            .collect()
    }

    /// After a worker is recorded: the next one starts with nothing ticked, the row hidden.
    pub(super) fn clear(&mut self) {
        self.ticked.clear();
        self.shown = false;
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ticked.is_empty()
    }

    /// "诉求（下一位职工）：1 欠薪维权  2 技能培训 …", the ticked ones marked and bold.
    pub(super) fn line(&self, lang: Lang) -> Line<'static> {
        let mut spans = vec![Span::styled(
            t(lang, T::QuickNeedsLine).to_string(),
            Style::default().add_modifier(Modifier::BOLD),
        )];
        for (i, kind) in need_kinds().iter().take(BY_DIGIT).enumerate() {
            let digit = (i + 1) % 10;
            // No-break spaces keep a digit with its name when the row wraps.
            let name = kind.name(lang).replace(' ', NO_BREAK);
            if self.ticked.contains(&i) {
                spans.push(Span::styled(
                    format!("[{digit}✓{name}]"),
                    Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED),
                ));
            } else {
                spans.push(Span::raw(format!("{digit}{NO_BREAK}{name}")));
            }
            spans.push(Span::raw("  "));
        }
        Line::from(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_tick_and_untick_the_catalog_in_order_and_zero_is_the_tenth() {
        let mut ticks = NeedTicks::default();
        assert!(ticks.tick('1'));
        assert!(ticks.tick('3'));
        assert_eq!(
            ticks.codes(),
            [need_kinds()[0].code.as_str(), &need_kinds()[2].code]
        );
        assert!(ticks.tick('1'));
        assert_eq!(ticks.codes(), [need_kinds()[2].code.clone()]);
        assert!(ticks.tick('0'));
        assert_eq!(ticks.codes()[1], need_kinds()[9].code);
        assert!(!ticks.tick('x'));
        ticks.clear();
        assert!(ticks.is_empty() && !ticks.shown);
    }
}
