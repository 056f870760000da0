//! `export`, `verify`, `batches`, `import batch` and `conflicts`: argument handling and
//! printing around the batch layer.

use super::args::{
    BatchesArgs, Cli, ConflictsArgs, ExportArgs, ImportBatchArgs, ImportCmd, VerifyArgs,
};
use super::output::{pad, print_json};
use super::{CmdResult, Failure, db_path, open_store};
use crate::batch::BatchError;
use crate::batch::earlier::verify_in_context;
use crate::batch::export::{
    ExportOptions, ExportOutcome, ExportStep, Recovery, export as run_export,
};
use crate::batch::merge::{ImportOutcome, import_batches};
use crate::text::Lang;
use serde_json::json;
use std::io::IsTerminal;

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
        None => db_path(cli)?
            .parent()
            .map(|p| p.join("batches"))
            .unwrap_or_else(|| "batches".into()),
    };
    let options = ExportOptions {
        out_dir,
        zip: a.zip,
        csv: a.csv,
        xlsx: a.xlsx,
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
            let [workers, events, services] = summary.counts;
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh =>
                        format!("已导出：职工 {workers} 条，活动 {events} 条，服务 {services} 条"),
                    Lang::En =>
                        format!("exported: {workers} workers, {events} events, {services} services"),
                }
            );
            if a.timings {
                for (step, took) in &summary.timings {
                    eprintln!("  {:<16} {:>9.3} s", step, took.as_secs_f64());
                }
            }
            println!("{}", summary.path.display());
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
                        "批次校验通过：{}（职工 {}，活动 {}，服务 {}）",
                        a.path.display(),
                        counts[0],
                        counts[1],
                        counts[2]
                    ),
                    Lang::En => format!(
                        "batch is valid: {} ({} workers, {} events, {} services)",
                        a.path.display(),
                        counts[0],
                        counts[1],
                        counts[2]
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
    if a.json {
        let list: Vec<_> = rows
            .iter()
            .map(|b| {
                json!({
                    "uid": b.uid, "previous_batch_uid": b.previous_batch_uid,
                    "device_id": b.device_id, "created_at": b.created_at, "path": b.path,
                    "direction": b.direction, "status": b.status,
                    "workers": b.worker_count, "events": b.event_count,
                    "services": b.service_count, "chain_gap": gap(b),
                })
            })
            .collect();
        print_json(&list);
        return Ok(());
    }
    if rows.is_empty() {
        eprintln!("{}", lang.pick("还没有批次", "no batches yet"));
        return Ok(());
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
        println!(
            "{}  {}  {}  {}{:>7} {}{:>5} {}{:>8}  {}",
            &b.created_at[..b.created_at.len().min(19)],
            pad(direction, 6),
            pad(status, 12),
            lang.pick("职工", "W"),
            b.worker_count,
            lang.pick("活动", "E"),
            b.event_count,
            lang.pick("服务", "S"),
            b.service_count,
            b.path
        );
    }
    Ok(())
}

pub fn import(cli: &Cli, cmd: &ImportCmd) -> CmdResult {
    match cmd {
        ImportCmd::Batch(a) => import_batch(cli, a),
        ImportCmd::Roster(a) => super::roster_cmd::run(cli, a),
    }
}

fn import_batch(cli: &Cli, a: &ImportBatchArgs) -> CmdResult {
    let lang = cli.lang;
    let mut store = open_store(cli)?;
    let results = import_batches(&mut store, &a.paths).map_err(|e| fail(e, lang))?;
    let mut refused = 0;
    for (path, result) in results {
        match result {
            Ok(ImportOutcome::AlreadyHere { .. }) => println!(
                "{}",
                match lang {
                    Lang::Zh => format!("{}：该批次已导入过，未作任何改动", path.display()),
                    Lang::En => format!(
                        "{}: this batch was imported before; nothing changed",
                        path.display()
                    ),
                }
            ),
            Ok(ImportOutcome::Imported(s)) => {
                let [w, e, sv] = s.applied;
                let unchanged: u64 = s.unchanged.iter().sum();
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "{}：已导入 职工 {w}，活动 {e}，服务 {sv}；未变（本库已有同版或更新版本）{unchanged}；冲突 {}",
                            path.display(),
                            s.conflicts
                        ),
                        Lang::En => format!(
                            "{}: imported {w} workers, {e} events, {sv} services; unchanged (same or newer here) {unchanged}; conflicts {}",
                            path.display(),
                            s.conflicts
                        ),
                    }
                );
                if let Some(missing) = &s.chain_gap {
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!(
                                "  注意：该设备的前一批次 {missing} 尚未导入（批次链有缺口），请向该经办人索取"
                            ),
                            Lang::En => format!(
                                "  note: this laptop's previous batch {missing} has not been imported (gap in the chain); ask its officer for it"
                            ),
                        }
                    );
                }
                if s.conflicts > 0 {
                    println!(
                        "{}",
                        lang.pick(
                            "  冲突记录已保留，用 jingong conflicts 查看",
                            "  conflicting records were kept; list them with jingong conflicts"
                        )
                    );
                }
            }
            Err(e) => {
                refused += 1;
                eprintln!("{}", e.message(lang));
            }
        }
    }
    if refused > 0 {
        return Err(Failure::refused(match lang {
            Lang::Zh => format!("{refused} 个批次被拒收，未导入任何内容"),
            Lang::En => format!("{refused} batch(es) refused; nothing of them was imported"),
        }));
    }
    Ok(())
}

pub fn conflicts(cli: &Cli, a: &ConflictsArgs) -> CmdResult {
    let lang = cli.lang;
    let store = open_store(cli)?;
    let rows = store
        .open_conflicts()
        .map_err(|e| Failure::from_store(e, lang))?;
    if a.json {
        let list: Vec<_> = rows
            .iter()
            .map(|c| {
                json!({
                    "id": c.id, "detected_at": c.detected_at, "reason": c.reason,
                    "table": c.record_table, "id_number": c.id_number,
                    "kept_uid": c.kept_uid, "incoming_uid": c.incoming_uid,
                    "incoming_batch": c.incoming_batch,
                    "incoming": serde_json::from_str::<serde_json::Value>(&c.incoming_json)
                        .unwrap_or(serde_json::Value::Null),
                })
            })
            .collect();
        print_json(&list);
        return Ok(());
    }
    if rows.is_empty() {
        eprintln!("{}", lang.pick("没有待处理的冲突", "no open conflicts"));
        return Ok(());
    }
    for c in &rows {
        let reason = match c.reason.as_str() {
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
        println!(
            "#{}  {}  {}  {}  {}{}  {}{}  {}{}",
            c.id,
            &c.detected_at[..c.detected_at.len().min(19)],
            pad(reason, 24),
            c.record_table,
            lang.pick("身份证号 ", "ID "),
            crate::domain::mask_id_number(&c.id_number),
            lang.pick("保留 ", "kept "),
            c.kept_uid,
            lang.pick("来件 ", "incoming "),
            c.incoming_uid
        );
    }
    Ok(())
}
