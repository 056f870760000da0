//! Edits, withdrawals and case closing in the store.

use super::*;
use crate::domain::validate::{ServiceDraft, validate_service};
use crate::domain::{EventInput, Officer, WorkerInput, parse_id_number};
use crate::store::legal_cases::CaseClosing;

fn store() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store
        .set_officer(&Officer {
            name: "李明".into(),
            organisation: "和平区总工会".into(),
            district_code: "120101".into(),
        })
        .expect("officer");
    store
}

fn add_worker(store: &mut Store, name: &str, id_number: &str) -> String {
    let id = parse_id_number(id_number, store.clock().today()).expect("valid id");
    store
        .add_worker(&WorkerInput {
            name: name.into(),
            id_number: id.number,
            phone: "13812345678".into(),
            ..WorkerInput::default()
        })
        .expect("worker")
        .uid
}

fn service_input(store: &Store, draft: &ServiceDraft) -> ServiceInput {
    validate_service(
        draft,
        store.clock().today(),
        "李明",
        "2026-01-01T00:00:00+08:00",
    )
    .expect("valid service")
}

fn add_service(store: &mut Store, worker: &str, draft: &ServiceDraft) -> String {
    let input = service_input(store, draft);
    store.add_service(worker, &input).expect("service").uid
}

fn plain(kind: &str, amount: &str) -> ServiceDraft {
    ServiceDraft {
        kind: kind.into(),
        amount: amount.into(),
        ..ServiceDraft::default()
    }
}

fn visit(status: &str, claimed: &str, recovered: &str, follows: &str) -> ServiceDraft {
    ServiceDraft {
        kind: "legal_aid".into(),
        category: "wage_arrears".into(),
        status: status.into(),
        claimed: claimed.into(),
        recovered: recovered.into(),
        follows_uid: follows.into(),
        ..ServiceDraft::default()
    }
}

fn event(store: &mut Store) -> String {
    store
        .add_event(&EventInput {
            name: "冬送温暖".into(),
            kind: "winter_warmth".into(),
            held_on: None,
            place: "河西区".into(),
            district_code: "120103".into(),
            default_quantity: 1,
            default_amount_fen: 30_000,
        })
        .expect("event")
        .uid
}

fn audit_rows(store: &Store, uid: &str) -> Vec<(i64, String, String, String)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT version, action, fields, reason FROM audit WHERE record_uid = ?1 ORDER BY id",
        )
        .expect("sql");
    stmt.query_map([uid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

#[test]
fn an_edit_is_a_new_version_naming_the_changed_fields_and_a_stale_edit_is_refused() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let uid = add_service(&mut store, &worker, &plain("relief_money", "300"));
    let mut draft = plain("relief_money", "500");
    draft.place = "河西区".into();
    let input = service_input(&store, &draft);
    let saved = store.update_service(&uid, &input, Some(1)).expect("edit");
    assert_eq!(saved.version, 2);
    let s = store.service_by_uid(&uid).expect("read").expect("kept");
    assert_eq!(
        (s.amount_fen, s.place.as_str(), s.version),
        (50_000, "河西区", 2)
    );
    assert_eq!(
        audit_rows(&store, &uid).last().expect("row").2,
        "place,amount_fen"
    );
    // A form opened on version 1 cannot overwrite version 2.
    let err = store.update_service(&uid, &input, Some(1)).unwrap_err();
    assert!(
        matches!(err, StoreError::StaleVersion { found: 2, .. }),
        "{err:?}"
    );
    // Saving the same values is no change.
    assert_eq!(
        store
            .update_service(&uid, &input, Some(2))
            .expect("same")
            .version,
        2
    );
}

#[test]
fn an_edit_cannot_turn_a_plain_service_into_a_legal_aid_visit() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let uid = add_service(&mut store, &worker, &plain("relief_money", "300"));
    let mut input = service_input(&store, &plain("relief_money", "300"));
    input.kind = "legal_aid".into();
    let err = store.update_service(&uid, &input, None).unwrap_err();
    assert!(matches!(err, StoreError::KindChangesForm { .. }), "{err:?}");
    assert_eq!(store.service_by_uid(&uid).unwrap().unwrap().version, 1);
}

#[test]
fn a_withdrawal_keeps_the_row_with_its_reason_and_audits_who_when_why_once() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let uid = add_service(&mut store, &worker, &plain("relief_money", "300"));
    let version = store
        .withdraw_service(&uid, "  重复登记  ", Some(1))
        .expect("withdraw");
    assert_eq!(version, 2);
    let s = store.service_by_uid(&uid).expect("read").expect("row kept");
    assert!(s.deleted);
    assert_eq!(
        store.withdraw_reason("service", &uid).unwrap().as_deref(),
        Some("重复登记")
    );
    let withdrawals: Vec<_> = audit_rows(&store, &uid)
        .into_iter()
        .filter(|r| r.1 == "withdraw")
        .collect();
    assert_eq!(
        withdrawals,
        [(2, "withdraw".into(), String::new(), "重复登记".into())]
    );
    // Already withdrawn: nothing more to withdraw.
    assert!(matches!(
        store.withdraw_service(&uid, "again", None),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_reason_is_required_and_checked_like_a_note_and_nothing_changes_when_refused() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let uid = add_service(&mut store, &worker, &plain("relief_money", "300"));
    for (bad, rule) in [
        ("   ", Rule::Required),
        ("错\u{0007}误", Rule::InvisibleCharacter),
        (
            &"长".repeat(LONG_TEXT + 1)[..],
            Rule::TooLong { max: LONG_TEXT },
        ),
    ] {
        match store.withdraw_service(&uid, bad, None) {
            Err(StoreError::Invalid(e)) => {
                assert_eq!(e.field, Field::Reason);
                assert_eq!(e.rule, rule);
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert!(!store.service_by_uid(&uid).unwrap().unwrap().deleted);
    assert_eq!(audit_rows(&store, &uid).len(), 1, "only the creation");
}

#[test]
fn a_withdrawn_worker_leaves_search_and_keeps_the_reason() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    store
        .withdraw_worker(&worker, "误登记", Some(1))
        .expect("withdraw");
    assert!(store.worker_by_uid(&worker).unwrap().unwrap().deleted);
    assert_eq!(store.search("毛洋", 0, 10).unwrap().hits.len(), 0);
    assert_eq!(
        store.withdraw_reason("worker", &worker).unwrap().as_deref(),
        Some("误登记")
    );
}

#[test]
fn an_event_with_attendees_is_refused_or_withdrawn_with_their_services() {
    let mut store = store();
    let a = add_worker(&mut store, "毛洋", "620102199708155206");
    let b = add_worker(&mut store, "武春军", "120111200007156699");
    let event = event(&mut store);
    let sa = store.record_event_service(&event, &a).expect("a").uid;
    let sb = store.record_event_service(&event, &b).expect("b").uid;
    assert_eq!(store.live_services_in_event(&event).unwrap(), 2);

    let err = store
        .withdraw_event(&event, "活动取消", AttendeeServices::Refuse, None)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::EventHasServices { count: 2 }),
        "{err:?}"
    );
    assert!(!store.event_by_uid(&event).unwrap().unwrap().deleted);

    let done = store
        .withdraw_event(&event, "活动取消", AttendeeServices::WithdrawToo, Some(1))
        .expect("withdraw");
    assert_eq!(
        done,
        EventWithdrawal {
            version: 2,
            services_withdrawn: 2
        }
    );
    assert!(store.event_by_uid(&event).unwrap().unwrap().deleted);
    for s in [&sa, &sb] {
        let service = store.service_by_uid(s).unwrap().unwrap();
        assert!(service.deleted && service.version == 2);
        assert_eq!(
            audit_rows(&store, s).last().unwrap(),
            &(2, "withdraw".into(), String::new(), "活动取消".into())
        );
    }
    assert_eq!(store.services_of_worker(&a).unwrap().len(), 0);
}

#[test]
fn an_event_edit_is_a_new_version_and_leaves_recorded_services_alone() {
    let mut store = store();
    let a = add_worker(&mut store, "毛洋", "620102199708155206");
    let uid = event(&mut store);
    let service = store.record_event_service(&uid, &a).unwrap().uid;
    let mut input = store.event_by_uid(&uid).unwrap().unwrap().input;
    input.name = "冬送温暖·河西".into();
    input.default_amount_fen = 50_000;
    assert_eq!(
        store.update_event(&uid, &input, Some(1)).unwrap().version,
        2
    );
    let e = store.event_by_uid(&uid).unwrap().unwrap();
    assert_eq!((e.input.name.as_str(), e.version), ("冬送温暖·河西", 2));
    assert_eq!(
        store.service_by_uid(&service).unwrap().unwrap().amount_fen,
        30_000
    );
    assert!(matches!(
        store.update_event(&uid, &input, Some(1)),
        Err(StoreError::StaleVersion { .. })
    ));
}

#[test]
fn closing_a_case_adds_a_visit_that_ends_it_with_its_outcome_and_amounts() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let first = add_service(&mut store, &worker, &visit("open", "8000", "0", ""));
    let second = add_service(
        &mut store,
        &worker,
        &visit("mediating", "8000", "3000", &first),
    );
    let closing = CaseClosing {
        outcome: "mediated".into(),
        recovered_fen: Some(600_000),
        note: "调解达成".into(),
        closed_on: None,
    };
    // Any visit of the case names it; the closing follows the latest one.
    let closed = store.close_legal_case(&first, &closing).expect("close");
    let visit = store.service_by_uid(&closed.uid).unwrap().unwrap();
    let legal = visit.legal.expect("legal aid");
    assert_eq!(legal.follows_uid.as_deref(), Some(second.as_str()));
    assert_eq!(
        (
            legal.status.as_str(),
            legal.claimed_fen,
            legal.recovered_fen
        ),
        ("resolved", 800_000, 600_000)
    );

    let cases = store.legal_cases_of_worker(&worker).unwrap();
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    assert!(!case.open);
    assert_eq!((case.outcome.as_str(), case.visits), ("mediated", 3));
    assert_eq!(case.first_uid, first);
    assert_eq!((case.claimed_fen, case.recovered_fen), (800_000, 600_000));
    assert!(store.open_legal_cases(&worker).unwrap().is_empty());

    // A closed case is not closed twice.
    assert!(matches!(
        store.close_legal_case(&second, &closing),
        Err(StoreError::CaseClosed { .. })
    ));
}

#[test]
fn closing_refuses_an_unknown_outcome_naming_the_field() {
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let first = add_service(&mut store, &worker, &visit("open", "100", "", ""));
    let closing = CaseClosing {
        outcome: "won".into(),
        recovered_fen: None,
        note: String::new(),
        closed_on: None,
    };
    match store.close_legal_case(&first, &closing) {
        Err(StoreError::Invalid(e)) => assert_eq!(e.field, Field::Outcome),
        other => panic!("{other:?}"),
    }
    assert!(store.legal_cases_of_worker(&worker).unwrap()[0].open);
}

#[test]
fn a_record_at_the_highest_version_is_neither_withdrawn_nor_wrapped() {
    use crate::store::version::MAX_VERSION;
    let mut store = store();
    let worker = add_worker(&mut store, "毛洋", "620102199708155206");
    let alone = add_service(&mut store, &worker, &plain("relief_money", "300"));
    let event = event(&mut store);
    let attending = store
        .record_event_service(&event, &worker)
        .expect("served")
        .uid;
    for uid in [&alone, &attending] {
        store
            .conn()
            .execute(
                "UPDATE service SET version = ?1 WHERE uid = ?2",
                rusqlite::params![MAX_VERSION, uid],
            )
            .unwrap();
    }
    assert!(matches!(
        store.withdraw_service(&alone, "重复登记", None),
        Err(StoreError::VersionLimit { .. })
    ));
    // The event's own version is low, its attendee's is not: nothing of either changes.
    assert!(matches!(
        store.withdraw_event(&event, "活动取消", AttendeeServices::WithdrawToo, None),
        Err(StoreError::VersionLimit { .. })
    ));
    assert!(!store.event_by_uid(&event).unwrap().unwrap().deleted);
    for uid in [&alone, &attending] {
        let s = store.service_by_uid(uid).unwrap().unwrap();
        assert!(!s.deleted);
        assert_eq!(s.version, MAX_VERSION);
    }
}
