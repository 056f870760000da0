//! First run: who uses this laptop (name, union organisation, district).

use super::form_screen::{FormScreen, FormSpec, SaveError, district_choices, set_errors};
use super::{Ctx, Effect};
use crate::domain::{Field, Officer};
use crate::store::StoreError;
use crate::store::officer::validate_officer;
use crate::text::Lang;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};

pub struct OfficerSpec;

pub fn open(ctx: &mut Ctx) -> FormScreen<OfficerSpec> {
    let lang = ctx.lang;
    let form = Form::new(vec![
        FormField::text("name", Field::Officer.label(lang), "").required(),
        FormField::text("organisation", Field::Organisation.label(lang), "").required(),
        FormField::choice(
            "district",
            Field::District.label(lang),
            district_choices(lang, false),
            "",
        )
        .required(),
    ]);
    FormScreen::open(OfficerSpec, form, ctx)
}

fn officer_of(form: &Form) -> Officer {
    Officer {
        name: form.raw("name"),
        organisation: form.raw("organisation"),
        district_code: form.raw("district"),
    }
}

fn errors_of(err: StoreError) -> Result<(), SaveError> {
    match err {
        StoreError::Invalid(e) => Err(SaveError::Invalid(vec![e])),
        StoreError::InvalidMany(es) => Err(SaveError::Invalid(es)),
        _ => Ok(()),
    }
}

impl FormSpec for OfficerSpec {
    fn title(&self, lang: Lang) -> String {
        t(lang, T::OfficerTitle).to_string()
    }

    fn draft_key(&self) -> String {
        "officer:setup".into()
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        vec![t(lang, T::OfficerIntro).to_string()]
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        let errors = match validate_officer(&officer_of(form)) {
            Ok(_) => Vec::new(),
            Err(StoreError::Invalid(e)) => vec![e],
            Err(StoreError::InvalidMany(es)) => es,
            Err(_) => Vec::new(),
        };
        set_errors(form, &errors, ctx.lang);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        match ctx.store.set_officer(&officer_of(form)) {
            Ok(officer) => {
                ctx.officer_changed = true;
                ctx.say(tf(ctx.lang, T::OfficerSaved, &[&officer.name]));
                Ok(Effect::Replace(Route::Workers))
            }
            Err(e) => {
                let message = e.message(ctx.lang);
                errors_of(e)?;
                Err(SaveError::Failed(message))
            }
        }
    }
}
