//! `export`, `verify`, `batches`, `import batch` and `conflicts`: argument handling and
//! printing around the batch layer.

use super::args::{
    BatchesArgs, Cli, ConflictsAction, ConflictsArgs, ExportArgs, ImportBatchArgs, ImportCmd,
    VerifyArgs,
};
use super::output::{pad, print_json, shown, shown_id, shown_phone};
use super::{CmdResult, Failure, db_path, open_store};
use crate::batch::BatchError;
use crate::batch::earlier::verify_in_context;
use crate::batch::export::{
    ExportOptions, ExportOutcome, ExportStep, Recovery, export as run_export,
};
use crate::batch::merge::{import_batches, outcome_lines, refused_line};
use crate::batch::person::field_label;
use crate::batch::receipt_import::{RECEIPT_DAYS, late_without_receipt};
use crate::batch::resolve::{ResolveRefusal, resolve_conflict};
use crate::store::batch_queries::ConflictRow;
use crate::text::Lang;
use serde_json::json;
use std::io::{IsTerminal, Write};

fn fail(e: BatchError, lang: Lang) -> Failure {
    match e {
        BatchError::Store(e) => Failure::from_store(e, lang),
        e => Failure::refused(e.message(lang)),
    }
}

fn print_recoveries(recovered: &[Recovery], lang: Lang) {
    for note in recovered {
        let line = match (note, lang) {
            (Recovery::Completed { path }, Lang::Zh) => {
                format!("上次中断的导出已完成并核对无误：{}", path.display())
            }
            (Recovery::Completed { path }, Lang::En) => {
                format!(
                    "an interrupted export was complete and verified: {}",
                    path.display()
                )
            }
            (Recovery::Discarded { path }, Lang::Zh) => format!(
                "上次中断的导出未完成，已作废（其记录并入本次批次）：{}",
                path.display()
            ),
            (Recovery::Discarded { path }, Lang::En) => format!(
                "an interrupted export never finished and was discarded (its records go into this batch): {}",
                path.display()
            ),
            (Recovery::RemovedLeftover { path }, Lang::Zh) => {
                format!("已清除中断导出的临时文件：{}", path.display())
            }
            (Recovery::RemovedLeftover { path }, Lang::En) => {
                format!(
                    "removed the temporary files of an interrupted export: {}",
                    path.display()
                )
            }
        };
        eprintln!("{line}");
    }
}

pub fn export(cli: &Cli, a: &ExportArgs) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let out_dir = match &a.out {
        Some(dir) => dir.clone(),
        None => crate::session::batches_dir(&db_path(cli)?),
    };
    let options = ExportOptions {
        out_dir,
        zip: a.zip,
        csv: a.csv,
        xlsx: a.xlsx,
        reveal_health: a.reveal,
        seal_to: super::seal_cmd::export_recipients(&store, a, lang)?,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} {per_sec} {eta}")
                .expect("static template"),
        );
        bar
    });
    let mut progress = |step: ExportStep| {
        let Some(bar) = &bar else { return };
        match step {
            ExportStep::Records { done, total } => {
                bar.set_length(total);
                bar.set_position(done);
            }
            ExportStep::ReviewCopies => bar.set_message(lang.pick("审阅副本", "review copies")),
            ExportStep::Packing => bar.set_message(lang.pick("压缩", "packing")),
            ExportStep::Marking => bar.set_message(lang.pick("标记已导出", "marking")),
        }
    };
    let outcome = run_export(&mut store, &options, &mut progress).map_err(|e| fail(e, lang));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match outcome? {
        ExportOutcome::NothingNew { recovered } => {
            print_recoveries(&recovered, lang);
            eprintln!(
                "{}",
                lang.pick(
                    "没有新的记录需要导出，未写入任何文件",
                    "nothing new to export; no files written"
                )
            );
        }
        ExportOutcome::Written { summary, recovered } => {
            print_recoveries(&recovered, lang);
            let [workers, events, services, needs, claims] = summary.counts;
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "已导出：职工 {workers} 条，活动 {events} 条，服务 {services} 条，诉求 {needs} 条，互助保障申请 {claims} 条"
                    ),
                    Lang::En => format!(
                        "exported: {workers} workers, {events} events, {services} services, {needs} needs, {claims} claims"
                    ),
                }
            );
            if a.timings {
                for (step, took) in &summary.timings {
                    eprintln!("  {:<16} {:>9.3} s", step, took.as_secs_f64());
                }
            }
            println!("{}", summary.path.display());
            super::backup_cmd::after_export(&mut store, lang);
        }
    }
    Ok(())
}

pub fn verify(cli: &Cli, a: &VerifyArgs) -> CmdResult {
    let lang = cli.lang;
    // The database resolves references only when named (--db or JINGONG_DB): verifying a
    // batch must not depend on whichever database happens to be the default.
    let store = match &cli.db {
        Some(path) if path.exists() => Some(super::open_reader(path, lang)?),
        _ => None,
    };
    super::seal_cmd::use_identity(a.identity.as_deref(), lang)?;
    let today = crate::store::Clock::from_env().today();
    let report = verify_in_context(&a.path, store.as_ref(), today).map_err(|e| fail(e, lang))?;
    let counts = report.tallies.map(|t| t.count);
    if a.json {
        let problems: Vec<_> = report
            .problems
            .iter()
            .map(|p| json!({"file": p.file, "line": p.line, "message": p.what(lang)}))
            .collect();
        print_json(&json!({
            "valid": report.is_valid(),
            "batch_uid": report.manifest.as_ref().map(|m| m.batch_uid.clone()),
            "workers": counts[0], "events": counts[1], "services": counts[2],
            "needs": counts[3], "claims": counts[4],
            "references_resolved_outside": report.resolved_outside,
            "problems": problems,
            "problems_not_listed": report.problems.not_listed,
        }));
    } else {
        for p in &report.problems {
            println!("{}", p.message(lang));
        }
        if let Some(more) = report.problems.more_line(lang) {
            println!("{more}");
        }
    }
    if report.is_valid() {
        if !a.json {
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "批次校验通过：{}（职工 {}，活动 {}，服务 {}，诉求 {}，互助保障申请 {}）",
                        a.path.display(),
                        counts[0],
                        counts[1],
                        counts[2],
                        counts[3],
                        counts[4]
                    ),
                    Lang::En => format!(
                        "batch is valid: {} ({} workers, {} events, {} services, {} needs, {} claims)",
                        a.path.display(),
                        counts[0],
                        counts[1],
                        counts[2],
                        counts[3],
                        counts[4]
                    ),
                }
            );
        }
        Ok(())
    } else {
        Err(Failure::refused(match lang {
            Lang::Zh => format!(
                "批次校验未通过：{}，共 {} 个问题",
                a.path.display(),
                report.problems.len()
            ),
            Lang::En => format!(
                "the batch is not valid: {}, {} problem(s)",
                a.path.display(),
                report.problems.len()
            ),
        }))
    }
}

pub fn batches(cli: &Cli, a: &BatchesArgs) -> CmdResult {
    let lang = cli.lang;
    let store = open_store(cli)?;
    let rows = store.batches().map_err(|e| Failure::from_store(e, lang))?;
    let known: std::collections::HashSet<&str> = rows.iter().map(|b| b.uid.as_str()).collect();
    let gap = |b: &crate::store::batch_queries::BatchRow| {
        b.previous_batch_uid
            .as_deref()
            .is_some_and(|p| !known.contains(p))
    };
    // The city's receipt, per batch (batches are few: one lookup each).
    let receipt = |b: &crate::store::batch_queries::BatchRow| {
        store
            .batch_receipt(&b.uid)
            .map_err(|e| Failure::from_store(e, lang))
    };
    if a.json {
        let mut list = Vec::with_capacity(rows.len());
        for b in &rows {
            let receipt = receipt(b)?;
            let reasons: serde_json::Value = receipt
                .as_ref()
                .and_then(|r| serde_json::from_str(&r.reasons).ok())
                .unwrap_or_else(|| json!([]));
            list.push(json!({
                "uid": b.uid, "previous_batch_uid": b.previous_batch_uid,
                "device_id": b.device_id, "created_at": b.created_at, "path": b.path,
                "direction": b.direction, "status": b.status,
                "workers": b.worker_count, "events": b.event_count,
                "services": b.service_count, "chain_gap": gap(b),
                "receipt": receipt.as_ref().map(|r| r.status.clone()),
                "receipt_reasons": reasons,
                "returned_records": returned_json(&store, b, a.reveal, lang)?,
            }));
        }
        print_json(&list);
        return Ok(());
    }
    if rows.is_empty() {
        eprintln!("{}", lang.pick("还没有批次", "no batches yet"));
        return Ok(());
    }
    let receipts = store
        .receipt_summaries()
        .map_err(|e| Failure::from_store(e, lang))?;
    let late = late_without_receipt(&rows, &receipts, store.clock().today());
    if late > 0 {
        eprintln!(
            "{}",
            match lang {
                Lang::Zh =>
                    format!("注意：{late} 个批次导出已超过 {RECEIPT_DAYS} 天，仍未收到市总工会回执"),
                Lang::En => format!(
                    "note: {late} batch(es) exported more than {RECEIPT_DAYS} days ago have no receipt from the city"
                ),
            }
        );
    }
    for b in &rows {
        let direction = match b.direction.as_str() {
            "exported" => lang.pick("导出", "export"),
            _ => lang.pick("导入", "import"),
        };
        let status = match (b.status.as_str(), gap(b)) {
            ("writing", _) => lang.pick(
                "中断（下次导出时处理）",
                "interrupted (settled at next export)",
            ),
            (_, true) => lang.pick("完成，缺前一批", "complete, previous batch missing"),
            _ => lang.pick("完成", "complete"),
        };
        let status = match receipt(b)?.map(|r| r.status) {
            Some(r) if r == "received" => format!("{status} · {}", lang.pick("已接收", "received")),
            Some(r) if r == "returned" => format!("{status} · {}", lang.pick("被退回", "returned")),
            Some(_) => format!("{status} · {}", lang.pick("市里暂存", "held at the city")),
            None => status.to_string(),
        };
        println!(
            "{}  {}  {}  {}{:>7} {}{:>5} {}{:>8}  {}",
            &b.created_at[..b.created_at.len().min(19)],
            pad(direction, 6),
            pad(&status, 12),
            lang.pick("职工", "W"),
            b.worker_count,
            lang.pick("活动", "E"),
            b.event_count,
            lang.pick("服务", "S"),
            b.service_count,
            b.path
        );
        print_returned(&store, b, a.reveal, lang)?;
    }
    Ok(())
}

/// At most this many returned records are listed per batch (a receipt lists at most 1000).
const RETURNED_SHOWN: usize = 1000;

fn returned_rows(
    store: &crate::store::Store,
    b: &crate::store::batch_queries::BatchRow,
    lang: Lang,
) -> Result<Vec<crate::store::receipts::ReturnedRecordRow>, Failure> {
    if b.direction != "exported" {
        return Ok(Vec::new());
    }
    store
        .returned_records(&b.uid, RETURNED_SHOWN)
        .map_err(|e| Failure::from_store(e, lang))
}

fn returned_json(
    store: &crate::store::Store,
    b: &crate::store::batch_queries::BatchRow,
    reveal: bool,
    lang: Lang,
) -> Result<Vec<serde_json::Value>, Failure> {
    Ok(returned_rows(store, b, lang)?
        .iter()
        .map(|r| {
            json!({
                "table": r.table, "uid": r.uid, "name": r.name,
                "id_number": if r.id_number.is_empty() { String::new() } else { shown_id(&r.id_number, reveal) },
                "reason_zh": masked_reason(&r.reason_zh, reveal),
                "reason_en": masked_reason(&r.reason_en, reveal),
                "to_correct": r.open,
            })
        })
        .collect())
}

/// Under a returned batch: each refused record, whose it is (ID number masked) and why.
fn print_returned(
    store: &crate::store::Store,
    b: &crate::store::batch_queries::BatchRow,
    reveal: bool,
    lang: Lang,
) -> CmdResult {
    for r in returned_rows(store, b, lang)? {
        let kind = match r.table.as_str() {
            "worker" => lang.pick("职工", "worker"),
            "event" => lang.pick("活动", "event"),
            _ => lang.pick("服务", "service"),
        };
        let id = if r.id_number.is_empty() {
            String::new()
        } else {
            format!(" {}", shown_id(&r.id_number, reveal))
        };
        let state = if r.open {
            lang.pick(
                "待更正，下次导出重发",
                "to correct, goes again in the next export",
            )
        } else {
            lang.pick("已重新导出", "exported again")
        };
        let reason = masked_reason(lang.pick(&r.reason_zh, &r.reason_en), reveal);
        println!(
            "{}",
            shown(&format!("    {kind} {}{id}: {reason} ({state})", r.name))
        );
    }
    Ok(())
}

fn masked_reason(text: &str, reveal: bool) -> String {
    if reveal {
        text.to_string()
    } else {
        crate::receipt::masked_reason(text)
    }
}

pub fn import(cli: &Cli, cmd: &ImportCmd) -> CmdResult {
    match cmd {
        ImportCmd::Batch(a) => import_batch(cli, a),
        ImportCmd::Roster(a) => super::roster_cmd::run(cli, a),
        ImportCmd::Receipt(a) => super::receipt_cmd::run(cli, a),
    }
}

fn import_batch(cli: &Cli, a: &ImportBatchArgs) -> CmdResult {
    let lang = cli.lang;
    super::seal_cmd::use_identity(a.identity.as_deref(), lang)?;
    let mut store = open_store(cli)?;
    let results = import_batches(&mut store, &a.paths).map_err(|e| fail(e, lang))?;
    let mut refused = 0;
    for (path, result) in results {
        let lines = outcome_lines(&path, &result, lang);
        if result.is_err() {
            refused += 1;
            eprintln!("{}", lines.join("\n"));
        } else {
            println!("{}", lines.join("\n"));
        }
    }
    if refused > 0 {
        return Err(Failure::refused(refused_line(refused, lang)));
    }
    Ok(())
}

pub fn conflicts(cli: &Cli, a: &ConflictsArgs) -> CmdResult {
    if let Some(ConflictsAction::Resolve { id, keep }) = &a.action {
        return resolve(cli, *id, keep);
    }
    let lang = cli.lang;
    let store = open_store(cli)?;
    let fail_store = |e| Failure::from_store(e, lang);
    // A page at a time, printed as it is read (the JSON array too): a district office may
    // hold many.
    const PAGE: i64 = 500;
    let mut after = 0;
    let mut printed = 0usize;
    let mut out = std::io::stdout().lock();
    let written = |e: std::io::Error| Failure::refused(e.to_string());
    loop {
        let rows = store
            .conflicts_page(a.all, after, PAGE)
            .map_err(fail_store)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for c in &rows {
            if a.json {
                let item = serde_json::to_string_pretty(&conflict_json(c, a.reveal))
                    .expect("values built here serialise");
                let lead = if printed == 0 { "[\n" } else { ",\n" };
                write!(out, "{lead}{item}").map_err(written)?;
            } else {
                // The lock is reentrant: println! inside takes it again on this thread.
                print_conflict(c, a.reveal, lang);
            }
            printed += 1;
        }
    }
    if a.json {
        writeln!(out, "{}", if printed == 0 { "[]" } else { "\n]" }).map_err(written)?;
    } else if printed == 0 {
        eprintln!("{}", lang.pick("没有待处理的冲突", "no open conflicts"));
    }
    Ok(())
}

/// The record a conflict holds, with the ID number and phone masked unless revealed.
fn masked_record(json: &str, reveal: bool) -> serde_json::Value {
    let mut value = serde_json::from_str::<serde_json::Value>(json).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        if let Some(serde_json::Value::String(id)) = map.get_mut("id_number") {
            *id = shown_id(id, reveal);
        }
        if let Some(serde_json::Value::String(phone)) = map.get_mut("phone") {
            *phone = shown_phone(phone, reveal);
        }
    }
    value
}

fn conflict_json(c: &ConflictRow, reveal: bool) -> serde_json::Value {
    let fields: Vec<&str> = c.fields.split(',').filter(|f| !f.is_empty()).collect();
    json!({
        "id": c.id, "detected_at": c.detected_at, "reason": c.reason,
        "table": c.record_table, "id_number": shown_id(&c.id_number, reveal),
        "kept_uid": c.kept_uid, "incoming_uid": c.incoming_uid,
        "incoming_batch": c.incoming_batch, "fields": fields,
        "incoming": masked_record(&c.incoming_json, reveal),
        "resolved_at": c.resolved_at,
    })
}

fn print_conflict(c: &ConflictRow, reveal: bool, lang: Lang) {
    let reason = match c.reason.as_str() {
        "same_person" => lang.pick("同一人在两台电脑登记", "one person on two laptops"),
        "id_number" => lang.pick("同一身份证号对应两名职工", "one ID number, two workers"),
        "diverged" => lang.pick(
            "同一记录同一版本内容不同",
            "same record and version, different content",
        ),
        "local_edit" => lang.pick(
            "本机修改未导出，来件版本更高",
            "unexported local edit, newer copy came",
        ),
        _ => lang.pick("所属职工在冲突中", "its worker is in a conflict"),
    };
    let fields: Vec<&str> = c
        .fields
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| field_label(f, lang))
        .collect();
    println!(
        "#{}  {}  {}  {}  {}{}  {}{}  {}{}{}{}",
        c.id,
        &c.detected_at[..c.detected_at.len().min(19)],
        pad(reason, 24),
        c.record_table,
        lang.pick("身份证号 ", "ID "),
        shown_id(&c.id_number, reveal),
        lang.pick("保留 ", "kept "),
        c.kept_uid,
        lang.pick("来件 ", "incoming "),
        c.incoming_uid,
        if fields.is_empty() {
            String::new()
        } else {
            format!(
                "  {}{}",
                lang.pick("不同：", "differ: "),
                fields.join(lang.pick("、", ", "))
            )
        },
        match &c.resolved_at {
            Some(at) => format!(
                "  {}{}",
                lang.pick("已解决 ", "resolved "),
                &at[..at.len().min(19)]
            ),
            None => String::new(),
        }
    );
}

fn resolve(cli: &Cli, id: i64, keep: &str) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    match resolve_conflict(&mut store, id, keep).map_err(|e| fail(e, lang))? {
        Ok(done) => {
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "冲突 #{} 已解决：保留 {}，记为第 {} 版，下次导出时发送",
                        done.conflict_id, done.kept_uid, done.version
                    ),
                    Lang::En => format!(
                        "conflict #{} resolved: kept {} as version {}, sent with the next export",
                        done.conflict_id, done.kept_uid, done.version
                    ),
                }
            );
            Ok(())
        }
        Err(refusal) => Err(Failure::refused(match (refusal, lang) {
            (ResolveRefusal::NoSuchConflict(id), Lang::Zh) => format!("没有编号为 #{id} 的冲突"),
            (ResolveRefusal::NoSuchConflict(id), Lang::En) => format!("no conflict #{id}"),
            (ResolveRefusal::AlreadyResolved(id), Lang::Zh) => {
                format!("冲突 #{id} 已经解决过，未作更改")
            }
            (ResolveRefusal::AlreadyResolved(id), Lang::En) => {
                format!("conflict #{id} is already resolved; nothing changed")
            }
            (ResolveRefusal::NotASide { keep, sides }, Lang::Zh) => format!(
                "--keep：{keep} 不是这条冲突的任何一方；可填 {} 或 {}",
                sides[0], sides[1]
            ),
            (ResolveRefusal::NotASide { keep, sides }, Lang::En) => format!(
                "--keep: {keep} is neither side of this conflict; choose {} or {}",
                sides[0], sides[1]
            ),
            (ResolveRefusal::NotHere { reason }, Lang::Zh) => {
                format!("这类冲突（{reason}）不能在此解决：请在原电脑上修改该记录后重新导出")
            }
            (ResolveRefusal::NotHere { reason }, Lang::En) => format!(
                "a conflict of this kind ({reason}) cannot be resolved here: correct the record on its laptop and export again"
            ),
        })),
    }
}
