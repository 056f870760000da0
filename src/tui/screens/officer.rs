//! Who uses this laptop and where its backups go: the first-run form (name, union
//! organisation, district), and the same form later as the laptop's settings (F8 on the
//! workers list), where the backup folder and how many copies to keep are chosen too. Both
//! doors check a backup choice by the rules of `officer set --backup-dir`.

use super::form_screen::{FormScreen, FormSpec, SaveError, district_choices, set_errors};
use super::{Ctx, Effect};
use crate::backup::checked_choice;
use crate::domain::{Field, FieldError, Officer};
use crate::store::StoreError;
use crate::store::backup_state::{BackupSettings, DEFAULT_KEEP};
use crate::store::officer::validate_officer;
use crate::text::Lang;
use crate::tui::routes::Route;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use std::path::PathBuf;

pub struct OfficerSpec {
    /// No officer yet: the program's first screen, which leads on to the workers list.
    first_run: bool,
}

pub fn open(ctx: &mut Ctx) -> FormScreen<OfficerSpec> {
    let lang = ctx.lang;
    let officer = ctx.store.officer().ok().flatten();
    let backup = ctx.store.backup_settings().ok().flatten();
    let first_run = officer.is_none();
    let officer = officer.unwrap_or_default();
    let (folder, keep) = match &backup {
        Some(b) => (b.dir.display().to_string(), b.keep),
        None => (String::new(), DEFAULT_KEEP),
    };
    let form = Form::new(vec![
        FormField::text("name", Field::Officer.label(lang), &officer.name).required(),
        FormField::text(
            "organisation",
            Field::Organisation.label(lang),
            &officer.organisation,
        )
        .required(),
        FormField::choice(
            "district",
            Field::District.label(lang),
            district_choices(lang, false),
            &officer.district_code,
        )
        .required(),
        FormField::text("backup_dir", Field::BackupFolder.label(lang), &folder)
            .hint(t(lang, T::BackupFolderHint)),
        FormField::text(
            "backup_keep",
            Field::BackupKeep.label(lang),
            &keep.to_string(),
        ),
    ]);
    FormScreen::open(OfficerSpec { first_run }, form, ctx)
}

fn officer_of(form: &Form) -> Officer {
    Officer {
        name: form.raw("name"),
        organisation: form.raw("organisation"),
        district_code: form.raw("district"),
    }
}

/// The backup choice typed, checked: `None` when the folder is left empty (no automatic
/// backups).
fn backup_of(form: &Form) -> Result<Option<BackupSettings>, Vec<FieldError>> {
    let folder = form.raw("backup_dir");
    let folder = folder.trim();
    if folder.is_empty() {
        return Ok(None);
    }
    // Not a number is out of range too: the message says what is wanted.
    let keep = form.raw("backup_keep").trim().parse().unwrap_or(0);
    checked_choice(&PathBuf::from(folder), keep).map(Some)
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
        let title = if self.first_run {
            T::OfficerTitle
        } else {
            T::SettingsTitle
        };
        t(lang, title).to_string()
    }

    fn draft_key(&self) -> String {
        "officer:setup".into()
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        vec![
            t(lang, T::OfficerIntro).to_string(),
            t(lang, T::BackupIntro).to_string(),
        ]
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        let mut errors = match validate_officer(&officer_of(form)) {
            Ok(_) => Vec::new(),
            Err(StoreError::Invalid(e)) => vec![e],
            Err(StoreError::InvalidMany(es)) => es,
            Err(_) => Vec::new(),
        };
        errors.extend(backup_of(form).err().unwrap_or_default());
        set_errors(form, &errors, ctx.lang);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        let backup = backup_of(form).map_err(SaveError::Invalid)?;
        let officer = match ctx.store.set_officer(&officer_of(form)) {
            Ok(officer) => officer,
            Err(e) => {
                let message = e.message(ctx.lang);
                errors_of(e)?;
                return Err(SaveError::Failed(message));
            }
        };
        ctx.officer_changed = true;
        let had = ctx.store.backup_settings().ok().flatten();
        if had != backup {
            let stored = match &backup {
                Some(settings) => ctx.store.set_backup_settings(settings),
                None => ctx.store.forget_backup_folder(),
            };
            stored.map_err(|e| SaveError::Failed(e.message(ctx.lang)))?;
            // A folder chosen gets its first copy at once, so the officer sees that it works.
            ctx.backup_changed = true;
        }
        if self.first_run {
            ctx.say(tf(ctx.lang, T::OfficerSaved, &[&officer.name]));
            Ok(Effect::Replace(Route::Workers))
        } else {
            ctx.say(t(ctx.lang, T::SettingsSaved));
            Ok(Effect::Back)
        }
    }
}
