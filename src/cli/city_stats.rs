//! `city stats` as tables on the terminal: the headline figures, then per month, per service
//! kind and per district. The same figures as `--json` (src/city/stats.rs).

use super::output::{kind_label, pad};
use crate::city::stats::CityStats;
use crate::domain::{format_fen, refdata};
use crate::text::Lang;

pub fn print_tables(s: &CityStats, lang: Lang) {
    let rows: Vec<(&str, &str, String)> = vec![
        ("职工（人）", "workers (persons)", s.workers.to_string()),
        ("登记记录（条）", "worker records", s.records.to_string()),
        (
            "合并的重复登记",
            "records merged into a person",
            s.merged_records.to_string(),
        ),
        ("其中会员", "members", s.members.to_string()),
        ("其中登记时入会", "joined here", s.joined_here.to_string()),
        ("困难职工", "hardship", s.hardship.to_string()),
        (
            "其中期内未获服务",
            "of whom not served in the period",
            s.hardship_unserved.total.to_string(),
        ),
        (
            "期内新登记（人）",
            "newly registered (persons)",
            s.new_workers.workers.to_string(),
        ),
        ("服务（次）", "services", s.services.to_string()),
        ("体检", "health checks", s.health.checks.to_string()),
        ("其中转诊", "referred", s.health.referred.to_string()),
        (
            "在办法律援助案件",
            "open legal-aid cases",
            s.legal.open_cases.to_string(),
        ),
        (
            "法律援助案件（期内）",
            "legal-aid cases in the period",
            s.legal.cases_in_period.to_string(),
        ),
        ("追索金额", "claimed", format_fen(s.legal.claimed_fen)),
        ("追回金额", "recovered", format_fen(s.legal.recovered_fen)),
        (
            "发放金额",
            "money handed out",
            format_fen(s.money.total_fen),
        ),
        (
            "覆盖（人）",
            "reached (persons)",
            format!("{} / {}", s.reach.served, s.reach.registered),
        ),
    ];
    println!("{} – {}", s.from, s.to);
    for (zh, en, value) in rows {
        println!("{}{value}", pad(lang.pick(zh, en), 32));
    }

    println!();
    println!(
        "{}{}{}{}",
        pad(lang.pick("月份", "month"), 10),
        pad(lang.pick("新登记", "registered"), 12),
        pad(lang.pick("服务", "services"), 12),
        lang.pick("金额（元）", "amount (yuan)")
    );
    for ((registered, served), money) in s
        .new_workers_by_month
        .iter()
        .zip(&s.services_by_month)
        .zip(&s.money.by_month)
    {
        println!(
            "{}{}{}{}",
            pad(&served.month, 10),
            pad(&registered.count.to_string(), 12),
            pad(&served.count.to_string(), 12),
            format_fen(money.amount_fen)
        );
    }

    println!();
    println!(
        "{}{}{}",
        pad(lang.pick("服务项目", "service kind"), 24),
        pad(lang.pick("次数", "services"), 12),
        lang.pick("金额（元）", "amount (yuan)")
    );
    for (kind, count) in s.services_by_kind.iter().filter(|(_, n)| **n > 0) {
        let fen = s.money.by_kind_fen.get(kind).copied().unwrap_or(0);
        println!(
            "{}{}{}",
            pad(&kind_label(kind, lang), 24),
            pad(&count.to_string(), 12),
            format_fen(fen)
        );
    }

    println!();
    println!(
        "{}{}{}{}{}{}",
        pad(lang.pick("区", "district"), 20),
        pad(lang.pick("职工（人）", "persons"), 12),
        pad(lang.pick("记录", "records"), 10),
        pad(lang.pick("困难", "hardship"), 10),
        pad(lang.pick("服务", "services"), 10),
        lang.pick("金额（元）", "amount (yuan)")
    );
    for d in &s.by_district {
        let name = match refdata::district(&d.district_code) {
            Some(r) => format!("{} {}", d.district_code, lang.pick(&r.zh, &r.en)),
            None if d.district_code.is_empty() => lang.pick("（未填）", "(none)").to_string(),
            None => d.district_code.clone(),
        };
        println!(
            "{}{}{}{}{}{}",
            pad(&name, 20),
            pad(&d.workers.to_string(), 12),
            pad(&d.records.to_string(), 10),
            pad(&d.hardship.to_string(), 10),
            pad(&d.services.to_string(), 10),
            format_fen(d.amount_fen)
        );
    }
}
