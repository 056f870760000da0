//! The text of the conflicts screen.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        ConflictsTitle => "冲突：逐项比对，选择保留哪一方",
        ConflictsCount => "待解决冲突 {0} 条",
        NoConflicts => "没有待解决的冲突。",
        ConflictsHint => "{0}/{1} 选择一方，{2} 保留所选一方（成为新版本，下次导出时发送）",
        ConflictShown => "现显示",
        ConflictOther => "另一方",
        ConflictChosen => "▸ 保留这一方",
        ConflictResolved => "冲突 #{0} 已解决：保留 {1}，记为第 {2} 版，下次导出时发送",
        ConflictNotHere => "这类冲突不能在此解决：请在原电脑上修改该记录后重新导出",
        ConflictsFailed => "读取冲突失败：{0}",
        ColField => "项目",
        ConflictSamePerson => "同一人在两台电脑登记",
        ConflictDiverged => "同一记录同一版本内容不同",
        ConflictLocalEdit => "本机修改未导出，来件版本更高",
        ConflictIdNumber => "同一身份证号对应两名职工",
        ConflictWorkerHeld => "所属职工在冲突中",
        ConflictDiffers => "不同：{0}",
        ConflictsMore => "（只列出前 {0} 条，解决后再看其余）",
        FooterKeepSide => "保留所选一方",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        ConflictsTitle => "Conflicts: compare field by field, keep one side",
        ConflictsCount => "{0} open conflicts",
        NoConflicts => "No open conflicts.",
        ConflictsHint => {
            "{0}/{1} choose a side, {2} keeps it (a new version, sent with the next export)"
        }
        ConflictShown => "shown",
        ConflictOther => "other",
        ConflictChosen => "▸ keep this side",
        ConflictResolved => {
            "conflict #{0} resolved: kept {1} as version {2}, sent with the next export"
        }
        ConflictNotHere => {
            "A conflict of this kind cannot be resolved here: correct the record on its laptop and export again"
        }
        ConflictsFailed => "Could not read the conflicts: {0}",
        ColField => "Field",
        ConflictSamePerson => "one person on two laptops",
        ConflictDiverged => "same record and version, different content",
        ConflictLocalEdit => "unexported local edit, newer copy came",
        ConflictIdNumber => "one ID number, two workers",
        ConflictWorkerHeld => "its worker is in a conflict",
        ConflictDiffers => "differ: {0}",
        ConflictsMore => "(the first {0} only; resolve them to see the rest)",
        FooterKeepSide => "Keep this side",
        _ => return None,
    })
}
