//! `jingong import roster`: read a roster file, import it in one transaction, print a summary
//! and write the refused rows next to the input.
//!
//! Registered workers are never renamed or overwritten silently: an empty cell keeps the stored
//! value, another name for a registered ID number refuses the row (naming the registered name)
//! unless `--accept-renames`, and every change is listed per worker, field by field, old -> new
//! (masked unless `--reveal`). The terminal shows the first `CHANGES_SHOWN` workers and counts
//! the rest; the full list goes to `<FILE>.changes.csv` (or `--changes FILE`), one line per
//! field. A dry run writes no file unless one is named, so it stays a preview.
//!
//! Exit 0 when the import ran, even if some rows were refused (the summary counts them and the
//! rejects file lists them: bad rows never stop the good ones). Exit 1 when it could not run
//! (unreadable file, unknown event, no officer). Exit 2 for bad usage or a file that is not a
//! roster (missing required columns, no such sheet).

use super::args::{Cli, ImportRosterArgs};
use super::{CmdResult, Failure, open_store};
use crate::batch::roster::{
    RosterSource, default_changes_path, default_rejects_path, read_roster, write_changes,
    write_rejects,
};
use crate::domain::Field;
use crate::store::roster_import::{AcceptRenames, ImportOptions, ImportSummary};
use crate::text::Lang;
use std::io::IsTerminal;

/// Reasons printed on screen; the rest are in the rejects file.
const REASONS_SHOWN: usize = 10;

/// Changed workers printed on screen; the rest are in the changes file.
const CHANGES_SHOWN: usize = 20;

pub fn run(cli: &Cli, a: &ImportRosterArgs) -> CmdResult {
    let lang = cli.lang;
    let roster = read_roster(&a.file, a.sheet.as_deref()).map_err(|e| {
        if e.is_invalid_input() {
            Failure::invalid(e.message(lang))
        } else {
            Failure::refused(e.message(lang))
        }
    })?;
    if a.sheet.is_some() && !matches!(roster.source, RosterSource::Workbook { .. }) {
        return Err(Failure::invalid(lang.pick(
            "--sheet 只适用于 XLSX 工作簿，该文件是 CSV",
            "--sheet only applies to XLSX workbooks; this file is CSV",
        )));
    }
    let entries = roster.entries();
    let mut store = open_store(cli)?;

    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(entries.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {eta}")
                .expect("static template"),
        );
        bar
    });
    let started = std::time::Instant::now();
    let summary = store
        .import_roster(
            &entries,
            &ImportOptions {
                event_uid: a.event.clone(),
                dry_run: a.dry_run,
                accept_renames: if a.accept_renames {
                    AcceptRenames::All
                } else {
                    AcceptRenames::No
                },
            },
            &mut |p| {
                if let Some(bar) = &bar {
                    bar.set_position(p.done as u64);
                }
            },
        )
        .map_err(|e| Failure::from_store(e, lang))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let changes_path = match (&a.changes, a.dry_run) {
        (Some(path), _) => Some(path.clone()),
        (None, false) => Some(default_changes_path(&a.file)),
        (None, true) => None,
    };
    print_summary(
        &a.file,
        &roster.source,
        &roster.ignored_columns,
        &summary,
        lang,
    );
    print_changes(&summary, changes_path.as_deref(), a.reveal, lang);
    print_reasons_and_dry_run(&summary, lang);
    if let Some(path) = changes_path.filter(|_| !summary.changes.is_empty()) {
        write_changes(&path, &summary.changes, lang, a.reveal).map_err(|e| {
            Failure::refused(match lang {
                Lang::Zh => format!("导入已完成，但更改清单无法写入 {}：{e}", path.display()),
                Lang::En => format!(
                    "the import is done, but the list of changes could not be written to {}: {e}",
                    path.display()
                ),
            })
        })?;
    }

    // A dry run leaves no trace unless a rejects file is asked for by name.
    let rejects_path = match (&a.rejects, a.dry_run) {
        (Some(path), _) => Some(path.clone()),
        (None, false) => Some(default_rejects_path(&a.file)),
        (None, true) => None,
    };
    if let Some(path) = rejects_path.filter(|_| !summary.rejected.is_empty()) {
        write_rejects(&path, &roster, &summary.rejected, lang).map_err(|e| {
            Failure::refused(match lang {
                Lang::Zh => format!("导入已完成，但未导入的行无法写入 {}：{e}", path.display()),
                Lang::En => format!(
                    "the import is done, but the refused rows could not be written to {}: {e}",
                    path.display()
                ),
            })
        })?;
        println!(
            "{}{}",
            lang.pick(
                "未导入的行及原因已写入：",
                "refused rows and reasons written to: "
            ),
            path.display()
        );
    }
    println!(
        "{}{:.1} s",
        lang.pick("用时 ", "took "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn field_label(stored_name: &str, lang: Lang) -> &'static str {
    let field = match stored_name {
        "name" => Field::Name,
        "id_number" => Field::IdNumber,
        "phone" => Field::Phone,
        "employer" => Field::Employer,
        "worksite" => Field::Worksite,
        "trade" => Field::Trade,
        "district_code" => Field::District,
        "membership" => Field::Membership,
        "card_no" => Field::CardNo,
        "hardship" => Field::Hardship,
        _ => Field::Note,
    };
    field.label(lang)
}

/// Each changed worker with every field old -> new, the first `CHANGES_SHOWN` of them, then
/// how many more and where they all are.
fn print_changes(
    summary: &ImportSummary,
    file: Option<&std::path::Path>,
    reveal: bool,
    lang: Lang,
) {
    if summary.changes.is_empty() {
        return;
    }
    let heading = match (summary.dry_run, lang) {
        (true, Lang::Zh) => "将更改的已登记职工（原值 → 新值）：",
        (true, Lang::En) => "registered workers the import would change (old → new):",
        (false, Lang::Zh) => "已更改的已登记职工（原值 → 新值）：",
        (false, Lang::En) => "registered workers changed (old → new):",
    };
    println!("{heading}");
    for change in summary.changes.iter().take(CHANGES_SHOWN) {
        println!("  {}", change.describe(lang, reveal));
    }
    let more = summary.changes.len().saturating_sub(CHANGES_SHOWN);
    match (file, lang) {
        (Some(path), Lang::Zh) if more > 0 => {
            println!("  ……另有 {more} 人，完整清单见 {}", path.display())
        }
        (Some(path), Lang::En) if more > 0 => {
            println!("  … {more} more, all listed in {}", path.display())
        }
        (Some(path), Lang::Zh) => println!("  完整清单：{}", path.display()),
        (Some(path), Lang::En) => println!("  full list: {}", path.display()),
        (None, Lang::Zh) if more > 0 => {
            println!("  ……另有 {more} 人（用 --changes 文件 写出完整清单）")
        }
        (None, Lang::En) if more > 0 => {
            println!("  … {more} more (--changes FILE writes the full list)")
        }
        (None, _) => {}
    }
}

fn print_summary(
    file: &std::path::Path,
    source: &RosterSource,
    ignored_columns: &[String],
    summary: &ImportSummary,
    lang: Lang,
) {
    let rejected = summary.rejected.len();
    match lang {
        Lang::Zh => {
            println!(
                "名单：{}（{}），共 {} 行",
                file.display(),
                source.label(lang),
                summary.total
            );
            println!(
                "新登记 {} 人，更新 {} 人，无变化 {} 人，未导入 {} 行",
                summary.new, summary.updated, summary.unchanged, rejected
            );
        }
        Lang::En => {
            println!(
                "roster: {} ({}), {} rows",
                file.display(),
                source.label(lang),
                summary.total
            );
            println!(
                "new {}, updated {}, unchanged {}, rejected {}",
                summary.new, summary.updated, summary.unchanged, rejected
            );
        }
    }
    if !summary.changed_fields.is_empty() {
        let parts: Vec<String> = summary
            .changed_fields
            .iter()
            .map(|(field, count)| format!("{} {count}", field_label(field, lang)))
            .collect();
        println!(
            "{}{}",
            lang.pick("更新的字段：", "fields updated: "),
            parts.join(lang.pick("，", ", "))
        );
    }
    if summary.event_recorded + summary.event_already_served > 0 {
        match lang {
            Lang::Zh => println!(
                "活动：新记录服务 {} 人，此前已记录 {} 人（未重复记录）",
                summary.event_recorded, summary.event_already_served
            ),
            Lang::En => println!(
                "event: service recorded for {}, {} already served (not recorded twice)",
                summary.event_recorded, summary.event_already_served
            ),
        }
    }
    if summary.needs_raised > 0 {
        println!(
            "{}{}",
            lang.pick("新登记诉求：", "needs raised: "),
            summary.needs_raised
        );
    }
    if !ignored_columns.is_empty() {
        println!(
            "{}{}",
            lang.pick("已忽略的列：", "columns ignored: "),
            ignored_columns.join(lang.pick("、", ", "))
        );
    }
}

/// The refused rows' reasons (the first `REASONS_SHOWN`), and the dry-run note last.
fn print_reasons_and_dry_run(summary: &ImportSummary, lang: Lang) {
    let rejected = summary.rejected.len();
    for reject in summary.rejected.iter().take(REASONS_SHOWN) {
        match lang {
            Lang::Zh => println!("  第 {} 行：{}", reject.row, reject.reason.message(lang)),
            Lang::En => println!("  row {}: {}", reject.row, reject.reason.message(lang)),
        }
    }
    if rejected > REASONS_SHOWN {
        match lang {
            Lang::Zh => println!("  ……另有 {} 行，见未导入文件", rejected - REASONS_SHOWN),
            Lang::En => println!("  … {} more in the rejects file", rejected - REASONS_SHOWN),
        }
    }
    if summary.dry_run {
        println!(
            "{}",
            lang.pick(
                "（预演：以上为实际导入的结果，数据库未作任何改动）",
                "(dry run: this is what the import would do; the database was not changed)"
            )
        );
    }
}
