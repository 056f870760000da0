//! The text of corrections: editing, withdrawing and erasing records, legal-aid cases.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        WithdrawServiceQuestion => "撤回 {0} 的这条“{1}”记录？记录保留为“已撤回”，随下一批次上报。",
        WithdrawWorkerQuestion => {
            "撤回职工 {0}？不再出现在列表中；记录保留为“已撤回”，随下一批次上报。"
        }
        WithdrawEventQuestion => "撤回活动 {0}？记录保留为“已撤回”，随下一批次上报。",
        ReasonLabel => "原因（必填）",
        ReasonKeys => "[{0}] 确认撤回    [{1}] 取消",
        Withdrawn => "已撤回：{0}",
        WithdrawAttendeesQuestion => {
            "该活动有{0}条参加人员的服务记录，一并撤回？选“否”则活动和记录都不撤回。"
        }
        EventWithdrawn => "已撤回活动 {0}，连同 {1} 条服务记录",
        EventNotWithdrawn => "未撤回：活动还有参加人员的服务记录，未作改动",
        EraseWorkerQuestion => {
            "删除 {0} 的个人信息？姓名、身份证号、手机号等及其服务记录中的体检、法律援助详情将被清空，无法撤销；下一批次会通知接收方同样删除。原因代码：request 本人申请，consent_withdrawn 撤回同意，retention_expired 保存期满。"
        }
        EraseReasonLabel => "原因代码",
        EraseKeys => "[{0}] 确认删除（无法撤销）    [{1}] 取消",
        Erased => "已删除个人信息（含 {0} 条服务记录的详情）",
        EditingRecord => "修改已登记的记录：保存后成为新版本，随下一批次上报",
        EventEditTitle => "修改活动",
        EventUpdated => "已保存活动：{0}",
        NothingSelected => "没有选中的记录",
        LegalCasesLine => "法律援助案件 {0} 件（未结 {1}）",
        CaseClosedAs => "已结案·{0}",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        WithdrawServiceQuestion => {
            "Withdraw this \"{1}\" record of {0}? It is kept as withdrawn and goes out with the next batch."
        }
        WithdrawWorkerQuestion => {
            "Withdraw worker {0}? They leave the list; the record is kept as withdrawn and goes out with the next batch."
        }
        WithdrawEventQuestion => {
            "Withdraw event {0}? It is kept as withdrawn and goes out with the next batch."
        }
        ReasonLabel => "Reason (required)",
        ReasonKeys => "[{0}] withdraw    [{1}] cancel",
        Withdrawn => "Withdrawn: {0}",
        WithdrawAttendeesQuestion => {
            "{0} attendee services are recorded in this event. Withdraw them too? (No: nothing is withdrawn)"
        }
        EventWithdrawn => "Event {0} withdrawn, with {1} services",
        EventNotWithdrawn => {
            "Not withdrawn: the event still has attendee services; nothing changed"
        }
        EraseWorkerQuestion => {
            "Erase the personal data of {0}? Name, ID number, phone and the rest, and the health-check and legal-aid details of their services, are blanked; this cannot be undone. The next batch tells receivers to erase them too. Reason code: request (the worker asked), consent_withdrawn, retention_expired."
        }
        EraseReasonLabel => "Reason code",
        EraseKeys => "[{0}] erase (cannot be undone)    [{1}] cancel",
        Erased => "Personal data erased (with the details of {0} services)",
        EditingRecord => {
            "Editing a recorded entry: saving makes a new version, exported with the next batch"
        }
        EventEditTitle => "Edit event",
        EventUpdated => "Event saved: {0}",
        NothingSelected => "no record selected",
        LegalCasesLine => "Legal-aid cases: {0} ({1} open)",
        CaseClosedAs => "closed · {0}",
        _ => return None,
    })
}
