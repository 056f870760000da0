//! Pieces shared by screens.

pub mod aid_lines;
pub mod confirm;
pub mod file_picker;
pub mod form;
pub mod labels;
pub mod paged;
pub mod picker;
pub mod popup;
pub mod reason_prompt;
pub mod sheet_prompt;
pub mod table;
pub mod text_field;
pub mod width;

pub use width::fit;

use std::borrow::Cow;

/// Stored text (names, notes, places, event names) as a screen may draw it: control, bidi and
/// other invisible characters written as visible `\u{..}` escapes (see
/// `crate::safe_text::terminal_safe`). An older or hand-edited database can hold them; ratatui
/// drops C0 controls but draws bidi overrides, which reorder what the officer reads.
pub fn shown(text: &str) -> Cow<'_, str> {
    crate::safe_text::terminal_safe(text)
}

/// A label as it heads a field or a value: first letter capitalised ("Phone", "ID number"),
/// while validation messages keep the lower-case word mid-sentence. Chinese is unchanged.
pub fn heading_label(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
