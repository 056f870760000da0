//! Undo and redo of this sitting's records: Ctrl-Z takes back the newest one not yet
//! exported, Ctrl-R puts back what undo took last; the store decides whether each still can.

use super::{Feedback, QuickEntryScreen};
use crate::store::event_entry::TakeBack;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screens::Ctx;
use crate::tui::text::{T, tf};

impl QuickEntryScreen {
    /// Ctrl-Z: takes back the newest record of this sitting not yet exported, by its uid.
    pub(super) fn undo(&mut self, ctx: &mut Ctx) {
        while let Some(at) = self.session.iter().rposition(|r| !r.exported) {
            let record = &self.session[at];
            let outcome = match ctx
                .store
                .undo_event_service(&record.service_uid, &record.needs)
            {
                Ok(outcome) => outcome,
                Err(e) => return self.problem(ctx, &e),
            };
            match outcome {
                Some(TakeBack::Done { worker_name, needs }) => {
                    ctx.wrote = true;
                    self.undone.push(self.session.remove(at));
                    self.after_change(ctx);
                    let mut said = tf(
                        ctx.lang,
                        T::QuickUndone,
                        &[
                            &worker_name,
                            &self.event.people_count.to_string(),
                            &self.event.served_count.to_string(),
                        ],
                    );
                    if needs > 0 {
                        said.push_str(&tf(ctx.lang, T::QuickNeedsTakenBack, &[&needs.to_string()]));
                    }
                    self.feedback = Some(Feedback::Undone(said));
                }
                Some(TakeBack::Exported { worker_name }) => {
                    self.session[at].exported = true;
                    let key = ctx
                        .keymap
                        .key_for(Context::QuickEntry, Action::Attendees)
                        .map(|k| k.to_string())
                        .unwrap_or_default();
                    self.feedback = Some(Feedback::Problem(tf(
                        ctx.lang,
                        T::QuickUndoExported,
                        &[&worker_name, &key],
                    )));
                }
                Some(_) => {
                    // Withdrawn elsewhere meanwhile: not this sitting's to take back any more.
                    let gone = self.session.remove(at);
                    self.after_change(ctx);
                    self.feedback = Some(Feedback::Note(tf(
                        ctx.lang,
                        T::QuickUndoGone,
                        &[&gone.name],
                    )));
                }
                None => {
                    self.session.remove(at);
                    continue;
                }
            }
            return;
        }
        self.feedback = Some(Feedback::Note(ctx.t(T::QuickNothingToUndo).into()));
    }

    /// Ctrl-R: puts back the record this sitting's undo took last.
    pub(super) fn redo(&mut self, ctx: &mut Ctx) {
        let Some(record) = self.undone.pop() else {
            self.feedback = Some(Feedback::Note(ctx.t(T::QuickNothingToRedo).into()));
            return;
        };
        let outcome = match ctx
            .store
            .redo_event_service(&record.service_uid, &record.needs)
        {
            Ok(outcome) => outcome,
            Err(e) => {
                self.undone.push(record);
                return self.problem(ctx, &e);
            }
        };
        let name = record.name.clone();
        let (key, style_note) = match outcome {
            Some(TakeBack::Done { needs, .. }) => {
                ctx.wrote = true;
                self.session.push(record);
                self.after_change(ctx);
                let mut said = tf(
                    ctx.lang,
                    T::QuickRedone,
                    &[
                        &name,
                        &self.event.people_count.to_string(),
                        &self.event.served_count.to_string(),
                    ],
                );
                if needs > 0 {
                    said.push_str(&tf(ctx.lang, T::QuickNeedsPutBack, &[&needs.to_string()]));
                }
                self.feedback = Some(Feedback::Recorded(said));
                return;
            }
            Some(TakeBack::Exported { .. }) => (T::QuickRedoExported, false),
            Some(TakeBack::ServedAgain { .. }) => (T::QuickRedoServedAgain, true),
            Some(TakeBack::Unchanged { .. }) | None => (T::QuickUndoGone, true),
        };
        let text = tf(ctx.lang, key, &[&name]);
        self.feedback = Some(if style_note {
            Feedback::Note(text)
        } else {
            Feedback::Problem(text)
        });
    }

    /// The running count and the change detection of `resume` after an undo or a redo.
    fn after_change(&mut self, ctx: &mut Ctx) {
        self.reload_event(ctx);
        self.latest_seen = self.latest_service(ctx);
    }
}
