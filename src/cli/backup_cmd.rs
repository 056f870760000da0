//! The backup folder setting (`officer set --backup-dir`), the automatic backup after an
//! export, and `restore`.

use super::args::{Cli, RestoreArgs};
use super::{CmdResult, Failure, db_path};
use crate::backup::restore::{RestoreError, RestoreReport, restore as run_restore};
use crate::backup::{self, AutoBackup};
use crate::domain::Field;
use crate::session::{batches_dir, key_for};
use crate::store::backup_state::{BackupSettings, DEFAULT_KEEP};
use crate::store::{Store, StoreError};
use crate::text::Lang;
use std::path::Path;

// Paths and batch uids come from outside (a folder the officer typed, a manifest): every line
// printed here is made terminal-safe, line by line.
macro_rules! out_line {
    ($($arg:tt)*) => {
        for line in format!($($arg)*).split('\n') {
            println!("{}", crate::safe_text::terminal_safe(line));
        }
    };
}

macro_rules! err_line {
    ($($arg:tt)*) => {
        for line in format!($($arg)*).split('\n') {
            eprintln!("{}", crate::safe_text::terminal_safe(line));
        }
    };
}

/// Refuses a backup folder choice before anything is written; the settings to store.
pub(super) fn check_backup_choice(
    dir: &Path,
    keep: Option<u32>,
    lang: Lang,
) -> Result<BackupSettings, Failure> {
    backup::checked_choice(dir, keep.unwrap_or(DEFAULT_KEEP)).map_err(|errors| {
        // Named by the option typed, with the field's name as the screens say it.
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let option = match e.field {
                    Field::BackupKeep => "--keep",
                    _ => "--backup-dir",
                };
                let (label, rule) = (e.field.label(lang), e.rule.describe(lang));
                match lang {
                    Lang::Zh => format!("{option}（{label}）：{rule}"),
                    Lang::En => format!("{option} ({label}): {rule}"),
                }
            })
            .collect();
        Failure::invalid(lines.join("\n"))
    })
}

/// Stores the folder and writes a first backup at once, so the officer sees that it works.
pub(super) fn set_backup_dir(
    store: &mut Store,
    settings: &BackupSettings,
    lang: Lang,
) -> CmdResult {
    store
        .set_backup_settings(settings)
        .map_err(|e| Failure::from_store(e, lang))?;
    let (dir, keep) = (settings.dir.display(), settings.keep);
    out_line!(
        "{}",
        match lang {
            Lang::Zh => format!("备份文件夹已设置：{dir}（保留最近 {keep} 份）"),
            Lang::En => format!("backup folder set: {dir} (the last {keep} kept)"),
        }
    );
    say(&backup::after_export(store), lang);
    Ok(())
}

/// The backup folder line of `officer show`.
pub(super) fn show_backup_settings(store: &Store, lang: Lang) -> CmdResult {
    let fail = |e| Failure::from_store(e, lang);
    let Some(settings) = store.backup_settings().map_err(fail)? else {
        out_line!(
            "{}",
            lang.pick(
                "未设置备份文件夹（jingong officer set --backup-dir 文件夹）",
                "no backup folder (jingong officer set --backup-dir DIR)"
            )
        );
        return Ok(());
    };
    let last = store
        .last_backup_at()
        .map_err(fail)?
        .unwrap_or_else(|| "—".into());
    let (dir, keep) = (settings.dir.display(), settings.keep);
    out_line!(
        "{}",
        match lang {
            Lang::Zh => format!("备份文件夹：{dir}（保留最近 {keep} 份）；上次备份：{last}"),
            Lang::En => format!("backup folder: {dir} (the last {keep} kept); last backup: {last}"),
        }
    );
    Ok(())
}

/// The backup after a batch was written; a failure is said and the command still succeeds.
pub(super) fn after_export(store: &mut Store, lang: Lang) {
    say(&backup::after_export(store), lang);
}

fn say(outcome: &AutoBackup, lang: Lang) {
    if let Some(line) = outcome.message(lang) {
        err_line!("{line}");
    }
}

pub fn restore(cli: &Cli, a: &RestoreArgs) -> CmdResult {
    let lang = cli.lang;
    let target = db_path(cli)?;
    super::seal_cmd::use_identity(a.identity.as_deref(), lang)?;
    if !a.backup.is_file() {
        return Err(Failure::refused(match lang {
            Lang::Zh => format!("{}：备份文件不存在；未作任何改动", a.backup.display()),
            Lang::En => format!(
                "{}: no such backup file; nothing was changed",
                a.backup.display()
            ),
        }));
    }
    let key = key_for(&a.backup, lang)?;
    let mut dirs = vec![batches_dir(&target)];
    dirs.extend(a.batches.iter().cloned());
    let report = run_restore(&a.backup, &target, &dirs, key, lang).map_err(|e| {
        let message = e.message(lang);
        match e {
            // A wrong or missing key is the officer's input to fix, as everywhere.
            RestoreError::Unopenable {
                source: StoreError::WrongKey { .. } | StoreError::KeyNeeded { .. },
                ..
            } => Failure::invalid(message),
            _ => Failure::refused(message),
        }
    })?;
    print_report(&report, &target, lang);
    if !report.not_merged.is_empty() {
        // The database is in place, but without some batches it sent: the officer must act.
        return Err(Failure::refused(lang.pick(
            "有批次未能补回（见上）：请用 jingong verify 检查，取得完好的副本后用 --batches 再次恢复",
            "some batches were not merged (above): check them with jingong verify, get good copies and restore again with --batches",
        )));
    }
    Ok(())
}

fn print_report(r: &RestoreReport, target: &Path, lang: Lang) {
    for aside in &r.set_aside {
        err_line!(
            "{}",
            match lang {
                Lang::Zh => format!("原有数据库已移到一旁（未删除）：{}", aside.display()),
                Lang::En => format!(
                    "the database that was there is kept aside: {}",
                    aside.display()
                ),
            }
        );
    }
    out_line!(
        "{}",
        match lang {
            Lang::Zh => format!("已恢复到 {}（设备 {}）", target.display(), r.device_id),
            Lang::En => format!(
                "restored into {} (device {})",
                target.display(),
                r.device_id
            ),
        }
    );
    for b in &r.replayed {
        out_line!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "  补回批次 {}（{}）：{} 条记录",
                    b.path.display(),
                    b.created_at,
                    b.applied
                ),
                Lang::En => format!(
                    "  merged back {} ({}): {} records",
                    b.path.display(),
                    b.created_at,
                    b.applied
                ),
            }
        );
    }
    out_line!(
        "{}",
        match lang {
            Lang::Zh => format!("从批次补回的记录：{} 条", r.records_from_batches()),
            Lang::En => format!(
                "records restored from batches: {}",
                r.records_from_batches()
            ),
        }
    );
    match &r.last_sent {
        Some(last) => out_line!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "最后发出的批次：{}，时间 {}；下一批次将接在它后面。\n此后录入、且不在任何批次中的记录可能已丢失，请按纸质登记补录。",
                    last.uid, last.created_at
                ),
                Lang::En => format!(
                    "last batch sent: {} at {}; the next batch follows it.\nRecords made after it and not in any batch may be lost: enter them again from the paper forms.",
                    last.uid, last.created_at
                ),
            }
        ),
        None => out_line!(
            "{}",
            lang.pick(
                "本设备尚未发出过批次；备份之后录入的记录可能已丢失，请按纸质登记补录。",
                "this device has sent no batch yet; records made after the backup may be lost: enter them again from the paper forms."
            )
        ),
    }
    for (path, why) in &r.not_merged {
        err_line!(
            "{}",
            match lang {
                Lang::Zh => format!("  未补回：{}：{why}", path.display()),
                Lang::En => format!("  not merged: {}: {why}", path.display()),
            }
        );
    }
    if !r.sealed_unopened.is_empty() {
        err_line!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "加密批次 {} 个无法打开，未补回（用 --identity 或 JINGONG_IDENTITY 给出接收方密钥）：",
                    r.sealed_unopened.len()
                ),
                Lang::En => format!(
                    "{} sealed batch(es) could not be opened and were not merged (give the receiver's key with --identity or JINGONG_IDENTITY):",
                    r.sealed_unopened.len()
                ),
            }
        );
        for path in &r.sealed_unopened {
            err_line!("  {}", path.display());
        }
    }
    if !r.other_devices.is_empty() {
        err_line!(
            "{}",
            match lang {
                Lang::Zh => format!("其他设备的批次 {} 个，已忽略：", r.other_devices.len()),
                Lang::En => format!(
                    "{} batch(es) of other laptops ignored:",
                    r.other_devices.len()
                ),
            }
        );
        for path in &r.other_devices {
            err_line!("  {}", path.display());
        }
    }
}
