//! The text of the help screen, the key contexts and the footers of keys.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        HelpTitle => "帮助：按键",
        HelpContext => "当前界面：{0}",
        HelpGlobal => "所有界面",
        HelpTyping => "输入框",
        HelpTypingKeys => {
            "直接打字（中文输入法可用），可粘贴；←→ Home End 移动光标，Backspace/Delete 删除"
        }
        HelpUnbound => "（未绑定按键）",
        CtxGlobal => "全局",
        CtxList => "职工列表",
        CtxForm => "表单",
        CtxDetail => "职工详情",
        CtxPicker => "选项列表",
        CtxConfirm => "确认",
        CtxRepeat => "重复记录的询问",
        CtxHelp => "帮助",
        CtxEvents => "服务活动",
        CtxQuickEntry => "快速录入",
        CtxAttendees => "受服务名单",
        CtxImport => "导入名单",
        HelpTakenHeading => "你的按键配置拿走的键",
        HelpSchemeHeading => "默认按键方案：功能键在各屏含义相同",
        HelpScheme => {
            "F1 帮助 · F2 保存／开始 · F3 新建 · F4 修改／选择 · F5 相关名单 · F6 服务活动 · F7 批次 · F8 导入 · F9 统计"
        }
        KeyTaken => "按键配置：{0} 现在是「{1}」，「{2}」（{3}）不再用此键",
        KeyUnbound => "不做任何事",
        HelpTypingClear => "Ctrl-U 清空",
        HelpTypingWord => "Ctrl-W 删除前一词",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        HelpTitle => "Help: keys",
        HelpContext => "This screen: {0}",
        HelpGlobal => "Every screen",
        HelpTyping => "Text fields",
        HelpTypingKeys => {
            "type (input methods work), paste; ←→ Home End move, Backspace/Delete erase"
        }
        HelpUnbound => "(no key)",
        CtxGlobal => "global",
        CtxList => "workers list",
        CtxForm => "form",
        CtxDetail => "worker detail",
        CtxPicker => "choice list",
        CtxConfirm => "question",
        CtxRepeat => "record-again question",
        CtxHelp => "help",
        CtxEvents => "events",
        CtxQuickEntry => "quick entry",
        CtxAttendees => "workers served",
        CtxImport => "roster import",
        HelpTakenHeading => "Keys your keymap took from another action",
        HelpSchemeHeading => "The default scheme: function keys mean the same on every screen",
        HelpScheme => {
            "F1 help · F2 save/start · F3 new · F4 edit/choose · F5 the list behind it · F6 events · F7 batches · F8 import · F9 statistics"
        }
        KeyTaken => "keymap: {0} now means '{1}'; '{2}' ({3}) lost it",
        KeyUnbound => "nothing",
        HelpTypingClear => "Ctrl-U clears",
        HelpTypingWord => "Ctrl-W erases a word",
        _ => return None,
    })
}
