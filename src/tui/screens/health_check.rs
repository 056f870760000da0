//! Log a free health check (免费查体). Health data is recorded only with the worker's own,
//! separate consent: the form will not save without it ticked.

use super::form_screen::{FormScreen, FormSpec, SaveError};
use super::service_form::{ForWorker, check_service, prefill, save_service, then_offer_needs};
use super::{Ctx, Effect};
use crate::domain::{Event, Field, Service, Worker};
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::labels::date_text;

const KIND: &str = "health_check";

pub struct HealthCheckSpec {
    worker: ForWorker,
}

pub fn open(worker: &Worker, ctx: &mut Ctx) -> FormScreen<HealthCheckSpec> {
    let today = date_text(ctx.store.clock().today());
    open_with(ForWorker::of(worker), &today, "", ctx)
}

/// The form filled with a recorded check, saving a new version of it (the consent given
/// when it was recorded stands).
pub fn open_edit(worker: &Worker, service: &Service, ctx: &mut Ctx) -> FormScreen<HealthCheckSpec> {
    let mut screen_form = build(ctx, "", "");
    prefill(&mut screen_form, service);
    FormScreen::open(
        HealthCheckSpec {
            worker: ForWorker::editing(worker, service),
        },
        screen_form,
        ctx,
    )
}

/// The check of one worker at a clinic's visit: the event's day and place are filled in, and
/// saving records the check in the event.
pub fn open_at_event(worker: &Worker, event: &Event, ctx: &mut Ctx) -> FormScreen<HealthCheckSpec> {
    let held_on = event.held_on.format("%Y-%m-%d").to_string();
    open_with(
        ForWorker::at_event(worker, event),
        &held_on,
        &event.input.place,
        ctx,
    )
}

fn open_with(
    worker: ForWorker,
    served_on: &str,
    place: &str,
    ctx: &mut Ctx,
) -> FormScreen<HealthCheckSpec> {
    let form = build(ctx, served_on, place);
    FormScreen::open(HealthCheckSpec { worker }, form, ctx)
}

fn build(ctx: &Ctx, served_on: &str, place: &str) -> Form {
    let lang = ctx.lang;
    Form::new(vec![
        FormField::text("served_on", Field::Date.label(lang), served_on)
            .proposed()
            .required()
            .hint(t(lang, T::DateHint)),
        FormField::text("place", Field::Place.label(lang), place),
        FormField::text("provider", Field::Provider.label(lang), ""),
        FormField::text("blood_pressure", Field::BloodPressure.label(lang), "")
            .hint(t(lang, T::BloodPressureHint)),
        FormField::text("glucose", Field::Glucose.label(lang), "").hint("mmol/L"),
        FormField::text("findings", Field::Findings.label(lang), ""),
        FormField::check("referral", t(lang, T::ReferralLabel), false).hint(t(lang, T::CheckHint)),
        FormField::text("follow_up_on", Field::FollowUpOn.label(lang), "")
            .hint(t(lang, T::FollowUpHint)),
        FormField::check("consent", Field::Consent.label(lang), false)
            .required()
            .hint(t(lang, T::ConsentHint)),
    ])
}

impl FormSpec for HealthCheckSpec {
    fn title(&self, lang: Lang) -> String {
        tf(lang, T::HealthTitle, &[&self.worker.name])
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

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        save_service(&self.worker, form, KIND, ctx).map(|e| then_offer_needs(&self.worker, e))
    }
}
