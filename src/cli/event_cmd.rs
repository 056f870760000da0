//! `jingong event …`: events for scripts, with the same rules as the event form.

use super::args::{Cli, EventAddArgs, EventCmd, EventEditArgs};
use super::output::{kind_label, pad, print_json, shown_id};
use super::records::invalid;
use super::{CmdResult, Failure, open_store};
use crate::domain::refdata;
use crate::domain::validate::{EventDraft, validate_event};
use crate::domain::{Event, format_fen};
use crate::store::corrections::AttendeeServices;
use crate::store::{Store, StoreError};
use crate::text::Lang;
use serde_json::{Value, json};

pub fn run(cli: &Cli, cmd: &EventCmd) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let fail = |e| Failure::from_store(e, lang);
    match cmd {
        EventCmd::Add(a) => add(&mut store, a, lang),
        // Opens its own read-only connection; this one is closed first.
        EventCmd::Sheet(a) => {
            drop(store);
            super::sheet_cmd::run(cli, a)
        }
        EventCmd::List {
            limit,
            offset,
            json,
        } => {
            let events = store.events(*offset, *limit).map_err(fail)?;
            if *json {
                let total = store.live_event_count().map_err(fail)?;
                let rows: Vec<Value> = events.iter().map(|e| event_json(e, None)).collect();
                print_json(&json!({ "total": total, "events": rows }));
            } else {
                for e in &events {
                    println!("{}", event_line(e, lang));
                }
            }
            Ok(())
        }
        EventCmd::Show { uid, json } => {
            let event = find(&store, uid, lang)?;
            let reason = store.withdraw_reason("event", &event.uid).map_err(fail)?;
            if *json {
                print_json(&event_json(&event, reason.as_deref()));
            } else {
                println!("{}", event_line(&event, lang));
                if let Some(reason) = reason {
                    println!(
                        "{}{reason}",
                        lang.pick("已撤回，原因：", "withdrawn, reason: ")
                    );
                }
            }
            Ok(())
        }
        EventCmd::Attendees {
            uid,
            limit,
            offset,
            json,
            reveal,
        } => {
            let event = find(&store, uid, lang)?;
            let page = store
                .event_attendees(&event.uid, *offset, *limit)
                .map_err(fail)?;
            if *json {
                let rows: Vec<Value> = page
                    .iter()
                    .map(|a| {
                        json!({
                            "service_uid": a.service_uid, "worker_uid": a.worker_uid,
                            "name": a.worker_name,
                            "id_number": shown_id(&a.id_number, *reveal),
                            "recorded_at": a.recorded_at,
                        })
                    })
                    .collect();
                print_json(&json!({ "total": event.served_count, "attendees": rows }));
            } else {
                for a in &page {
                    println!(
                        "{}  {}  {}  {}",
                        pad(&a.worker_name, 12),
                        shown_id(&a.id_number, *reveal),
                        a.recorded_at,
                        a.service_uid
                    );
                }
            }
            Ok(())
        }
        EventCmd::Edit(a) => edit(&mut store, a, lang),
        EventCmd::Withdraw {
            uid,
            reason,
            with_services,
        } => {
            let attendees = if *with_services {
                AttendeeServices::WithdrawToo
            } else {
                AttendeeServices::Refuse
            };
            let done = store
                .withdraw_event(uid.trim(), reason, attendees, None)
                .map_err(fail)?;
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh => format!("已撤回活动，连同 {} 条服务记录", done.services_withdrawn),
                    Lang::En =>
                        format!("event withdrawn, with {} services", done.services_withdrawn),
                }
            );
            println!("{} v{}", uid.trim(), done.version);
            Ok(())
        }
    }
}

fn find(store: &Store, uid: &str, lang: Lang) -> Result<Event, Failure> {
    store
        .event_by_uid(uid.trim())
        .map_err(|e| Failure::from_store(e, lang))?
        .ok_or_else(|| {
            Failure::from_store(
                StoreError::NotFound {
                    what: uid.to_string(),
                },
                lang,
            )
        })
}

fn add(store: &mut Store, a: &EventAddArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    // As on the form: most events are in the officer's own district.
    let district = if a.district.trim().is_empty() {
        store
            .officer()
            .map_err(fail)?
            .map(|o| o.district_code)
            .filter(|code| refdata::district(code).is_some())
            .unwrap_or_default()
    } else {
        a.district.clone()
    };
    let draft = EventDraft {
        name: a.name.clone(),
        kind: a.kind.clone(),
        held_on: a.on.clone(),
        place: a.place.clone(),
        district_code: district,
        default_quantity: a.quantity.clone(),
        default_amount: a.amount.clone(),
    };
    let input = validate_event(&draft, store.clock().today()).map_err(|e| invalid(e, lang))?;
    let created = store.add_event(&input).map_err(fail)?;
    println!("{}", created.uid);
    Ok(())
}

fn edit(store: &mut Store, a: &EventEditArgs, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    let current = find(store, &a.uid, lang)?;
    if current.deleted {
        return Err(fail(StoreError::NotFound {
            what: a.uid.clone(),
        }));
    }
    let mut draft = EventDraft::from(&current);
    for (target, given) in [
        (&mut draft.name, &a.name),
        (&mut draft.kind, &a.kind),
        (&mut draft.held_on, &a.on),
        (&mut draft.place, &a.place),
        (&mut draft.district_code, &a.district),
        (&mut draft.default_quantity, &a.quantity),
        (&mut draft.default_amount, &a.amount),
    ] {
        if let Some(value) = given {
            *target = value.clone();
        }
    }
    let input = validate_event(&draft, store.clock().today()).map_err(|e| invalid(e, lang))?;
    let saved = store
        .update_event(&current.uid, &input, Some(current.version))
        .map_err(fail)?;
    println!("{} v{}", saved.uid, saved.version);
    Ok(())
}

fn event_line(e: &Event, lang: Lang) -> String {
    format!(
        "{}  {}  {}  {}  {}{}  {}  {}",
        e.held_on,
        pad(&e.input.name, 24),
        pad(&kind_label(&e.input.kind, lang), 12),
        pad(&e.input.place, 16),
        lang.pick("¥", "CNY "),
        format_fen(e.input.default_amount_fen),
        match lang {
            Lang::Zh => format!("{} 人 {} 条", e.people_count, e.served_count),
            Lang::En => format!("{} people, {} records", e.people_count, e.served_count),
        },
        e.uid
    )
}

fn event_json(e: &Event, withdraw_reason: Option<&str>) -> Value {
    json!({
        "uid": e.uid, "version": e.version, "name": e.input.name, "kind": e.input.kind,
        "held_on": e.held_on, "place": e.input.place, "district_code": e.input.district_code,
        "default_quantity": e.input.default_quantity,
        "default_amount_fen": e.input.default_amount_fen,
        "served_count": e.served_count, "people_count": e.people_count, "withdrawn": e.deleted,
        "withdraw_reason": withdraw_reason,
    })
}
