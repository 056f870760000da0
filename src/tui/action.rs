//! What a key means. Key handling produces nothing else: the keymap turns bound keys into
//! named actions, and unbound keys become text edits for the focused field.

use serde::{Deserialize, Serialize};

/// A named action, as written in keymap files (`snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Unbinds a key in a user keymap; does nothing when pressed.
    NoOp,
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// Enter on a row, a picker item or a form field.
    Confirm,
    /// Esc: leave the current screen, popup or search.
    Back,
    NewWorker,
    ClearSearch,
    NextField,
    PrevField,
    Save,
    OpenPicker,
    OpenExisting,
    Edit,
    Delete,
    LogHealthCheck,
    LogLegalAid,
    LogService,
    Yes,
    No,
    /// Open the statistics screen.
    Statistics,
    NextTab,
    PrevTab,
    /// Choose the period of the statistics.
    Period,
    /// Choose the district of the statistics.
    District,
    /// Open the batches screen (export, history, verify).
    Batches,
    /// Start an export of every record waiting.
    Export,
    /// Open the service events (quick entry, attendees, roster import).
    Events,
    NewEvent,
    /// Import a roster file from the events screen.
    ImportRoster,
    /// The workers served in an event.
    Attendees,
    /// Take back the last service recorded in this quick-entry sitting (a tombstone).
    Undo,
    /// Put back what this sitting's undo took, newest undone first.
    Redo,
    /// Merge batch folders or zips from other laptops (the batches screen).
    ImportBatch,
    /// Import the city's signed receipts for exported batches (the batches screen).
    ImportReceipt,
    /// The conflicts found by merges: compare the sides and keep one.
    Conflicts,
    /// Withdraw the selected record: a tombstone with a reason, asked for first.
    Withdraw,
    /// Erase the worker's personal data on request (PIPL art. 47), after typing the reason code.
    Erase,
    /// Print the selected event's sign-in or payout sheet (XLSX).
    PrintSheet,
    /// The list of half-typed forms (drafts), from the home screen.
    Drafts,
    /// The laptop's settings: the officer, the backup folder.
    Settings,
    /// A worker's page: show only this year's services of the selected kind, or all again.
    FilterKind,
    /// A worker's page: show only the visits of open legal cases.
    OpenCases,
    /// A worker's page: show only the health checks whose follow-up is due.
    FollowUps,
    /// Tick what the worker asks for (the needs checklist).
    AddNeed,
    /// Record a mutual-aid claim for the member.
    LogClaim,
    /// Take the member's latest unsettled claim a step (status, documents, payment).
    UpdateClaim,
    /// A worker's needs and claims: close an open need by hand (the list, from the page).
    CloseNeed,
    /// Quick entry: show or hide the needs to tick for the next worker.
    QuickNeeds,
}

impl Action {
    /// Every action, in the order the help screen lists unbound ones.
    pub const ALL: [Action; 54] = [
        Action::NoOp,
        Action::Quit,
        Action::Help,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Home,
        Action::End,
        Action::Confirm,
        Action::Back,
        Action::NewWorker,
        Action::ClearSearch,
        Action::NextField,
        Action::PrevField,
        Action::Save,
        Action::OpenPicker,
        Action::OpenExisting,
        Action::Edit,
        Action::Delete,
        Action::LogHealthCheck,
        Action::LogLegalAid,
        Action::LogService,
        Action::Yes,
        Action::No,
        Action::Statistics,
        Action::NextTab,
        Action::PrevTab,
        Action::Period,
        Action::District,
        Action::Batches,
        Action::Export,
        Action::Events,
        Action::NewEvent,
        Action::ImportRoster,
        Action::Attendees,
        Action::Undo,
        Action::Redo,
        Action::ImportBatch,
        Action::ImportReceipt,
        Action::Conflicts,
        Action::Withdraw,
        Action::Erase,
        Action::PrintSheet,
        Action::Drafts,
        Action::Settings,
        Action::FilterKind,
        Action::OpenCases,
        Action::FollowUps,
        Action::AddNeed,
        Action::LogClaim,
        Action::UpdateClaim,
        Action::CloseNeed,
        Action::QuickNeeds,
    ];

    /// The action named `name` in a keymap file.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// An edit of the focused text field, from a key no binding claimed or from a paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextEdit {
    Insert(char),
    Paste(String),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    WordLeft,
    WordRight,
    DeleteWordBack,
    DeleteLine,
    DeleteToEnd,
}

/// What a screen is handed: a named action or a text edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Action(Action),
    Text(TextEdit),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(&action.name()), Some(action));
        }
        assert_eq!(Action::LogHealthCheck.name(), "log_health_check");
        assert_eq!(Action::from_name("launch_rockets"), None);
    }
}
