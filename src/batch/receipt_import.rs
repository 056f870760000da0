//! Importing the city's receipts (`jingong import receipt` and the batches screen share it):
//! each file read bounded, checked against the city keys set here, matched to a batch this
//! laptop exported, and recorded. A returned batch's refused lines are tied to their records
//! (`returned`) and what the city must receive again is marked not exported. A receipt that
//! fails any check changes nothing.

use super::returned::locate_refusals;
use crate::receipt::{MAX_RECEIPT_BYTES, ReceiptBody, ReceiptError, ReceiptStatus, verify};
use crate::store::batch_queries::BatchRow;
use crate::store::receipts::ReceiptSummary;
use crate::store::receipts::{RefusedRecordRef, ReturnOutcome};
use crate::store::{Store, StoreError};
use crate::text::Lang;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// A batch with no receipt this many days after its export gets a warning.
pub const RECEIPT_DAYS: i64 = 7;

/// How many exported batches are more than `RECEIPT_DAYS` old (by the store's clock) with no
/// receipt from the city.
pub fn late_without_receipt(
    batches: &[BatchRow],
    receipts: &HashMap<String, ReceiptSummary>,
    today: NaiveDate,
) -> usize {
    batches
        .iter()
        .filter(|b| b.direction == "exported" && b.status == "complete")
        .filter(|b| !receipts.contains_key(&b.uid))
        .filter(|b| {
            b.created_at
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .is_some_and(|made| (today - made).num_days() > RECEIPT_DAYS)
        })
        .count()
}

/// The lines that say what an accepted receipt did.
pub fn outcome_lines(
    file: &Path,
    body: &ReceiptBody,
    outcome: Option<&ReturnOutcome>,
    lang: Lang,
) -> Vec<String> {
    let mut lines: Vec<String> = accepted_line(file, body, lang)
        .split('\n')
        .map(str::to_string)
        .collect();
    if let Some(outcome) = outcome {
        lines.push(return_line(outcome, lang));
    }
    lines
}

/// The last line when some receipts were refused.
pub fn refused_line(refused: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{refused} 份回执被拒收，对应批次的状态未改动"),
        Lang::En => format!("{refused} receipt(s) refused; their batches were left as they were"),
    }
}

/// `Ok(Err(message))`: this receipt is refused (the others go on).
pub fn import_one(
    store: &mut Store,
    file: &Path,
    keys: &[String],
    lang: Lang,
) -> Result<Result<(ReceiptBody, Option<ReturnOutcome>), String>, StoreError> {
    let bytes = match read_bounded(file) {
        Ok(b) => b,
        Err(e) => {
            return Ok(Err(match lang {
                Lang::Zh => format!("无法读取：{e}"),
                Lang::En => format!("cannot be read: {e}"),
            }));
        }
    };
    let body = match verify(&bytes, keys) {
        Ok(body) => body,
        Err(e) => return Ok(Err(e.message(lang))),
    };
    let exported = store.exported_batch(&body.batch_uid)?;
    let Some(exported) = exported else {
        let e = ReceiptError::UnknownBatch {
            batch_uid: body.batch_uid.clone(),
        };
        return Ok(Err(e.message(lang)));
    };
    if !exported
        .manifest_sha256
        .eq_ignore_ascii_case(&body.manifest_sha256)
    {
        let e = ReceiptError::ManifestDiffers {
            batch_uid: body.batch_uid.clone(),
        };
        return Ok(Err(e.message(lang)));
    }
    let status = match body.status {
        ReceiptStatus::Received => "received",
        ReceiptStatus::Held => "held",
        ReceiptStatus::Returned => "returned",
    };
    let reasons = serde_json::to_string(&body.refused).expect("plain values serialise");
    if body.status == ReceiptStatus::Returned {
        let located = locate_refusals(
            Path::new(&exported.path),
            &exported.manifest_sha256,
            &body.refused,
        );
        let refs: Vec<RefusedRecordRef> = located
            .iter()
            .map(|r| RefusedRecordRef {
                table: r.table,
                uid: &r.uid,
                zh: &r.zh,
                en: &r.en,
            })
            .collect();
        // The city refuses a batch whole today (nothing applied, nothing unchanged): then every
        // record of it must go again; a receipt that applied some sends back only the refused.
        let taken = |c: &crate::receipt::KindCounts| c.workers + c.events + c.services;
        let whole_batch = taken(&body.applied) + taken(&body.unchanged) == 0;
        let outcome =
            store.record_returned_receipt(&body.batch_uid, &reasons, &refs, whole_batch)?;
        return Ok(Ok((body, Some(outcome))));
    }
    store.record_receipt(&body.batch_uid, status, &reasons)?;
    Ok(Ok((body, None)))
}

pub fn return_line(outcome: &ReturnOutcome, lang: Lang) -> String {
    match (outcome.already_known, lang) {
        (true, Lang::Zh) => "  该批次的退回此前已导入，未再改动".into(),
        (true, Lang::En) => {
            "  this batch's return was imported before; nothing changed again".into()
        }
        (false, Lang::Zh) => format!(
            "  待更正记录 {} 条；下次导出将重新发送 {} 条记录",
            outcome.flagged, outcome.to_resend
        ),
        (false, Lang::En) => format!(
            "  {} record(s) flagged for correction; {} record(s) will go again in the next export",
            outcome.flagged, outcome.to_resend
        ),
    }
}

fn read_bounded(file: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(MAX_RECEIPT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub fn accepted_line(file: &Path, body: &ReceiptBody, lang: Lang) -> String {
    let file = file.display();
    let uid = &body.batch_uid;
    let a = &body.applied;
    let unchanged = body.unchanged.workers + body.unchanged.events + body.unchanged.services;
    match (body.status, lang) {
        (ReceiptStatus::Received, Lang::Zh) => format!(
            "{file}：批次 {uid} 已接收（入库 职工 {}，活动 {}，服务 {}；未变 {unchanged}）",
            a.workers, a.events, a.services
        ),
        (ReceiptStatus::Received, Lang::En) => format!(
            "{file}: batch {uid} received (applied {} workers, {} events, {} services; unchanged {unchanged})",
            a.workers, a.events, a.services
        ),
        (ReceiptStatus::Held, Lang::Zh) => format!(
            "{file}：批次 {uid} 市里暂存 {} 条记录，等待前一批 {}",
            body.held,
            body.waiting_for.as_deref().unwrap_or("-")
        ),
        (ReceiptStatus::Held, Lang::En) => format!(
            "{file}: batch {uid} held at the city ({} records), waiting for {}",
            body.held,
            body.waiting_for.as_deref().unwrap_or("-")
        ),
        (ReceiptStatus::Returned, _) => {
            let mut text = match lang {
                Lang::Zh => format!(
                    "{file}：批次 {uid} 被退回，原因 {} 条：",
                    body.refused.len()
                ),
                Lang::En => format!(
                    "{file}: batch {uid} returned, {} reason(s):",
                    body.refused.len()
                ),
            };
            for r in body.refused.iter().take(50) {
                let place = match r.line {
                    Some(line) => format!("{}:{line}", r.file),
                    None => r.file.clone(),
                };
                text.push_str(&format!(
                    "\n  {place}: {}",
                    crate::receipt::masked_reason(lang.pick(&r.zh, &r.en))
                ));
            }
            text
        }
    }
}
