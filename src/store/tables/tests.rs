//! The tables' export decoders against a real database: every column their query selects is
//! read (a decoder that drifted from its query fails `Cells::finish`), and a record reads the
//! same through the pending query and the by-id query.

use super::export_row::{self, REASON_NOT_RECORDED};
use super::{claim, event, need, service, worker};
use crate::domain::claims::ClaimDraft;
use crate::domain::needs::NeedInput;
use crate::domain::records::Op;
use crate::domain::{EventInput, Membership, ServiceInput, WorkerInput};
use crate::store::Store;
use rusqlite::Row;

fn store_with_one_of_each() -> (Store, String) {
    let mut store = crate::testing::store_with_officer(None, "2026-11-29T10:00:00+08:00");
    let worker = store
        .add_worker(&WorkerInput {
            name: "欧阳翠花".into(),
            id_number: "620102199708155206".into(),
            phone: "13987654321".into(),
            ..WorkerInput::default()
        })
        .expect("worker")
        .uid;
    let event = store
        .add_event(&EventInput {
            name: "夏季送清凉".into(),
            kind: "summer_cooling".into(),
            place: "工地".into(),
            district_code: "120101".into(),
            default_quantity: 1,
            ..EventInput::default()
        })
        .expect("event")
        .uid;
    store
        .add_service(
            &worker,
            &ServiceInput {
                kind: "summer_cooling".into(),
                quantity: 2,
                event_uid: Some(event),
                note: "两箱".into(),
                ..ServiceInput::default()
            },
        )
        .expect("service");
    let member = store
        .add_worker(&WorkerInput {
            name: "毛洋".into(),
            id_number: "110101199003071233".into(),
            phone: "13800138000".into(),
            membership: Membership::Member,
            card_no: "6217000012345678".into(),
            ..WorkerInput::default()
        })
        .expect("member")
        .uid;
    store
        .add_need(
            &member,
            &NeedInput {
                kind: "job".into(),
                raised_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("day"),
                note: "想找电工岗位".into(),
            },
        )
        .expect("need");
    store
        .add_claim(
            &member,
            &ClaimDraft {
                claim_type: "critical_illness".into(),
                diagnosed_on: "2026-03-02".into(),
                protection_start: "2025-07-01".into(),
                protection_end: "2026-06-30".into(),
                ..ClaimDraft::default()
            },
        )
        .expect("claim");
    (store, worker)
}

/// Every row of `sql` (by row id 1 when it takes a parameter) as JSON.
fn lines(
    store: &Store,
    sql: &str,
    decode: impl Fn(&Row) -> rusqlite::Result<String>,
) -> Vec<String> {
    let conn = store.conn();
    let mut stmt = conn.prepare(sql).expect("prepare");
    let params: &[&dyn rusqlite::ToSql] = if stmt.parameter_count() == 1 {
        &[&1]
    } else {
        &[]
    };
    stmt.query_map(params, |r| decode(r))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("decode")
}

#[test]
fn each_table_decodes_every_column_of_its_export_query_alike_by_pending_and_by_id() {
    let (store, _) = store_with_one_of_each();
    let json = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    let worker =
        |r: &Row| serde_json::to_string(&worker::exported_from_row(r, "dev")?).map_err(json);
    let event = |r: &Row| serde_json::to_string(&event::exported_from_row(r, "dev")?).map_err(json);
    let service =
        |r: &Row| serde_json::to_string(&service::exported_from_row(r, "dev")?).map_err(json);
    let need = |r: &Row| serde_json::to_string(&need::exported_from_row(r, "dev")?).map_err(json);
    let claim = |r: &Row| serde_json::to_string(&claim::exported_from_row(r, "dev")?).map_err(json);
    // The member with the need and the claim is worker row 2.
    let workers = 2;
    for (count, (pending, by_id)) in [workers, 1, 1, 1, 1].into_iter().zip([
        (
            lines(&store, &worker::EXPORT_SQL.pending, worker),
            lines(&store, &worker::EXPORT_SQL.by_id, worker),
        ),
        (
            lines(&store, &event::EXPORT_SQL.pending, event),
            lines(&store, &event::EXPORT_SQL.by_id, event),
        ),
        (
            lines(&store, &service::EXPORT_SQL.pending, service),
            lines(&store, &service::EXPORT_SQL.by_id, service),
        ),
        (
            lines(&store, &need::EXPORT_SQL.pending, need),
            lines(&store, &need::EXPORT_SQL.by_id, need),
        ),
        (
            lines(&store, &claim::EXPORT_SQL.pending, claim),
            lines(&store, &claim::EXPORT_SQL.by_id, claim),
        ),
    ]) {
        // Row id 1 of each table is its first pending record.
        assert_eq!(pending.len(), count, "{pending:?}");
        assert_eq!(by_id.len(), 1, "{by_id:?}");
        assert_eq!(pending[0], by_id[0]);
        // Made here: the origin is filled in on the way out.
        assert!(
            pending[0].contains(r#""origin_device_id":"dev""#),
            "{}",
            pending[0]
        );
    }
    let service_line = &lines(&store, &service::EXPORT_SQL.pending, service)[0];
    assert!(service_line.contains(r#""quantity":2"#), "{service_line}");
    assert!(service_line.contains(r#""note":"两箱""#), "{service_line}");
    assert!(
        service_line.contains(r#""health_check":null"#),
        "{service_line}"
    );
}

#[test]
fn a_withdrawal_without_a_recorded_reason_exports_the_placeholder_but_shows_none() {
    let (mut store, uid) = store_with_one_of_each();
    store
        .withdraw_worker(&uid, "录入有误", None)
        .expect("withdraw");
    // A withdrawal from before reasons were kept.
    store
        .conn()
        .execute(
            "UPDATE worker SET withdraw_reason = '' WHERE uid = ?1",
            [&uid],
        )
        .expect("clear the reason");
    let (reason, op) = store
        .conn()
        .query_row(&worker::EXPORT_SQL.pending, [], |r| {
            let record = worker::exported_from_row(r, "dev")?;
            Ok((
                record.header.reason.map(|c| c.into_owned()),
                record.header.op,
            ))
        })
        .expect("the withdrawn worker waits for export");
    assert_eq!(reason.as_deref(), Some(REASON_NOT_RECORDED));
    assert_eq!(op, Op::Delete);
    let shown = worker::shown_by_id(store.conn(), 1, "dev", |record, _, pending| {
        (record.header.reason.map(|c| c.into_owned()), pending)
    })
    .expect("query")
    .expect("row 1");
    assert_eq!(shown, (None, true));
}

#[test]
fn only_an_erased_row_reads_as_an_erasure() {
    let (store, _) = store_with_one_of_each();
    let erased = |store: &Store| {
        store
            .conn()
            .query_row(&worker::EXPORT_SQL.pending, [], |r| {
                Ok(export_row::erasure(r)?.map(|e| (e.reason.into_owned(), e.version)))
            })
            .expect("query")
    };
    assert_eq!(erased(&store), None);
    store
        .conn()
        .execute("UPDATE worker SET erase_reason = 'request'", [])
        .expect("mark erased");
    assert_eq!(erased(&store), Some(("request".to_string(), 1)));
}
