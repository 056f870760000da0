//! Terminal events to inputs: only key presses count; keys the keymap binds become actions;
//! the rest become text edits for the focused field; pastes go in whole.

use super::action::Action;
use super::action::{Input, TextEdit};
use super::keymap::{Chord, Context, Keymap};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a terminal event means to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translated {
    Input(Input),
    /// The window changed size: draw again.
    Redraw,
    Ignored,
}

pub fn translate(event: &Event, keymap: &Keymap, context: Context) -> Translated {
    match event {
        Event::Key(key) => match translate_key(key, keymap, context) {
            Some(input) => Translated::Input(input),
            None => Translated::Ignored,
        },
        Event::Paste(text) => Translated::Input(Input::Text(TextEdit::Paste(text.clone()))),
        Event::Resize(..) | Event::FocusGained => Translated::Redraw,
        _ => Translated::Ignored,
    }
}

pub fn translate_key(key: &KeyEvent, keymap: &Keymap, context: Context) -> Option<Input> {
    // Releases and auto-repeats (where the terminal reports them) are not presses.
    if key.kind != KeyEventKind::Press {
        return None;
    }
    match keymap.lookup(context, Chord::from_event(key)) {
        Some(Action::NoOp) => None,
        Some(action) => Some(Input::Action(action)),
        None => text_edit(key).map(Input::Text),
    }
}

/// The editing meaning of a key that no binding claimed.
fn text_edit(key: &KeyEvent) -> Option<TextEdit> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Char(c) if !ctrl && !alt => TextEdit::Insert(c),
        KeyCode::Char('u') if ctrl => TextEdit::DeleteLine,
        KeyCode::Char('w') if ctrl => TextEdit::DeleteWordBack,
        KeyCode::Char('k') if ctrl => TextEdit::DeleteToEnd,
        KeyCode::Char('a') if ctrl => TextEdit::Home,
        KeyCode::Char('e') if ctrl => TextEdit::End,
        KeyCode::Char('h') if ctrl => TextEdit::Backspace,
        KeyCode::Backspace if alt || ctrl => TextEdit::DeleteWordBack,
        KeyCode::Backspace => TextEdit::Backspace,
        KeyCode::Delete => TextEdit::Delete,
        KeyCode::Left if ctrl || alt => TextEdit::WordLeft,
        KeyCode::Right if ctrl || alt => TextEdit::WordRight,
        KeyCode::Left => TextEdit::Left,
        KeyCode::Right => TextEdit::Right,
        KeyCode::Home => TextEdit::Home,
        KeyCode::End => TextEdit::End,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventState;

    fn key(code: KeyCode, mods: KeyModifiers, kind: KeyEventKind) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn only_presses_count_and_letters_type_in_forms() {
        let keymap = Keymap::default_keymap().unwrap();
        let press = key(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
            KeyEventKind::Press,
        );
        assert_eq!(
            translate_key(&press, &keymap, Context::Form),
            Some(Input::Action(Action::Save))
        );
        let release = key(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
            KeyEventKind::Release,
        );
        assert_eq!(translate_key(&release, &keymap, Context::Form), None);
        let repeat = key(KeyCode::Char('a'), KeyModifiers::NONE, KeyEventKind::Repeat);
        assert_eq!(translate_key(&repeat, &keymap, Context::Form), None);
        let letter = key(KeyCode::Char('h'), KeyModifiers::NONE, KeyEventKind::Press);
        assert_eq!(
            translate_key(&letter, &keymap, Context::Form),
            Some(Input::Text(TextEdit::Insert('h')))
        );
        assert_eq!(
            translate_key(&letter, &keymap, Context::Detail),
            Some(Input::Action(Action::LogHealthCheck))
        );
    }
}
