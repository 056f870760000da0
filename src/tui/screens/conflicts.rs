//! Conflicts found by merges (from the batches screen): the list, and for the selected one the
//! two sides field by field, masked like every list. Choosing a side is the same store call as
//! `jingong conflicts resolve N --keep UID`: the kept record becomes a new version, audited
//! and sent with the next export.

use super::{Ctx, Effect, Screen, View};
use crate::batch::merge::record_line;
use crate::batch::person::{PERSON_FIELDS, field_label};
use crate::batch::resolve::{KEEP_HERE, KEEP_INCOMING, ResolveRefusal, resolve_conflict};
use crate::domain::{Membership, format_fen, mask_id_number, mask_phone, refdata};
use crate::store::Store;
use crate::store::batch_queries::ConflictRow;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::labels::{hometown_name, membership_name};
use crate::tui::widgets::table::ListTable;
use crate::tui::widgets::{fit, shown};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Row};
use serde_json::Value;

/// How many open conflicts the list holds at once; resolving some shows the next ones.
const LISTED: i64 = 200;

/// One row of the side-by-side view: field, shown side, other side (masked).
struct FieldRow {
    label: String,
    shown: String,
    other: String,
}

pub struct ConflictsScreen {
    rows: Vec<ConflictRow>,
    /// More open conflicts than listed.
    more: bool,
    selected: usize,
    /// 0: the side shown now (kept), 1: the other (incoming).
    side: usize,
    fields: Vec<FieldRow>,
    error: Option<String>,
    table: ListTable,
}

impl ConflictsScreen {
    pub fn open(ctx: &mut Ctx) -> ConflictsScreen {
        let mut screen = ConflictsScreen {
            rows: Vec::new(),
            more: false,
            selected: 0,
            side: 0,
            fields: Vec::new(),
            table: ListTable::new(10),
            error: None,
        };
        screen.reload(ctx.store, ctx.lang);
        screen
    }

    fn reload(&mut self, store: &Store, lang: Lang) {
        match store.conflicts_page(false, 0, LISTED + 1) {
            Ok(mut rows) => {
                self.more = rows.len() as i64 > LISTED;
                rows.truncate(LISTED as usize);
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(tf(lang, T::ConflictsFailed, &[&e.message(lang)])),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.side = 0;
        self.load_fields(store, lang);
    }

    /// The two sides of the selected conflict, read once here so that drawing reads nothing.
    fn load_fields(&mut self, store: &Store, lang: Lang) {
        self.fields.clear();
        let Some(c) = self.rows.get(self.selected) else {
            return;
        };
        let other = flattened(serde_json::from_str(&c.incoming_json).unwrap_or_default());
        let shown = record_line(store, &c.record_table, &c.kept_uid)
            .ok()
            .flatten()
            .and_then(|line| serde_json::from_str(&line).ok())
            .map(flattened)
            .unwrap_or_default();
        let keys: Vec<String> = if c.record_table == "worker" {
            PERSON_FIELDS.iter().map(|k| k.to_string()).collect()
        } else {
            // Events and services: the fields either copy carries, header aside.
            let mut keys: Vec<String> = Vec::new();
            for copy in [&shown, &other] {
                for key in copy.as_object().into_iter().flat_map(|m| m.keys()) {
                    if !HEADER_KEYS.contains(&key.as_str()) && !keys.contains(key) {
                        keys.push(key.clone());
                    }
                }
            }
            keys
        };
        for key in keys {
            self.fields.push(FieldRow {
                label: field_label(&key, lang).to_string(),
                shown: shown_value(&key, shown.get(&key), lang),
                other: shown_value(&key, other.get(&key), lang),
            });
        }
    }

    fn select(&mut self, target: isize, store: &Store, lang: Lang) {
        let last = self.rows.len().saturating_sub(1) as isize;
        let next = target.clamp(0, last.max(0)) as usize;
        if next != self.selected {
            self.selected = next;
            self.side = 0;
            self.load_fields(store, lang);
        }
    }

    fn resolve(&mut self, ctx: &mut Ctx) {
        let Some(c) = self.rows.get(self.selected) else {
            return;
        };
        let lang = ctx.lang;
        let same_record = c.kept_uid == c.incoming_uid;
        let keep = match (self.side, same_record) {
            (0, true) => KEEP_HERE.to_string(),
            (_, true) => KEEP_INCOMING.to_string(),
            (0, false) => c.kept_uid.clone(),
            (_, false) => c.incoming_uid.clone(),
        };
        match resolve_conflict(ctx.store, c.id, &keep) {
            Ok(Ok(done)) => {
                ctx.say(tf(
                    lang,
                    T::ConflictResolved,
                    &[
                        &done.conflict_id.to_string(),
                        &done.kept_uid,
                        &done.version.to_string(),
                    ],
                ));
                ctx.wrote = true;
            }
            Ok(Err(ResolveRefusal::NotHere { .. })) => {
                ctx.say(t(lang, T::ConflictNotHere));
            }
            // Listed a moment ago: another window resolved it meanwhile; the reload shows that.
            Ok(Err(_)) => {}
            Err(e) => ctx.say(tf(lang, T::Error, &[&e.message(lang)])),
        }
        self.reload(ctx.store, lang);
    }
}

/// Header fields of a batch line, left out of the comparison of events and services.
const HEADER_KEYS: [&str; 8] = [
    "uid",
    "version",
    "op",
    "origin_device_id",
    "officer",
    "created_at",
    "updated_at",
    "deleted_at",
];

/// A batch line with its nested details (health check, legal aid) as `detail.field` keys, so
/// each shows on a row of its own.
fn flattened(value: Value) -> Value {
    let Value::Object(map) = value else {
        return value;
    };
    let mut flat = serde_json::Map::new();
    for (key, v) in map {
        match v {
            Value::Object(inner) if key != "officer" => {
                for (k, v) in inner {
                    flat.insert(format!("{key}.{k}"), v);
                }
            }
            v => {
                flat.insert(key, v);
            }
        }
    }
    Value::Object(flat)
}

/// A field's value as the view shows it: ID numbers and phones masked, as in every list;
/// codes, flags and amounts in words, as the worker page says them.
fn shown_value(key: &str, value: Option<&Value>, lang: Lang) -> String {
    let text = match value {
        None | Some(Value::Null) => return "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(on)) => return t(lang, if *on { T::Yes } else { T::No }).into(),
        Some(other) => other.to_string(),
    };
    if text.is_empty() {
        return text;
    }
    match key {
        "id_number" => mask_id_number(&text),
        "phone" => mask_phone(&text),
        "gender" => match text.as_str() {
            "male" => t(lang, T::Male).into(),
            "female" => t(lang, T::Female).into(),
            _ => shown(&text).into_owned(),
        },
        "hometown_code" => or_code(hometown_name(&text, lang), &text),
        "district_code" => refdata::district_name(&text, lang),
        "membership" => Membership::from_code(&text)
            .map(|m| membership_name(m, lang).to_string())
            .unwrap_or_else(|| shown(&text).into_owned()),
        "kind" => refdata::service_kind_name(&text, lang),
        "legal_aid.category" => refdata::legal_aid_category_name(&text, lang),
        "legal_aid.status" => refdata::legal_aid_status_name(&text, lang),
        k if k.ends_with("_fen") => text
            .parse::<i64>()
            .map(|fen| format!("¥{}", format_fen(fen)))
            .unwrap_or_else(|_| shown(&text).into_owned()),
        _ => shown(&text).into_owned(),
    }
}

/// A label, or the code itself (escaped) when the catalog does not know it.
fn or_code(label: String, code: &str) -> String {
    if label.is_empty() {
        shown(code).into_owned()
    } else {
        label
    }
}

fn reason_label(reason: &str, lang: Lang) -> &'static str {
    t(
        lang,
        match reason {
            "same_person" => T::ConflictSamePerson,
            "diverged" => T::ConflictDiverged,
            "local_edit" => T::ConflictLocalEdit,
            "id_number" => T::ConflictIdNumber,
            _ => T::ConflictWorkerHeld,
        },
    )
}

impl Screen for ConflictsScreen {
    fn context(&self) -> Context {
        Context::Batches
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::ConflictsTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        let lang = ctx.lang;
        if let Input::Action(action) = &input
            && let Some(target) = self.table.target(action, self.selected, self.rows.len())
        {
            self.select(target, ctx.store, lang);
            return Effect::None;
        }
        match input {
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(Action::NextTab | Action::PrevTab) => self.side = 1 - self.side,
            Input::Action(Action::Confirm) => self.resolve(ctx),
            _ => {}
        }
        Effect::None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 8 {
            return;
        }
        let lang = view.lang;
        let width = usize::from(area.width);
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let line_at = |row: u16| Rect::new(area.x, area.y + row, area.width, 1);
        if let Some(error) = &self.error {
            frame.render_widget(Paragraph::new(format!(" {error}")).style(bold), line_at(0));
            return;
        }
        let mut heading = tf(lang, T::ConflictsCount, &[&self.rows.len().to_string()]);
        if self.more {
            heading.push_str(&tf(lang, T::ConflictsMore, &[&LISTED.to_string()]));
        }
        frame.render_widget(
            Paragraph::new(format!(" {heading}")).style(bold),
            line_at(0),
        );
        if self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(format!("  {}", t(lang, T::NoConflicts))),
                line_at(2),
            );
            return;
        }
        // The list takes up to a third of the screen; the comparison the rest.
        let list_height = (usize::from(area.height) / 3).clamp(2, self.rows.len().max(2));
        // Columns: number, reason, ID number, the fields that differ (the rest).
        let number_width = self
            .rows
            .iter()
            .map(|c| c.id.to_string().len() + 1)
            .max()
            .unwrap_or(0)
            .max(5);
        let fixed = [number_width, 26, 18];
        let rest = width.saturating_sub(fixed.iter().sum::<usize>() + fixed.len() + 2);
        let widths = [fixed[0], fixed[1], fixed[2], rest];
        self.table.render(
            frame,
            Rect::new(area.x, area.y + 1, area.width, list_height as u16),
            None,
            &widths,
            (self.selected, self.rows.len()),
            |index| {
                let c = &self.rows[index];
                let fields: Vec<&str> = c
                    .fields
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(|f| field_label(f, lang))
                    .collect();
                let differs = if fields.is_empty() {
                    String::new()
                } else {
                    tf(
                        lang,
                        T::ConflictDiffers,
                        &[&fields.join(lang.pick("、", ", "))],
                    )
                };
                Row::new([
                    fit(&format!("#{}", c.id), widths[0]),
                    fit(reason_label(&c.reason, lang), widths[1]),
                    fit(&mask_id_number(&c.id_number), widths[2]),
                    fit(&differs, widths[3]),
                ])
            },
        );
        let Some(c) = self.rows.get(self.selected) else {
            return;
        };
        let mut y = 2 + list_height as u16;
        let label_width = 14;
        let side_width = width.saturating_sub(label_width + 3) / 2;
        let side_head = |name: T, chosen: bool| {
            let mark = if chosen {
                t(lang, T::ConflictChosen)
            } else {
                ""
            };
            fit(&format!("{} {mark}", t(lang, name)), side_width)
        };
        let header = format!(
            " {} {} {}",
            fit(t(lang, T::ColField), label_width),
            side_head(T::ConflictShown, self.side == 0),
            side_head(T::ConflictOther, self.side == 1),
        );
        frame.render_widget(
            Paragraph::new(header).style(bold.add_modifier(Modifier::UNDERLINED)),
            line_at(y),
        );
        // The uids, which `jingong conflicts resolve N --keep UID` names.
        let uids = format!(
            " {} {} {}",
            fit("uid", label_width),
            fit(&c.kept_uid, side_width),
            fit(&c.incoming_uid, side_width)
        );
        frame.render_widget(
            Paragraph::new(uids).style(Style::default().add_modifier(Modifier::DIM)),
            line_at(y + 1),
        );
        y += 2;
        let bottom = area.height.saturating_sub(1);
        for f in &self.fields {
            if y >= bottom {
                break;
            }
            let differ = f.shown != f.other;
            let text = format!(
                "{}{} {} {}",
                if differ { "≠" } else { " " },
                fit(&f.label, label_width),
                fit(&f.shown, side_width),
                fit(&f.other, side_width)
            );
            frame.render_widget(
                Paragraph::new(text).style(if differ { bold } else { Style::default() }),
                line_at(y),
            );
            y += 1;
        }
        let hint = tf(
            lang,
            T::ConflictsHint,
            &[
                &view.key(Context::Batches, Action::PrevTab),
                &view.key(Context::Batches, Action::NextTab),
                &view.key(Context::Batches, Action::Confirm),
            ],
        );
        frame.render_widget(
            Paragraph::new(format!(" {}", fit(&hint, width.saturating_sub(1))))
                .style(Style::default().add_modifier(Modifier::DIM)),
            line_at(bottom),
        );
    }

    fn footer(&self) -> Vec<Action> {
        vec![Action::NextTab, Action::Confirm, Action::Back]
    }

    /// The keymap describes Enter in this context as the batches screen's verify; here it
    /// keeps the chosen side.
    fn footer_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        (action == Action::Confirm).then(|| t(lang, T::FooterKeepSide))
    }
}
