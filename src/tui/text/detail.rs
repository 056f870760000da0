//! The text of a worker's detail screen: profile, services, the year's focus.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
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
        Years => "{0} 岁",
        BloodPressureShort => "血压 {0}",
        GlucoseShort => "血糖 {0}",
        NeedsReferral => "需转诊",
        FollowUpShort => "复查 {0}",
        Claimed => "主张 ¥{0}",
        Recovered => "追回 ¥{0}",
        FollowsShort => "↳ 接续 {0} 的案件",
        QuantityShort => "×{0}",
        YearNone => "{0} 年：尚无服务",
        YearByKind => "{0} 年：{1}",
        OpenCasesCount => "未结案件 {0}",
        FollowUpsNone => "无待复查",
        FollowUpsDue => "待复查 {0}，最早 {1}",
        FocusKind => "{0} 年的{1}",
        FocusOpenCases => "未结案件的记录",
        FocusFollowUps => "待复查的体检",
        FocusHeading => "服务记录：{0}（{1} 条，共 {2} 条；Esc 显示全部）",
        FocusEmpty => "没有这类记录",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
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
        Years => "{0}",
        BloodPressureShort => "BP {0}",
        GlucoseShort => "glucose {0}",
        NeedsReferral => "referral",
        FollowUpShort => "follow-up {0}",
        Claimed => "claimed ¥{0}",
        Recovered => "recovered ¥{0}",
        FollowsShort => "↳ continues the case of {0}",
        QuantityShort => "×{0}",
        YearNone => "{0}: no service yet",
        YearByKind => "{0}: {1}",
        OpenCasesCount => "Open cases {0}",
        FollowUpsNone => "No follow-up due",
        FollowUpsDue => "Follow-ups {0}, first {1}",
        FocusKind => "{1} in {0}",
        FocusOpenCases => "visits of open cases",
        FocusFollowUps => "health checks awaiting follow-up",
        FocusHeading => "Services: {0} ({1} of {2}; Esc shows all)",
        FocusEmpty => "No such record",
        _ => return None,
    })
}
