//! What `import batch` says about each batch, in the UI language: the command line prints
//! these lines and the batches screen shows the same.

use super::{ImportOutcome, Result};
use crate::text::Lang;
use std::path::Path;

/// What `import batch` says about one batch, line by line, in the UI language: the command
/// line prints these, and the batches screen shows the same.
pub fn outcome_lines(path: &Path, result: &Result<ImportOutcome>, lang: Lang) -> Vec<String> {
    let shown = path.display();
    match result {
        Ok(ImportOutcome::AlreadyHere { .. }) => vec![match lang {
            Lang::Zh => format!("{shown}：该批次已导入过，未作任何改动"),
            Lang::En => format!("{shown}: this batch was imported before; nothing changed"),
        }],
        Ok(ImportOutcome::Imported(s)) => {
            let [w, e, sv, needs, claims] = s.applied;
            let unchanged: u64 = s.unchanged.iter().sum();
            let conflicts = s.conflicts;
            let mut lines = vec![match lang {
                Lang::Zh => format!(
                    "{shown}：已导入 职工 {w}，活动 {e}，服务 {sv}，诉求 {needs}，互助保障申请 {claims}；未变（本库已有同版或更新版本）{unchanged}；冲突 {conflicts}"
                ),
                Lang::En => format!(
                    "{shown}: imported {w} workers, {e} events, {sv} services, {needs} needs, {claims} claims; unchanged (same or newer here) {unchanged}; conflicts {conflicts}"
                ),
            }];
            if let Some(missing) = &s.chain_gap {
                lines.push(match lang {
                    Lang::Zh => format!(
                        "  注意：该设备的前一批次 {missing} 尚未导入（批次链有缺口），请向该经办人索取"
                    ),
                    Lang::En => format!(
                        "  note: this laptop's previous batch {missing} has not been imported (gap in the chain); ask its officer for it"
                    ),
                });
            }
            if conflicts > 0 {
                lines.push(
                    lang.pick(
                        "  冲突记录已保留，用 jingong conflicts 查看",
                        "  conflicting records were kept; list them with jingong conflicts",
                    )
                    .to_string(),
                );
            }
            lines
        }
        Err(e) => e.message(lang).lines().map(str::to_string).collect(),
    }
}

/// The closing line when some batches were refused.
pub fn refused_line(refused: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{refused} 个批次被拒收，未导入任何内容"),
        Lang::En => format!("{refused} batch(es) refused; nothing of them was imported"),
    }
}
