//! `jingong stats`: the statistics screen's figures as aligned text, JSON, CSV or XLSX.
//!
//! Text, CSV and XLSX are made from one list of labelled tables (`render` writes them out), so
//! the three never disagree; JSON keeps the keys of the first `stats --json` (`workers`,
//! `services`, `services_by_kind`) and adds the rest under their own keys.

use super::args::{Cli, StatsArgs, StatsPeriod};
use super::output::{kind_label, print_json, shown_phone};
use super::{CmdResult, Failure, open_store};
use crate::domain::format_fen;
use crate::domain::refdata;
use crate::store::stats::UnservedWorker;
use crate::store::{Period, Statistics, StatsQuery, Store};
use crate::text::Lang;
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use std::time::Instant;

mod aid_views;
mod money;
mod render;

use render::{csv_bytes, print_text, write_private, xlsx_bytes};

/// Rows fetched per query when a file or JSON wants the whole hardship list.
const LIST_PAGE: usize = 5_000;

pub fn run(cli: &Cli, a: &StatsArgs) -> CmdResult {
    let lang = cli.lang;
    let store = open_store(cli)?;
    let query = stats_query(a, store.clock().today(), lang)?;
    let started = Instant::now();
    let stats = store
        .statistics(&query)
        .map_err(|e| Failure::from_store(e, lang))?;
    if a.timing {
        eprintln!(
            "statistics: {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if a.needs || a.claims {
        return aid_views::run(&store, &query, &stats, a, lang);
    }
    let wants_whole_list = a.json || a.csv.is_some() || a.xlsx.is_some();
    let unserved = if wants_whole_list {
        whole_unserved_list(&store, &query, &stats, lang)?
    } else {
        stats
            .hardship_unserved
            .workers
            .iter()
            .take(a.list)
            .cloned()
            .collect()
    };
    if a.json {
        print_json(&json_report(&stats, &unserved, a.reveal));
        return Ok(());
    }
    let tables = tables(&stats, &unserved, lang, a.reveal);
    if let Some(path) = &a.csv {
        write_private(path, &csv_bytes(&tables), lang)?;
        println!("{}", path.display());
    } else if let Some(path) = &a.xlsx {
        write_private(path, &xlsx_bytes(&tables, lang)?, lang)?;
        println!("{}", path.display());
    } else {
        print_text(&tables, &stats, unserved.len());
    }
    Ok(())
}

/// The period and district from the arguments; a bad value exits 2 naming its option.
fn stats_query(a: &StatsArgs, today: NaiveDate, lang: Lang) -> Result<StatsQuery, Failure> {
    let date = |option: &str, raw: &str| {
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
            Failure::invalid(format!(
                "{option}: {}“{raw}”",
                lang.pick(
                    "日期应为 YYYY-MM-DD 格式，例如 2026-01-31，收到 ",
                    "a date must look like YYYY-MM-DD, e.g. 2026-01-31; got "
                )
            ))
        })
    };
    let district = match &a.district {
        None => None,
        Some(code) if refdata::district(code.trim()).is_some() => Some(code.trim().to_string()),
        Some(code) => {
            return Err(Failure::invalid(format!(
                "--district: {}“{code}”",
                lang.pick(
                    "不是天津市的区代码（如 120101 和平区），收到 ",
                    "not a Tianjin district code (e.g. 120101 Heping); got "
                )
            )));
        }
    };
    let from = a
        .from
        .as_deref()
        .map(|raw| date("--from", raw))
        .transpose()?;
    let to = a.to.as_deref().map(|raw| date("--to", raw)).transpose()?;
    let period = match (from, to, a.period) {
        (None, None, Some(StatsPeriod::Month)) => Period::Month,
        (None, None, Some(StatsPeriod::Quarter)) => Period::Quarter,
        (None, None, Some(StatsPeriod::Year) | None) => Period::Year,
        (from, to, _) => {
            // One end given: the other is the start of that year, or today.
            let to = to.unwrap_or(today.max(from.unwrap_or(today)));
            let from = from.unwrap_or_else(|| {
                NaiveDate::from_ymd_opt(to.year(), 1, 1).expect("1 January exists")
            });
            Period::Custom { from, to }
        }
    };
    let query = StatsQuery::new(period, today, district);
    if query.from > query.to {
        return Err(Failure::invalid(format!(
            "--from {} > --to {}: {}",
            query.from,
            query.to,
            lang.pick("开始日期晚于结束日期", "the period starts after it ends")
        )));
    }
    Ok(query)
}

fn whole_unserved_list(
    store: &Store,
    query: &StatsQuery,
    stats: &Statistics,
    lang: Lang,
) -> Result<Vec<UnservedWorker>, Failure> {
    let mut all = stats.hardship_unserved.workers.clone();
    while (all.len() as i64) < stats.hardship_unserved.total {
        let page = store
            .hardship_unserved(query, all.len(), LIST_PAGE)
            .map_err(|e| Failure::from_store(e, lang))?;
        if page.workers.is_empty() {
            break;
        }
        all.extend(page.workers);
    }
    Ok(all)
}

fn json_report(stats: &Statistics, unserved: &[UnservedWorker], reveal: bool) -> serde_json::Value {
    let by_kind: serde_json::Map<String, serde_json::Value> = stats
        .services_by_kind
        .iter()
        .map(|k| (k.kind.clone(), json!(k.count)))
        .collect();
    let open_by_category: serde_json::Map<String, serde_json::Value> = stats
        .legal
        .open_by_category
        .iter()
        .map(|c| (c.category.clone(), json!(c.cases)))
        .collect();
    let unserved: Vec<_> = unserved
        .iter()
        .map(|w| {
            json!({
                "uid": w.uid, "name": w.name, "district_code": w.district_code,
                "phone": shown_phone(&w.phone, reveal), "employer": w.employer,
                "last_served_on": w.last_served_on,
            })
        })
        .collect();
    json!({
        "from": stats.query.from, "to": stats.query.to, "district": stats.query.district,
        "today": stats.today,
        "workers": stats.workers.workers, "members": stats.workers.members,
        "joined_here": stats.workers.joined_here, "hardship": stats.workers.hardship,
        "new_workers": stats.new_workers,
        "new_workers_by_month": stats.new_workers_by_month,
        "services": stats.services, "services_by_kind": by_kind,
        "services_by_month": stats.services_by_month,
        "health": stats.health,
        "legal": {
            "open_cases": stats.legal.open_cases, "open_by_category": open_by_category,
            "cases_in_period": stats.legal.cases_in_period,
            "closed_in_period": stats.legal.closed_in_period,
            "claimed_fen": stats.legal.claimed_fen, "recovered_fen": stats.legal.recovered_fen,
        },
        "reach": {
            "served": stats.reach.served, "registered": stats.reach.registered,
            "per_mille": stats.reach.per_mille(),
        },
        "hardship_unserved": { "total": stats.hardship_unserved.total, "workers": unserved },
        "money": money::json(stats),
    })
}

/// One cell of a report table: text, a count, money in fen, or a share in tenths of a percent.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Count(i64),
    Fen(i64),
    PerMille(i64),
}

impl Cell {
    fn shown(&self) -> String {
        match self {
            // Stored names and employers: never raw on a terminal or in a report.
            Cell::Text(s) => crate::safe_text::terminal_safe(s).into_owned(),
            Cell::Count(n) => n.to_string(),
            Cell::Fen(f) => format_fen(*f),
            Cell::PerMille(p) => format!("{}.{}%", p / 10, p % 10),
        }
    }
    fn is_number(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// A titled table; `sheet` names its XLSX sheet.
struct Table {
    sheet: String,
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn district_label(code: &str, lang: Lang) -> String {
    refdata::district(code)
        .map(|d| lang.pick(&d.zh, &d.en).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn tables(stats: &Statistics, unserved: &[UnservedWorker], lang: Lang, reveal: bool) -> Vec<Table> {
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let district = match &stats.query.district {
        Some(code) => format!("{} {code}", district_label(code, lang)),
        None => l("全部", "all"),
    };
    let mut out = vec![Table {
        sheet: l("概况", "Overview"),
        title: l("统计范围", "Scope"),
        header: vec![l("项目", "Item"), l("内容", "Value")],
        rows: vec![
            vec![
                text(l("开始日期", "From")),
                text(stats.query.from.to_string()),
            ],
            vec![text(l("结束日期", "To")), text(stats.query.to.to_string())],
            vec![
                text(l("区（工作地）", "District (workplace)")),
                text(district),
            ],
            vec![text(l("统计日", "As of")), text(stats.today.to_string())],
        ],
    }];
    let w = &stats.workers;
    let n = &stats.new_workers;
    out.push(Table {
        sheet: l("职工", "Workers"),
        title: l("职工", "Workers"),
        header: vec![
            l("项目", "Item"),
            l("登记总数", "Registered"),
            l("期间新登记", "New in period"),
        ],
        rows: [
            (l("职工", "Workers"), w.workers, n.workers),
            (l("  其中会员", "  members"), w.members, n.members),
            (
                l("  其中本次入会", "  joined here"),
                w.joined_here,
                n.joined_here,
            ),
            (l("  其中困难职工", "  hardship"), w.hardship, n.hardship),
        ]
        .into_iter()
        .map(|(label, total, new)| vec![text(label), Cell::Count(total), Cell::Count(new)])
        .collect(),
    });
    out.push(Table {
        sheet: l("每月新登记", "Registrations by month"),
        title: l("每月新登记职工", "New registrations by month"),
        header: vec![l("月份", "Month"), l("人数", "Workers")],
        rows: stats
            .new_workers_by_month
            .iter()
            .map(|m| vec![text(m.month.clone()), Cell::Count(m.count)])
            .collect(),
    });
    let mut kind_rows: Vec<Vec<Cell>> = stats
        .services_by_kind
        .iter()
        .map(|k| {
            let group = refdata::service_kind(&k.kind)
                .and_then(|kind| refdata::service_group(&kind.group))
                .map(|g| lang.pick(&g.zh, &g.en).to_string())
                .unwrap_or_default();
            vec![
                text(group),
                text(kind_label(&k.kind, lang)),
                text(k.kind.clone()),
                Cell::Count(k.count),
            ]
        })
        .collect();
    kind_rows.push(vec![
        text(l("合计", "Total")),
        text(""),
        text(""),
        Cell::Count(stats.services),
    ]);
    out.push(Table {
        sheet: l("服务项目", "Services by kind"),
        title: l("期间服务（按项目）", "Services in the period, by kind"),
        header: vec![
            l("类别", "Group"),
            l("项目", "Kind"),
            l("代码", "Code"),
            l("人次", "Services"),
        ],
        rows: kind_rows,
    });
    out.push(Table {
        sheet: l("每月服务", "Services by month"),
        title: l("每月服务人次", "Services by month"),
        header: vec![l("月份", "Month"), l("人次", "Services")],
        rows: stats
            .services_by_month
            .iter()
            .map(|m| vec![text(m.month.clone()), Cell::Count(m.count)])
            .collect(),
    });
    let h = &stats.health;
    out.push(Table {
        sheet: l("健康查体", "Health checks"),
        title: l("健康查体", "Health checks"),
        header: vec![l("项目", "Item"), l("数量", "Count")],
        rows: vec![
            vec![
                text(l("期间查体人次", "Checks in the period")),
                Cell::Count(h.checks),
            ],
            vec![text(l("  其中转诊", "  referred")), Cell::Count(h.referred)],
            vec![
                text(l(
                    "待随访（30天内或期间内）",
                    "Follow-ups due (30 days or period)",
                )),
                Cell::Count(h.follow_ups_due),
            ],
            vec![
                text(l("逾期未随访", "Follow-ups overdue")),
                Cell::Count(h.follow_ups_overdue),
            ],
        ],
    });
    let mut legal_rows: Vec<Vec<Cell>> = stats
        .legal
        .open_by_category
        .iter()
        .map(|c| {
            let label = refdata::legal_aid_category(&c.category)
                .map(|x| lang.pick(&x.zh, &x.en).to_string())
                .unwrap_or_else(|| c.category.clone());
            vec![
                text(l("在办案件", "Open cases")),
                text(label),
                Cell::Count(c.cases),
            ]
        })
        .collect();
    legal_rows.push(vec![
        text(l("在办案件", "Open cases")),
        text(l("合计", "Total")),
        Cell::Count(stats.legal.open_cases),
    ]);
    legal_rows.push(vec![
        text(l("期间办结或最新进展", "Cases with latest visit in period")),
        text(""),
        Cell::Count(stats.legal.cases_in_period),
    ]);
    legal_rows.push(vec![
        text(l("  其中已结案", "  of which closed")),
        text(""),
        Cell::Count(stats.legal.closed_in_period),
    ]);
    legal_rows.push(vec![
        text(l("  请求金额（元）", "  claimed (yuan)")),
        text(""),
        Cell::Fen(stats.legal.claimed_fen),
    ]);
    legal_rows.push(vec![
        text(l("  追回金额（元）", "  recovered (yuan)")),
        text(""),
        Cell::Fen(stats.legal.recovered_fen),
    ]);
    out.push(Table {
        sheet: l("法律援助", "Legal aid"),
        title: l("法律援助", "Legal aid"),
        header: vec![l("项目", "Item"), l("类别", "Category"), l("数量", "Value")],
        rows: legal_rows,
    });
    out.extend(money::tables(stats, lang));
    let r = &stats.reach;
    out.push(Table {
        sheet: l("服务覆盖", "Reach"),
        title: l("服务覆盖", "Reach"),
        header: vec![l("项目", "Item"), l("数值", "Value")],
        rows: vec![
            vec![
                text(l("登记职工", "Registered workers")),
                Cell::Count(r.registered),
            ],
            vec![
                text(l("期间内受过服务", "Served in the period")),
                Cell::Count(r.served),
            ],
            vec![
                text(l("覆盖率", "Share served")),
                Cell::PerMille(r.per_mille()),
            ],
            vec![
                text(l("未受服务的困难职工", "Hardship workers not served")),
                Cell::Count(stats.hardship_unserved.total),
            ],
        ],
    });
    out.push(Table {
        sheet: l("未服务困难职工", "Hardship not served"),
        title: l(
            "期间内未受服务的困难职工",
            "Hardship workers not served in the period",
        ),
        header: vec![
            l("姓名", "Name"),
            l("区", "District"),
            l("电话", "Phone"),
            l("单位", "Employer"),
            l("最近服务", "Last served"),
        ],
        rows: unserved
            .iter()
            .map(|w| {
                vec![
                    text(w.name.clone()),
                    text(district_label(&w.district_code, lang)),
                    text(shown_phone(&w.phone, reveal)),
                    text(w.employer.clone()),
                    text(
                        w.last_served_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| l("从未", "never")),
                    ),
                ]
            })
            .collect(),
    });
    out
}
