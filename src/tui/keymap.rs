//! Key bindings: `keymaps/default.toml` is embedded; a user file overrides single entries.
//!
//! A bad user file stops start-up with the file, the line and the problem. The embedded files
//! are checked by tests, so they always load.

use super::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use toml::Spanned;

pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.toml");
pub const VIM_KEYMAP: &str = include_str!("../../keymaps/vim.toml");

/// Where keys are read: each screen or popup is in one context; `global` applies everywhere
/// unless the context binds the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Form,
    Detail,
    Picker,
    Confirm,
    Help,
    Stats,
    Batches,
    Events,
    QuickEntry,
    Attendees,
    Import,
    /// Asked before a worker is recorded twice in one event: Enter there means no.
    Repeat,
    /// The list of unsaved drafts.
    Drafts,
}

impl Context {
    pub const ALL: [Context; 15] = [
        Context::Global,
        Context::List,
        Context::Form,
        Context::Detail,
        Context::Picker,
        Context::Confirm,
        Context::Help,
        Context::Stats,
        Context::Batches,
        Context::Events,
        Context::QuickEntry,
        Context::Attendees,
        Context::Import,
        Context::Repeat,
        Context::Drafts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Form => "form",
            Context::Detail => "detail",
            Context::Picker => "picker",
            Context::Confirm => "confirm",
            Context::Help => "help",
            Context::Stats => "stats",
            Context::Batches => "batches",
            Context::Events => "events",
            Context::QuickEntry => "quick_entry",
            Context::Attendees => "attendees",
            Context::Import => "import",
            Context::Repeat => "repeat",
            Context::Drafts => "drafts",
        }
    }

    /// Contexts with a text field, where plain printable keys must type.
    pub fn types_text(self) -> bool {
        matches!(
            self,
            Context::Global | Context::List | Context::Form | Context::Picker | Context::QuickEntry
        )
    }
}

/// A key with its modifiers, normalised so that the same press always compares equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = code;
        match code {
            // The shifted character already says Shift ('?' rather than shift-/).
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // Terminals cannot tell Ctrl-S from Ctrl-Shift-S.
                if mods.contains(KeyModifiers::CONTROL) {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::BackTab => mods.remove(KeyModifiers::SHIFT),
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                mods.remove(KeyModifiers::SHIFT);
            }
            _ => {}
        }
        Chord { code, mods }
    }

    pub fn from_event(key: &KeyEvent) -> Chord {
        Chord::new(key.code, key.modifiers)
    }

    /// A plain printable key: in a text context it must type, not act.
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Parses `ctrl-s`, `alt-x`, `shift-tab`, `f2`, `enter`, `pagedown`, `?`, `space` ….
    pub fn parse(spec: &str) -> Result<Chord, String> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Err("empty key".into());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = spec;
        // A lone "-" is the minus key, not a separator.
        while let Some((head, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            match head.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => mods |= KeyModifiers::CONTROL,
                "alt" | "a" | "m" | "meta" => mods |= KeyModifiers::ALT,
                "shift" | "s" => mods |= KeyModifiers::SHIFT,
                other => return Err(format!("unknown modifier '{other}' in '{spec}'")),
            }
            rest = tail;
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("no such function key '{rest}'")),
                }
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => KeyCode::Char(c),
                    _ => return Err(format!("unknown key '{rest}'")),
                }
            }
        };
        Ok(Chord::new(code, mods))
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.is_empty() => write!(f, "{c}"),
            KeyCode::Char(c) => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One action of one context, its keys and its descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<Chord>,
    pub desc_zh: String,
    pub desc_en: String,
}

impl Binding {
    pub fn desc(&self, lang: crate::text::Lang) -> &str {
        lang.pick(&self.desc_zh, &self.desc_en)
    }

    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Chord::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A keymap file could not be used: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.problem)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    action: Spanned<String>,
    keys: Vec<Spanned<String>>,
    desc_zh: Option<String>,
    desc_en: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    global: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    list: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    form: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    detail: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    picker: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    confirm: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    help: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    stats: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    batches: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    events: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    quick_entry: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    attendees: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    import: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    repeat: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    drafts: Vec<Spanned<EntryFile>>,
}

impl KeymapFile {
    fn section(&self, context: Context) -> &[Spanned<EntryFile>] {
        match context {
            Context::Global => &self.global,
            Context::List => &self.list,
            Context::Form => &self.form,
            Context::Detail => &self.detail,
            Context::Picker => &self.picker,
            Context::Confirm => &self.confirm,
            Context::Help => &self.help,
            Context::Stats => &self.stats,
            Context::Batches => &self.batches,
            Context::Events => &self.events,
            Context::QuickEntry => &self.quick_entry,
            Context::Attendees => &self.attendees,
            Context::Import => &self.import,
            Context::Repeat => &self.repeat,
            Context::Drafts => &self.drafts,
        }
    }
}

/// The loaded bindings, per context, in file order (the help screen shows that order).
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    contexts: HashMap<Context, Vec<Binding>>,
    /// Keys a user file gave to one action that another action of the same context had:
    /// said at start, so rebinding F9 does not silently leave statistics without a key.
    pub taken: Vec<TakenKey>,
}

/// A key a user keymap moved from one action to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenKey {
    pub context: Context,
    pub key: Chord,
    /// The action that has the key now (`NoOp` when the file unbound it).
    pub to: Action,
    /// The action that had it, as the help screen names it.
    pub from: Binding,
}

impl Keymap {
    /// The embedded default keymap.
    pub fn default_keymap() -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        keymap.apply_text("keymaps/default.toml", DEFAULT_KEYMAP, true)?;
        Ok(keymap)
    }

    /// The defaults with `path` applied over them, if given; or with the user's file from
    /// the config folder when it exists.
    ///
    /// A config folder that is missing (or a file where the folder should be) holds no
    /// keymap: defaults. One that exists but cannot be looked into may hold a keymap the
    /// officer counts on, so that stops the start with the path and the reason rather than
    /// silently binding other keys.
    pub fn load(explicit: Option<&Path>, config_dir: Option<&Path>) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default_keymap()?;
        let user = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => match config_dir.map(|d| d.join("keymap.toml")) {
                None => None,
                Some(path) => match std::fs::metadata(&path) {
                    Ok(_) => Some(path),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                        ) =>
                    {
                        None
                    }
                    Err(e) => {
                        return Err(KeymapError {
                            file: path.display().to_string(),
                            line: 0,
                            problem: format!("cannot read the config folder: {e}"),
                        });
                    }
                },
            },
        };
        if let Some(path) = user {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| KeymapError {
                file: name.clone(),
                line: 0,
                problem: format!("cannot read: {e}"),
            })?;
            keymap.apply_text(&name, &text, false)?;
        }
        Ok(keymap)
    }

    /// Applies a keymap file's entries over the current bindings. `complete` files (the
    /// shipped ones) must give a description with every entry.
    pub fn apply_text(
        &mut self,
        file: &str,
        text: &str,
        complete: bool,
    ) -> Result<(), KeymapError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let error = |offset: usize, problem: String| KeymapError {
            file: file.to_string(),
            line: line_of(offset),
            problem,
        };
        let parsed: KeymapFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            error(offset, e.message().trim().to_string())
        })?;
        for context in Context::ALL {
            // Checked before anything changes so that clashes in the file name both lines.
            let mut claimed: HashMap<Chord, (Action, usize)> = HashMap::new();
            let mut entries = Vec::new();
            for entry in parsed.section(context) {
                let start = entry.span().start;
                let entry = entry.get_ref();
                let action = Action::from_name(entry.action.get_ref()).ok_or_else(|| {
                    error(
                        entry.action.span().start,
                        format!(
                            "unknown action '{}' in [{}]",
                            entry.action.get_ref(),
                            context.name()
                        ),
                    )
                })?;
                let mut keys = Vec::new();
                for key in &entry.keys {
                    let chord = Chord::parse(key.get_ref())
                        .map_err(|problem| error(key.span().start, problem))?;
                    if action != Action::NoOp && context.types_text() && chord.is_printable() {
                        return Err(error(
                            key.span().start,
                            format!(
                                "key '{}' in [{}] would stop typing: use a function key, Ctrl or Alt",
                                key.get_ref(),
                                context.name()
                            ),
                        ));
                    }
                    if let Some((other, other_line)) = claimed.get(&chord)
                        && *other != action
                    {
                        return Err(error(
                            key.span().start,
                            format!(
                                "key '{}' in [{}] is bound to both '{}' (line {}) and '{}'",
                                key.get_ref(),
                                context.name(),
                                other.name(),
                                other_line,
                                action.name()
                            ),
                        ));
                    }
                    claimed.insert(chord, (action, line_of(key.span().start)));
                    if !keys.contains(&chord) {
                        keys.push(chord);
                    }
                }
                if complete
                    && action != Action::NoOp
                    && (entry.desc_zh.is_none() || entry.desc_en.is_none())
                {
                    return Err(error(
                        start,
                        format!("'{}' needs desc_zh and desc_en", action.name()),
                    ));
                }
                entries.push((action, keys, entry.desc_zh.clone(), entry.desc_en.clone()));
            }
            let bindings = self.contexts.entry(context).or_default();
            for (action, keys, desc_zh, desc_en) in entries {
                // Keys given in this file now belong to this entry only.
                for binding in bindings.iter_mut() {
                    for key in binding.keys.iter().filter(|k| keys.contains(k)) {
                        if !complete && binding.action != action {
                            self.taken.push(TakenKey {
                                context,
                                key: *key,
                                to: action,
                                from: binding.clone(),
                            });
                        }
                    }
                    binding.keys.retain(|k| !keys.contains(k));
                }
                if action == Action::NoOp {
                    continue;
                }
                match bindings.iter_mut().find(|b| b.action == action) {
                    Some(binding) => {
                        binding.keys = keys;
                        if let Some(d) = desc_zh {
                            binding.desc_zh = d;
                        }
                        if let Some(d) = desc_en {
                            binding.desc_en = d;
                        }
                    }
                    None => bindings.push(Binding {
                        action,
                        keys,
                        desc_zh: desc_zh.unwrap_or_else(|| action.name()),
                        desc_en: desc_en.unwrap_or_else(|| action.name()),
                    }),
                }
            }
        }
        Ok(())
    }

    /// The action bound to `chord` in `context`, else in `global`.
    pub fn lookup(&self, context: Context, chord: Chord) -> Option<Action> {
        let find = |c: Context| {
            self.contexts
                .get(&c)?
                .iter()
                .find(|b| b.keys.contains(&chord))
                .map(|b| b.action)
        };
        find(context).or_else(|| {
            // A key the context binds to nothing falls through to global, unless the context
            // is a popup that must not be left by accident.
            find(Context::Global)
        })
    }

    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.contexts
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key of `action` in `context` (or global), for footers and hints.
    pub fn key_for(&self, context: Context, action: Action) -> Option<Chord> {
        [context, Context::Global].into_iter().find_map(|c| {
            self.bindings(c)
                .iter()
                .find(|b| b.action == action && !b.keys.is_empty())
                .map(|b| b.keys[0])
        })
    }
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
