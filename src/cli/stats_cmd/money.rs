//! The money tables of `jingong stats` (text, CSV, XLSX) and its `money` JSON key.

use super::{Cell, Table, text};
use crate::cli::output::kind_label;
use crate::store::Statistics;
use crate::text::Lang;
use serde_json::json;

pub(super) fn tables(stats: &Statistics, lang: Lang) -> Vec<Table> {
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let money = &stats.money;
    let mut by_kind: Vec<Vec<Cell>> = money
        .by_kind
        .iter()
        .map(|k| {
            vec![
                text(kind_label(&k.kind, lang)),
                text(k.kind.clone()),
                Cell::Fen(k.amount_fen),
            ]
        })
        .collect();
    by_kind.push(vec![
        text(l("合计", "Total")),
        text(""),
        Cell::Fen(money.total_fen),
    ]);
    let mut by_event: Vec<Vec<Cell>> = money
        .top_events
        .iter()
        .map(|e| {
            vec![
                text(e.held_on.clone()),
                text(e.name.clone()),
                text(kind_label(&e.kind, lang)),
                Cell::Count(e.services),
                Cell::Fen(e.amount_fen),
            ]
        })
        .collect();
    let shown = money.top_events.len() as i64;
    let total_label = if shown < money.events {
        format!(
            "{} ({shown}/{})",
            l("合计（全部活动）", "Total (all events)"),
            money.events
        )
    } else {
        l("合计", "Total")
    };
    by_event.push(vec![
        text(total_label),
        text(""),
        text(""),
        Cell::Count(money.event_services),
        Cell::Fen(money.event_amount_fen),
    ]);
    vec![
        Table {
            sheet: l("发放金额", "Money by kind"),
            title: l(
                "期间发放金额（按项目）",
                "Money handed out in the period, by kind",
            ),
            header: vec![
                l("项目", "Kind"),
                l("代码", "Code"),
                l("金额（元）", "Amount (yuan)"),
            ],
            rows: by_kind,
        },
        Table {
            sheet: l("每月发放金额", "Money by month"),
            title: l("每月发放金额", "Money handed out by month"),
            header: vec![l("月份", "Month"), l("金额（元）", "Amount (yuan)")],
            rows: money
                .by_month
                .iter()
                .map(|m| vec![text(m.month.clone()), Cell::Fen(m.amount_fen)])
                .collect(),
        },
        Table {
            sheet: l("活动发放金额", "Money by event"),
            title: l(
                "期间举办的活动（按发放金额）",
                "Events held in the period, by money handed out",
            ),
            header: vec![
                l("日期", "Date"),
                l("活动", "Event"),
                l("项目", "Kind"),
                l("人次", "Services"),
                l("金额（元）", "Amount (yuan)"),
            ],
            rows: by_event,
        },
    ]
}

pub(super) fn json(stats: &Statistics) -> serde_json::Value {
    let money = &stats.money;
    let by_kind: serde_json::Map<String, serde_json::Value> = money
        .by_kind
        .iter()
        .map(|k| (k.kind.clone(), json!(k.amount_fen)))
        .collect();
    json!({
        "total_fen": money.total_fen,
        "by_kind_fen": by_kind,
        "by_month": money.by_month,
        "events": money.events,
        "event_services": money.event_services,
        "event_amount_fen": money.event_amount_fen,
        "top_events": money.top_events,
        "legal_claimed_fen": stats.legal.claimed_fen,
        "legal_recovered_fen": stats.legal.recovered_fen,
    })
}
