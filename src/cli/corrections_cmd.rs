//! Correcting records from the command line: `worker|service edit` (a new version through the
//! same rules as the forms), `worker|service withdraw --reason` (a tombstone with the reason)
//! and `legal close` (结案).

use super::args::{Cli, EraseArgs, LegalCmd, ServiceEditArgs, WithdrawArgs, WorkerEditArgs};
use super::records::invalid;
use super::{CmdResult, Failure, open_store};
use crate::domain::validate::{
    ServiceDraft, WorkerDraft, parse_past_date, validate_service, validate_worker,
};
use crate::domain::{Field, parse_yuan};
use crate::store::legal_cases::CaseClosing;
use crate::store::{Store, StoreError};
use crate::text::Lang;

/// Overwrites `target` with the value given on the command line, if any.
fn set(target: &mut String, given: &Option<String>) {
    if let Some(value) = given {
        *target = value.clone();
    }
}

fn done(uid: &str, version: i64, lang: Lang, what: (&str, &str)) {
    eprintln!("{}", lang.pick(what.0, what.1));
    println!("{uid} v{version}");
}

pub fn worker_edit(store: &mut Store, a: &WorkerEditArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    let current = store.resolve_worker(&a.worker).map_err(fail)?;
    let mut draft = WorkerDraft::from(&current.input);
    set(&mut draft.name, &a.name);
    set(&mut draft.id_number, &a.id_number);
    set(&mut draft.phone, &a.phone);
    set(&mut draft.employer, &a.employer);
    set(&mut draft.worksite, &a.worksite);
    set(&mut draft.trade, &a.trade);
    set(&mut draft.district_code, &a.district);
    set(&mut draft.membership, &a.membership);
    set(&mut draft.card_no, &a.card_no);
    set(&mut draft.note, &a.note);
    if let Some(hardship) = a.hardship {
        draft.hardship = hardship;
    }
    let (input, _) =
        validate_worker(&draft, store.clock().today()).map_err(|e| invalid(e, lang))?;
    let saved = store
        .update_worker(&current.uid, &input, Some(current.version))
        .map_err(fail)?;
    let what = if saved.version == current.version {
        ("没有改动", "nothing changed")
    } else {
        ("已保存修改", "saved")
    };
    done(&saved.uid, saved.version, lang, what);
    Ok(())
}

pub fn worker_withdraw(store: &mut Store, a: &WithdrawArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    let current = store.resolve_worker(&a.record).map_err(fail)?;
    let version = store
        .withdraw_worker(&current.uid, &a.reason, Some(current.version))
        .map_err(fail)?;
    done(&current.uid, version, lang, ("已撤回", "withdrawn"));
    Ok(())
}

/// `worker erase`: refused without `--yes` (and before anything is looked up or changed), as
/// an erasure cannot be undone. Prints the uid and the erasure's version.
pub fn worker_erase(store: &mut Store, a: &EraseArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    if let Err(e) = crate::store::erasure::validate_erasure_reason(&a.reason) {
        let codes = crate::store::erasure::ERASURE_REASONS.join(", ");
        return Err(Failure::invalid(format!(
            "{}{}{codes}",
            invalid(vec![e], lang).message,
            lang.pick("；可选：", "; one of: ")
        )));
    }
    if !a.yes {
        return Err(Failure::refused(lang.pick(
            "删除个人信息无法撤销：该职工的姓名、身份证号、手机号等及其服务记录中的体检、法律援助详情将被清空，下一批次会通知接收方同样删除。确认请加 --yes",
            "Erasing personal data cannot be undone: the worker's name, ID number, phone and the rest, and the health-check and legal-aid details of their services, are blanked, and the next batch tells receivers to erase them too. Add --yes to confirm",
        )));
    }
    let erasure = store.erase_worker(&a.worker, &a.reason).map_err(fail)?;
    match lang {
        Lang::Zh => eprintln!(
            "已删除个人信息（含 {} 条服务记录的详情，{} 份草稿）",
            erasure.services, erasure.drafts
        ),
        Lang::En => eprintln!(
            "personal data erased (with the details of {} services, {} drafts)",
            erasure.services, erasure.drafts
        ),
    }
    println!("{} v{}", erasure.uid, erasure.version);
    Ok(())
}

pub fn service_edit(store: &mut Store, a: &ServiceEditArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    let current = store
        .service_by_uid(a.uid.trim())
        .map_err(fail)?
        .filter(|s| !s.deleted)
        .ok_or_else(|| {
            fail(StoreError::NotFound {
                what: a.uid.clone(),
            })
        })?;
    let born_on = store
        .worker_by_uid(&current.worker_uid)
        .map_err(fail)?
        .map(|w| w.birth_date);
    let mut draft = ServiceDraft {
        worker_born_on: born_on,
        ..ServiceDraft::from(&current)
    };
    set(&mut draft.kind, &a.kind);
    set(&mut draft.served_on, &a.on);
    set(&mut draft.place, &a.place);
    set(&mut draft.quantity, &a.quantity);
    set(&mut draft.amount, &a.amount);
    set(&mut draft.note, &a.note);
    set(&mut draft.provider, &a.provider);
    set(&mut draft.blood_pressure, &a.bp);
    set(&mut draft.glucose, &a.glucose);
    set(&mut draft.findings, &a.findings);
    set(&mut draft.follow_up_on, &a.follow_up_on);
    set(&mut draft.category, &a.category);
    set(&mut draft.status, &a.status);
    set(&mut draft.claimed, &a.claimed);
    set(&mut draft.recovered, &a.recovered);
    set(&mut draft.description, &a.description);
    if let Some(referral) = a.referral {
        draft.referral = referral;
    }
    let clock = store.clock();
    // The consent recorded with a health check stays; the store keeps who and when.
    let input = validate_service(&draft, clock.today(), "", "").map_err(|e| invalid(e, lang))?;
    let saved = store
        .update_service(&current.uid, &input, Some(current.version))
        .map_err(fail)?;
    let what = if saved.version == current.version {
        ("没有改动", "nothing changed")
    } else {
        ("已保存修改", "saved")
    };
    done(&saved.uid, saved.version, lang, what);
    Ok(())
}

pub fn service_withdraw(store: &mut Store, a: &WithdrawArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    let uid = a.record.trim();
    let version = store.withdraw_service(uid, &a.reason, None).map_err(fail)?;
    done(uid, version, lang, ("已撤回", "withdrawn"));
    Ok(())
}

pub fn legal(cli: &Cli, cmd: &LegalCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    let LegalCmd::Close {
        visit,
        outcome,
        recovered,
        on,
        note,
    } = cmd;
    let refused = |e| Failure::from_store(StoreError::Invalid(e), lang);
    let recovered_fen = recovered
        .as_deref()
        .map(|raw| parse_yuan(Field::Recovered, raw))
        .transpose()
        .map_err(refused)?;
    let closed_on = match on.trim() {
        "" => None,
        raw => Some(parse_past_date(Field::Date, raw, store.clock().today()).map_err(refused)?),
    };
    let closing = CaseClosing {
        outcome: outcome.clone(),
        recovered_fen,
        note: note.clone(),
        closed_on,
    };
    let closed = store
        .close_legal_case(visit.trim(), &closing)
        .map_err(fail)?;
    eprintln!("{}", lang.pick("案件已结案", "case closed"));
    println!("{}", closed.uid);
    Ok(())
}
