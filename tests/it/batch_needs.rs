//! Needs and mutual-aid claims in batches (format 3): export -> verify -> import on another
//! laptop with every field equal, a conflict between two laptops' copies of one claim, a
//! withdrawn claim as a tombstone, and the same tables whatever the order of the batches
//! (hostile batches and format 2: `batch_needs_hostile`).

use crate::support::fixture::{NOW, clock_at, store_with_officer};
use jingong::batch::BatchError;
use jingong::batch::export::{ExportOptions, ExportOutcome, export};
use jingong::batch::merge::{ImportOutcome, import_batches};
use jingong::domain::claims::{ClaimDraft, ClaimStepDraft};
use jingong::domain::needs::NeedInput;
use jingong::domain::{Membership, ServiceInput, WorkerInput};
use jingong::store::Store;
use serde_json::Value;
use sha2::Digest;
use std::path::{Path, PathBuf};

/// A woman (second-to-last digit even), a card-holding member.
pub(crate) const ID_MEMBER: &str = "620102199708155206";

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn laptop(dir: &Path, name: &str) -> Store {
    store_with_officer(Some(&dir.join(name)), NOW)
}

pub(crate) fn member(store: &mut Store) -> String {
    store
        .add_worker(&WorkerInput {
            name: "毛洋".into(),
            id_number: ID_MEMBER.into(),
            phone: "13800138000".into(),
            employer: "天津建工集团".into(),
            membership: Membership::Member,
            card_no: "6217000012345678".into(),
            ..Default::default()
        })
        .unwrap()
        .uid
}

pub(crate) fn need(
    store: &mut Store,
    worker: &str,
    kind: &str,
    raised: &str,
    note: &str,
) -> String {
    let input = NeedInput {
        kind: kind.into(),
        raised_on: day(raised),
        note: note.into(),
    };
    store.add_need(worker, &input).unwrap().uid
}

pub(crate) fn illness_claim(store: &mut Store, worker: &str) -> String {
    let draft = ClaimDraft {
        claim_type: "critical_illness".into(),
        diagnosed_on: "2026-03-02".into(),
        documents: "diagnosis, id_card".into(),
        note: "恶性肿瘤，住院化疗".into(),
        protection_start: "2025-07-01".into(),
        protection_end: "2026-06-30".into(),
        ..Default::default()
    };
    store.add_claim(worker, &draft).unwrap().record.uid
}

pub(crate) fn submit(store: &mut Store, claim: &str) {
    let step = ClaimStepDraft {
        status: "submitted".into(),
        documents: Some("diagnosis,id_card,member_card,bank_card".into()),
        ..Default::default()
    };
    store.update_claim(claim, &step, None).unwrap();
}

fn service(kind: &str, on: &str) -> ServiceInput {
    ServiceInput {
        kind: kind.into(),
        served_on: Some(day(on)),
        quantity: 1,
        ..Default::default()
    }
}

pub(crate) fn export_to(store: &mut Store, out: &Path) -> PathBuf {
    let options = ExportOptions {
        out_dir: out.to_path_buf(),
        ..Default::default()
    };
    match export(store, &options, &mut |_| {}).unwrap() {
        ExportOutcome::Written { summary, .. } => summary.path,
        ExportOutcome::NothingNew { .. } => panic!("nothing exported"),
    }
}

pub(crate) fn import(store: &mut Store, batch: &Path) -> Result<ImportOutcome, BatchError> {
    let mut results = import_batches(store, &[batch.to_path_buf()]).unwrap();
    results.remove(0).1
}

fn imported(store: &mut Store, batch: &Path) {
    match import(store, batch) {
        Ok(ImportOutcome::Imported(_)) => {}
        other => panic!("not imported: {other:?}"),
    }
}

/// Every need and claim as comparable text, by (table, uid): each column a batch carries,
/// the worker by uid, the officer by name. Local row ids and export marks are left out.
pub(crate) fn aid_tables(store: &Store) -> Vec<(String, String)> {
    let sql = "
        SELECT 'need', n.uid, n.version || '|' || coalesce(n.deleted_at, '') || '|'
            || n.withdraw_reason || '|' || w.uid || '|' || n.kind || '|' || n.raised_on || '|'
            || n.note || '|' || n.state || '|' || coalesce(n.answered_by, '') || '|'
            || coalesce(n.settled_on, '') || '|' || n.close_note || '|' || n.created_at || '|'
            || n.updated_at || '|' || o.name
        FROM need n JOIN worker w ON w.id = n.worker_id JOIN officer o ON o.id = n.officer_id
        UNION ALL
        SELECT 'claim', c.uid, c.version || '|' || coalesce(c.deleted_at, '') || '|'
            || c.withdraw_reason || '|' || w.uid || '|' || c.claim_type || '|'
            || coalesce(c.diagnosed_on, '') || '|' || coalesce(c.accident_on, '') || '|'
            || coalesce(c.died_on, '') || '|' || coalesce(c.fire_on, '') || '|' || c.amount_fen
            || '|' || c.documents || '|' || c.status || '|' || c.reason || '|' || c.paid_fen
            || '|' || coalesce(c.paid_on, '') || '|' || c.note || '|' || c.created_at || '|'
            || c.updated_at || '|' || o.name
        FROM claim c JOIN worker w ON w.id = c.worker_id JOIN officer o ON o.id = c.officer_id
        ORDER BY 1, 2";
    let mut stmt = jingong::testing::connection(store).prepare(sql).unwrap();
    stmt.query_map([], |r| {
        Ok((
            format!("{}:{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            r.get(2)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

pub(crate) fn lines(batch: &Path, file: &str) -> Vec<Value> {
    std::fs::read_to_string(batch.join(file))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub(crate) fn manifest(batch: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(batch.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn needs_and_claims_travel_to_another_laptop_with_every_field_equal() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    need(&mut a, &worker, "job", "2026-11-20", "想找电工岗位");
    let closed = need(&mut a, &worker, "housing", "2026-11-01", "");
    a.close_need(&closed, "已自行解决", None).unwrap();
    let claim = illness_claim(&mut a, &worker);
    submit(&mut a, &claim);

    let batch = export_to(&mut a, &dir.path().join("out"));
    let m = manifest(&batch);
    assert_eq!(m["format_version"], 3);
    for (file, records) in [("needs.jsonl", 2), ("claims.jsonl", 1)] {
        let entry = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == file)
            .unwrap_or_else(|| panic!("{file} listed"));
        assert_eq!(entry["records"], records, "{file}");
        let bytes = std::fs::read(batch.join(file)).unwrap();
        assert_eq!(entry["bytes"], bytes.len());
        assert_eq!(
            entry["sha256"],
            jingong::receipt::hex(&sha2::Sha256::digest(&bytes))
        );
    }
    let claim_line = &lines(&batch, "claims.jsonl")[0];
    assert_eq!(claim_line["worker_uid"], worker.as_str());
    assert_eq!(claim_line["status"], "submitted");
    assert_eq!(claim_line["version"], 2);
    assert_eq!(claim_line["amount_fen"], 1_000_000);
    assert_eq!(
        claim_line["documents"],
        serde_json::json!(["diagnosis", "id_card", "member_card", "bank_card"])
    );
    // Marked sent in the export's transaction: nothing waits, a second export has nothing.
    let waiting: i64 = jingong::testing::connection(&a)
        .query_row(
            "SELECT (SELECT count(*) FROM need WHERE version > exported_version)
                  + (SELECT count(*) FROM claim WHERE version > exported_version)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(waiting, 0);
    let again = export(
        &mut a,
        &ExportOptions {
            out_dir: dir.path().join("out"),
            ..Default::default()
        },
        &mut |_| {},
    )
    .unwrap();
    assert!(matches!(again, ExportOutcome::NothingNew { .. }));

    let mut b = laptop(dir.path(), "b.db");
    match import(&mut b, &batch).unwrap() {
        ImportOutcome::Imported(s) => {
            assert_eq!(s.applied, [1, 0, 0, 2, 1]);
            assert_eq!(s.conflicts, 0);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(aid_tables(&b), aid_tables(&a));
    assert_eq!(aid_tables(&a).len(), 3);
    // The receiver sends nothing on: its copies arrived marked sent.
    assert_eq!(b.pending_counts().unwrap().total(), 0);
    let shown = b.claims_of_worker(&worker).unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].note, "恶性肿瘤，住院化疗");
}

#[test]
fn review_copies_leave_out_a_claims_health_details_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    illness_claim(&mut a, &worker);
    let hidden = {
        let options = ExportOptions {
            out_dir: dir.path().join("hidden"),
            csv: true,
            xlsx: true,
            ..Default::default()
        };
        match export(&mut a, &options, &mut |_| {}).unwrap() {
            ExportOutcome::Written { summary, .. } => summary.path,
            _ => panic!("nothing exported"),
        }
    };
    let csv = std::fs::read_to_string(hidden.join("claims.csv")).unwrap();
    assert!(csv.contains("critical_illness"), "{csv}");
    assert!(!csv.contains("恶性肿瘤"), "{csv}");
    assert!(!csv.contains("2026-03-02"), "{csv}");
    assert!(!csv.contains("diagnosed_on"), "{csv}");
    // The data file carries them: the receiver needs the claim whole.
    assert!(
        std::fs::read_to_string(hidden.join("claims.jsonl"))
            .unwrap()
            .contains("恶性肿瘤")
    );

    let mut b = laptop(dir.path(), "b.db");
    let worker = member(&mut b);
    illness_claim(&mut b, &worker);
    let options = ExportOptions {
        out_dir: dir.path().join("shown"),
        csv: true,
        reveal_health: true,
        ..Default::default()
    };
    let ExportOutcome::Written { summary, .. } = export(&mut b, &options, &mut |_| {}).unwrap()
    else {
        panic!("nothing exported")
    };
    let csv = std::fs::read_to_string(summary.path.join("claims.csv")).unwrap();
    assert!(
        csv.contains("恶性肿瘤") && csv.contains("2026-03-02"),
        "{csv}"
    );
}

#[test]
fn two_laptops_changing_one_claim_at_the_same_version_is_a_listed_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    let claim = illness_claim(&mut a, &worker);
    let first = export_to(&mut a, &out);

    let mut b = laptop(dir.path(), "b.db");
    b.set_clock(clock_at("2026-11-29T11:00:00+08:00"));
    imported(&mut b, &first);
    // Both move the claim to version 2, differently and at different times.
    submit(&mut a, &claim);
    b.update_claim(
        &claim,
        &ClaimStepDraft {
            documents: Some("diagnosis".into()),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let from_a = export_to(&mut a, &out);
    let from_b = export_to(&mut b, &out.join("b"));
    assert_eq!(lines(&from_b, "claims.jsonl")[0]["version"], 2);

    let mut results = Vec::new();
    let mut shown = Vec::new();
    let mut receivers = Vec::new();
    for (name, order) in [
        ("c.db", [&first, &from_a, &from_b]),
        ("d.db", [&first, &from_b, &from_a]),
    ] {
        let mut receiver = laptop(dir.path(), name);
        for batch in order {
            imported(&mut receiver, batch);
        }
        let conflicts = receiver.open_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert_eq!(conflicts[0].reason, "diverged");
        assert_eq!(conflicts[0].record_table, "claim");
        assert_eq!(conflicts[0].kept_uid, claim);
        // The other copy is kept whole in the list, not dropped.
        let listed: Value = serde_json::from_str(&conflicts[0].incoming_json).unwrap();
        assert_eq!(listed["version"], 2);
        assert_eq!(listed["status"], "submitted", "A's copy is the earlier one");
        results.push(aid_tables(&receiver));
        shown.push(receiver.claim_by_uid(&claim).unwrap().unwrap());
        receivers.push(receiver);
    }
    // The later copy (B's) shows, whichever came first.
    assert_eq!(results[0], results[1]);
    assert_eq!(shown[0].progress.documents, ["diagnosis"]);
    assert_eq!(shown[0], shown[1]);
    // Resolving for the listed copy (A's) makes it a version above both, sent from here.
    let receiver = &mut receivers[0];
    let id = receiver.open_conflicts().unwrap()[0].id;
    let resolved = jingong::batch::resolve::resolve_conflict(receiver, id, "incoming")
        .unwrap()
        .unwrap();
    assert_eq!(resolved.version, 3);
    let kept = receiver.claim_by_uid(&claim).unwrap().unwrap();
    assert_eq!(
        (kept.version, kept.progress.status.code()),
        (3, "submitted")
    );
    assert!(receiver.open_conflicts().unwrap().is_empty());
    assert_eq!(receiver.pending_counts().unwrap().claims, 1);

    // B's own edit, not yet sent when A's copy arrives, is not overwritten either.
    let mut e = laptop(dir.path(), "e.db");
    e.set_clock(clock_at("2026-11-29T12:00:00+08:00"));
    imported(&mut e, &first);
    e.update_claim(
        &claim,
        &ClaimStepDraft {
            documents: Some("id_card".into()),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    imported(&mut e, &from_a);
    assert_eq!(e.open_conflicts().unwrap().len(), 1);
    let kept = e.claim_by_uid(&claim).unwrap().unwrap();
    assert_eq!(kept.progress.documents, ["id_card"]);
}

#[test]
fn a_withdrawn_claim_travels_as_a_tombstone_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    let claim = illness_claim(&mut a, &worker);
    let first = export_to(&mut a, &out);
    let mut b = laptop(dir.path(), "b.db");
    imported(&mut b, &first);
    assert_eq!(b.claims_of_worker(&worker).unwrap().len(), 1);

    let version = a.withdraw_claim(&claim, "重复录入", None).unwrap();
    assert_eq!(version, 2);
    let second = export_to(&mut a, &out);
    let sent = lines(&second, "claims.jsonl");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["uid"], claim.as_str());
    assert_eq!(sent[0]["op"], "delete");
    assert_eq!(sent[0]["reason"], "重复录入");
    assert!(sent[0]["deleted_at"].is_string());
    assert!(lines(&second, "workers.jsonl").is_empty());

    imported(&mut b, &second);
    assert!(b.claims_of_worker(&worker).unwrap().is_empty());
    assert_eq!(aid_tables(&b), aid_tables(&a));
    let reason: String = jingong::testing::connection(&b)
        .query_row(
            "SELECT withdraw_reason FROM claim WHERE uid = ?1 AND deleted_at IS NOT NULL",
            [&claim],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "重复录入");
}

/// A need raised on one laptop and a service that answers it recorded on another: every
/// order of the batches ends with the same tables, the need answered by that service.
#[test]
fn any_order_of_the_batches_gives_the_same_needs_and_claims() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    let registered = export_to(&mut a, &out);

    let mut b = laptop(dir.path(), "b.db");
    imported(&mut b, &registered);
    let answering = b
        .add_service(&worker, &service("job", "2026-11-25"))
        .unwrap()
        .uid;
    let from_b = export_to(&mut b, &out.join("b"));

    let open = need(&mut a, &worker, "job", "2026-11-20", "想找电工岗位");
    let later = need(&mut a, &worker, "job", "2026-11-28", "");
    let claim = illness_claim(&mut a, &worker);
    let from_a = export_to(&mut a, &out);
    submit(&mut a, &claim);
    let from_a2 = export_to(&mut a, &out);

    let orders = [
        [&registered, &from_a, &from_a2, &from_b],
        [&registered, &from_b, &from_a, &from_a2],
        [&registered, &from_a2, &from_b, &from_a],
    ];
    let mut tables = Vec::new();
    let mut receivers = Vec::new();
    for (i, order) in orders.into_iter().enumerate() {
        let mut receiver = laptop(dir.path(), &format!("r-{i}.db"));
        for batch in order {
            // A later batch before its predecessor is imported with the gap reported.
            imported(&mut receiver, batch);
        }
        let answered = receiver.need_by_uid(&open).unwrap().unwrap();
        assert_eq!(
            answered.answered_by.as_deref(),
            Some(answering.as_str()),
            "order {i}"
        );
        assert_eq!(answered.settled_on, Some(day("2026-11-25")));
        // Raised after the service: that service answered something else.
        let waiting = receiver.need_by_uid(&later).unwrap().unwrap();
        assert_eq!(waiting.state.code(), "open", "order {i}");
        // Derived here, not a new version: nothing is sent on.
        assert_eq!(receiver.pending_counts().unwrap().total(), 0, "order {i}");
        tables.push(aid_tables(&receiver));
        receivers.push(receiver);
    }
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[0], tables[2]);

    // Withdrawing the answering service on its laptop reopens the need everywhere.
    b.withdraw_service(&answering, "录错了", None).unwrap();
    let withdrawn = export_to(&mut b, &out.join("b"));
    for receiver in &mut receivers {
        imported(receiver, &withdrawn);
        let reopened = receiver.need_by_uid(&open).unwrap().unwrap();
        assert_eq!(reopened.state.code(), "open");
        assert_eq!(reopened.answered_by, None);
    }
}
