//! The text of the roster import screen.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        ImportTitle => "导入名单",
        ImportIntro => {
            "与命令 jingong import roster 相同：CSV（UTF-8 或 GBK）或 XLSX，中英文表头均可。"
        }
        ImportStartHint => "按 {0} 开始；预演只显示结果，不写入数据库。",
        ImportFile => "名单文件",
        ImportForEvent => "记录活动服务",
        ImportForEventHint => "为每位导入的职工记录「{0}」（{1}）",
        ImportDryRun => "先预演",
        ImportDryRunHint => "只看结果，不写入；空格键切换",
        ImportIsFolder => "这是文件夹，请给出名单文件",
        ImportNoFile => "找不到该文件",
        ImportDone => "名单已导入",
        ImportRoster => "名单：{0}",
        ImportRosterRead => "读取为 {0}，共 {1} 行",
        ImportCounts => "新登记 {0} 人，更新 {1} 人，无变化 {2} 人，未导入 {3} 行",
        ImportChangedFields => "更新的字段：{0}",
        ImportEventLine => "活动「{0}」：新记录服务 {1} 人，此前已记录 {2} 人（未重复记录）",
        ImportIgnored => "已忽略的列：{0}",
        ImportRejectsWritten => "未导入的行及原因已写入：",
        ImportRejectsWouldGo => "正式导入时，未导入的行及原因将写入：",
        ImportRejectsFailed => "未导入的行无法写入 {0}：{1}",
        ImportDryRunNote => "预演：以上为正式导入的结果，数据库未作任何改动。",
        ImportReasonsHeading => "未导入的行：",
        ImportRowReason => "第 {0} 行：{1}",
        ImportMoreReasons => "……另有 {0} 行未列出",
        ImportNextAfterDryRun => "按 {0} 正式导入；按 {1} 返回修改",
        ImportNextAfterRun => "导入完成。按 {0} 返回活动列表",
        ImportNextAfterFailure => "按 {0} 返回修改",
        ImportWait => "导入在一个事务中完成，中途不写入任何数据；请稍候…",
        ImportStopped => "导入意外中止，数据库未作改动",
        ImportRunningDry => "预演：{0}",
        ImportRunning => "正在导入：{0}",
        ImportReading => "读取名单…",
        ImportFailed => "未能导入：{0}",
        ImportRenamesHeading => "改名待确认（{0} 选择，{1} 接受该行改名；未接受的行不导入）：",
        ImportRenameRow => "[{0}] 第 {1} 行：已登记为 {2}，名单写作 {3}",
        ImportRenamesAccepted => "（接受改名 {0} 行）",
        ImportChangesHeading => "已更改的已登记职工（原值 → 新值）：",
        ImportChangesWouldHeading => "将更改的已登记职工（原值 → 新值）：",
        ImportChangesWritten => "完整更改清单已写入：",
        ImportChangesWouldGo => "正式导入时，完整更改清单将写入：",
        ImportChangesFailed => "更改清单无法写入 {0}：{1}",
        FooterStart => "开始",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        ImportTitle => "Import a roster",
        ImportIntro => {
            "The same as jingong import roster: CSV (UTF-8 or GBK) or XLSX, any headers."
        }
        ImportStartHint => "Press {0} to start; a dry run shows the result and writes nothing.",
        ImportFile => "roster file",
        ImportForEvent => "record the event",
        ImportForEventHint => "for each worker: '{0}' ({1})",
        ImportDryRun => "dry run first",
        ImportDryRunHint => "show the result, write nothing; Space toggles",
        ImportIsFolder => "this is a folder: name the roster file",
        ImportNoFile => "no such file",
        ImportDone => "Roster imported",
        ImportRoster => "roster: {0}",
        ImportRosterRead => "read as {0}, {1} rows",
        ImportCounts => "new {0}, updated {1}, unchanged {2}, rejected {3}",
        ImportChangedFields => "fields updated: {0}",
        ImportEventLine => "event '{0}': service recorded for {1}, {2} already served (not twice)",
        ImportIgnored => "columns ignored: {0}",
        ImportRejectsWritten => "refused rows and reasons written to:",
        ImportRejectsWouldGo => "the real import writes refused rows and reasons to:",
        ImportRejectsFailed => "the refused rows could not be written to {0}: {1}",
        ImportDryRunNote => "Dry run: this is what the import will do; nothing was written.",
        ImportReasonsHeading => "Refused rows:",
        ImportRowReason => "row {0}: {1}",
        ImportMoreReasons => "… {0} more not shown",
        ImportNextAfterDryRun => "{0} imports for real; {1} goes back to change it",
        ImportNextAfterRun => "Done. {0} goes back to the events",
        ImportNextAfterFailure => "{0} goes back to change it",
        ImportWait => "One transaction: nothing is written until it ends. Please wait…",
        ImportStopped => "the import stopped unexpectedly; nothing was written",
        ImportRunningDry => "Dry run: {0}",
        ImportRunning => "Importing: {0}",
        ImportReading => "reading the roster…",
        ImportFailed => "Could not import: {0}",
        ImportRenamesHeading => {
            "Renames to confirm ({0} choose, {1} accepts the row's rename; rows not accepted are refused):"
        }
        ImportRenameRow => "[{0}] row {1}: registered as {2}, the roster says {3}",
        ImportRenamesAccepted => " (renames accepted: {0})",
        ImportChangesHeading => "Registered workers changed (old → new):",
        ImportChangesWouldHeading => "Registered workers the import would change (old → new):",
        ImportChangesWritten => "Full list of changes written to:",
        ImportChangesWouldGo => "The import will write the full list of changes to:",
        ImportChangesFailed => "Could not write the list of changes to {0}: {1}",
        FooterStart => "Start",
        _ => return None,
    })
}
