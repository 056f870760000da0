//! The batches screen's work off the UI thread: loading the history with the city's receipts,
//! exporting, verifying, importing batches and receipts. Errors are worded here, in the UI's
//! language, because the thread has the error and the screen only text.

use super::{Job, JobTag, Msg};
use crate::batch::earlier::verify_in_context;
use crate::batch::export::{ExportStep, export};
use crate::batch::receipt_import::{import_one, outcome_lines, refused_line};
use crate::batch::verify::VerifyReport;
use crate::store::Store;
use crate::text::Lang;
use crate::tui::jobs;
use crate::tui::screens::Ctx;
use crate::tui::screens::batch_import::{self, ImportResult};
use crate::tui::text::{T, tf};
use std::path::{Path, PathBuf};

/// Does `job` on `store`, reporting export steps to `progress`; the result is the job's last
/// message. Errors are worded here, in the UI's language, because the thread has the error
/// and the screen only text.
pub(super) fn run(job: Job, store: &mut Store, lang: Lang, progress: &jobs::Progress<Msg>) -> Msg {
    match job {
        Job::Load => Msg::Loaded(
            store
                .waiting_for_export()
                .and_then(|w| Ok((w, store.batches()?, store.receipt_summaries()?)))
                .map_err(|e| e.message(lang)),
        ),
        Job::Export(options) => {
            let mut report = |step: ExportStep| {
                progress.report(Msg::Progress(step));
            };
            let result = export(store, &options, &mut report).map_err(|e| e.message(lang));
            if let Err(message) = &result {
                tracing::warn!(len = message.len(), "export from the TUI failed");
            }
            Msg::Exported(result)
        }
        Job::Import(paths) => {
            let result = batch_import::run_import(store, &paths, lang);
            if let Err(message) = &result {
                tracing::warn!(len = message.len(), "batch import from the TUI failed");
            }
            Msg::Imported(result)
        }
        Job::ImportReceipts(paths) => {
            let result = import_receipts(store, &paths, lang);
            if let Err(message) = &result {
                tracing::warn!(len = message.len(), "receipt import from the TUI failed");
            }
            Msg::Imported(result)
        }
        Job::Verify(path) => {
            let today = store.clock().today();
            let result = verify_in_context(Path::new(&path), Some(store), today)
                .map(Box::new)
                .map_err(|e| e.message(lang));
            Msg::Verified { path, result }
        }
    }
}

/// The final message of a job that could not even open the database, or stopped.
pub(super) fn failed(job: &JobTag, message: String) -> Msg {
    match job {
        JobTag::Load => Msg::Loaded(Err(message)),
        JobTag::Export => Msg::Exported(Err(message)),
        JobTag::Import => Msg::Imported(Err(message)),
        JobTag::Verify(path) => Msg::Verified {
            path: path.clone(),
            result: Err(message),
        },
    }
}

/// Imports the receipt files as `jingong import receipt` does, in its words.
fn import_receipts(
    store: &mut Store,
    paths: &[PathBuf],
    lang: Lang,
) -> Result<ImportResult, String> {
    let keys = store.city_keys().map_err(|e| e.message(lang))?;
    let mut lines = Vec::new();
    let mut refused = 0;
    for file in paths {
        match import_one(store, file, &keys, lang).map_err(|e| e.message(lang))? {
            Ok((body, outcome)) => lines.extend(outcome_lines(file, &body, outcome.as_ref(), lang)),
            Err(message) => {
                refused += 1;
                lines.push(format!("{}: {message}", file.display()));
            }
        }
    }
    if refused > 0 {
        lines.push(refused_line(refused, lang));
    }
    Ok(ImportResult { lines, refused })
}

/// How a verification ended, as the batch list keeps it: `None` when it passed, else the
/// number of problems and where the first one is (0 and "" when the batch could not be read).
pub(super) fn failed_check(result: &Result<Box<VerifyReport>, String>) -> Option<(i64, String)> {
    match result {
        Ok(r) if r.is_valid() => None,
        Ok(r) => {
            let first_place = r
                .problems
                .iter()
                .next()
                .map(|p| match p.line {
                    Some(line) => format!("{}:{line}", p.file),
                    None => p.file.clone(),
                })
                .unwrap_or_default();
            Some((r.problems.len() as i64, first_place))
        }
        Err(_) => Some((0, String::new())),
    }
}

impl super::BatchesScreen {
    /// Keeps how the verification of `path` ended, so the list says `未通过` for that batch
    /// now and after a restart, until a later verification passes.
    pub(super) fn remember_check(
        &mut self,
        path: &str,
        result: &Result<Box<VerifyReport>, String>,
        ctx: &mut Ctx,
    ) {
        let failed = failed_check(result);
        if let Err(e) = ctx
            .store
            .record_batch_check(path, failed.as_ref().map(|(n, p)| (*n, p.as_str())))
        {
            ctx.say(tf(ctx.lang, T::Error, &[&e.message(ctx.lang)]));
            return;
        }
        let checks = ctx.store.failed_batch_checks().unwrap_or_default();
        for row in &mut self.history {
            row.check = checks.get(&row.batch.path).cloned();
        }
    }
}

pub(super) fn with_recovered(text: &str, recovered: usize, lang: Lang) -> String {
    if recovered == 0 {
        text.to_string()
    } else {
        format!(
            "{text}{}",
            tf(lang, T::RecoveredNote, &[&recovered.to_string()])
        )
    }
}
