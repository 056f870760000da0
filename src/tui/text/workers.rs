//! The text of the officer screen, the workers list and the worker form.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        OfficerTitle => "首次使用：设置经办人",
        OfficerIntro => "请填写使用本机的经办人。之后登记的每条记录都会署上此名。",
        OfficerSaved => "经办人已设置：{0}",
        SettingsTitle => "本机设置",
        SettingsSaved => "本机设置已保存",
        BackupFolderHint => "如 U 盘；留空则不自动备份",
        BackupIntro => {
            "自动备份：每次导出后、每天首次打开时，把数据库复制到备份文件夹，保留最近几份。"
        }
        WorkersTitle => "职工",
        SearchLabel => "搜索",
        SearchHint => "输入姓名、拼音、首字母、身份证号或手机号",
        Count => "共 {0} 人",
        CountMore => "共 {0}+ 人",
        ColName => "姓名",
        ColIdNumber => "身份证号",
        ColSexAge => "性别年龄",
        ColPhone => "手机号",
        ColEmployer => "工作单位",
        ColLastService => "最近服务",
        NoMatches => "没有匹配的职工。按 {0} 登记新职工。",
        NoWorkersYet => "还没有登记职工。按 {0} 登记第一位。",
        Male => "男",
        Female => "女",
        SexAge => "{0} {1}岁",
        WorkerNewTitle => "登记新职工",
        WorkerEditTitle => "修改职工：{0}",
        Derived => "出生 {0} · {1} 岁 · {2} · 籍贯 {3}",
        DerivedTianjin => "出生 {0} · {1} 岁 · {2} · 籍贯 {3} {4}",
        DuplicateId => "该身份证号已登记为 {0}：按 {1} 打开该职工",
        SameNamePhone => "提示：已有同名同手机号的职工（{0}），请确认不是重复登记",
        TradeSuggest => "以前填过：{0}（按 {1} 选择）",
        MemberMember => "原有会员",
        MemberJoinedHere => "本次入会",
        MemberNotMember => "非会员",
        NotChosen => "（未选）",
        HardshipLabel => "困难职工",
        Registered => "已登记：{0}",
        Updated => "已保存修改：{0}",
        RegisteredNotRecorded => "已登记 {0}，但未能记录服务：{1}",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        OfficerTitle => "First run: set the officer",
        OfficerIntro => {
            "Who uses this laptop? Every record you make from now on carries this name."
        }
        OfficerSaved => "Officer set: {0}",
        SettingsTitle => "This laptop",
        SettingsSaved => "Settings saved",
        BackupFolderHint => "e.g. a USB stick; empty: no backups",
        BackupIntro => {
            "Automatic backups: after each export and once a day, into the backup folder."
        }
        WorkersTitle => "Workers",
        SearchLabel => "Search",
        SearchHint => "name, pinyin, initials, ID number or phone",
        Count => "{0} found",
        CountMore => "{0}+ found",
        ColName => "Name",
        ColIdNumber => "ID number",
        ColSexAge => "Sex/age",
        ColPhone => "Phone",
        ColEmployer => "Employer",
        ColLastService => "Last service",
        NoMatches => "No worker matches. Press {0} to register one.",
        NoWorkersYet => "No workers registered yet. Press {0} to register the first.",
        Male => "M",
        Female => "F",
        SexAge => "{0} {1}",
        WorkerNewTitle => "Register a worker",
        WorkerEditTitle => "Edit worker: {0}",
        Derived => "Born {0} · age {1} · {2} · from {3}",
        DerivedTianjin => "Born {0} · age {1} · {2} · from {3}, {4}",
        DuplicateId => "This ID number is already registered to {0}: press {1} to open that worker",
        SameNamePhone => {
            "Note: a worker with the same name and phone exists ({0}); make sure this is not a duplicate"
        }
        TradeSuggest => "Typed before: {0} (press {1} to choose)",
        MemberMember => "Member already",
        MemberJoinedHere => "Joined here",
        MemberNotMember => "Not a member",
        NotChosen => "(none)",
        HardshipLabel => "hardship",
        Registered => "Registered: {0}",
        Updated => "Changes saved: {0}",
        RegisteredNotRecorded => "Registered {0}, but the service was not recorded: {1}",
        _ => return None,
    })
}
