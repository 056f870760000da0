//! The automatic backup as the screens run it: started off the UI thread, its end said in
//! the status line, its age kept for the home screen.

use super::App;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::text::{T, t, tf};

impl App {
    /// Says how to restore instead, on a database just created (a replaced laptop).
    pub fn suggest_restore(&mut self) {
        self.say(t(self.lang, T::RestoreHint));
    }

    /// Starts the automatic backup on a connection of its own: at start (once a day) or after
    /// an export. Its failure is said in the status line; nothing waits for it.
    pub fn start_backup(&mut self, after_export: bool) {
        if self.backup_job.is_some() {
            self.backup_again |= after_export;
            return;
        }
        let opener = self.store.opener();
        let clock = self.store.clock();
        let lang = self.lang;
        let spawned = self
            .jobs
            .spawn("backup", move |_: &crate::tui::jobs::Progress<()>| {
                let mut store = match opener.open(crate::store::Access::ReadWrite) {
                    Ok(store) => store,
                    Err(e) => return Some(crate::backup::BackupError::from(e).message(lang)),
                };
                store.set_clock(clock);
                let outcome = if after_export {
                    crate::backup::after_export(&mut store)
                } else {
                    crate::backup::at_start(&mut store)
                };
                outcome.message(lang)
            });
        match spawned {
            Ok(id) => self.backup_job = Some(id),
            Err(e) => tracing::warn!(error = %e, "cannot start the backup thread"),
        }
    }

    pub(super) fn backup_after_export(&mut self) {
        let now = self.store.last_sent().ok().flatten().map(|l| l.uid);
        if now.is_some() && now != self.last_sent {
            self.last_sent = now;
            self.start_backup(true);
        }
    }

    pub(super) fn backup_ended(&mut self, said: Option<String>) {
        self.backup_job = None;
        if let Some(line) = said {
            // It names the backup folder, typed by the officer: shown like any outside text.
            self.say(crate::tui::widgets::shown(&line).into_owned());
        }
        self.refresh_backup_note();
        if std::mem::take(&mut self.backup_again) {
            self.start_backup(true);
        }
    }

    pub(super) fn refresh_backup_note(&mut self) {
        let set = matches!(self.store.backup_settings(), Ok(Some(_)));
        let last = self.store.last_backup_at().ok().flatten();
        self.backup_note = match (set, last) {
            (false, _) => {
                let key = self
                    .keymap
                    .key_for(Context::List, Action::Settings)
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                tf(self.lang, T::BackupNotSet, &[&key])
            }
            (true, Some(at)) => tf(
                self.lang,
                T::BackupAge,
                &[&crate::backup::age_text(
                    &at,
                    self.store.clock().now(),
                    self.lang,
                )],
            ),
            (true, None) => tf(self.lang, T::BackupAge, &["—"]),
        };
    }
}
