//! Demo needs and claims: every need and claim the demo writes keeps the domain's rules, the
//! states and statuses all occur, and the need rollups the bulk load fills agree with counting
//! the records.

use super::{HEPING, assert_needs_match_records, at, d, period};
use crate::support::fixture::officer;
use chrono::NaiveDate;
use jingong::demo::{DemoOptions, fill};
use jingong::domain::claims::{ClaimDraft, ClaimStatus, validate_claim};
use jingong::domain::needs::{NeedDraft, answers, validate_need};
use jingong::store::Store;
use std::collections::HashMap;

#[test]
fn demo_needs_and_claims_keep_the_domain_rules_and_the_rollups_agree() {
    let mut store = Store::open_in_memory().unwrap();
    at(&mut store, "2026-11-29");
    store.set_officer(&officer()).unwrap();
    let options = DemoOptions {
        workers: 3_000,
        services_per_worker: 3,
        seed: 2026,
    };
    let summary = fill(&mut store, options, |_| {}).unwrap();
    assert!(summary.needs > 300, "needs: {}", summary.needs);
    assert!(summary.claims > 5, "claims: {}", summary.claims);
    let states: HashMap<String, i64> =
        count_by(&store, "SELECT state, count(*) FROM need GROUP BY 1");
    for state in ["open", "answered", "closed"] {
        assert!(
            states.get(state).copied().unwrap_or(0) > 0,
            "{state}: {states:?}"
        );
    }
    // Every answered need names a service of the same worker of a kind that answers it, on
    // or after the day it was raised; every closed one has a day and a note.
    let mut stmt = jingong::testing::connection(&store)
        .prepare(
            "SELECT n.kind, n.raised_on, n.state, s.kind, s.served_on, s.worker_id = n.worker_id,
                    n.settled_on IS NOT NULL, n.close_note
             FROM need n LEFT JOIN service s ON s.uid = n.answered_by",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<bool>>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    for (kind, raised, state, service_kind, served_on, same_worker, settled, note) in rows {
        let draft = NeedDraft {
            kind: kind.clone(),
            raised_on: raised.clone(),
            note: String::new(),
        };
        assert!(
            validate_need(&draft, d("2026-11-29"), None).is_ok(),
            "{kind} {raised}"
        );
        match state.as_str() {
            "answered" => {
                let (service_kind, served_on) = (service_kind.unwrap(), served_on.unwrap());
                assert!(answers(&kind, d(&raised), &service_kind, d(&served_on)));
                assert_eq!(same_worker, Some(true));
            }
            "closed" => assert!(settled && !note.is_empty()),
            _ => assert!(service_kind.is_none() && !settled),
        }
    }
    // Every claim passes the claim rules as of the day it was recorded, for its member.
    let claims: Vec<(String, String)> = jingong::testing::connection(&store)
        .prepare("SELECT c.uid, w.uid FROM claim c JOIN worker w ON w.id = c.worker_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut statuses = std::collections::HashSet::new();
    for (uid, worker) in &claims {
        let claim = store.claim_by_uid(uid).unwrap().unwrap();
        let member = store.claim_member(worker).unwrap();
        let dates = claim.dates;
        let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let draft = ClaimDraft {
            claim_type: claim.claim_type.clone(),
            diagnosed_on: text(dates.diagnosed_on),
            accident_on: text(dates.accident_on),
            died_on: text(dates.died_on),
            fire_on: text(dates.fire_on),
            amount: jingong::domain::format_fen(claim.amount_fen),
            documents: claim.progress.documents.join(","),
            ..Default::default()
        };
        let recorded = d(&claim.created_at[..10]);
        let checked = validate_claim(&draft, &member, recorded);
        assert!(checked.is_ok(), "{uid}: {checked:?}");
        if claim.progress.status == ClaimStatus::Paid {
            assert!(claim.progress.paid_fen > 0 && claim.progress.paid_fen <= claim.amount_fen);
        }
        statuses.insert(claim.progress.status.code());
    }
    assert!(statuses.len() >= 4, "statuses: {statuses:?}");
    for q in [
        period("2025-01-01", "2026-11-29", None),
        period("2026-01-01", "2026-12-31", Some(HEPING)),
        period("2025-03-17", "2026-02-09", None),
    ] {
        assert_needs_match_records(&store, &q, "demo");
    }
}

fn count_by(store: &Store, sql: &str) -> HashMap<String, i64> {
    jingong::testing::connection(store)
        .prepare(sql)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
