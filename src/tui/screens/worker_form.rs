//! Register a worker, or edit one. The ID number tells birth date, age, sex and home region
//! as it is typed; a number already registered offers to open that worker instead.

use super::form_screen::{FormScreen, FormSpec, SaveError, district_choices, set_errors};
use super::{Ctx, Effect};
use crate::domain::idcard::{age_on, district_of, province_of};
use crate::domain::refdata::KindForm;
use crate::domain::validate::{WorkerDraft, validate_worker};
use crate::domain::{Event, Field, Gender, Membership, Rule, Worker, parse_id_number};
use crate::store::StoreError;
use crate::text::Lang;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::routes::{Route, kind_form};
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField, Note, NoteKind};
use crate::tui::widgets::picker::Choice;

pub struct WorkerSpec {
    /// The worker being edited; `None` registers a new one.
    editing: Option<(String, i64, String)>,
    /// The live worker who already holds the typed ID number: (uid, name).
    duplicate: Option<(String, String)>,
    /// Opened from quick entry: the new worker is served in this event once saved.
    event: Option<Event>,
}

/// A new worker's district, wherever they are registered: the officer's, shown in the form
/// and changeable there.
fn new_worker_district(ctx: &Ctx) -> String {
    ctx.store.new_worker_district().unwrap_or_default()
}

pub fn open_new(ctx: &mut Ctx) -> FormScreen<WorkerSpec> {
    let draft = WorkerDraft {
        district_code: new_worker_district(ctx),
        ..WorkerDraft::default()
    };
    let form = fields(ctx.lang, &draft);
    FormScreen::open(
        WorkerSpec {
            editing: None,
            duplicate: None,
            event: None,
        },
        form,
        ctx,
    )
}

/// A worker met at an event who is not registered yet: the ID number (or name) typed on the
/// quick-entry line is filled in, the district is the officer's as for any new worker, and saving records
/// the event's service for them and goes back to the quick-entry line.
pub fn open_for_event(
    id_number: &str,
    name: &str,
    event: &Event,
    ctx: &mut Ctx,
) -> FormScreen<WorkerSpec> {
    let draft = WorkerDraft {
        name: name.to_string(),
        id_number: id_number.to_string(),
        district_code: new_worker_district(ctx),
        ..WorkerDraft::default()
    };
    let mut form = fields(ctx.lang, &draft);
    // The name is usually the one thing left to type after the ID number.
    form.focus = usize::from(!name.is_empty() && id_number.is_empty());
    FormScreen::open(
        WorkerSpec {
            editing: None,
            duplicate: None,
            event: Some(event.clone()),
        },
        form,
        ctx,
    )
}

pub fn open_edit(worker: &Worker, ctx: &mut Ctx) -> FormScreen<WorkerSpec> {
    let form = fields(ctx.lang, &WorkerDraft::from(&worker.input));
    FormScreen::open(
        WorkerSpec {
            editing: Some((
                worker.uid.clone(),
                worker.version,
                worker.input.name.clone(),
            )),
            duplicate: None,
            event: None,
        },
        form,
        ctx,
    )
}

fn membership_label(m: Membership, lang: Lang) -> &'static str {
    t(
        lang,
        match m {
            Membership::Member => T::MemberMember,
            Membership::JoinedHere => T::MemberJoinedHere,
            Membership::NotMember => T::MemberNotMember,
        },
    )
}

fn fields(lang: Lang, d: &WorkerDraft) -> Form {
    let memberships = Membership::ALL
        .into_iter()
        .map(|m| Choice::new(m.code(), membership_label(m, lang)))
        .collect();
    let membership = if d.membership.is_empty() {
        Membership::JoinedHere.code()
    } else {
        d.membership.as_str()
    };
    Form::new(vec![
        FormField::text("name", Field::Name.label(lang), &d.name).required(),
        FormField::text("id_number", Field::IdNumber.label(lang), &d.id_number).required(),
        FormField::text("phone", Field::Phone.label(lang), &d.phone).required(),
        FormField::text("employer", Field::Employer.label(lang), &d.employer),
        FormField::text("worksite", Field::Worksite.label(lang), &d.worksite),
        FormField::text("trade", Field::Trade.label(lang), &d.trade),
        FormField::choice(
            "district",
            Field::District.label(lang),
            district_choices(lang, true),
            &d.district_code,
        ),
        FormField::choice(
            "membership",
            Field::Membership.label(lang),
            memberships,
            membership,
        ),
        FormField::text("card_no", Field::CardNo.label(lang), &d.card_no),
        FormField::check("hardship", t(lang, T::HardshipLabel), d.hardship)
            .hint(t(lang, T::CheckHint)),
        FormField::text("note", Field::Note.label(lang), &d.note),
    ])
}

fn draft_of(form: &Form) -> WorkerDraft {
    WorkerDraft {
        name: form.raw("name"),
        id_number: form.raw("id_number"),
        phone: form.raw("phone"),
        employer: form.raw("employer"),
        worksite: form.raw("worksite"),
        trade: form.raw("trade"),
        district_code: form.raw("district"),
        membership: form.raw("membership"),
        card_no: form.raw("card_no"),
        hardship: form.raw("hardship") == "true",
        note: form.raw("note"),
    }
}

fn add_note(form: &mut Form, key: &str, kind: NoteKind, text: String) {
    if let Some(f) = form.field_mut(key) {
        f.notes.push(Note { kind, text });
    }
}

impl WorkerSpec {
    fn uid(&self) -> Option<&str> {
        self.editing.as_ref().map(|(uid, _, _)| uid.as_str())
    }
}

impl FormSpec for WorkerSpec {
    fn title(&self, lang: Lang) -> String {
        match &self.editing {
            Some((_, _, name)) => tf(lang, T::WorkerEditTitle, &[name]),
            None => t(lang, T::WorkerNewTitle).to_string(),
        }
    }

    fn draft_key(&self) -> String {
        match self.uid() {
            Some(uid) => format!("worker:{uid}"),
            None => "worker:new".into(),
        }
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        let lang = ctx.lang;
        let today = ctx.store.clock().today();
        let draft = draft_of(form);
        let errors = validate_worker(&draft, today).err().unwrap_or_default();
        set_errors(form, &errors, lang);
        for f in &mut form.fields {
            f.notes.clear();
        }
        self.duplicate = None;
        if let Ok(id) = parse_id_number(&draft.id_number, today) {
            let sex = match id.gender {
                Gender::Male => t(lang, T::Male),
                Gender::Female => t(lang, T::Female),
            };
            let birth = id.birth_date.format("%Y-%m-%d").to_string();
            let age = age_on(id.birth_date, today).to_string();
            let province = province_of(&id)
                .map(|p| p.name(lang).to_string())
                .unwrap_or_default();
            let text = match district_of(&id.region_code) {
                Some(d) => tf(
                    lang,
                    T::DerivedTianjin,
                    &[&birth, &age, sex, &province, d.name(lang)],
                ),
                None => tf(lang, T::Derived, &[&birth, &age, sex, &province]),
            };
            add_note(form, "id_number", NoteKind::Info, text);
            if let Ok(Some(existing)) = ctx.store.worker_by_id_number(&id.number)
                && Some(existing.uid.as_str()) != self.uid()
            {
                let key = ctx
                    .keymap
                    .key_for(Context::Form, Action::OpenExisting)
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                add_note(
                    form,
                    "id_number",
                    NoteKind::Error,
                    tf(lang, T::DuplicateId, &[&existing.input.name, &key]),
                );
                self.duplicate = Some((existing.uid, existing.input.name));
            }
        }
        if let (Ok(name), Ok(phone)) = (
            crate::domain::validate_name(&draft.name),
            crate::domain::normalize_phone(&draft.phone),
        ) && let Ok(same) = ctx.store.same_name_and_phone(&name, &phone, self.uid())
            && let Some(first) = same.first()
        {
            let masked = crate::domain::mask_id_number(&first.input.id_number);
            add_note(
                form,
                "phone",
                NoteKind::Warning,
                tf(lang, T::SameNamePhone, &[&masked]),
            );
        }
        let trade = draft.trade.trim();
        if !trade.is_empty()
            && let Ok(found) = ctx.store.trades_starting(trade, 4)
        {
            let others: Vec<String> = found.into_iter().filter(|t| t != trade).collect();
            if !others.is_empty() {
                let key = ctx
                    .keymap
                    .key_for(Context::Form, Action::OpenPicker)
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                add_note(
                    form,
                    "trade",
                    NoteKind::Info,
                    tf(lang, T::TradeSuggest, &[&others.join("、"), &key]),
                );
            }
        }
    }

    fn completions(&self, form: &Form, key: &str, ctx: &mut Ctx) -> Vec<Choice> {
        if key != "trade" {
            return Vec::new();
        }
        ctx.store
            .trades_starting(form.raw("trade").trim(), 30)
            .unwrap_or_default()
            .into_iter()
            .map(|t| Choice::new(t.clone(), t))
            .collect()
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        let today = ctx.store.clock().today();
        let (input, _) = validate_worker(&draft_of(form), today).map_err(SaveError::Invalid)?;
        let lang = ctx.lang;
        let result = match &self.editing {
            Some((uid, version, _)) => ctx
                .store
                .update_worker(uid, &input, Some(*version))
                .map(|r| (r.uid, false)),
            None => ctx.store.add_worker(&input).map(|r| (r.uid, true)),
        };
        match result {
            Ok((uid, created)) => {
                if created && let Some(event) = &self.event {
                    return Ok(serve_registered(&uid, event, ctx));
                }
                if created {
                    ctx.say(tf(lang, T::Registered, &[&input.name]));
                    Ok(Effect::Replace(Route::WorkerDetail(uid)))
                } else {
                    ctx.say(tf(lang, T::Updated, &[&input.name]));
                    Ok(Effect::Back)
                }
            }
            // The check has already said who holds the number and which key opens them: a
            // second message with the record's uid would only repeat it.
            Err(StoreError::Invalid(e))
                if matches!(e.rule, Rule::DuplicateIdNumber { .. }) && self.duplicate.is_some() =>
            {
                Err(SaveError::Invalid(Vec::new()))
            }
            Err(StoreError::Invalid(e)) => Err(SaveError::Invalid(vec![e])),
            Err(StoreError::InvalidMany(es)) => Err(SaveError::Invalid(es)),
            Err(e) => Err(SaveError::Failed(e.message(lang))),
        }
    }

    fn extra(&mut self, action: Action, _form: &mut Form, ctx: &mut Ctx) -> Option<Effect> {
        if action != Action::OpenExisting {
            return None;
        }
        let (uid, _) = self.duplicate.clone()?;
        let _ = ctx.store.clear_draft(&self.draft_key());
        Some(Effect::Replace(Route::WorkerDetail(uid)))
    }

    fn extra_footer(&self) -> Vec<Action> {
        if self.duplicate.is_some() {
            vec![Action::OpenExisting]
        } else {
            Vec::new()
        }
    }
}

/// After a worker was registered from quick entry: record the event's service for them (or
/// open the kind's own form) and go back to the quick-entry line.
fn serve_registered(worker_uid: &str, event: &Event, ctx: &mut Ctx) -> Effect {
    let worker = match ctx.store.worker_by_uid(worker_uid) {
        Ok(Some(w)) => w,
        Ok(None) => return Effect::Back,
        Err(e) => {
            ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)]));
            return Effect::Back;
        }
    };
    if kind_form(&event.input.kind) != KindForm::Plain {
        return Effect::Replace(Route::ServiceAtEvent {
            worker: Box::new(worker),
            event: Box::new(event.clone()),
        });
    }
    // On success the quick-entry line says so when it is back on top (see `resume`); the
    // status line would keep saying it even after an undo.
    if let Err(e) = ctx.store.record_event_service(&event.uid, worker_uid) {
        ctx.say(tf(
            ctx.lang,
            T::RegisteredNotRecorded,
            &[&worker.input.name, &e.message(ctx.lang)],
        ));
    }
    Effect::Back
}
