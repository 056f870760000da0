//! Review copies (CSV, XLSX) for people: one row per record, the columns of the data files
//! flattened, headers in Chinese with the field name. They are read back from the data files
//! just written, so they show exactly what the batch holds.

use super::format::RecordKind;
use super::{BatchError, Result};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

/// (field path in the JSON record, Chinese header).
type Column = (&'static str, &'static str);

const COMMON: &[Column] = &[
    ("uid", "记录编号"),
    ("version", "版本"),
    ("op", "操作"),
    ("origin_device_id", "来源设备"),
    ("officer.name", "经办人"),
    ("officer.organisation", "经办单位"),
    ("officer.district_code", "经办区代码"),
    ("created_at", "创建时间"),
    ("updated_at", "修改时间"),
    ("deleted_at", "删除时间"),
    // Format 2: a withdrawal's reason, or an erasure's reason code.
    ("reason", "撤回或删除原因"),
];

const WORKER: &[Column] = &[
    ("id_number", "身份证号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("phone", "手机"),
    ("hometown_code", "籍贯地区代码"),
    ("employer", "单位"),
    ("worksite", "工地"),
    ("trade", "工种"),
    ("district_code", "所在区代码"),
    ("membership", "会籍"),
    ("card_no", "服务卡号"),
    ("hardship", "困难职工"),
    ("note", "备注"),
];

const EVENT: &[Column] = &[
    ("name", "活动名称"),
    ("kind", "服务类别"),
    ("held_on", "活动日期"),
    ("place", "地点"),
    ("district_code", "区代码"),
    ("default_quantity", "默认数量"),
    ("default_amount_fen", "默认金额（分）"),
];

const SERVICE: &[Column] = &[
    ("worker_uid", "职工编号"),
    ("event_uid", "活动编号"),
    ("kind", "服务类别"),
    ("served_on", "服务日期"),
    ("place", "地点"),
    ("quantity", "数量"),
    ("amount_fen", "金额（分）"),
    ("note", "备注"),
    ("health_check.provider", "查体机构"),
    ("health_check.blood_pressure", "血压"),
    ("health_check.glucose_tenths", "血糖（0.1 mmol/L）"),
    ("health_check.findings", "查体结果"),
    ("health_check.referral", "转诊"),
    ("health_check.follow_up_on", "复查日期"),
    ("health_check.consent_by", "同意记录人"),
    ("health_check.consent_at", "同意时间"),
    ("legal_aid.category", "援助类别"),
    ("legal_aid.description", "情况说明"),
    ("legal_aid.status", "办理状态"),
    ("legal_aid.claimed_fen", "主张金额（分）"),
    ("legal_aid.recovered_fen", "追回金额（分）"),
    ("legal_aid.follows_uid", "前次援助编号"),
];

const NEED: &[Column] = &[
    ("worker_uid", "职工编号"),
    ("kind", "诉求类别"),
    ("raised_on", "提出日期"),
    ("note", "备注"),
    ("state", "状态"),
    ("answered_by", "回应服务编号"),
    ("settled_on", "解决日期"),
    ("close_note", "关闭说明"),
];

const CLAIM: &[Column] = &[
    ("worker_uid", "职工编号"),
    ("claim_type", "互助保障类型"),
    ("fire_on", "火灾日期"),
    ("amount_fen", "申请金额（分）"),
    ("documents", "材料清单"),
    ("status", "申请状态"),
    ("paid_fen", "发放金额（分）"),
    ("paid_on", "发放日期"),
];

/// A claim's health details (diagnosis, accident and death, and the free text that may name
/// an illness): in a review copy only when the exporting officer asks for them.
const CLAIM_HEALTH: &[Column] = &[
    ("diagnosed_on", "确诊日期"),
    ("accident_on", "事故日期"),
    ("died_on", "身故日期"),
    ("note", "备注"),
    ("reject_reason", "未通过原因"),
];

/// The columns of a review copy of `kind`; a claim's health details only when `reveal_health`.
pub fn columns(kind: RecordKind, reveal_health: bool) -> impl Iterator<Item = &'static Column> {
    let own = match kind {
        RecordKind::Worker => WORKER,
        RecordKind::Event => EVENT,
        RecordKind::Service => SERVICE,
        RecordKind::Need => NEED,
        RecordKind::Claim => CLAIM,
    };
    let health = match kind {
        RecordKind::Claim if reveal_health => CLAIM_HEALTH,
        _ => &[],
    };
    COMMON.iter().chain(own.iter()).chain(health.iter())
}

/// "姓名 name": readable in Chinese, and still says which field of the data file it is.
pub fn headers(kind: RecordKind, reveal_health: bool) -> Vec<String> {
    columns(kind, reveal_health)
        .map(|(path, zh)| format!("{zh} {path}"))
        .collect()
}

fn cell(record: &Value, path: &str) -> String {
    let mut value = record;
    for part in path.split('.') {
        match value.get(part) {
            Some(v) => value = v,
            None => return String::new(),
        }
    }
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        // The documents checklist: codes, as the table keeps them.
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// Calls `row` with each record of `kind` in `dir` as cells, in `headers` order. Returns the
/// number of rows.
pub fn for_each_row(
    dir: &Path,
    kind: RecordKind,
    reveal_health: bool,
    mut row: impl FnMut(Vec<String>) -> Result<()>,
) -> Result<u64> {
    let path = dir.join(kind.file_name());
    let file = std::fs::File::open(&path).map_err(|e| BatchError::io(&path, e))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut rows = 0;
    for line in reader.lines() {
        let line = line.map_err(|e| BatchError::io(&path, e))?;
        let record: Value =
            serde_json::from_str(&line).map_err(|e| BatchError::io(&path, e.into()))?;
        row(columns(kind, reveal_health)
            .map(|(p, _)| cell(&record, p))
            .collect())?;
        rows += 1;
    }
    Ok(rows)
}
