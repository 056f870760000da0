//! The text of needs (诉求) and mutual-aid claims (互助保障).

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        NeedsLine => "诉求 {0} 项（待解决 {1}）：",
        ClaimsLine => "互助保障申请 {0} 笔：",
        NeedsTitle => "{0} 的诉求",
        NeedsHint => "[空格] 勾选    [{0}] 保存    [{1}] 跳过",
        NeedOpenMark => "（待解决）",
        NeedsSaved => "已为 {1} 登记 {0} 项诉求",
        NeedsNone => "未勾选诉求，未登记",
        ClaimTitle => "互助保障申请 · {0}",
        ClaimStepTitle => "办理互助保障申请 · {0}",
        ClaimLogged => "已登记互助保障申请：{0}",
        ClaimUpdated => "互助保障申请已更新：{0}",
        NoOpenClaim => "该职工没有办理中的互助保障申请",
        ClaimDatesHint => "只填此类型需要的日期",
        ProtectionHint => "会员服务卡上的保障期",
        ClaimAmountHint => "元；定额类型可留空",
        DocumentHint => "已收到的材料：空格勾选",
        ImportNeedsLine => "新登记诉求 {0} 项（已有同类待解决诉求的不重复登记）",
        AidRecordsTitle => "{0} 的诉求与互助保障申请",
        AidRecordsNone => "没有诉求，也没有互助保障申请",
        AidRecordsHint => "[{0}] 关闭诉求    [{1}] 撤回（录错的）    [{2}] 返回",
        CloseNeedQuestion => "关闭 {0} 的诉求「{1}」？可写备注（可空）",
        NeedClosedSaid => "已关闭诉求：{0}",
        WithdrawNeedQuestion => "撤回 {0} 的诉求「{1}」（录错的记录）？请写明原因",
        WithdrawClaimQuestion => "撤回 {0} 的互助保障申请「{1}」（录错的记录）？请写明原因",
        QuickNeedsLine => "诉求（下一位职工）：",
        QuickNeedsRaised => "；登记诉求 {0} 项",
        QuickNeedsTakenBack => "；同时登记的诉求 {0} 项一并撤销",
        QuickNeedsPutBack => "；诉求 {0} 项一并恢复",
        QuickNeedsHint => "数字键勾选诉求，回车记录，[{0}] 收起",
        CloseNeedKeys => "[{0}] 确认关闭    [{1}] 取消",
        QuickNeedsOffer => "[{0}] 勾选该职工的诉求",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        NeedsLine => "Needs: {0} ({1} open): ",
        ClaimsLine => "Mutual-aid claims: {0}: ",
        NeedsTitle => "What {0} asks for",
        NeedsHint => "[space] tick    [{0}] save    [{1}] skip",
        NeedOpenMark => " (open)",
        NeedsSaved => "{0} need(s) recorded for {1}",
        NeedsNone => "Nothing ticked, nothing recorded",
        ClaimTitle => "Mutual-aid claim · {0}",
        ClaimStepTitle => "Mutual-aid claim step · {0}",
        ClaimLogged => "Mutual-aid claim recorded: {0}",
        ClaimUpdated => "Mutual-aid claim updated: {0}",
        NoOpenClaim => "This member has no claim in progress",
        ClaimDatesHint => "Only the dates this type needs",
        ProtectionHint => "The period on the member card",
        ClaimAmountHint => "yuan; may stay empty for a fixed sum",
        DocumentHint => "Received: tick with space",
        ImportNeedsLine => "Needs to raise: {0} (none twice while one of its kind is open)",
        AidRecordsTitle => "{0}: needs and mutual-aid claims",
        AidRecordsNone => "No needs and no mutual-aid claims",
        AidRecordsHint => "[{0}] close need    [{1}] withdraw (a mistake)    [{2}] back",
        CloseNeedQuestion => "Close {0}'s need '{1}'? A note may follow (optional)",
        NeedClosedSaid => "Need closed: {0}",
        WithdrawNeedQuestion => "Withdraw {0}'s need '{1}' (recorded by mistake)? Say why",
        WithdrawClaimQuestion => {
            "Withdraw {0}'s mutual-aid claim '{1}' (recorded by mistake)? Say why"
        }
        QuickNeedsLine => "Needs (next worker): ",
        QuickNeedsRaised => "; {0} need(s) raised",
        QuickNeedsTakenBack => "; the {0} need(s) raised with it taken back too",
        QuickNeedsPutBack => "; {0} need(s) put back too",
        QuickNeedsHint => "digits tick needs, Enter records, [{0}] hides",
        CloseNeedKeys => "[{0}] close it    [{1}] cancel",
        QuickNeedsOffer => "[{0}] tick the worker's needs",
        _ => return None,
    })
}
