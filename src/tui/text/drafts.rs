//! The text of the drafts screen.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        CtxDrafts => "未保存的草稿",
        DraftsTitle => "未保存的草稿",
        DraftsCount => "共 {0} 份，最近改动的在前；打开后可恢复草稿继续填写",
        DraftsNone => "没有未保存的草稿。",
        ColDraftSaved => "最后改动",
        ColDraftForm => "表单",
        DraftEditWorker => "修改职工：{0}",
        DraftEditEvent => "修改活动：{0}",
        DraftEditService => "修改记录：{0} · {1}",
        DraftDiscarded => "已丢弃草稿：{0}",
        DraftGone => "这份草稿对应的记录已不存在，无法打开",
        DraftsWaiting => "有 {0} 份未保存的草稿：按 {1} 查看",
        DraftWaiting => "有 1 份未保存的草稿：按 {0} 查看",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        CtxDrafts => "Unsaved drafts",
        DraftsTitle => "Unsaved drafts",
        DraftsCount => "{0} drafts, the latest first; open one to restore it and go on",
        DraftsNone => "No unsaved drafts.",
        ColDraftSaved => "Last changed",
        ColDraftForm => "Form",
        DraftEditWorker => "Edit worker: {0}",
        DraftEditEvent => "Edit event: {0}",
        DraftEditService => "Edit record: {0} · {1}",
        DraftDiscarded => "Draft discarded: {0}",
        DraftGone => "The record this draft was for is gone; it cannot be opened",
        DraftsWaiting => "{0} unsaved drafts: {1} lists them",
        DraftWaiting => "1 unsaved draft: {0} shows it",
        _ => return None,
    })
}
