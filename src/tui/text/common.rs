//! The text of the status line, saving, and words every screen and form shares.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        AppName => "津工",
        TooSmall => "窗口太小：至少需要 80×24，当前 {0}×{1}。请放大窗口。",
        Pending => "待导出 {0} 条",
        BackupAge => "备份：{0}",
        BackupNotSet => "未设置备份目录（{0} 设置）",
        RestoreHint => "新数据库；恢复旧机：jingong restore",
        NoOfficerYet => "未设置经办人",
        Loading => "加载中…",
        Saved => "已保存",
        SaveFailed => "未保存：{0}",
        FixFields => "未保存：有 {0} 项需要修改，见各项下方的说明",
        Error => "出错：{0}",
        DiscardQuestion => "放弃未保存的修改？草稿将被删除。",
        DraftOffer => "发现 {0} 未保存的草稿。恢复草稿继续填写？",
        PickerFilter => "筛选",
        PickerEmpty => "没有匹配的选项",
        Required => "必填",
        Yes => "是",
        No => "否",
        WorkerGone => "该职工已被删除或不存在",
        JobStopped => "后台任务意外中止，请再试一次",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        AppName => "jingong",
        TooSmall => "Window too small: needs at least 80×24, now {0}×{1}. Please enlarge it.",
        Pending => "{0} not exported",
        BackupAge => "backup: {0}",
        BackupNotSet => "no backup folder ({0} sets one)",
        RestoreHint => "new database; to restore: jingong restore",
        NoOfficerYet => "no officer set",
        Loading => "loading…",
        Saved => "Saved",
        SaveFailed => "Not saved: {0}",
        FixFields => "Not saved: {0} fields need fixing, see the messages under them",
        Error => "Error: {0}",
        DiscardQuestion => "Discard the unsaved changes? The draft will be deleted.",
        DraftOffer => "An unsaved draft from {0} was found. Restore it and go on?",
        PickerFilter => "Filter",
        PickerEmpty => "No choice matches",
        Required => "required",
        Yes => "Yes",
        No => "No",
        WorkerGone => "This worker was deleted or does not exist",
        JobStopped => "the work in the background stopped unexpectedly; try again",
        _ => return None,
    })
}
