//! A pop-up file chooser for the paths the officer would otherwise type: roster files, batch
//! zips or folders, receipt files. It starts in the home folder; one key switches to the
//! removable drives (`/media/USER/LABEL`, `/run/media/USER/LABEL`). Hidden entries are left
//! out, and a folder is read only up to `MAX_READ` entries, so a folder of 100,000 files
//! answers at once and says that it shows only part.

use super::fit;
use super::popup::{centered, clear_popup_area};
use crate::text::Lang;
use crate::tui::action::{Action, Input, TextEdit};
use crate::tui::keymap::Context;
use crate::tui::screens::View;
use crate::tui::text::{T, t, tf};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use std::path::{Path, PathBuf};

/// Entries read from one folder at most (hidden and unlisted ones included).
pub const MAX_READ: usize = 2_000;

/// What the chooser offers besides folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// Rosters: `.csv` and `.xlsx`.
    Roster,
    /// Batches: `.zip` files and sealed `.zip.age` ones, or a batch folder chosen as it is.
    Batch,
    /// The city's receipts: `.json`.
    Receipt,
}

impl Wanted {
    fn accepts(self, name: &str) -> bool {
        let lower = name.to_lowercase();
        let ends = |ext: &str| lower.ends_with(ext);
        match self {
            Wanted::Roster => ends(".csv") || ends(".xlsx"),
            Wanted::Batch => ends(".zip") || ends(".zip.age"),
            Wanted::Receipt => ends(".json"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Parent,
    /// Choose the folder shown (a batch folder).
    ThisFolder,
    Folder,
    File,
    Drive,
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    path: PathBuf,
    kind: Kind,
}

/// What a key did to the chooser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Open,
    Chosen(PathBuf),
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct FilePicker {
    wanted: Wanted,
    home: PathBuf,
    drive_roots: Vec<PathBuf>,
    /// The folder listed, or None for the list of drives.
    folder: Option<PathBuf>,
    entries: Vec<Entry>,
    /// The folder held more entries than were read.
    partial: bool,
    /// Why the folder could not be read.
    error: Option<String>,
    selected: usize,
    /// Rows the list had when last drawn, for paging.
    rows: std::cell::Cell<usize>,
}

impl FilePicker {
    /// A chooser starting in the home folder, with the system's removable drives.
    pub fn new(wanted: Wanted) -> FilePicker {
        let home = directories::BaseDirs::new()
            .map(|d| d.home_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from("/"));
        let roots = vec![PathBuf::from("/media"), PathBuf::from("/run/media")];
        FilePicker::starting_in(wanted, home, roots)
    }

    /// A chooser starting in `home`, finding drives two levels under each of `drive_roots`.
    pub fn starting_in(wanted: Wanted, home: PathBuf, drive_roots: Vec<PathBuf>) -> FilePicker {
        let mut picker = FilePicker {
            wanted,
            home: home.clone(),
            drive_roots,
            folder: None,
            entries: Vec::new(),
            partial: false,
            error: None,
            selected: 0,
            rows: std::cell::Cell::new(10),
        };
        picker.open_folder(home);
        picker
    }

    /// The folder listed; None while the drives are shown.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    fn open_folder(&mut self, folder: PathBuf) {
        let (entries, partial, error) = match read_folder(&folder, self.wanted) {
            Ok((entries, partial)) => (entries, partial, None),
            Err(e) => (Vec::new(), false, Some(e.to_string())),
        };
        let mut listed = Vec::new();
        if let Some(parent) = folder.parent() {
            listed.push(Entry {
                name: "..".into(),
                path: parent.to_path_buf(),
                kind: Kind::Parent,
            });
        }
        if self.wanted == Wanted::Batch {
            listed.push(Entry {
                name: ".".into(),
                path: folder.clone(),
                kind: Kind::ThisFolder,
            });
        }
        listed.extend(entries);
        self.entries = listed;
        self.partial = partial;
        self.error = error;
        self.folder = Some(folder);
        // On the first real entry, not ".." or ".", so Enter neither leaves the folder nor
        // chooses it by accident.
        self.selected = self
            .entries
            .iter()
            .position(|e| !matches!(e.kind, Kind::Parent | Kind::ThisFolder))
            .unwrap_or(0);
    }

    fn open_drives(&mut self) {
        let mut drives = Vec::new();
        let mut partial = false;
        for root in &self.drive_roots {
            // /media/USER/LABEL: the user folders, then the drives in each.
            let Ok((users, more)) = read_folder(root, self.wanted) else {
                continue;
            };
            partial |= more;
            for user in users.into_iter().filter(|e| e.kind == Kind::Folder) {
                if let Ok((found, more)) = read_folder(&user.path, self.wanted) {
                    partial |= more;
                    drives.extend(
                        found
                            .into_iter()
                            .filter(|e| e.kind == Kind::Folder)
                            .map(|e| Entry {
                                name: e.path.display().to_string(),
                                kind: Kind::Drive,
                                ..e
                            }),
                    );
                }
            }
        }
        self.entries = drives;
        self.partial = partial;
        self.error = None;
        self.folder = None;
        self.selected = 0;
    }

    pub fn handle(&mut self, input: &Input) -> FileOutcome {
        let last = self.entries.len().saturating_sub(1);
        let page = self.rows.get().max(1);
        match input {
            Input::Action(Action::Back) => return FileOutcome::Cancelled,
            Input::Action(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Input::Action(Action::Down) => self.selected = (self.selected + 1).min(last),
            Input::Action(Action::PageUp) => self.selected = self.selected.saturating_sub(page),
            Input::Action(Action::PageDown) => self.selected = (self.selected + page).min(last),
            Input::Action(Action::Home) => self.selected = 0,
            Input::Action(Action::End) => self.selected = last,
            Input::Action(Action::NextTab) => match self.folder {
                Some(_) => self.open_drives(),
                None => self.open_folder(self.home.clone()),
            },
            Input::Action(Action::Confirm) => {
                let Some(entry) = self.entries.get(self.selected).cloned() else {
                    return FileOutcome::Open;
                };
                match entry.kind {
                    Kind::File | Kind::ThisFolder => return FileOutcome::Chosen(entry.path),
                    Kind::Parent | Kind::Folder | Kind::Drive => self.open_folder(entry.path),
                }
            }
            Input::Text(TextEdit::Home) => self.selected = 0,
            Input::Text(TextEdit::End) => self.selected = last,
            Input::Text(TextEdit::Backspace) => {
                if let Some(parent) = self.folder.as_ref().and_then(|f| f.parent()) {
                    self.open_folder(parent.to_path_buf());
                }
            }
            _ => {}
        }
        FileOutcome::Open
    }

    pub fn render(&self, frame: &mut Frame, outer: Rect, view: &View, title: &str) {
        let lang = view.lang;
        let area = centered(
            outer,
            outer.width.saturating_sub(4).min(76),
            outer.height.saturating_sub(2),
        );
        clear_popup_area(area, frame.buffer_mut());
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {title} "));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 4 {
            return;
        }
        let width = usize::from(inner.width.saturating_sub(2));
        let place = match &self.folder {
            Some(folder) => super::width::fit_tail(&folder.display().to_string(), width),
            None => t(lang, T::FilesDrives).to_string(),
        };
        let note = self.note(lang);
        let rows = usize::from(inner.height) - 3;
        self.rows.set(rows);
        let top = self.selected.saturating_sub(rows.saturating_sub(1));
        let mut lines = vec![Line::styled(
            format!(" {}", fit(&place, width).trim_end()),
            Style::default().add_modifier(Modifier::BOLD),
        )];
        for (i, entry) in self.entries.iter().enumerate().skip(top).take(rows) {
            let label = match entry.kind {
                Kind::Parent => format!("↑ {}", t(lang, T::FilesParent)),
                Kind::ThisFolder => format!("✓ {}", t(lang, T::FilesThisFolder)),
                Kind::Folder | Kind::Drive => format!("▸ {}/", entry.name),
                Kind::File => format!("  {}", entry.name),
            };
            let text = format!(" {}", fit(&label, width));
            lines.push(if i == self.selected {
                Line::styled(text, Style::default().add_modifier(Modifier::REVERSED))
            } else {
                Line::from(text)
            });
        }
        frame.render_widget(Paragraph::new(lines), inner);
        let keys = tf(
            lang,
            T::FilesKeys,
            &[
                &view.key(Context::Picker, Action::Confirm),
                &view.key(Context::Picker, Action::NextTab),
                &view.key(Context::Picker, Action::Back),
            ],
        );
        let bottom = vec![
            Line::from(format!(" {}", fit(&note, width).trim_end())),
            Line::from(format!(" {}", fit(&keys, width).trim_end())),
        ];
        frame.render_widget(
            Paragraph::new(bottom),
            Rect::new(inner.x, inner.y + inner.height - 2, inner.width, 2),
        );
    }

    /// What the officer should know about the listing: an error, a part shown, nothing there.
    fn note(&self, lang: Lang) -> String {
        if let Some(error) = &self.error {
            return tf(lang, T::FilesUnreadable, &[error]);
        }
        if self.partial {
            return tf(lang, T::FilesPartial, &[&MAX_READ.to_string()]);
        }
        let real = self
            .entries
            .iter()
            .filter(|e| !matches!(e.kind, Kind::Parent | Kind::ThisFolder))
            .count();
        match (real, &self.folder) {
            (0, None) => t(lang, T::FilesNoDrives).to_string(),
            (0, Some(_)) => t(lang, T::FilesEmpty).to_string(),
            _ => String::new(),
        }
    }
}

/// The folders and wanted files of `folder`, folders first, each by name; and whether the
/// folder held more than `MAX_READ` entries. Hidden entries are skipped.
fn read_folder(folder: &Path, wanted: Wanted) -> std::io::Result<(Vec<Entry>, bool)> {
    let mut folders = Vec::new();
    let mut files = Vec::new();
    let mut read = std::fs::read_dir(folder)?;
    for item in read.by_ref().take(MAX_READ) {
        let Ok(item) = item else { continue };
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = item.path();
        // Follows links, so a linked folder opens like a folder.
        let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            folders.push(Entry {
                name,
                path,
                kind: Kind::Folder,
            });
        } else if wanted.accepts(&name) {
            files.push(Entry {
                name,
                path,
                kind: Kind::File,
            });
        }
    }
    let partial = read.next().is_some();
    folders.sort_by(|a, b| a.name.cmp(&b.name));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    folders.extend(files);
    Ok((folders, partial))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wanted_files_are_offered() {
        assert!(Wanted::Roster.accepts("名单.CSV"));
        assert!(Wanted::Roster.accepts("a.xlsx"));
        assert!(!Wanted::Roster.accepts("a.zip"));
        assert!(Wanted::Batch.accepts("b.zip"));
        assert!(Wanted::Batch.accepts("b.zip.age"));
        assert!(!Wanted::Batch.accepts("b.age"));
        assert!(Wanted::Receipt.accepts("r.json"));
        assert!(!Wanted::Receipt.accepts("r.json.txt"));
    }
}
