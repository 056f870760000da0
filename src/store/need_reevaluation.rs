//! When a service is corrected (its kind or its date) or withdrawn, the needs it answered are
//! looked at again in the same transaction: another live service of the worker that answers
//! the need takes its place, and when none does the need is open again. A need an officer
//! closed by hand is not touched: the officer's word stands whatever happens to a service.

use super::Result;
use super::needs::{NeedVersion, answer_open_needs, write_need_answer};
use super::version::next_version;
use crate::domain::needs::answers;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// What the re-evaluation did, for the caller's summary and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reevaluated {
    /// Needs now answered by another of the worker's services.
    pub moved: usize,
    /// Needs open again: no live service answers them any more.
    pub reopened: usize,
    /// Open needs the corrected service answers now (its new kind or date).
    pub newly_answered: usize,
}

/// A need the corrected service had answered, as stored.
struct AnsweredNeed {
    id: i64,
    uid: String,
    version: i64,
    worker_id: i64,
    kind: String,
    raised_on: String,
    settled_on: Option<String>,
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The earliest live service of the worker, other than `except_uid`, that answers a need of
/// `need_kind` raised on `raised_on`: (uid, served_on).
fn other_answer(
    tx: &Connection,
    worker_id: i64,
    except_uid: &str,
    need_kind: &str,
    raised_on: NaiveDate,
) -> Result<Option<(String, NaiveDate)>> {
    // A worker has a handful of services; the kind rule lives in the domain, so it is applied
    // here rather than restated in SQL.
    let mut stmt = tx.prepare_cached(
        "SELECT uid, kind, served_on FROM service
         WHERE worker_id = ?1 AND deleted_at IS NULL AND uid <> ?2 AND served_on >= ?3
         ORDER BY served_on, id",
    )?;
    let rows = stmt.query_map(
        params![
            worker_id,
            except_uid,
            raised_on.format("%Y-%m-%d").to_string()
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    for row in rows {
        let (uid, kind, served_on) = row?;
        if let Some(served_on) = date(&served_on)
            && answers(need_kind, raised_on, &kind, served_on)
        {
            return Ok(Some((uid, served_on)));
        }
    }
    Ok(None)
}

/// Re-evaluates the needs answered by service `service_uid` after it changed, in the caller's
/// transaction. `now_answering` is the service as it stands after the change (kind and date),
/// or `None` when it was withdrawn.
pub(crate) fn reevaluate_needs(
    tx: &Connection,
    service_uid: &str,
    now_answering: Option<(&str, NaiveDate)>,
    officer: i64,
    now: &str,
) -> Result<Reevaluated> {
    let answered: Vec<AnsweredNeed> = tx
        .prepare_cached(
            "SELECT id, uid, version, worker_id, kind, raised_on, settled_on FROM need
             WHERE answered_by = ?1 AND state = 'answered' AND deleted_at IS NULL",
        )?
        .query_map([service_uid], |r| {
            Ok(AnsweredNeed {
                id: r.get(0)?,
                uid: r.get(1)?,
                version: r.get(2)?,
                worker_id: r.get(3)?,
                kind: r.get(4)?,
                raised_on: r.get(5)?,
                settled_on: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut outcome = Reevaluated::default();
    let mut worker = None;
    for need in answered {
        let AnsweredNeed {
            id,
            uid,
            version,
            worker_id,
            kind,
            raised_on,
            settled_on,
        } = need;
        worker = Some(worker_id);
        let Some(raised_on) = date(&raised_on) else {
            continue;
        };
        let need = NeedVersion {
            id,
            uid: &uid,
            version: next_version(version)?,
        };
        if let Some((service_kind, served_on)) = now_answering
            && answers(&kind, raised_on, service_kind, served_on)
        {
            // Still answered by the corrected service; only the day it was met may move.
            let served = served_on.format("%Y-%m-%d").to_string();
            if settled_on.as_deref() != Some(served.as_str()) {
                let answer = Some((service_uid, served_on));
                write_need_answer(tx, need, answer, "settled_on", officer, now)?;
            }
            continue;
        }
        match other_answer(tx, worker_id, service_uid, &kind, raised_on)? {
            Some((other_uid, served_on)) => {
                let answer = Some((other_uid.as_str(), served_on));
                write_need_answer(tx, need, answer, "answered_by", officer, now)?;
                outcome.moved += 1;
            }
            None => {
                write_need_answer(tx, need, None, "state,answered_by", officer, now)?;
                outcome.reopened += 1;
            }
        }
    }
    if let Some((service_kind, served_on)) = now_answering {
        let worker_id = match worker {
            Some(id) => id,
            None => tx
                .prepare_cached("SELECT worker_id FROM service WHERE uid = ?1")?
                .query_row([service_uid], |r| r.get(0))?,
        };
        outcome.newly_answered = answer_open_needs(
            tx,
            worker_id,
            service_uid,
            service_kind,
            served_on,
            officer,
            now,
        )?;
    }
    Ok(outcome)
}
