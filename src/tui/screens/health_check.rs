//! Log a free health check (免费查体). Health data is recorded only with the worker's own,
//! separate consent: the form will not save without it ticked.

use super::form_screen::{FormScreen, FormSpec, SaveError};
use super::service_form::{ForWorker, check_service, save_service, today_text};
use super::{Ctx, Effect};
use crate::domain::{Event, Field, Worker};
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};

const KIND: &str = "health_check";

pub struct HealthCheckSpec {
    worker: ForWorker,
}

pub fn open(worker: &Worker, ctx: &mut Ctx) -> FormScreen<HealthCheckSpec> {
    let today = today_text(ctx);
    open_with(ForWorker::of(worker), &today, "", ctx)
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
    let lang = ctx.lang;
    let form = Form::new(vec![
        FormField::text("served_on", Field::Date.label(lang), served_on)
            .required()
            .hint(t(lang, T::DateHint)),
        FormField::text("place", Field::Place.label(lang), place),
        FormField::text("provider", Field::Provider.label(lang), ""),
        FormField::text("blood_pressure", Field::BloodPressure.label(lang), "").hint("120/80"),
        FormField::text("glucose", Field::Glucose.label(lang), "").hint("mmol/L"),
        FormField::text("findings", Field::Findings.label(lang), ""),
        FormField::check("referral", t(lang, T::ReferralLabel), false).hint(t(lang, T::CheckHint)),
        FormField::text("follow_up_on", Field::FollowUpOn.label(lang), "")
            .hint(t(lang, T::FollowUpHint)),
        FormField::check("consent", Field::Consent.label(lang), false)
            .required()
            .hint(t(lang, T::ConsentHint)),
    ]);
    FormScreen::open(HealthCheckSpec { worker }, form, ctx)
}

impl FormSpec for HealthCheckSpec {
    fn title(&self, lang: Lang) -> String {
        tf(lang, T::HealthTitle, &[&self.worker.name])
    }

    fn draft_key(&self) -> String {
        format!("service:{}:{KIND}", self.worker.uid)
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        self.worker.header(lang)
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        check_service(&self.worker, form, KIND, ctx);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        save_service(&self.worker, form, KIND, ctx)
    }
}
