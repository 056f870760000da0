//! Subcommands over single records: officer, worker, service, search, backup.

use super::args::{
    AuditArgs, BackupArgs, Cli, OfficerCmd, SearchArgs, ServiceAddArgs, ServiceCmd, WorkerCmd,
};
use super::output::{gender_label, kind_label, pad, print_json, shown, shown_id, shown_phone};
use super::{CmdResult, Failure, corrections_cmd, open_store};
use crate::domain::idcard::age_on;
use crate::domain::refdata;
use crate::domain::validate::{ServiceDraft, WorkerDraft, validate_service, validate_worker};
use crate::domain::{FieldError, Officer, format_fen};
use crate::store::StoreError;
use crate::text::Lang;
use serde_json::json;

pub(super) fn invalid(errors: Vec<FieldError>, lang: Lang) -> Failure {
    Failure::from_store(
        if errors.len() == 1 {
            StoreError::Invalid(errors.into_iter().next().expect("one error"))
        } else {
            StoreError::InvalidMany(errors)
        },
        lang,
    )
}

pub fn officer(cli: &Cli, cmd: &OfficerCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    match cmd {
        OfficerCmd::Set {
            name,
            org,
            district,
            city_key,
            backup_dir,
            keep,
            seal_to,
        } => {
            let seal_to = super::seal_cmd::checked_recipients(seal_to, lang)?;
            let backup = match backup_dir {
                Some(dir) => Some(super::backup_cmd::check_backup_choice(dir, *keep, lang)?),
                None => None,
            };
            // Every key is checked before anything is written.
            for key in city_key {
                crate::receipt::verifying_key(key)
                    .map_err(|e| Failure::invalid(e.message(lang)))?;
            }
            if let (Some(name), Some(org), Some(district)) = (name, org, district) {
                let officer = store
                    .set_officer(&Officer {
                        name: name.clone(),
                        organisation: org.clone(),
                        district_code: district.clone(),
                    })
                    .map_err(|e| Failure::from_store(e, lang))?;
                println!(
                    "{}{} · {} · {}",
                    lang.pick("经办人已设置：", "officer set: "),
                    shown(&officer.name),
                    shown(&officer.organisation),
                    shown(&officer.district_code)
                );
            }
            if !city_key.is_empty() {
                store
                    .set_city_keys(city_key)
                    .map_err(|e| Failure::from_store(e, lang))?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("已设置市总工会公钥 {} 个", city_key.len()),
                        Lang::En => format!("city keys set: {}", city_key.len()),
                    }
                );
            }
            if !seal_to.is_empty() {
                store
                    .set_seal_recipients(&seal_to)
                    .map_err(|e| Failure::from_store(e, lang))?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "已设置批次接收方公钥 {} 个：此后导出的批次均加密",
                            seal_to.len()
                        ),
                        Lang::En => format!(
                            "batch receivers set: {}; batches are sealed from now on",
                            seal_to.len()
                        ),
                    }
                );
            }
            if let Some(settings) = &backup {
                super::backup_cmd::set_backup_dir(&mut store, settings, lang)?;
            }
        }
        OfficerCmd::Show => {
            match store.officer().map_err(|e| Failure::from_store(e, lang))? {
                Some(o) => println!(
                    "{} · {} · {}",
                    shown(&o.name),
                    shown(&o.organisation),
                    shown(&o.district_code)
                ),
                None => return Err(Failure::from_store(StoreError::NoOfficer, lang)),
            }
            super::backup_cmd::show_backup_settings(&store, lang)?;
        }
    }
    Ok(())
}

pub fn worker(cli: &Cli, cmd: &WorkerCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    match cmd {
        WorkerCmd::Add(a) => {
            let draft = WorkerDraft {
                name: a.name.clone(),
                id_number: a.id_number.clone(),
                phone: a.phone.clone(),
                employer: a.employer.clone(),
                worksite: a.worksite.clone(),
                trade: a.trade.clone(),
                district_code: a.district.clone(),
                membership: a.membership.clone(),
                card_no: a.card_no.clone(),
                hardship: a.hardship,
                note: a.note.clone(),
            };
            let (input, id) =
                validate_worker(&draft, store.clock().today()).map_err(|e| invalid(e, lang))?;
            if id.upgraded_from_15 {
                eprintln!(
                    "{}{}",
                    lang.pick(
                        "提示：15 位旧身份证号已升级为 18 位：",
                        "note: the old 15-digit ID number was upgraded to 18 digits: "
                    ),
                    shown_id(&id.number, false)
                );
            }
            let created = store.add_worker(&input).map_err(fail)?;
            println!("{}", created.uid);
        }
        WorkerCmd::Edit(a) => corrections_cmd::worker_edit(&mut store, a, lang)?,
        WorkerCmd::Withdraw(a) => corrections_cmd::worker_withdraw(&mut store, a, lang)?,
        WorkerCmd::Erase(a) => corrections_cmd::worker_erase(&mut store, a, lang)?,
        WorkerCmd::Show {
            worker,
            json,
            reveal,
        } => {
            let w = store.resolve_worker(worker).map_err(fail)?;
            let services = store.services_of_worker(&w.uid).map_err(fail)?;
            let cases = store.legal_cases_of_worker(&w.uid).map_err(fail)?;
            let today = store.clock().today();
            if *json {
                let services: Vec<_> = services
                    .iter()
                    .map(|s| {
                        json!({
                            "uid": s.uid, "kind": s.kind, "served_on": s.served_on,
                            "place": s.place, "quantity": s.quantity, "amount_fen": s.amount_fen,
                            "officer": s.officer_name, "event_uid": s.event_uid,
                            "health_check": s.health.as_ref().map(|h| json!({
                                "provider": h.provider, "referral": h.referral,
                                "follow_up_on": h.follow_up_on,
                                "consent_by": h.consent_by, "consent_at": h.consent_at,
                                // Results are health data: only with --reveal.
                                "blood_pressure": if *reveal { json!(h.blood_pressure) } else { json!(null) },
                                "glucose_tenths": if *reveal { json!(h.glucose_tenths) } else { json!(null) },
                                "findings": if *reveal { json!(h.findings) } else { json!(null) },
                            })),
                            "legal_aid": s.legal.as_ref().map(|l| json!({
                                "category": l.category, "status": l.status,
                                "claimed_fen": l.claimed_fen, "recovered_fen": l.recovered_fen,
                                "follows_uid": l.follows_uid, "description": l.description,
                            })),
                        })
                    })
                    .collect();
                print_json(&json!({
                    "uid": w.uid, "version": w.version, "name": w.input.name,
                    "id_number": shown_id(&w.input.id_number, *reveal),
                    "gender": w.gender.code(), "birth_date": w.birth_date,
                    "phone": shown_phone(&w.input.phone, *reveal),
                    "hometown_code": w.hometown_code, "employer": w.input.employer,
                    "worksite": w.input.worksite, "trade": w.input.trade,
                    "district_code": w.input.district_code,
                    "membership": w.input.membership.code(), "card_no": w.input.card_no,
                    "hardship": w.input.hardship, "note": w.input.note,
                    "services": services,
                    "legal_cases": cases,
                }));
            } else {
                println!(
                    "{}  {}  {} {}{}  {}",
                    shown(&w.input.name),
                    shown_id(&w.input.id_number, *reveal),
                    gender_label(w.gender.code(), lang),
                    age_on(w.birth_date, today),
                    lang.pick("岁", "y"),
                    shown_phone(&w.input.phone, *reveal)
                );
                if !w.input.employer.is_empty() {
                    println!(
                        "{}{}",
                        lang.pick("单位：", "employer: "),
                        shown(&w.input.employer)
                    );
                }
                println!(
                    "{}{}",
                    lang.pick("服务记录：", "services: "),
                    services.len()
                );
                for s in &services {
                    println!(
                        "  {}  {}  {}  ×{}  {}{}  {}",
                        s.served_on,
                        pad(&kind_label(&s.kind, lang), 12),
                        pad(&s.place, 16),
                        s.quantity,
                        lang.pick("¥", "CNY "),
                        format_fen(s.amount_fen),
                        shown(&s.officer_name)
                    );
                }
                print_cases(&cases, lang);
            }
        }
    }
    Ok(())
}

pub fn service(cli: &Cli, cmd: &ServiceCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    let a = match cmd {
        ServiceCmd::Add(a) => a,
        ServiceCmd::Edit(a) => return corrections_cmd::service_edit(&mut store, a, lang),
        ServiceCmd::Withdraw(a) => return corrections_cmd::service_withdraw(&mut store, a, lang),
    };
    let officer = store
        .officer()
        .map_err(fail)?
        .ok_or_else(|| fail(StoreError::NoOfficer))?;
    let worker = store.resolve_worker(&a.worker).map_err(fail)?;
    let draft = ServiceDraft {
        worker_born_on: Some(worker.birth_date),
        ..service_draft(a)
    };
    let clock = store.clock();
    let input = validate_service(&draft, clock.today(), &officer.name, &clock.stamp())
        .map_err(|e| invalid(e, lang))?;
    let created = store.add_service(&worker.uid, &input).map_err(fail)?;
    println!("{}", created.uid);
    Ok(())
}

/// "法律援助案件：2 件（未结 1）" and one line per case: category, where it stands, amounts.
fn print_cases(cases: &[crate::store::legal_cases::LegalCase], lang: Lang) {
    if cases.is_empty() {
        return;
    }
    let open = cases.iter().filter(|c| c.open).count();
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("法律援助案件：{} 件（未结 {open}）", cases.len()),
            Lang::En => format!("legal-aid cases: {} ({open} open)", cases.len()),
        }
    );
    for c in cases {
        let label = |l: Option<&crate::domain::refdata::Labelled>, code: &str| {
            l.map(|l| lang.pick(&l.zh, &l.en).to_string())
                .unwrap_or_else(|| code.to_string())
        };
        let state = match refdata::legal_aid_outcome(&c.outcome) {
            Some(o) => format!(
                "{}·{}",
                lang.pick("已结案", "closed"),
                lang.pick(&o.zh, &o.en)
            ),
            None => label(refdata::legal_aid_status(&c.status), &c.status),
        };
        println!(
            "  {}  {}  {}  {}{}  {}{}  {}",
            c.opened_on,
            pad(
                &label(refdata::legal_aid_category(&c.category), &c.category),
                10
            ),
            pad(&state, 16),
            lang.pick("主张 ¥", "claimed CNY "),
            format_fen(c.claimed_fen),
            lang.pick("追回 ¥", "recovered CNY "),
            format_fen(c.recovered_fen),
            c.latest_uid
        );
    }
}

fn service_draft(a: &ServiceAddArgs) -> ServiceDraft {
    ServiceDraft {
        kind: a.kind.clone(),
        served_on: a.on.clone(),
        place: a.place.clone(),
        quantity: a.quantity.clone(),
        amount: a.amount.clone(),
        note: a.note.clone(),
        event_uid: a.event.clone(),
        provider: a.provider.clone(),
        blood_pressure: a.bp.clone(),
        glucose: a.glucose.clone(),
        findings: a.findings.clone(),
        referral: a.referral,
        follow_up_on: a.follow_up_on.clone(),
        consent: a.consent,
        category: a.category.clone(),
        status: a.status.clone(),
        claimed: a.claimed.clone(),
        recovered: a.recovered.clone(),
        follows_uid: a.follows.clone(),
        description: a.description.clone(),
        worker_born_on: None,
    }
}

pub fn search(cli: &Cli, a: &SearchArgs) -> CmdResult {
    let lang = cli.lang;
    let store = open_store(cli)?;
    let page = store
        .search(&a.query, a.offset, a.limit)
        .map_err(|e| Failure::from_store(e, lang))?;
    let today = store.clock().today();
    if a.json {
        let hits: Vec<_> = page
            .hits
            .iter()
            .map(|h| {
                json!({
                    "uid": h.uid, "name": h.name,
                    "id_number": shown_id(&h.id_number, a.reveal),
                    "gender": h.gender, "birth_date": h.birth_date,
                    "phone": shown_phone(&h.phone, a.reveal),
                    "employer": h.employer, "last_served_on": h.last_served_on,
                    "rank": h.rank,
                })
            })
            .collect();
        print_json(&json!({ "total": page.total, "more": page.more, "hits": hits }));
    } else {
        for h in &page.hits {
            println!(
                "{}  {}  {} {:>2}  {}  {}",
                pad(&h.name, 12),
                shown_id(&h.id_number, a.reveal),
                gender_label(&h.gender, lang),
                age_on(h.birth_date, today),
                shown_phone(&h.phone, a.reveal),
                shown(&h.employer)
            );
        }
        let count = if page.more {
            format!("{}+", page.total)
        } else {
            page.total.to_string()
        };
        eprintln!("{}{count}", lang.pick("匹配：", "matches: "));
    }
    if page.hits.is_empty() {
        return Err(Failure::refused(
            lang.pick("没有找到匹配的职工", "no worker matches"),
        ));
    }
    Ok(())
}

pub fn backup(cli: &Cli, a: &BackupArgs) -> CmdResult {
    let lang = cli.lang;
    let store = open_store(cli)?;
    store
        .backup_to(&a.file)
        .map_err(|e| Failure::from_store(e, lang))?;
    println!("{}", a.file.display());
    Ok(())
}

pub fn audit(cli: &Cli, a: &AuditArgs) -> CmdResult {
    let lang = cli.lang;
    let store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    let worker_uid = match &a.worker {
        Some(key) => Some(store.resolve_worker(key).map_err(fail)?.uid),
        None => None,
    };
    let entries = store
        .audit_entries(worker_uid.as_deref(), a.limit)
        .map_err(fail)?;
    if a.json {
        print_json(&entries);
        return Ok(());
    }
    for e in &entries {
        let action = match e.action.as_str() {
            "create" => lang.pick("新建", "created"),
            "update" => lang.pick("修改", "changed"),
            "delete" => lang.pick("删除", "deleted"),
            "merge" => lang.pick("合并", "merged"),
            "withdraw" => lang.pick("撤回", "withdrew"),
            "erase" => lang.pick("删除个人信息", "erased"),
            other => other,
        };
        // A withdrawal says why; other rows name the changed fields.
        let detail = if e.reason.is_empty() {
            e.fields.clone()
        } else {
            format!("{}{}", lang.pick("原因：", "reason: "), e.reason)
        };
        println!(
            "{}  {}  {}  {} v{}  {}",
            e.at,
            pad(&e.officer, 8),
            pad(action, 6),
            shown(&e.record_uid),
            e.version,
            shown(&detail)
        );
    }
    Ok(())
}
