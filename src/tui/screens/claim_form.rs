//! Mutual-aid claims (互助保障) on forms: a new claim of a card-holding member (type, the dates
//! the type needs, amount, the member card's protection period, the documents received), and a
//! step of a recorded claim (status, documents, reason, payment). The rules are the domain's:
//! the form shows each refusal under its field as the officer types.

use super::form_screen::{FormScreen, FormSpec, SaveError, set_errors};
use super::{Ctx, Effect};
use crate::domain::claims::{
    ClaimDraft, ClaimStatus, ClaimStepDraft, Member, apply_step, claim_documents, claim_type,
    claim_type_name, claim_types, validate_claim,
};
use crate::domain::{Field, FieldError, Membership, Rule, Worker, format_fen, mask_id_number};
use crate::store::StoreError;
use crate::store::claims::Claim;
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::form::{Form, FormField};
use crate::tui::widgets::labels::date_text;
use crate::tui::widgets::picker::Choice;
use crate::tui::widgets::shown;

/// Ticked document checkboxes (their keys are the document codes) as the comma list the rules
/// take.
fn ticked_documents(form: &Form) -> String {
    claim_documents()
        .iter()
        .filter(|d| form.raw(&d.code) == "true")
        .map(|d| d.code.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The rule messages under their fields; the checklist's own message goes under the first
/// document box missing (the boxes are keyed by document code, not by one field).
fn show_errors(form: &mut Form, errors: &[FieldError], lang: Lang) {
    set_errors(form, errors, lang);
    for e in errors {
        if let Rule::DocumentsMissing { missing } = &e.rule
            && let Some(first) = missing.first()
            && let Some(field) = form.field_mut(first)
        {
            field.error = Some(e.message(lang));
        }
    }
}

/// The member card number, its last four digits shown: it is a bank card number too.
fn masked_card(card_no: &str) -> String {
    let digits: Vec<char> = card_no.chars().collect();
    let shown_from = digits.len().saturating_sub(4);
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < shown_from { '*' } else { *c })
        .collect()
}

fn header_of(worker: &Worker) -> Vec<String> {
    vec![format!(
        "{}  {}  {}",
        shown(&worker.input.name),
        mask_id_number(&worker.input.id_number),
        shown(&masked_card(&worker.input.card_no))
    )]
}

fn store_error(e: StoreError, lang: Lang) -> SaveError {
    match e {
        StoreError::Invalid(e) => SaveError::Invalid(vec![e]),
        StoreError::InvalidMany(es) => SaveError::Invalid(es),
        e => SaveError::Failed(e.message(lang)),
    }
}

pub struct NewClaimSpec {
    worker: Worker,
    member: Option<Member>,
}

/// A new claim for `worker`, its protection period filled from the member card recorded.
pub fn open_new(worker: &Worker, ctx: &mut Ctx) -> FormScreen<NewClaimSpec> {
    let lang = ctx.lang;
    let member = ctx.store.claim_member(&worker.uid).ok();
    let (start, end) = member
        .as_ref()
        .and_then(|m| m.protection)
        .map(|(s, e)| (date_text(s), date_text(e)))
        .unwrap_or_default();
    let types = claim_types()
        .iter()
        .map(|k| {
            let sum = format_fen(k.maximum_fen());
            Choice::new(k.code.clone(), format!("{} ¥{sum}", k.name(lang)))
        })
        .collect();
    let mut fields = vec![
        FormField::choice("claim_type", Field::ClaimType.label(lang), types, "").required(),
        FormField::text("diagnosed_on", Field::DiagnosedOn.label(lang), "")
            .hint(t(lang, T::ClaimDatesHint)),
        FormField::text("accident_on", Field::AccidentOn.label(lang), ""),
        FormField::text("died_on", Field::DiedOn.label(lang), ""),
        FormField::text("fire_on", Field::FireOn.label(lang), ""),
        FormField::text("claim_amount", Field::ClaimAmount.label(lang), "")
            .hint(t(lang, T::ClaimAmountHint)),
        FormField::text(
            "protection_start",
            Field::ProtectionStart.label(lang),
            &start,
        )
        .hint(t(lang, T::ProtectionHint)),
        FormField::text("protection_end", Field::ProtectionEnd.label(lang), &end),
    ];
    fields.extend(claim_documents().iter().map(|d| {
        FormField::check(d.code.as_str(), lang.pick(&d.zh, &d.en), false)
            .hint(t(lang, T::DocumentHint))
    }));
    fields.push(FormField::text("note", Field::Note.label(lang), ""));
    FormScreen::open(
        NewClaimSpec {
            worker: worker.clone(),
            member,
        },
        Form::new(fields),
        ctx,
    )
}

impl NewClaimSpec {
    fn draft(form: &Form) -> ClaimDraft {
        ClaimDraft {
            claim_type: form.raw("claim_type"),
            diagnosed_on: form.raw("diagnosed_on"),
            accident_on: form.raw("accident_on"),
            died_on: form.raw("died_on"),
            fire_on: form.raw("fire_on"),
            amount: form.raw("claim_amount"),
            documents: ticked_documents(form),
            note: form.raw("note"),
            protection_start: form.raw("protection_start"),
            protection_end: form.raw("protection_end"),
        }
    }
}

impl FormSpec for NewClaimSpec {
    fn title(&self, lang: Lang) -> String {
        tf(lang, T::ClaimTitle, &[&self.worker.input.name])
    }

    fn draft_key(&self) -> String {
        format!("claim:{}", self.worker.uid)
    }

    /// The member rules name fields this form has not (membership, card number): their
    /// refusal shows above the fields as soon as the form opens.
    fn header(&self, lang: Lang) -> Vec<String> {
        let mut lines = header_of(&self.worker);
        let rule = match self
            .member
            .as_ref()
            .map(|m| (m.membership, m.card_no.trim()))
        {
            Some((Membership::Member | Membership::JoinedHere, "")) => {
                Some(FieldError::new(Field::CardNo, Rule::ClaimNeedsCard))
            }
            Some((Membership::NotMember, _)) => {
                Some(FieldError::new(Field::Membership, Rule::ClaimNeedsMember))
            }
            _ => None,
        };
        lines.extend(rule.map(|e| e.message(lang)));
        lines
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        let Some(member) = &self.member else {
            return;
        };
        let errors = validate_claim(&Self::draft(form), member, ctx.store.clock().today())
            .err()
            .unwrap_or_default();
        show_errors(form, &errors, ctx.lang);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        let lang = ctx.lang;
        let draft = Self::draft(form);
        let saved = ctx
            .store
            .add_claim(&self.worker.uid, &draft)
            .map_err(|e| store_error(e, lang))?;
        let name = claim_type_name(&draft.claim_type, lang);
        let mut message = tf(lang, T::ClaimLogged, &[&name]);
        if let Some(warning) = saved.warning {
            message = format!("{message}  {}", warning.message(lang));
        }
        ctx.say(message);
        Ok(Effect::Back)
    }
}

pub struct ClaimStepSpec {
    worker: Worker,
    claim: Claim,
}

/// A step of `claim`: its status, the type's documents ticked as received, reason, payment.
pub fn open_step(worker: &Worker, claim: &Claim, ctx: &mut Ctx) -> FormScreen<ClaimStepSpec> {
    let lang = ctx.lang;
    let statuses = ClaimStatus::ALL
        .into_iter()
        .filter(|s| claim.progress.status.can_move_to(*s))
        .map(|s| Choice::new(s.code(), s.name(lang)))
        .collect();
    let mut fields = vec![FormField::choice(
        "claim_status",
        Field::ClaimStatus.label(lang),
        statuses,
        claim.progress.status.code(),
    )];
    let wanted = claim_type(&claim.claim_type)
        .map(|k| k.documents.clone())
        .unwrap_or_default();
    fields.extend(
        claim_documents()
            .iter()
            .filter(|d| wanted.contains(&d.code))
            .map(|d| {
                let on = claim.progress.documents.contains(&d.code);
                FormField::check(d.code.as_str(), lang.pick(&d.zh, &d.en), on)
                    .hint(t(lang, T::DocumentHint))
            }),
    );
    let paid = if claim.progress.paid_fen > 0 {
        format_fen(claim.progress.paid_fen)
    } else {
        String::new()
    };
    let paid_on = claim.progress.paid_on.map(date_text).unwrap_or_default();
    fields.extend([
        FormField::text(
            "reject_reason",
            Field::RejectReason.label(lang),
            &claim.progress.reason,
        ),
        FormField::text("paid", Field::PaidAmount.label(lang), &paid).hint(t(lang, T::YuanHint)),
        FormField::text("paid_on", Field::PaidOn.label(lang), &paid_on).hint("YYYY-MM-DD"),
    ]);
    FormScreen::open(
        ClaimStepSpec {
            worker: worker.clone(),
            claim: claim.clone(),
        },
        Form::new(fields),
        ctx,
    )
}

impl ClaimStepSpec {
    /// The form as a step: unchanged paid fields are left out, so a claim not being paid is
    /// not refused for the figures it already carries.
    fn draft(&self, form: &Form) -> ClaimStepDraft {
        let paid = form.raw("paid");
        let paid_on = form.raw("paid_on");
        let kept_paid =
            self.claim.progress.paid_fen > 0 && paid == format_fen(self.claim.progress.paid_fen);
        let kept_on = self.claim.progress.paid_on.map(date_text) == Some(paid_on.clone());
        ClaimStepDraft {
            status: form.raw("claim_status"),
            documents: Some(ticked_documents(form)),
            reason: form.raw("reject_reason"),
            paid: if kept_paid { String::new() } else { paid },
            paid_on: if kept_on { String::new() } else { paid_on },
        }
    }
}

impl FormSpec for ClaimStepSpec {
    fn title(&self, lang: Lang) -> String {
        tf(
            lang,
            T::ClaimStepTitle,
            &[&claim_type_name(&self.claim.claim_type, lang)],
        )
    }

    fn draft_key(&self) -> String {
        format!("claim-step:{}", self.claim.uid)
    }

    fn header(&self, lang: Lang) -> Vec<String> {
        let mut lines = header_of(&self.worker);
        lines.push(format!(
            "{} ¥{} · {}",
            claim_type_name(&self.claim.claim_type, lang),
            format_fen(self.claim.amount_fen),
            self.claim.progress.status.name(lang)
        ));
        lines
    }

    fn check(&mut self, form: &mut Form, ctx: &mut Ctx) {
        let Some(kind) = claim_type(&self.claim.claim_type) else {
            return;
        };
        let errors = apply_step(
            kind,
            self.claim.amount_fen,
            &self.claim.progress,
            &self.draft(form),
            ctx.store.clock().today(),
        )
        .err()
        .unwrap_or_default();
        show_errors(form, &errors, ctx.lang);
    }

    fn save(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Effect, SaveError> {
        let lang = ctx.lang;
        ctx.store
            .update_claim(&self.claim.uid, &self.draft(form), Some(self.claim.version))
            .map_err(|e| store_error(e, lang))?;
        let name = claim_type_name(&self.claim.claim_type, lang);
        ctx.say(tf(lang, T::ClaimUpdated, &[&name]));
        Ok(Effect::Back)
    }
}
