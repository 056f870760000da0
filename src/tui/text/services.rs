//! The text of the service forms: plain service, health check, legal aid.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
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
        BloodPressureHint => "格式 收缩压/舒张压，如 120/80",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
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
        BloodPressureHint => "systolic/diastolic, e.g. 120/80",
        _ => return None,
    })
}
