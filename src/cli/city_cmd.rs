//! `jingong city …`: the city side's commands (built with the `city` feature): argument
//! handling and printing around `crate::city`.

use super::args::Cli;
use super::city_watch::{every_seconds, watch_inbox};
use super::output::{pad, print_json, shown};
use super::{CmdResult, Failure};
use crate::city::ingest::{Outcome, Report, inbox_entries, ingest};
use crate::city::{self, CityError, receipts, schema, stats, status};
use crate::text::Lang;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum CityCmd {
    /// Create or upgrade the city database's tables
    Init(PgArgs),
    /// Verify batches and apply them, one transaction each, in each laptop's chain order
    Ingest(IngestArgs),
    /// Devices, their last batch, held batches and gaps
    Status(StatusArgs),
    /// Figures for a period over every laptop, each person counted once
    Stats(CityStatsArgs),
    /// Make the city's Ed25519 signing key for receipts; prints the public key for laptops
    Keygen(KeygenArgs),
}

#[derive(Debug, Args)]
pub struct CityStatsArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// First day of the period, YYYY-MM-DD (default: 1 January of this year)
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period, YYYY-MM-DD (default: 31 December of this year)
    #[arg(long)]
    pub to: Option<String>,
    /// Only workers whose workplace is in this Tianjin district (code, e.g. 120101)
    #[arg(long)]
    pub district: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The private key file to create (owner-only; never overwritten)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct PgArgs {
    /// PostgreSQL connection: `host=… user=… dbname=…` or `postgresql://…`
    #[arg(long, env = "JINGONG_PG", hide_env_values = true)]
    pub pg: Option<String>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    /// Batch folders or zips
    #[arg(required_unless_present = "inbox")]
    pub paths: Vec<PathBuf>,
    /// Ingest every batch folder or zip found in this folder
    #[arg(long, conflicts_with = "paths")]
    pub inbox: Option<PathBuf>,
    /// Write a signed receipt-<batch_uid>.json for every batch into this folder
    #[arg(long, value_name = "DIR", requires = "key")]
    pub receipts: Option<PathBuf>,
    /// The signing key made by `city keygen`
    #[arg(long, value_name = "FILE", requires = "receipts")]
    pub key: Option<PathBuf>,
    /// Keep running: ingest each batch copied into the inbox once it is complete, until
    /// SIGTERM or Ctrl-C
    #[arg(long, requires = "inbox", conflicts_with = "json")]
    pub watch: bool,
    /// With --watch: seconds between looks at the inbox, 1 to 3600 (default 10)
    #[arg(long, value_name = "SECONDS", requires = "watch")]
    pub every: Option<String>,
    /// The city's age identity file that opens sealed batches (`.zip.age`)
    #[arg(long, value_name = "FILE", env = "JINGONG_IDENTITY")]
    pub identity: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub pg: PgArgs,
    #[arg(long)]
    pub json: bool,
}

pub fn run(cli: &Cli, cmd: &CityCmd) -> CmdResult {
    let lang = cli.lang;
    match cmd {
        CityCmd::Init(pg) => {
            let mut client = connect(pg, lang)?;
            let applied = schema::migrate(&mut client).map_err(|e| fail(e, lang))?;
            if applied.is_empty() {
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("市级数据库已是最新结构（第 {} 版）", schema::LATEST),
                        Lang::En => format!(
                            "the city database is up to date (schema {})",
                            schema::LATEST
                        ),
                    }
                );
            } else {
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("市级数据库已升级到第 {} 版", schema::LATEST),
                        Lang::En => format!("the city database is at schema {}", schema::LATEST),
                    }
                );
            }
            Ok(())
        }
        CityCmd::Ingest(args) => ingest_cmd(args, lang),
        CityCmd::Status(args) => status_cmd(args, lang),
        CityCmd::Stats(args) => stats_cmd(args, lang),
        CityCmd::Keygen(args) => {
            let public = receipts::keygen(&args.out).map_err(|e| fail(e, lang))?;
            println!("{public}");
            eprintln!(
                "{}",
                lang.pick(
                    "私钥已写入（仅本人可读，请妥善保管）；上面是公钥：在每台笔记本上运行 jingong officer set --city-key <公钥>",
                    "private key written (owner-only; keep it safe); above is the public key: on every laptop run `jingong officer set --city-key <KEY>`",
                )
            );
            Ok(())
        }
    }
}

pub(super) fn fail(e: CityError, lang: Lang) -> Failure {
    Failure::refused(e.message(lang))
}

fn connect(pg: &PgArgs, lang: Lang) -> Result<postgres::Client, Failure> {
    let conninfo = pg
        .pg
        .as_deref()
        .ok_or_else(|| Failure::invalid(CityError::NoConnection.message(lang)))?;
    city::connect(conninfo).map_err(|e| fail(e, lang))
}

/// Connects and checks the schema is the one this program writes.
fn connect_checked(pg: &PgArgs, lang: Lang) -> Result<postgres::Client, Failure> {
    let mut client = connect(pg, lang)?;
    schema::check(&mut client).map_err(|e| fail(e, lang))?;
    Ok(client)
}

fn ingest_cmd(args: &IngestArgs, lang: Lang) -> CmdResult {
    // Checked before connecting: a wrong option changes nothing and needs no database.
    let every = match (&args.inbox, args.watch) {
        (Some(dir), true) => Some((dir, every_seconds(args.every.as_deref(), lang)?)),
        (None, true) => {
            return Err(Failure::invalid(lang.pick(
                "--watch：只能与 --inbox 收件夹一起使用，不能用于单个批次路径",
                "--watch: watches an inbox; give --inbox DIR instead of batch paths",
            )));
        }
        _ => None,
    };
    // Sealed batches open with the city's identity, read once before any batch.
    super::seal_cmd::use_identity(args.identity.as_deref(), lang)?;
    let mut client = connect_checked(&args.pg, lang)?;
    // The key is read before any batch: a missing key must not leave batches without receipts.
    let key = match &args.key {
        Some(path) => Some(receipts::load_key(path).map_err(|e| fail(e, lang))?),
        None => None,
    };
    let answer = Answer {
        key: key.as_ref(),
        receipts: args.receipts.as_deref(),
    };
    if let Some((dir, every)) = every {
        return watch_inbox(&mut client, dir, every, &answer, lang);
    }
    let paths = match &args.inbox {
        Some(dir) => inbox_entries(dir).map_err(|e| fail(e, lang))?,
        None => args.paths.clone(),
    };
    let reports = ingest_and_answer(&mut client, &paths, &answer, lang)?;
    if args.json {
        let list: Vec<serde_json::Value> = reports.iter().map(report_json).collect();
        print_json(&list);
    } else {
        for report in &reports {
            for line in report_lines(report, lang) {
                println!("{}", shown(&line));
            }
        }
    }
    let refused = reports.iter().any(|r| {
        matches!(
            r.outcome,
            Outcome::Refused { .. } | Outcome::Unreadable { .. }
        )
    });
    if refused {
        return Err(Failure::refused(lang.pick(
            "有批次被拒收（见上）；其余批次已处理",
            "some batches were refused (above); the others were processed",
        )));
    }
    Ok(())
}

/// Where the signed receipts go, when asked for.
pub(super) struct Answer<'a> {
    pub(super) key: Option<&'a ed25519_dalek::SigningKey>,
    pub(super) receipts: Option<&'a std::path::Path>,
}

/// Ingests the batches and writes a receipt for each one that settled.
pub(super) fn ingest_and_answer(
    client: &mut postgres::Client,
    paths: &[PathBuf],
    answer: &Answer,
    lang: Lang,
) -> Result<Vec<Report>, Failure> {
    let today = crate::store::Clock::from_env().today();
    let reports = ingest(client, paths, today).map_err(|e| fail(e, lang))?;
    if let (Some(key), Some(dir)) = (answer.key, answer.receipts) {
        std::fs::create_dir_all(dir).map_err(|e| {
            fail(
                CityError::Io {
                    path: dir.to_path_buf(),
                    source: e,
                },
                lang,
            )
        })?;
        for uid in reports.iter().filter_map(|r| r.outcome.batch_uid()) {
            receipts::issue(client, uid, key, dir).map_err(|e| fail(e, lang))?;
        }
    }
    Ok(reports)
}

fn report_json(r: &Report) -> serde_json::Value {
    let path = r.path.display().to_string();
    match &r.outcome {
        Outcome::Applied {
            batch_uid,
            device_id,
            tally,
        } => json!({
            "path": path, "outcome": "applied", "batch_uid": batch_uid, "device_id": device_id,
            "released": r.released, "applied": tally.applied, "unchanged": tally.unchanged,
            "conflicts": tally.conflicts, "erased": tally.erased,
        }),
        Outcome::Held {
            batch_uid,
            device_id,
            waiting_for,
        } => json!({
            "path": path, "outcome": "held", "batch_uid": batch_uid, "device_id": device_id,
            "waiting_for": waiting_for,
        }),
        Outcome::Refused {
            batch_uid,
            device_id,
            problems,
        } => json!({
            "path": path, "outcome": "refused", "batch_uid": batch_uid, "device_id": device_id,
            "released": r.released,
            "problems": problems.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>(),
        }),
        Outcome::Duplicate {
            batch_uid,
            device_id,
        } => json!({
            "path": path, "outcome": "duplicate", "batch_uid": batch_uid, "device_id": device_id,
        }),
        Outcome::Unreadable { en, .. } => json!({
            "path": path, "outcome": "unreadable", "problems": [en],
        }),
    }
}

/// Erasure lines that erased something (counted among the applied records too).
fn erased_note(erased: i64, lang: Lang) -> String {
    match (erased, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => format!("；其中删除个人信息 {n}"),
        (n, Lang::En) => format!("; of which erasures {n}"),
    }
}

fn report_lines(r: &Report, lang: Lang) -> Vec<String> {
    let path = r.path.display();
    let released = if r.released {
        lang.pick(
            "（等到前一批后自动处理）",
            " (released: its previous batch arrived)",
        )
    } else {
        ""
    };
    match (&r.outcome, lang) {
        (Outcome::Applied { tally, .. }, Lang::Zh) => {
            let [w, e, s, needs, claims] = tally.applied;
            let unchanged: i64 = tally.unchanged.iter().sum();
            vec![format!(
                "{path}：已入库{released} 职工 {w}，活动 {e}，服务 {s}，诉求 {needs}，互助保障申请 {claims}；未变 {unchanged}；冲突 {}{}",
                tally.conflicts,
                erased_note(tally.erased, lang)
            )]
        }
        (Outcome::Applied { tally, .. }, Lang::En) => {
            let [w, e, s, needs, claims] = tally.applied;
            let unchanged: i64 = tally.unchanged.iter().sum();
            vec![format!(
                "{path}: applied{released} {w} workers, {e} events, {s} services, {needs} needs, {claims} claims; unchanged {unchanged}; conflicts {}{}",
                tally.conflicts,
                erased_note(tally.erased, lang)
            )]
        }
        (Outcome::Held { waiting_for, .. }, Lang::Zh) => {
            vec![format!("{path}：暂存，等待前一批 {waiting_for}")]
        }
        (Outcome::Held { waiting_for, .. }, Lang::En) => {
            vec![format!("{path}: held, waiting for {waiting_for}")]
        }
        (Outcome::Duplicate { .. }, Lang::Zh) => {
            vec![format!("{path}：该批次已收到过，未作任何改动")]
        }
        (Outcome::Duplicate { .. }, Lang::En) => {
            vec![format!("{path}: received before; nothing changed")]
        }
        (Outcome::Refused { problems, .. }, _) => {
            let mut lines = vec![match lang {
                Lang::Zh => format!(
                    "{path}：整批拒收{released}，共 {} 个问题，未写入任何记录：",
                    problems.len()
                ),
                Lang::En => format!(
                    "{path}: refused whole{released} with {} problem(s); nothing applied:",
                    problems.len()
                ),
            }];
            lines.extend(
                problems
                    .iter()
                    .take(50)
                    .map(|p| format!("  {}", p.message(lang))),
            );
            lines
        }
        (Outcome::Unreadable { zh, en }, _) => vec![lang.pick(zh, en).to_string()],
    }
}

fn status_cmd(args: &StatusArgs, lang: Lang) -> CmdResult {
    let mut client = connect_checked(&args.pg, lang)?;
    let devices = status::devices(&mut client).map_err(|e| fail(e, lang))?;
    if args.json {
        let list: Vec<serde_json::Value> = devices
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(d).expect("plain values serialise");
                v["gaps"] = json!(d.gaps());
                v
            })
            .collect();
        print_json(&list);
        return Ok(());
    }
    if devices.is_empty() {
        println!("{}", lang.pick("尚未收到任何批次", "no batch received yet"));
        return Ok(());
    }
    println!(
        "{}{}{}{}{}{}",
        pad(lang.pick("设备", "device"), 38),
        pad(lang.pick("区", "district"), 10),
        pad(lang.pick("已入库", "applied"), 9),
        pad(lang.pick("拒收", "refused"), 9),
        pad(lang.pick("暂存", "held"), 6),
        lang.pick("最后一批", "last batch"),
    );
    for d in &devices {
        println!(
            "{}{}{}{}{}{}",
            pad(&d.device_id, 38),
            pad(&d.district_code, 10),
            pad(&d.batches_applied.to_string(), 9),
            pad(&d.batches_refused.to_string(), 9),
            pad(&d.held.len().to_string(), 6),
            shown(d.last_batch_uid.as_deref().unwrap_or("-")),
        );
        for gap in d.gaps() {
            println!(
                "  {}",
                match lang {
                    Lang::Zh => format!("缺批次 {gap}：请该设备补发"),
                    Lang::En =>
                        format!("gap: batch {gap} never arrived; ask the device to send it"),
                }
            );
        }
    }
    Ok(())
}

fn stats_cmd(args: &CityStatsArgs, lang: Lang) -> CmdResult {
    use chrono::Datelike;
    let today = crate::store::Clock::from_env().today();
    let date = |option: &str, raw: &Option<String>, default: NaiveDate| match raw {
        None => Ok(default),
        Some(raw) => NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
            Failure::invalid(format!(
                "{option}: {}“{}”",
                lang.pick(
                    "日期应为 YYYY-MM-DD 格式，例如 2026-01-31，收到 ",
                    "a date must look like YYYY-MM-DD, e.g. 2026-01-31; got "
                ),
                shown(raw)
            ))
        }),
    };
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let year_end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
    let from = date("--from", &args.from, year_start)?;
    let to = date("--to", &args.to, year_end)?;
    if from > to {
        return Err(Failure::invalid(
            lang.pick("--from 不能晚于 --to", "--from must not be after --to"),
        ));
    }
    if let Some(d) = &args.district
        && (d.len() != 6 || !d.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Failure::invalid(match lang {
            Lang::Zh => format!("--district：区代码应为 6 位数字，收到“{}”", shown(d)),
            Lang::En => format!(
                "--district: a district code is 6 digits; got “{}”",
                shown(d)
            ),
        }));
    }
    let mut client = connect_checked(&args.pg, lang)?;
    let s = stats::compute(&mut client, from, to, args.district.as_deref(), today)
        .map_err(|e| fail(e, lang))?;
    if args.json {
        print_json(&s);
        return Ok(());
    }
    super::city_stats::print_tables(&s, lang);
    Ok(())
}
