//! `jingong need …` and `jingong claim …`: what workers ask for, and mutual-aid claims.

use super::aid_args::{ClaimAddArgs, ClaimCmd, ClaimUpdateArgs, NeedCmd};
use super::args::Cli;
use super::output::{pad, print_json, shown, shown_id};
use super::records::invalid;
use super::{CmdResult, Failure, open_store};
use crate::domain::claims::{
    ClaimDraft, ClaimStatus, ClaimStepDraft, claim_type, claim_type_name, document_name,
    missing_documents,
};
use crate::domain::needs::{NeedDraft, need_kind_name, validate_need};
use crate::domain::{Field, FieldError, Rule, format_fen};
use crate::store::claims::{Claim, ClaimQuery};
use crate::store::needs::NeedQuery;
use crate::text::Lang;
use serde_json::json;

/// The most rows one list prints: a page, never a whole table.
const MAX_PAGE: usize = 1000;

pub fn need(cli: &Cli, cmd: &NeedCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    match cmd {
        NeedCmd::Add {
            worker,
            kind,
            on,
            note,
        } => {
            let worker = store.resolve_worker(worker).map_err(fail)?;
            let draft = NeedDraft {
                kind: kind.clone(),
                raised_on: on.clone(),
                note: note.clone(),
            };
            let input = validate_need(&draft, store.clock().today(), Some(worker.birth_date))
                .map_err(|e| invalid(e, lang))?;
            let created = store.add_need(&worker.uid, &input).map_err(fail)?;
            println!("{}", created.uid);
        }
        NeedCmd::List {
            open,
            worker,
            offset,
            limit,
            json,
            reveal,
        } => {
            let worker_uid = match worker {
                Some(key) => Some(store.resolve_worker(key).map_err(fail)?.uid),
                None => None,
            };
            let rows = store
                .list_needs(&NeedQuery {
                    worker_uid,
                    open_only: *open,
                    offset: *offset,
                    limit: (*limit).min(MAX_PAGE),
                })
                .map_err(fail)?;
            if *json {
                let rows: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        json!({
                            "uid": r.need.uid, "version": r.need.version,
                            "worker_uid": r.need.worker_uid, "worker_name": r.worker_name,
                            "id_number": shown_id(&r.id_number, *reveal),
                            "kind": r.need.kind, "raised_on": r.need.raised_on,
                            "note": r.need.note, "state": r.need.state.code(),
                            "answered_by": r.need.answered_by,
                            "settled_on": r.need.settled_on, "close_note": r.need.close_note,
                        })
                    })
                    .collect();
                print_json(&rows);
            } else {
                for r in &rows {
                    println!(
                        "{}  {}  {}  {}  {}  {}  {}",
                        r.need.raised_on,
                        pad(&r.worker_name, 10),
                        shown_id(&r.id_number, *reveal),
                        pad(&need_kind_name(&r.need.kind, lang), 12),
                        pad(r.need.state.name(lang), 8),
                        r.need.uid,
                        shown(&r.need.note)
                    );
                }
                eprintln!("{}{}", lang.pick("诉求：", "needs: "), rows.len());
            }
        }
        NeedCmd::Close { need, note } => {
            let note = crate::domain::name::validate_text(
                Field::Note,
                note,
                crate::domain::validate::LONG_TEXT,
            )
            .map_err(|e| invalid(vec![e], lang))?;
            let closed = store.close_need(need, &note, None).map_err(fail)?;
            println!("{} v{}", closed.uid, closed.version);
        }
        NeedCmd::Withdraw(a) => {
            let uid = a.record.trim();
            let version = store.withdraw_need(uid, &a.reason, None).map_err(fail)?;
            println!("{uid} v{version}");
        }
    }
    Ok(())
}

pub fn claim(cli: &Cli, cmd: &ClaimCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    match cmd {
        ClaimCmd::Add(a) => {
            let worker = store.resolve_worker(&a.worker).map_err(fail)?;
            let saved = store
                .add_claim(&worker.uid, &claim_draft(a))
                .map_err(fail)?;
            if let Some(warning) = &saved.warning {
                eprintln!("{}", warning.message(lang));
            }
            println!("{}", saved.record.uid);
        }
        ClaimCmd::List {
            worker,
            status,
            offset,
            limit,
            json,
            reveal,
        } => {
            let worker_uid = match worker {
                Some(key) => Some(store.resolve_worker(key).map_err(fail)?.uid),
                None => None,
            };
            let status = match status {
                Some(code) => Some(ClaimStatus::from_code(code).ok_or_else(|| {
                    invalid(
                        vec![FieldError::new(
                            Field::ClaimStatus,
                            Rule::UnknownCode { code: code.clone() },
                        )],
                        lang,
                    )
                })?),
                None => None,
            };
            let rows = store
                .list_claims(&ClaimQuery {
                    worker_uid,
                    status,
                    offset: *offset,
                    limit: (*limit).min(MAX_PAGE),
                })
                .map_err(fail)?;
            if *json {
                let rows: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        let mut value = claim_json(&r.claim);
                        value["worker_name"] = json!(r.worker_name);
                        value["id_number"] = json!(shown_id(&r.id_number, *reveal));
                        value
                    })
                    .collect();
                print_json(&rows);
            } else {
                for r in &rows {
                    let c = &r.claim;
                    println!(
                        "{}  {}  {}  {}  {}  ¥{}  {}",
                        c.created_at.get(..10).unwrap_or(""),
                        pad(&r.worker_name, 10),
                        shown_id(&r.id_number, *reveal),
                        pad(&claim_type_name(&c.claim_type, lang), 16),
                        pad(c.progress.status.name(lang), 10),
                        format_fen(c.amount_fen),
                        c.uid
                    );
                }
                eprintln!("{}{}", lang.pick("互助保障申请：", "claims: "), rows.len());
            }
        }
        ClaimCmd::Show { claim, json } => {
            let c = store.claim_by_uid(claim).map_err(fail)?.ok_or_else(|| {
                fail(crate::store::StoreError::NotFound {
                    what: claim.clone(),
                })
            })?;
            if *json {
                print_json(&claim_json(&c));
            } else {
                print_claim(&c, lang);
            }
        }
        ClaimCmd::Update(a) => {
            let updated = store
                .update_claim(&a.claim, &step_draft(a), None)
                .map_err(fail)?;
            println!("{} v{}", updated.uid, updated.version);
        }
        ClaimCmd::Withdraw(a) => {
            let uid = a.record.trim();
            let version = store.withdraw_claim(uid, &a.reason, None).map_err(fail)?;
            println!("{uid} v{version}");
        }
    }
    Ok(())
}

fn claim_draft(a: &ClaimAddArgs) -> ClaimDraft {
    ClaimDraft {
        claim_type: a.claim_type.clone(),
        diagnosed_on: a.diagnosed_on.clone(),
        accident_on: a.accident_on.clone(),
        died_on: a.died_on.clone(),
        fire_on: a.fire_on.clone(),
        amount: a.amount.clone(),
        documents: a.docs.clone(),
        note: a.note.clone(),
        protection_start: a.protection_start.clone(),
        protection_end: a.protection_end.clone(),
    }
}

fn step_draft(a: &ClaimUpdateArgs) -> ClaimStepDraft {
    ClaimStepDraft {
        status: a.status.clone(),
        documents: a.docs.clone(),
        reason: a.reason.clone(),
        paid: a.paid.clone(),
        paid_on: a.paid_on.clone(),
    }
}

fn claim_json(c: &Claim) -> serde_json::Value {
    let missing = claim_type(&c.claim_type)
        .map(|k| missing_documents(k, &c.progress.documents))
        .unwrap_or_default();
    json!({
        "uid": c.uid, "version": c.version, "worker_uid": c.worker_uid,
        "type": c.claim_type, "diagnosed_on": c.dates.diagnosed_on,
        "accident_on": c.dates.accident_on, "died_on": c.dates.died_on,
        "fire_on": c.dates.fire_on, "amount_fen": c.amount_fen,
        "documents": c.progress.documents, "missing_documents": missing,
        "status": c.progress.status.code(), "reason": c.progress.reason,
        "paid_fen": c.progress.paid_fen, "paid_on": c.progress.paid_on,
        "note": c.note, "created_at": c.created_at, "officer": c.officer_name,
    })
}

/// The claim, its dates, the checklist ticked and missing, and where it stands.
fn print_claim(c: &Claim, lang: Lang) {
    println!(
        "{}  {}  ¥{}  {}",
        claim_type_name(&c.claim_type, lang),
        c.progress.status.name(lang),
        format_fen(c.amount_fen),
        c.uid
    );
    for which in crate::domain::claims::ClaimDate::ALL {
        if let Some(date) = c.dates.get(which) {
            println!(
                "  {}{}{date}",
                which.field().label(lang),
                lang.pick("：", ": ")
            );
        }
    }
    if let Some(kind) = claim_type(&c.claim_type) {
        for code in &kind.documents {
            let ticked = c.progress.documents.contains(code);
            println!(
                "  [{}] {}",
                if ticked { "x" } else { " " },
                document_name(code, lang)
            );
        }
    }
    if !c.progress.reason.is_empty() {
        println!(
            "  {}{}{}",
            Field::RejectReason.label(lang),
            lang.pick("：", ": "),
            shown(&c.progress.reason)
        );
    }
    if c.progress.status == ClaimStatus::Paid {
        println!(
            "  {}{}¥{}  {}",
            Field::PaidAmount.label(lang),
            lang.pick("：", ": "),
            format_fen(c.progress.paid_fen),
            c.progress
                .paid_on
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
    }
    if !c.note.is_empty() {
        println!("  {}", shown(&c.note));
    }
}
