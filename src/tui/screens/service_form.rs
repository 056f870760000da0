//! Log a delivered service (送温暖, 夏送清凉 …): kind from the catalog, date, place, quantity,
//! amount. Also the helpers the health-check and legal-aid forms share with it.

use super::form_screen::{FormScreen, FormSpec, SaveError, set_errors};
use super::{Ctx, Effect};
use crate::domain::refdata::{self, KindForm};
use crate::domain::validate::{ServiceDraft, validate_service};
use crate::domain::{Event, Field, Service, Worker, mask_id_number};
use crate::store::StoreError;
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::labels::date_text;
use crate::tui::widgets::picker::Choice;

/// The worker a service form is for.
#[derive(Debug, Clone)]
pub struct ForWorker {
    pub uid: String,
    pub name: String,
    pub masked_id: String,
    /// A service before this date is refused.
    pub born_on: chrono::NaiveDate,
    /// The event (uid, name) the service belongs to, when opened from quick entry.
    pub event: Option<(String, String)>,
    /// The recorded service being corrected (uid, version), when the form edits one.
    pub editing: Option<(String, i64)>,
}

impl ForWorker {
    pub fn of(worker: &Worker) -> ForWorker {
        ForWorker {
            uid: worker.uid.clone(),
            name: worker.input.name.clone(),
            masked_id: mask_id_number(&worker.input.id_number),
            born_on: worker.birth_date,
            event: None,
            editing: None,
        }
    }

    /// For correcting `service` of `worker`: saving writes a new version of it.
    pub fn editing(worker: &Worker, service: &Service) -> ForWorker {
        ForWorker {
            editing: Some((service.uid.clone(), service.version)),
            ..ForWorker::of(worker)
        }
    }

    /// Where the form's draft is kept: one per worker and form, or one per corrected record.
    pub fn draft_key(&self, form: &str) -> String {
        match &self.editing {
            Some((uid, _)) => format!("service-edit:{uid}"),
            None => format!("service:{}:{form}", self.uid),
        }
    }

    pub fn at_event(worker: &Worker, event: &Event) -> ForWorker {
        ForWorker {
            event: Some((event.uid.clone(), event.input.name.clone())),
            ..ForWorker::of(worker)
        }
    }

    pub fn header(&self, lang: Lang) -> Vec<String> {
        let mut lines = vec![format!(
            "{}  {}",
            crate::tui::widgets::shown(&self.name),
            self.masked_id
        )];
        if let Some((_, name)) = &self.event {
            lines.push(tf(lang, T::AtEvent, &[name]));
        }
        if self.editing.is_some() {
            lines.push(t(lang, T::EditingRecord).to_string());
        }
        lines
    }
}

/// The form's values as the validator takes them. Fields a form lacks stay empty.
pub fn draft_of(form: &Form, kind: &str) -> ServiceDraft {
    ServiceDraft {
        kind: if kind.is_empty() {
            form.raw("kind")
        } else {
            kind.to_string()
        },
        served_on: form.raw("served_on"),
        place: form.raw("place"),
        quantity: form.raw("quantity"),
        amount: form.raw("amount"),
        note: form.raw("note"),
        event_uid: None,
        provider: form.raw("provider"),
        blood_pressure: form.raw("blood_pressure"),
        glucose: form.raw("glucose"),
        findings: form.raw("findings"),
        referral: form.raw("referral") == "true",
        follow_up_on: form.raw("follow_up_on"),
        consent: form.raw("consent") == "true",
        category: form.raw("category"),
        status: form.raw("status"),
        claimed: form.raw("claimed"),
        recovered: form.raw("recovered"),
        follows_uid: form.raw("follows"),
        description: form.raw("description"),
        worker_born_on: None,
    }
}

/// Shows the rules the values break under their fields.
pub fn check_service(worker: &ForWorker, form: &mut Form, kind: &str, ctx: &mut Ctx) {
    let today = ctx.store.clock().today();
    let draft = ServiceDraft {
        worker_born_on: Some(worker.born_on),
        ..draft_of(form, kind)
    };
    let errors = validate_service(&draft, today, "", "")
        .err()
        .unwrap_or_default();
    set_errors(form, &errors, ctx.lang);
}

/// Validates and logs the service in one transaction; back to the worker on success.
pub fn save_service(
    worker: &ForWorker,
    form: &Form,
    kind: &str,
    ctx: &mut Ctx,
) -> Result<Effect, SaveError> {
    let lang = ctx.lang;
    let today = ctx.store.clock().today();
    let consent_by = ctx.officer().map(|o| o.name).unwrap_or_default();
    let consent_at = ctx.store.clock().stamp();
    let draft = ServiceDraft {
        event_uid: worker.event.as_ref().map(|(uid, _)| uid.clone()),
        worker_born_on: Some(worker.born_on),
        ..draft_of(form, kind)
    };
    let input =
        validate_service(&draft, today, &consent_by, &consent_at).map_err(SaveError::Invalid)?;
    let kind_name = refdata::service_kind(&input.kind)
        .map(|k| k.name(lang).to_string())
        .unwrap_or_else(|| input.kind.clone());
    let saved = match &worker.editing {
        Some((uid, version)) => ctx
            .store
            .update_service(uid, &input, Some(*version))
            .map(|_| tf(lang, T::Updated, &[&kind_name])),
        None => ctx
            .store
            .add_service(&worker.uid, &input)
            .map(|_| tf(lang, T::Logged, &[&kind_name, &worker.name])),
    };
    match saved {
        Ok(message) => {
            ctx.say(message);
            Ok(Effect::Back)
        }
        Err(StoreError::Invalid(e)) => Err(SaveError::Invalid(vec![e])),
        Err(StoreError::InvalidMany(es)) => Err(SaveError::Invalid(es)),
        Err(e) => Err(SaveError::Failed(e.message(lang))),
    }
}

/// After a new health check or legal-aid visit is saved, the needs checklist takes the form's
/// place (Esc skips it); a correction goes straight back, and so does a check at an event,
/// where quick entry goes on to the next worker.
pub fn then_offer_needs(worker: &ForWorker, effect: Effect) -> Effect {
    match effect {
        Effect::Back if worker.editing.is_none() && worker.event.is_none() => {
            Effect::Replace(crate::tui::routes::Route::Needs(worker.uid.clone()))
        }
        other => other,
    }
}

/// Fills a form with a recorded service's values, field by field (fields the form lacks are
/// skipped), for correcting it.
pub fn prefill(form: &mut Form, service: &Service) {
    let d = ServiceDraft::from(service);
    let flag = |on: bool| if on { "true" } else { "false" }.to_string();
    let values = [
        ("kind", d.kind),
        ("served_on", d.served_on),
        ("place", d.place),
        ("quantity", d.quantity),
        ("amount", d.amount),
        ("note", d.note),
        ("provider", d.provider),
        ("blood_pressure", d.blood_pressure),
        ("glucose", d.glucose),
        ("findings", d.findings),
        ("referral", flag(d.referral)),
        ("follow_up_on", d.follow_up_on),
        ("consent", flag(d.consent)),
        ("category", d.category),
        ("status", d.status),
        ("claimed", d.claimed),
        ("recovered", d.recovered),
        ("follows", d.follows_uid),
        ("description", d.description),
    ];
    for (key, value) in values {
        if let Some(field) = form.field_mut(key) {
            field.set_raw(&value);
        }
    }
}

/// The kinds a plain service form offers, grouped: all but those with their own form.
fn kind_choices(lang: Lang) -> Vec<Choice> {
    let mut out = Vec::new();
    for group in refdata::service_groups() {
        for kind in refdata::service_kinds_in(&group.code) {
            if kind.form != KindForm::Plain {
                continue;
            }
            out.push(Choice {
                code: kind.code.clone(),
                label: kind.name(lang).to_string(),
                group: Some(group.name(lang).to_string()),
            });
        }
    }
    out
}

pub struct ServiceSpec {
    worker: ForWorker,
}

pub fn open(worker: &Worker, ctx: &mut Ctx) -> FormScreen<ServiceSpec> {
    open_for(ForWorker::of(worker), None, ctx)
}

/// The form filled with `service`, saving a new version of it.
pub fn open_edit(worker: &Worker, service: &Service, ctx: &mut Ctx) -> FormScreen<ServiceSpec> {
    open_for(ForWorker::editing(worker, service), Some(service), ctx)
}

fn open_for(
    worker: ForWorker,
    service: Option<&Service>,
    ctx: &mut Ctx,
) -> FormScreen<ServiceSpec> {
    let lang = ctx.lang;
    let picker_key = ctx
        .keymap
        .key_for(Context::Form, Action::OpenPicker)
        .map(|k| k.to_string())
        .unwrap_or_default();
    let form = Form::new(vec![
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
        FormField::text("quantity", Field::Quantity.label(lang), "1").proposed(),
        FormField::text("amount", Field::Amount.label(lang), "").hint(t(lang, T::YuanHint)),
        FormField::text("note", Field::Note.label(lang), ""),
    ]);
    let mut form = form;
    if let Some(service) = service {
        prefill(&mut form, service);
    }
    FormScreen::open(ServiceSpec { worker }, form, ctx)
}

impl FormSpec for ServiceSpec {
    fn title(&self, lang: Lang) -> String {
        tf(lang, T::ServiceTitle, &[&self.worker.name])
    }

    fn draft_key(&self) -> String {
        self.worker.draft_key("other")
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        self.worker.header(lang)
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        check_service(&self.worker, form, "", ctx);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        save_service(&self.worker, form, "", ctx)
    }
}
