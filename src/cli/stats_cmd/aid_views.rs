//! `jingong stats --needs` and `--claims`: demand beside supply and the mutual-aid claims, as
//! the same text, CSV, XLSX and JSON the other statistics are written as. Only the views asked
//! for are written; the hardship workers' open needs are listed whole in files and JSON.

use super::{
    Cell, LIST_PAGE, Table, csv_bytes, district_label, print_text, text, write_private, xlsx_bytes,
};
use crate::cli::args::StatsArgs;
use crate::cli::output::{print_json, shown_id};
use crate::cli::{CmdResult, Failure};
use crate::domain::claims::{ClaimStatus, claim_type_name};
use crate::domain::needs::need_kind_name;
use crate::store::stats::{NeedTally, OpenNeedRow};
use crate::store::{Statistics, StatsQuery, Store};
use crate::text::Lang;
use serde_json::json;

pub(super) fn run(
    store: &Store,
    query: &StatsQuery,
    stats: &Statistics,
    a: &StatsArgs,
    lang: Lang,
) -> CmdResult {
    let whole = a.json || a.csv.is_some() || a.xlsx.is_some();
    let open: Vec<OpenNeedRow> = if !a.needs {
        Vec::new()
    } else if whole {
        whole_open_list(store, query, stats, lang)?
    } else {
        let page = &stats.needs.hardship_open.rows;
        page.iter().take(a.list).cloned().collect()
    };
    if a.json {
        let mut report = serde_json::Map::new();
        report.insert("query".into(), json!(stats.query));
        if a.needs {
            report.insert("needs".into(), needs_json(stats, &open, a.reveal));
        }
        if a.claims {
            report.insert("claims".into(), json!(stats.claims));
        }
        print_json(&serde_json::Value::Object(report));
        return Ok(());
    }
    let mut tables = Vec::new();
    if a.needs {
        tables.extend(need_tables(stats, &open, lang, a.reveal));
    }
    if a.claims {
        tables.extend(claim_tables(stats, lang));
    }
    if let Some(path) = &a.csv {
        write_private(path, &csv_bytes(&tables), lang)?;
        println!("{}", path.display());
    } else if let Some(path) = &a.xlsx {
        write_private(path, &xlsx_bytes(&tables, lang)?, lang)?;
        println!("{}", path.display());
    } else {
        // The "… n/total" line of `print_text` is the unserved list's; the open list has its own.
        let unserved = usize::try_from(stats.hardship_unserved.total).unwrap_or(0);
        print_text(&tables, stats, unserved);
        let total = stats.needs.hardship_open.total;
        if a.needs && (open.len() as i64) < total {
            println!("  … {}/{total}", open.len());
        }
    }
    Ok(())
}

fn whole_open_list(
    store: &Store,
    query: &StatsQuery,
    stats: &Statistics,
    lang: Lang,
) -> Result<Vec<OpenNeedRow>, Failure> {
    let mut all = stats.needs.hardship_open.rows.clone();
    while (all.len() as i64) < stats.needs.hardship_open.total {
        let page = store
            .hardship_open_needs(query, all.len(), LIST_PAGE)
            .map_err(|e| Failure::from_store(e, lang))?;
        if page.rows.is_empty() {
            break;
        }
        all.extend(page.rows);
    }
    Ok(all)
}

fn tally_cells(t: &NeedTally) -> [Cell; 4] {
    [
        Cell::Count(t.raised),
        Cell::Count(t.open),
        Cell::Count(t.answered),
        Cell::Count(t.closed),
    ]
}

fn need_tables(stats: &Statistics, open: &[OpenNeedRow], lang: Lang, reveal: bool) -> Vec<Table> {
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let tally_header = || {
        vec![
            l("提出", "Raised"),
            l("未解决", "Open"),
            l("已回应", "Answered"),
            l("已关闭", "Closed"),
        ]
    };
    let needs = &stats.needs;
    let mut by_kind: Vec<Vec<Cell>> = needs
        .by_kind
        .iter()
        .map(|k| {
            let mut row = vec![text(need_kind_name(&k.kind, lang)), text(k.kind.clone())];
            row.extend(tally_cells(&k.tally));
            row.push(Cell::Count(k.answering_services));
            row
        })
        .collect();
    let mut total = vec![text(l("合计", "Total")), text("")];
    total.extend(tally_cells(&needs.total));
    total.push(text(""));
    by_kind.push(total);
    let mut kind_header = vec![l("诉求", "Need"), l("代码", "Code")];
    kind_header.extend(tally_header());
    kind_header.push(l("对应服务人次", "Answering services"));
    let mut month_header = vec![l("月份", "Month")];
    month_header.extend(tally_header());
    let mut district_header = vec![l("区", "District"), l("代码", "Code")];
    district_header.extend(tally_header());
    vec![
        Table {
            sheet: l("诉求与服务", "Needs and services"),
            title: l(
                "期间提出的诉求（按类别）与对应服务",
                "Needs raised in the period, by kind, beside the services that answer them",
            ),
            header: kind_header,
            rows: by_kind,
        },
        Table {
            sheet: l("每月诉求", "Needs by month"),
            title: l("每月提出的诉求", "Needs raised by month"),
            header: month_header,
            rows: needs
                .by_month
                .iter()
                .map(|m| {
                    let mut row = vec![text(m.month.clone())];
                    row.extend(tally_cells(&m.tally));
                    row
                })
                .collect(),
        },
        Table {
            sheet: l("各区诉求", "Needs by district"),
            title: l("各区提出的诉求", "Needs raised by district"),
            header: district_header,
            rows: needs
                .by_district
                .iter()
                .map(|d| {
                    let mut row = vec![
                        text(district_label(&d.district_code, lang)),
                        text(d.district_code.clone()),
                    ];
                    row.extend(tally_cells(&d.tally));
                    row
                })
                .collect(),
        },
        Table {
            sheet: l("困难职工未解决诉求", "Hardship open needs"),
            title: l(
                "困难职工未解决的诉求（等待最久在前）",
                "Hardship workers' open needs, longest waiting first",
            ),
            header: vec![
                l("姓名", "Name"),
                l("身份证号", "ID number"),
                l("区", "District"),
                l("诉求", "Need"),
                l("提出日期", "Raised on"),
                l("等待天数", "Days open"),
            ],
            rows: open
                .iter()
                .map(|r| {
                    vec![
                        text(r.name.clone()),
                        text(shown_id(&r.id_number, reveal)),
                        text(district_label(&r.district_code, lang)),
                        text(need_kind_name(&r.kind, lang)),
                        text(r.raised_on.to_string()),
                        Cell::Count(r.days_open),
                    ]
                })
                .collect(),
        },
    ]
}

fn needs_json(stats: &Statistics, open: &[OpenNeedRow], reveal: bool) -> serde_json::Value {
    let n = &stats.needs;
    let open: Vec<serde_json::Value> = open
        .iter()
        .map(|r| {
            json!({
                "worker_uid": r.worker_uid,
                "name": r.name,
                "id_number": shown_id(&r.id_number, reveal),
                "district_code": r.district_code,
                "kind": r.kind,
                "raised_on": r.raised_on,
                "days_open": r.days_open,
            })
        })
        .collect();
    json!({
        "total": n.total,
        "by_kind": n.by_kind,
        "by_month": n.by_month,
        "by_district": n.by_district,
        "hardship_open_total": n.hardship_open.total,
        "hardship_open": open,
    })
}

fn claim_tables(stats: &Statistics, lang: Lang) -> Vec<Table> {
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let c = &stats.claims;
    let mut type_header = vec![l("类别", "Type"), l("代码", "Code")];
    type_header.extend(ClaimStatus::ALL.iter().map(|s| s.name(lang).to_string()));
    type_header.extend([
        l("件数", "Claims"),
        l("申请金额（元）", "Claimed (yuan)"),
        l("已发放（元）", "Paid (yuan)"),
    ]);
    let mut by_type: Vec<Vec<Cell>> = c
        .by_type
        .iter()
        .map(|t| {
            let mut row = vec![
                text(claim_type_name(&t.claim_type, lang)),
                text(t.claim_type.clone()),
            ];
            row.extend(t.by_status.iter().map(|&n| Cell::Count(n)));
            row.extend([
                Cell::Count(t.tally.claims),
                Cell::Fen(t.tally.claimed_fen),
                Cell::Fen(t.tally.paid_fen),
            ]);
            row
        })
        .collect();
    let mut total = vec![text(l("合计", "Total")), text("")];
    total.extend(c.by_status.iter().map(|s| Cell::Count(s.tally.claims)));
    total.extend([
        Cell::Count(c.total.claims),
        Cell::Fen(c.total.claimed_fen),
        Cell::Fen(c.total.paid_fen),
    ]);
    by_type.push(total);
    let amounts = || {
        vec![
            l("件数", "Claims"),
            l("申请金额（元）", "Claimed (yuan)"),
            l("已发放（元）", "Paid (yuan)"),
        ]
    };
    let mut status_header = vec![l("状态", "Status")];
    status_header.extend(amounts());
    let mut district_header = vec![l("区", "District"), l("代码", "Code")];
    district_header.extend(amounts());
    vec![
        Table {
            sheet: l("互助保障类别", "Claims by type"),
            title: l(
                "期间登记的互助保障申请（按类别与状态）",
                "Mutual-aid claims recorded in the period, by type and status",
            ),
            header: type_header,
            rows: by_type,
        },
        Table {
            sheet: l("互助保障状态", "Claims by status"),
            title: l("互助保障申请（按状态）", "Mutual-aid claims by status"),
            header: status_header,
            rows: c
                .by_status
                .iter()
                .map(|s| {
                    let status = ClaimStatus::from_code(&s.status)
                        .map(|x| x.name(lang).to_string())
                        .unwrap_or_else(|| s.status.clone());
                    vec![
                        text(status),
                        Cell::Count(s.tally.claims),
                        Cell::Fen(s.tally.claimed_fen),
                        Cell::Fen(s.tally.paid_fen),
                    ]
                })
                .collect(),
        },
        Table {
            sheet: l("各区互助保障", "Claims by district"),
            title: l("各区互助保障申请", "Mutual-aid claims by district"),
            header: district_header,
            rows: c
                .by_district
                .iter()
                .map(|d| {
                    vec![
                        text(district_label(&d.district_code, lang)),
                        text(d.district_code.clone()),
                        Cell::Count(d.tally.claims),
                        Cell::Fen(d.tally.claimed_fen),
                        Cell::Fen(d.tally.paid_fen),
                    ]
                })
                .collect(),
        },
        Table {
            sheet: l("每月互助保障", "Claims by month"),
            title: l(
                "每月登记的申请与当月发放金额",
                "Claims recorded and money paid, by month",
            ),
            header: vec![
                l("月份", "Month"),
                l("登记件数", "Recorded"),
                l("申请金额（元）", "Claimed (yuan)"),
                l("当月发放（元）", "Paid in month (yuan)"),
            ],
            rows: {
                let mut rows: Vec<Vec<Cell>> = c
                    .by_month
                    .iter()
                    .map(|m| {
                        vec![
                            text(m.month.clone()),
                            Cell::Count(m.claims),
                            Cell::Fen(m.claimed_fen),
                            Cell::Fen(m.paid_fen),
                        ]
                    })
                    .collect();
                rows.push(vec![
                    text(l("期间发放合计", "Paid in the period")),
                    text(""),
                    text(""),
                    Cell::Fen(c.paid_in_period_fen),
                ]);
                rows
            },
        },
    ]
}
