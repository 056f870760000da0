//! Log a legal-aid visit (法律援助). A follow-up visit names the open case it continues, so
//! the worker's history reads as one thread from the first visit to the resolution.

use super::form_screen::{FormScreen, FormSpec, SaveError};
use super::service_form::{ForWorker, check_service, prefill, save_service, then_offer_needs};
use super::{Ctx, Effect};
use crate::domain::refdata;
use crate::domain::{Event, Field, Service, Worker, format_fen};
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::labels::date_text;
use crate::tui::widgets::picker::Choice;

const KIND: &str = "legal_aid";

pub struct LegalAidSpec {
    worker: ForWorker,
    open_cases: Vec<Service>,
}

fn labelled(items: &[refdata::Labelled], lang: Lang) -> Vec<Choice> {
    items
        .iter()
        .map(|l| Choice::new(l.code.clone(), l.name(lang)))
        .collect()
}

/// "2026-10-01 欠薪 调解中 主张 ¥5000.00": how an open case is offered for follow-up.
fn case_label(s: &Service, lang: Lang) -> String {
    let mut label = s.served_on.format("%Y-%m-%d").to_string();
    if let Some(l) = &s.legal {
        if let Some(c) = refdata::legal_aid_category(&l.category) {
            label.push(' ');
            label.push_str(c.name(lang));
        }
        if let Some(st) = refdata::legal_aid_status(&l.status) {
            label.push(' ');
            label.push_str(st.name(lang));
        }
        label.push(' ');
        label.push_str(&tf(lang, T::Claimed, &[&format_fen(l.claimed_fen)]));
    }
    label
}

pub fn open(worker: &Worker, ctx: &mut Ctx) -> FormScreen<LegalAidSpec> {
    let today = date_text(ctx.store.clock().today());
    open_with(ForWorker::of(worker), &today, "", ctx)
}

/// A visit at a legal-aid event (a consultation day): the event's day and place are filled in,
/// and saving records the visit in the event.
pub fn open_at_event(worker: &Worker, event: &Event, ctx: &mut Ctx) -> FormScreen<LegalAidSpec> {
    let held_on = event.held_on.format("%Y-%m-%d").to_string();
    open_with(
        ForWorker::at_event(worker, event),
        &held_on,
        &event.input.place,
        ctx,
    )
}

/// The form filled with a recorded visit, saving a new version of it. The case it continues
/// stays as recorded.
pub fn open_edit(worker: &Worker, service: &Service, ctx: &mut Ctx) -> FormScreen<LegalAidSpec> {
    open_filled(
        ForWorker::editing(worker, service),
        "",
        "",
        Some(service),
        ctx,
    )
}

fn open_with(
    worker: ForWorker,
    served_on: &str,
    place: &str,
    ctx: &mut Ctx,
) -> FormScreen<LegalAidSpec> {
    open_filled(worker, served_on, place, None, ctx)
}

fn open_filled(
    worker: ForWorker,
    served_on: &str,
    place: &str,
    service: Option<&Service>,
    ctx: &mut Ctx,
) -> FormScreen<LegalAidSpec> {
    let lang = ctx.lang;
    let open_cases = ctx.store.open_legal_cases(&worker.uid).unwrap_or_default();
    let mut cases = vec![Choice::new("", t(lang, T::NewCase))];
    cases.extend(
        open_cases
            .iter()
            .map(|s| Choice::new(s.uid.clone(), case_label(s, lang))),
    );
    // A corrected visit keeps the visit it continues, open or not: offer it by its date.
    if let Some(earlier) = service
        .and_then(|s| s.legal.as_ref()?.follows_uid.clone())
        .filter(|uid| !open_cases.iter().any(|c| &c.uid == uid))
        .and_then(|uid| ctx.store.service_by_uid(&uid).ok().flatten())
    {
        cases.push(Choice::new(earlier.uid.clone(), case_label(&earlier, lang)));
    }
    let form = Form::new(vec![
        FormField::text("served_on", Field::Date.label(lang), served_on)
            .proposed()
            .required()
            .hint(t(lang, T::DateHint)),
        FormField::text("place", Field::Place.label(lang), place),
        FormField::choice("follows", Field::Follows.label(lang), cases, "")
            .hint(t(lang, T::FollowsHint)),
        FormField::choice(
            "category",
            Field::Category.label(lang),
            labelled(refdata::legal_aid_categories(), lang),
            "",
        )
        .required(),
        FormField::choice(
            "status",
            Field::Status.label(lang),
            labelled(refdata::legal_aid_statuses(), lang),
            "open",
        ),
        FormField::text("claimed", Field::Claimed.label(lang), "").hint(t(lang, T::YuanHint)),
        FormField::text("recovered", Field::Recovered.label(lang), "").hint(t(lang, T::YuanHint)),
        FormField::text("description", Field::Description.label(lang), ""),
    ]);
    let mut form = form;
    if let Some(service) = service {
        prefill(&mut form, service);
    }
    FormScreen::open(LegalAidSpec { worker, open_cases }, form, ctx)
}

impl FormSpec for LegalAidSpec {
    fn title(&self, lang: Lang) -> String {
        tf(lang, T::LegalTitle, &[&self.worker.name])
    }

    fn draft_key(&self) -> String {
        self.worker.draft_key(KIND)
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        self.worker.header(lang)
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        check_service(&self.worker, form, KIND, ctx);
    }

    /// A follow-up carries on the case: its category and claim are copied when still empty.
    fn chosen(&mut self, form: &mut Form, key: &str, _ctx: &mut Ctx) {
        if key != "follows" {
            return;
        }
        let follows = form.raw("follows");
        let Some(case) = self
            .open_cases
            .iter()
            .find(|s| s.uid == follows)
            .and_then(|s| s.legal.clone())
        else {
            return;
        };
        if let Some(f) = form.field_mut("category") {
            f.set_raw(&case.category);
        }
        if let Some(f) = form.field_mut("claimed")
            && f.raw().trim().is_empty()
            && case.claimed_fen > 0
        {
            f.set_raw(&format_fen(case.claimed_fen));
        }
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        save_service(&self.worker, form, KIND, ctx).map(|e| then_offer_needs(&self.worker, e))
    }
}
