//! What every form shares: Tab between fields, messages as you type, a draft saved on every
//! change and offered back when the form is opened again, a pop-up list for choices, and a
//! question before changes are thrown away.

use super::{Ctx, Effect, Screen, View};
use crate::domain::{Field, FieldError};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::confirm::{Answer, Confirm};
use crate::tui::widgets::form::{EditOutcome, Form, FormField, NoteKind, Value};
use crate::tui::widgets::picker::{Choice, Picker, PickerOutcome};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::collections::BTreeMap;

/// Why a save did not happen.
pub enum SaveError {
    /// Values broke rules: shown under their fields.
    Invalid(Vec<FieldError>),
    /// The store refused or failed: shown in the status line.
    Failed(String),
}

/// The part of a form that differs between forms.
pub trait FormSpec {
    fn title(&self, lang: Lang) -> String;
    /// Key of the form's draft in the database.
    fn draft_key(&self) -> String;
    /// Lines above the fields.
    fn header(&self, _lang: Lang) -> Vec<String> {
        Vec::new()
    }
    /// Recomputes rule messages and notes from the current values.
    fn check(&mut self, form: &mut Form, ctx: &mut Ctx);
    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError>;
    /// Items offered for a text field (completions), when it has any.
    fn completions(&self, _form: &Form, _key: &str, _ctx: &mut Ctx) -> Vec<Choice> {
        Vec::new()
    }
    /// Called after a choice was picked for `key`.
    fn chosen(&mut self, _form: &mut Form, _key: &str, _ctx: &mut Ctx) {}
    /// Actions beyond the shared ones (e.g. open the worker who holds this ID number).
    fn extra(&mut self, _action: Action, _form: &mut Form, _ctx: &mut Ctx) -> Option<Effect> {
        None
    }
    fn extra_footer(&self) -> Vec<Action> {
        Vec::new()
    }
}

enum Modal {
    Picker {
        field: usize,
        picker: Picker,
    },
    Discard(Confirm),
    Draft {
        confirm: Confirm,
        values: BTreeMap<String, String>,
    },
}

pub struct FormScreen<S: FormSpec> {
    spec: S,
    form: Form,
    initial: BTreeMap<String, String>,
    last_saved_draft: BTreeMap<String, String>,
    modal: Option<Modal>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Draft {
    saved_at: String,
    values: BTreeMap<String, String>,
}

impl<S: FormSpec> FormScreen<S> {
    /// Opens the form; a draft left from an earlier session is offered back first.
    pub fn open(mut spec: S, mut form: Form, ctx: &mut Ctx) -> FormScreen<S> {
        let initial = form.snapshot();
        spec.check(&mut form, ctx);
        let mut screen = FormScreen {
            spec,
            form,
            last_saved_draft: initial.clone(),
            initial,
            modal: None,
        };
        let key = screen.spec.draft_key();
        match ctx.store.load_draft(&key) {
            Ok(Some(json)) => match serde_json::from_str::<Draft>(&json) {
                Ok(draft) if draft.values != screen.initial => {
                    let when = draft.saved_at.get(..16).unwrap_or("").replace('T', " ");
                    screen.modal = Some(Modal::Draft {
                        confirm: Confirm::new(tf(ctx.lang, T::DraftOffer, &[&when])),
                        values: draft.values,
                    });
                }
                _ => {
                    let _ = ctx.store.clear_draft(&key);
                }
            },
            Ok(None) => {}
            Err(e) => ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)])),
        }
        screen
    }

    fn changed(&self) -> bool {
        self.form.snapshot() != self.initial
    }

    /// Saves the draft when the values differ from the last one saved.
    fn keep_draft(&mut self, ctx: &mut Ctx) {
        let values = self.form.snapshot();
        if values == self.last_saved_draft {
            return;
        }
        let key = self.spec.draft_key();
        let result = if values == self.initial {
            ctx.store.clear_draft(&key)
        } else {
            let draft = Draft {
                saved_at: ctx.store.clock().stamp(),
                values: values.clone(),
            };
            match serde_json::to_string(&draft) {
                Ok(json) => ctx.store.save_draft(&key, &json),
                Err(_) => Ok(()),
            }
        };
        match result {
            Ok(()) => self.last_saved_draft = values,
            Err(e) => ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)])),
        }
    }

    fn after_change(&mut self, ctx: &mut Ctx) {
        self.spec.check(&mut self.form, ctx);
        self.keep_draft(ctx);
    }

    fn open_picker(&mut self, ctx: &mut Ctx, typed: Option<&crate::tui::action::TextEdit>) {
        let field = self.form.focus;
        let f = &self.form.fields[field];
        let (items, current) = match &f.value {
            Value::Choice { options, .. } => (options.clone(), Some(f.raw())),
            Value::Text(_) => (self.spec.completions(&self.form, f.key, ctx), None),
            Value::Check(_) => return,
        };
        if items.is_empty() {
            return;
        }
        let mut picker = Picker::new(f.label.clone(), items, current.as_deref());
        if let Some(edit) = typed {
            picker.handle(&Input::Text(edit.clone()));
        }
        self.modal = Some(Modal::Picker { field, picker });
    }

    fn save(&mut self, ctx: &mut Ctx) -> Effect {
        self.spec.check(&mut self.form, ctx);
        match self.spec.save(&self.form, ctx) {
            Ok(effect) => {
                let _ = ctx.store.clear_draft(&self.spec.draft_key());
                ctx.wrote = true;
                effect
            }
            Err(SaveError::Invalid(errors)) => {
                self.form.touch_all();
                set_errors(&mut self.form, &errors, ctx.lang);
                let unplaced: Vec<String> = errors
                    .iter()
                    .filter(|e| field_key(e.field).is_none_or(|k| self.form.field(k).is_none()))
                    .map(|e| e.message(ctx.lang))
                    .collect();
                // A field's check may have said what is wrong as a note rather than an error.
                let needs_fixing = |f: &FormField| {
                    f.error.is_some() || f.notes.iter().any(|n| n.kind == NoteKind::Error)
                };
                let count = self.form.fields.iter().filter(|f| needs_fixing(f)).count();
                if unplaced.is_empty() {
                    ctx.say(tf(ctx.lang, T::FixFields, &[&count.max(1).to_string()]));
                } else {
                    ctx.say(tf(ctx.lang, T::SaveFailed, &[&unplaced.join("；")]));
                }
                if let Some(first) = self.form.fields.iter().position(needs_fixing) {
                    self.form.focus = first;
                }
                Effect::None
            }
            Err(SaveError::Failed(message)) => {
                ctx.say(tf(ctx.lang, T::SaveFailed, &[&message]));
                Effect::None
            }
        }
    }

    fn leave(&mut self, ctx: &mut Ctx) -> Effect {
        if self.changed() {
            self.modal = Some(Modal::Discard(Confirm::new(ctx.t(T::DiscardQuestion))));
            Effect::None
        } else {
            let _ = ctx.store.clear_draft(&self.spec.draft_key());
            Effect::Back
        }
    }
}

impl<S: FormSpec> Screen for FormScreen<S> {
    fn context(&self) -> Context {
        match &self.modal {
            Some(Modal::Picker { .. }) => Context::Picker,
            Some(Modal::Discard(_) | Modal::Draft { .. }) => Context::Confirm,
            None => Context::Form,
        }
    }

    fn title(&self, lang: Lang) -> String {
        self.spec.title(lang)
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        match self.modal.take() {
            Some(Modal::Picker { field, mut picker }) => {
                match picker.handle(&input) {
                    PickerOutcome::Open => self.modal = Some(Modal::Picker { field, picker }),
                    PickerOutcome::Cancelled => {}
                    PickerOutcome::Chosen(choice) => {
                        let f = &mut self.form.fields[field];
                        f.set_raw(match f.value {
                            Value::Text(_) => &choice.label,
                            _ => &choice.code,
                        });
                        f.touched = true;
                        let key = f.key;
                        self.spec.chosen(&mut self.form, key, ctx);
                        self.after_change(ctx);
                    }
                }
                return Effect::None;
            }
            Some(Modal::Discard(confirm)) => {
                return match confirm.handle(&input) {
                    Answer::Yes => {
                        let _ = ctx.store.clear_draft(&self.spec.draft_key());
                        Effect::Back
                    }
                    Answer::No => Effect::None,
                    Answer::Undecided => {
                        self.modal = Some(Modal::Discard(confirm));
                        Effect::None
                    }
                };
            }
            Some(Modal::Draft { confirm, values }) => {
                match confirm.handle(&input) {
                    Answer::Yes => {
                        self.form.restore(&values);
                        self.last_saved_draft = values;
                        self.spec.check(&mut self.form, ctx);
                    }
                    Answer::No => {
                        let _ = ctx.store.clear_draft(&self.spec.draft_key());
                    }
                    Answer::Undecided => self.modal = Some(Modal::Draft { confirm, values }),
                }
                return Effect::None;
            }
            None => {}
        }
        match input {
            Input::Action(Action::NextField) => {
                self.form.next();
                self.spec.check(&mut self.form, ctx);
            }
            Input::Action(Action::PrevField) => {
                self.form.prev();
                self.spec.check(&mut self.form, ctx);
            }
            Input::Action(Action::Save) => return self.save(ctx),
            Input::Action(Action::Back) => return self.leave(ctx),
            Input::Action(Action::OpenPicker) => self.open_picker(ctx, None),
            Input::Action(action) => {
                if let Some(effect) = self.spec.extra(action, &mut self.form, ctx) {
                    return effect;
                }
            }
            Input::Text(edit) => match self.form.edit(&edit) {
                EditOutcome::Changed => self.after_change(ctx),
                EditOutcome::OpenPicker => self.open_picker(ctx, Some(&edit)),
                EditOutcome::Unchanged => {}
            },
        }
        Effect::None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let header = self.spec.header(view.lang);
        let header_height = header.len() as u16 + u16::from(!header.is_empty());
        for (i, line) in header.iter().enumerate() {
            frame.render_widget(
                Paragraph::new(Line::from(line.as_str()))
                    .style(Style::default().add_modifier(Modifier::BOLD)),
                Rect::new(
                    area.x + 1,
                    area.y + i as u16,
                    area.width.saturating_sub(2),
                    1,
                ),
            );
        }
        let body = Rect::new(
            area.x + 1,
            area.y + header_height,
            area.width.saturating_sub(2),
            area.height.saturating_sub(header_height),
        );
        self.form.render(frame, body, view.t(T::NotChosen));
        match &self.modal {
            Some(Modal::Picker { picker, .. }) => picker.render(frame, area, view.lang),
            Some(Modal::Discard(confirm)) | Some(Modal::Draft { confirm, .. }) => {
                confirm.render(frame, area, view.lang, view.keymap)
            }
            None => {}
        }
    }

    fn footer(&self) -> Vec<Action> {
        let mut actions = vec![Action::Save, Action::NextField, Action::OpenPicker];
        actions.extend(self.spec.extra_footer());
        actions.extend([Action::Back, Action::Help]);
        actions
    }
}

/// The form key a rule message belongs under.
pub fn field_key(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Name | Field::Officer => "name",
        Field::IdNumber => "id_number",
        Field::Phone => "phone",
        Field::Employer => "employer",
        Field::Worksite => "worksite",
        Field::Trade => "trade",
        Field::District => "district",
        Field::Membership => "membership",
        Field::Hardship => "hardship",
        Field::CardNo => "card_no",
        Field::Note => "note",
        Field::Kind => "kind",
        Field::Date => "served_on",
        Field::Place => "place",
        Field::Quantity => "quantity",
        Field::Amount => "amount",
        Field::Provider => "provider",
        Field::BloodPressure => "blood_pressure",
        Field::Glucose => "glucose",
        Field::Findings => "findings",
        Field::FollowUpOn => "follow_up_on",
        Field::Consent => "consent",
        Field::Category => "category",
        Field::Status => "status",
        Field::Description => "description",
        Field::Claimed => "claimed",
        Field::Recovered => "recovered",
        Field::Follows => "follows",
        Field::Organisation => "organisation",
        Field::EventName => "event_name",
        Field::NeedKind => "need_kind",
        Field::ClaimType => "claim_type",
        Field::DiagnosedOn => "diagnosed_on",
        Field::AccidentOn => "accident_on",
        Field::DiedOn => "died_on",
        Field::FireOn => "fire_on",
        Field::ProtectionStart => "protection_start",
        Field::ProtectionEnd => "protection_end",
        Field::Documents => "documents",
        Field::ClaimStatus => "claim_status",
        Field::ClaimAmount => "claim_amount",
        Field::RejectReason => "reject_reason",
        Field::PaidAmount => "paid",
        Field::PaidOn => "paid_on",
        Field::BackupFolder => "backup_dir",
        Field::BackupKeep => "backup_keep",
        Field::Worker | Field::Reason | Field::Outcome | Field::ErasureReason => return None,
    })
}

/// Puts each rule message under its field (the first message per field wins) and clears
/// the others.
pub fn set_errors(form: &mut Form, errors: &[FieldError], lang: Lang) {
    for f in &mut form.fields {
        f.error = None;
    }
    for e in errors {
        if let Some(f) = field_key(e.field).and_then(|k| form.field_mut(k))
            && f.error.is_none()
        {
            f.error = Some(e.message(lang));
        }
    }
}

/// "(none)" plus the 16 districts, for district pickers.
pub fn district_choices(lang: Lang, with_none: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    if with_none {
        out.push(Choice::new("", t(lang, T::NotChosen)));
    }
    out.extend(
        crate::domain::refdata::tianjin_districts()
            .iter()
            .map(|d| Choice::new(d.code.clone(), d.name(lang))),
    );
    out
}
