//! Every string the screens show, one table per language. `{0}`, `{1}` … are filled in by
//! `fill`. Field labels shared with validation messages come from `domain::Field::label`.

use crate::text::Lang;

macro_rules! keys {
    ($($key:ident),* $(,)?) => {
        /// A UI string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }
        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];
        }
    };
}

keys! {
    AppName, TooSmall, Pending, NoOfficerYet, Loading, Saved, SaveFailed, FixFields, Error,
    OfficerTitle, OfficerIntro, OfficerSaved,
    WorkersTitle, SearchLabel, SearchHint, Count, CountMore, ColName, ColIdNumber, ColSexAge,
    ColPhone, ColEmployer, ColLastService, NoMatches, NoWorkersYet, Male, Female, SexAge,
    WorkerNewTitle, WorkerEditTitle, Derived, DerivedTianjin, DuplicateId, SameNamePhone,
    TradeSuggest, MemberMember, MemberJoinedHere, MemberNotMember, NotChosen, HardshipLabel,
    DiscardQuestion, DraftOffer, Registered, Updated, PickerFilter, PickerEmpty, Required,
    DetailTitle, BirthLabel, AgeLabel, GenderLabel, HometownLabel, RegisteredLabel,
    ServicesHeading, NoServices, ColDate, ColKind, ColPlace, ColDetails, ColOfficer,
    DeleteQuestion, Deleted, Yes, No, Years,
    BloodPressureShort, GlucoseShort, NeedsReferral, FollowUpShort, Claimed, Recovered,
    FollowsShort, QuantityShort,
    HealthTitle, LegalTitle, ServiceTitle, ReferralLabel, ConsentHint, NewCase, Logged,
    DateHint, YuanHint, FollowUpHint, FollowsHint, KindHint, ChoiceHint, CheckHint,
    HelpTitle, HelpContext, HelpGlobal, HelpTyping, HelpTypingKeys, HelpUnbound,
    CtxGlobal, CtxList, CtxForm, CtxDetail, CtxPicker, CtxConfirm, CtxHelp,
    WorkerGone,
    CtxStats, StatsTitle, PeriodMonth, PeriodQuarter, PeriodYear, PeriodCustom, PeriodPick,
    AllDistricts, DistrictPick, AsOf, TabOverview, TabServices, TabHardship,
    ColTotal, ColNew, LblWorkers, LblMembers, LblJoinedHere, LblHardship,
    ReachHeading, ReachLine, UnservedLine, HealthHeading, HealthChecksLine, FollowUpsLine,
    LegalHeading, LegalOpenLine, LegalPeriodLine, RegByMonth, SvcByKind, SvcByMonth,
    UnservedHeading, NoneUnserved, ColDistrict, Never, CustomTitle, FromLabel, ToLabel,
    CustomHint, BadDate, FromAfterTo, ClaimedLine, RecoveredLine,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: T) -> &'static str {
    match lang {
        Lang::Zh => zh(key),
        Lang::En => en(key),
    }
}

/// The text of `key` with `{0}`, `{1}` … replaced by `args`.
pub fn tf(lang: Lang, key: T, args: &[&str]) -> String {
    fill(t(lang, key), args)
}

pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

fn zh(key: T) -> &'static str {
    use T::*;
    match key {
        AppName => "津工",
        TooSmall => "窗口太小：至少需要 80×24，当前 {0}×{1}。请放大窗口。",
        Pending => "待导出 {0} 条",
        NoOfficerYet => "未设置经办人",
        Loading => "加载中…",
        Saved => "已保存",
        SaveFailed => "未保存：{0}",
        FixFields => "未保存：有 {0} 项需要修改，见各项下方的说明",
        Error => "出错：{0}",
        OfficerTitle => "首次使用：设置经办人",
        OfficerIntro => "请填写使用本机的经办人。之后登记的每条记录都会署上此名。",
        OfficerSaved => "经办人已设置：{0}",
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
        DiscardQuestion => "放弃未保存的修改？草稿将被删除。",
        DraftOffer => "发现 {0} 未保存的草稿。恢复草稿继续填写？",
        Registered => "已登记：{0}",
        Updated => "已保存修改：{0}",
        PickerFilter => "筛选",
        PickerEmpty => "没有匹配的选项",
        Required => "必填",
        DetailTitle => "职工：{0}",
        BirthLabel => "出生日期",
        AgeLabel => "年龄",
        GenderLabel => "性别",
        HometownLabel => "籍贯",
        RegisteredLabel => "登记时间",
        ServicesHeading => "服务记录（{0} 条，最新在前）",
        NoServices => "还没有服务记录。",
        ColDate => "日期",
        ColKind => "服务",
        ColPlace => "地点",
        ColDetails => "内容",
        ColOfficer => "经办人",
        DeleteQuestion => "删除职工 {0}？删除后不再出现在列表中（记录保留，以便上报删除）。",
        Deleted => "已删除：{0}",
        Yes => "是",
        No => "否",
        Years => "{0} 岁",
        BloodPressureShort => "血压 {0}",
        GlucoseShort => "血糖 {0}",
        NeedsReferral => "需转诊",
        FollowUpShort => "复查 {0}",
        Claimed => "主张 ¥{0}",
        Recovered => "追回 ¥{0}",
        FollowsShort => "↳ 接续 {0} 的案件",
        QuantityShort => "×{0}",
        HealthTitle => "免费查体：{0}",
        LegalTitle => "法律援助：{0}",
        ServiceTitle => "登记服务：{0}",
        ReferralLabel => "需转诊",
        ConsentHint => "职工本人同意记录其健康信息（必选，空格键勾选）",
        NewCase => "（新案件）",
        Logged => "已登记 {0}：{1}",
        DateHint => "格式 2026-03-15，留空为今天",
        YuanHint => "单位：元",
        FollowUpHint => "格式 2026-03-15，可留空",
        FollowsHint => "接续本人尚未结案的案件，使前后记录连成一案",
        KindHint => "按 {0} 或直接输入筛选",
        ChoiceHint => "←→ 切换，{0} 或直接输入打开列表",
        CheckHint => "空格键勾选",
        HelpTitle => "帮助：按键",
        HelpContext => "当前界面：{0}",
        HelpGlobal => "所有界面",
        HelpTyping => "输入框",
        HelpTypingKeys => {
            "直接打字（中文输入法可用），可粘贴；←→ Home End 移动光标，Backspace/Delete 删除，Ctrl-U 清空，Ctrl-W 删除前一词"
        }
        HelpUnbound => "（未绑定按键）",
        CtxGlobal => "全局",
        CtxList => "职工列表",
        CtxForm => "表单",
        CtxDetail => "职工详情",
        CtxPicker => "选项列表",
        CtxConfirm => "确认",
        CtxHelp => "帮助",
        WorkerGone => "该职工已被删除或不存在",
        CtxStats => "统计",
        StatsTitle => "统计",
        PeriodMonth => "本月",
        PeriodQuarter => "本季度",
        PeriodYear => "本年",
        PeriodCustom => "自定义期间…",
        PeriodPick => "统计期间",
        AllDistricts => "全部区",
        DistrictPick => "工作地所在区",
        AsOf => "截至 {0}",
        TabOverview => "概况",
        TabServices => "服务",
        TabHardship => "未服务困难职工",
        ColTotal => "总数",
        ColNew => "期间新登记",
        LblWorkers => "职工",
        LblMembers => "会员",
        LblJoinedHere => "本次入会",
        LblHardship => "困难职工",
        ReachHeading => "服务覆盖",
        ReachLine => "期间受服务 {0} / {1} 人（{2}）",
        UnservedLine => "未受服务的困难职工 {0} 人",
        HealthHeading => "健康查体",
        HealthChecksLine => "期间查体 {0} 人次，其中转诊 {1}",
        FollowUpsLine => "待随访 {0}，逾期未随访 {1}",
        LegalHeading => "法律援助",
        LegalOpenLine => "在办案件 {0} 件",
        LegalPeriodLine => "期间办理 {0} 件",
        ClaimedLine => "请求金额 ¥{0}",
        RecoveredLine => "追回金额 ¥{0}",
        RegByMonth => "每月新登记职工（近12个月）",
        SvcByKind => "期间服务 {0} 人次（按项目）",
        SvcByMonth => "每月服务人次（近12个月）",
        UnservedHeading => "期间内未受服务的困难职工：{0} 人",
        NoneUnserved => "没有：期间内每位困难职工都受过服务",
        ColDistrict => "区",
        Never => "从未",
        CustomTitle => "自定义统计期间",
        FromLabel => "开始日期",
        ToLabel => "结束日期",
        CustomHint => "如 2026-01-31；{0} 确定，Esc 取消",
        BadDate => "日期有误：{0}",
        FromAfterTo => "开始日期晚于结束日期",
    }
}

fn en(key: T) -> &'static str {
    use T::*;
    match key {
        AppName => "jingong",
        TooSmall => "Window too small: needs at least 80×24, now {0}×{1}. Please enlarge it.",
        Pending => "{0} not exported",
        NoOfficerYet => "no officer set",
        Loading => "loading…",
        Saved => "Saved",
        SaveFailed => "Not saved: {0}",
        FixFields => "Not saved: {0} fields need fixing, see the messages under them",
        Error => "Error: {0}",
        OfficerTitle => "First run: set the officer",
        OfficerIntro => {
            "Who uses this laptop? Every record you make from now on carries this name."
        }
        OfficerSaved => "Officer set: {0}",
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
        DiscardQuestion => "Discard the unsaved changes? The draft will be deleted.",
        DraftOffer => "An unsaved draft from {0} was found. Restore it and go on?",
        Registered => "Registered: {0}",
        Updated => "Changes saved: {0}",
        PickerFilter => "Filter",
        PickerEmpty => "No choice matches",
        Required => "required",
        DetailTitle => "Worker: {0}",
        BirthLabel => "born",
        AgeLabel => "age",
        GenderLabel => "sex",
        HometownLabel => "from",
        RegisteredLabel => "registered",
        ServicesHeading => "Services ({0}, newest first)",
        NoServices => "No services yet.",
        ColDate => "Date",
        ColKind => "Service",
        ColPlace => "Place",
        ColDetails => "Details",
        ColOfficer => "Officer",
        DeleteQuestion => {
            "Delete worker {0}? They leave the list (the record is kept so the deletion is exported)."
        }
        Deleted => "Deleted: {0}",
        Yes => "Yes",
        No => "No",
        Years => "{0}",
        BloodPressureShort => "BP {0}",
        GlucoseShort => "glucose {0}",
        NeedsReferral => "referral",
        FollowUpShort => "follow-up {0}",
        Claimed => "claimed ¥{0}",
        Recovered => "recovered ¥{0}",
        FollowsShort => "↳ continues the case of {0}",
        QuantityShort => "×{0}",
        HealthTitle => "Health check: {0}",
        LegalTitle => "Legal aid: {0}",
        ServiceTitle => "Log a service: {0}",
        ReferralLabel => "referral",
        ConsentHint => {
            "The worker agrees to the recording of their health data (required; Space ticks)"
        }
        NewCase => "(new case)",
        Logged => "Logged {0}: {1}",
        DateHint => "like 2026-03-15; empty means today",
        YuanHint => "in yuan",
        FollowUpHint => "like 2026-03-15; may be empty",
        FollowsHint => "continue an open case of this worker, so the visits read as one case",
        KindHint => "press {0} or type to filter",
        ChoiceHint => "←→ to change, {0} or type to open the list",
        CheckHint => "Space ticks",
        HelpTitle => "Help: keys",
        HelpContext => "This screen: {0}",
        HelpGlobal => "Every screen",
        HelpTyping => "Text fields",
        HelpTypingKeys => {
            "type (input methods work), paste; ←→ Home End move, Backspace/Delete erase, Ctrl-U clears, Ctrl-W erases a word"
        }
        HelpUnbound => "(no key)",
        CtxGlobal => "global",
        CtxList => "workers list",
        CtxForm => "form",
        CtxDetail => "worker detail",
        CtxPicker => "choice list",
        CtxConfirm => "question",
        CtxHelp => "help",
        WorkerGone => "This worker was deleted or does not exist",
        CtxStats => "statistics",
        StatsTitle => "Statistics",
        PeriodMonth => "This month",
        PeriodQuarter => "This quarter",
        PeriodYear => "This year",
        PeriodCustom => "Custom period…",
        PeriodPick => "Period",
        AllDistricts => "All districts",
        DistrictPick => "Workplace district",
        AsOf => "as of {0}",
        TabOverview => "Overview",
        TabServices => "Services",
        TabHardship => "Hardship not served",
        ColTotal => "Total",
        ColNew => "New",
        LblWorkers => "Workers",
        LblMembers => "Members",
        LblJoinedHere => "Joined here",
        LblHardship => "Hardship",
        ReachHeading => "Reach",
        ReachLine => "served {0} of {1} ({2})",
        UnservedLine => "hardship not served: {0}",
        HealthHeading => "Health checks",
        HealthChecksLine => "checks: {0}, referred: {1}",
        FollowUpsLine => "follow-ups due: {0}, overdue: {1}",
        LegalHeading => "Legal aid",
        LegalOpenLine => "open cases: {0}",
        LegalPeriodLine => "cases handled in the period: {0}",
        ClaimedLine => "claimed ¥{0}",
        RecoveredLine => "recovered ¥{0}",
        RegByMonth => "New registrations, last 12 months",
        SvcByKind => "Services in the period: {0}, by kind",
        SvcByMonth => "Services per month, last 12 months",
        UnservedHeading => "Hardship workers not served in the period: {0}",
        NoneUnserved => "None: every hardship worker was served in the period",
        ColDistrict => "District",
        Never => "never",
        CustomTitle => "Custom period",
        FromLabel => "From",
        ToLabel => "To",
        CustomHint => "like 2026-01-31; {0} applies, Esc cancels",
        BadDate => "not a date: {0}",
        FromAfterTo => "the period starts after it ends",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<usize> {
        (0..10)
            .filter(|i| s.contains(&format!("{{{i}}}")))
            .collect()
    }

    #[test]
    fn both_languages_have_every_key_with_the_same_placeholders() {
        for &key in T::ALL {
            let (z, e) = (zh(key), en(key));
            assert!(!z.trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!e.trim().is_empty(), "{key:?} has no English text");
            assert_eq!(placeholders(z), placeholders(e), "{key:?}");
        }
    }
}
