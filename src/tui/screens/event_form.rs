//! A new service event: name, kind from the catalog, date (today unless changed), place,
//! district, and what each worker gets (quantity and amount per person, e.g. 500 yuan of
//! winter relief). Checked by the same rules as the CLI; saving goes straight to quick entry.

use super::form_screen::{FormScreen, FormSpec, SaveError, district_choices, set_errors};
use super::{Ctx, Effect};
use crate::domain::refdata;
use crate::domain::validate::{EventDraft, validate_event};
use crate::domain::{Event, Field};
use crate::store::StoreError;
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::labels::date_text;
use crate::tui::widgets::picker::Choice;

/// A new event, or the correction of a recorded one (uid, version).
pub struct EventSpec {
    editing: Option<(String, i64)>,
}

/// Every kind of the catalog, grouped. Kinds with their own form (a clinic's health checks)
/// are offered too: quick entry then opens that form for each worker.
fn kind_choices(lang: Lang) -> Vec<Choice> {
    let mut out = Vec::new();
    for group in refdata::service_groups() {
        for kind in refdata::service_kinds_in(&group.code) {
            out.push(Choice {
                code: kind.code.clone(),
                label: kind.name(lang).to_string(),
                group: Some(group.name(lang).to_string()),
            });
        }
    }
    out
}

pub fn open(ctx: &mut Ctx) -> FormScreen<EventSpec> {
    let form = build(ctx);
    FormScreen::open(EventSpec { editing: None }, form, ctx)
}

/// The form filled with `event`, saving a new version of it. The services already recorded
/// keep their own values.
pub fn open_edit(event: &Event, ctx: &mut Ctx) -> FormScreen<EventSpec> {
    let mut form = build(ctx);
    let d = EventDraft::from(event);
    for (key, value) in [
        ("event_name", d.name),
        ("kind", d.kind),
        ("served_on", d.held_on),
        ("place", d.place),
        ("district", d.district_code),
        ("quantity", d.default_quantity),
        ("amount", d.default_amount),
    ] {
        if let Some(field) = form.field_mut(key) {
            field.set_raw(&value);
        }
    }
    let editing = Some((event.uid.clone(), event.version));
    FormScreen::open(EventSpec { editing }, form, ctx)
}

fn build(ctx: &Ctx) -> Form {
    let lang = ctx.lang;
    let picker_key = ctx
        .keymap
        .key_for(Context::Form, Action::OpenPicker)
        .map(|k| k.to_string())
        .unwrap_or_default();
    // Most events are in the officer's own district.
    let district = ctx
        .officer()
        .map(|o| o.district_code)
        .filter(|code| refdata::district(code).is_some())
        .unwrap_or_default();
    Form::new(vec![
        FormField::text("event_name", Field::EventName.label(lang), "")
            .required()
            .hint(t(lang, T::EventNameHint)),
        FormField::choice("kind", Field::Kind.label(lang), kind_choices(lang), "")
            .required()
            .hint(tf(lang, T::KindHint, &[&picker_key])),
        FormField::text(
            "served_on",
            Field::Date.label(lang),
            &date_text(ctx.store.clock().today()),
        )
        .proposed()
        .required()
        .hint(t(lang, T::DateHint)),
        FormField::text("place", Field::Place.label(lang), ""),
        FormField::choice(
            "district",
            Field::District.label(lang),
            district_choices(lang, true),
            &district,
        ),
        FormField::text("quantity", t(lang, T::PerPersonQuantity), "1").proposed(),
        FormField::text("amount", t(lang, T::PerPersonAmount), "").hint(t(lang, T::YuanHint)),
    ])
}

fn draft_of(form: &Form) -> EventDraft {
    EventDraft {
        name: form.raw("event_name"),
        kind: form.raw("kind"),
        held_on: form.raw("served_on"),
        place: form.raw("place"),
        district_code: form.raw("district"),
        default_quantity: form.raw("quantity"),
        default_amount: form.raw("amount"),
    }
}

impl FormSpec for EventSpec {
    fn title(&self, lang: Lang) -> String {
        match self.editing {
            Some(_) => t(lang, T::EventEditTitle).to_string(),
            None => t(lang, T::EventNewTitle).to_string(),
        }
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        match self.editing {
            Some(_) => vec![t(lang, T::EditingRecord).to_string()],
            None => Vec::new(),
        }
    }

    fn draft_key(&self) -> String {
        match &self.editing {
            Some((uid, _)) => format!("event-edit:{uid}"),
            None => "event:new".into(),
        }
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        let today = ctx.store.clock().today();
        let errors = validate_event(&draft_of(form), today)
            .err()
            .unwrap_or_default();
        set_errors(form, &errors, ctx.lang);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        let lang = ctx.lang;
        let today = ctx.store.clock().today();
        let input = validate_event(&draft_of(form), today).map_err(SaveError::Invalid)?;
        if let Some((uid, version)) = &self.editing {
            return match ctx.store.update_event(uid, &input, Some(*version)) {
                Ok(_) => {
                    ctx.say(tf(lang, T::EventUpdated, &[&input.name]));
                    Ok(Effect::Back)
                }
                Err(StoreError::Invalid(e)) => Err(SaveError::Invalid(vec![e])),
                Err(StoreError::InvalidMany(es)) => Err(SaveError::Invalid(es)),
                Err(e) => Err(SaveError::Failed(e.message(lang))),
            };
        }
        let created = match ctx.store.add_event(&input) {
            Ok(r) => r,
            Err(StoreError::Invalid(e)) => return Err(SaveError::Invalid(vec![e])),
            Err(StoreError::InvalidMany(es)) => return Err(SaveError::Invalid(es)),
            Err(e) => return Err(SaveError::Failed(e.message(lang))),
        };
        match ctx.store.event_by_uid(&created.uid) {
            Ok(Some(event)) => {
                ctx.say(tf(lang, T::EventCreated, &[&event.input.name]));
                Ok(Effect::Replace(Route::QuickEntry(Box::new(event))))
            }
            Ok(None) => Ok(Effect::Back),
            Err(e) => Err(SaveError::Failed(e.message(lang))),
        }
    }
}
