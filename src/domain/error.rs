//! A refused value names the field and the rule it broke, in the UI language.

use crate::safe_text::terminal_safe;
use crate::text::Lang;
use chrono::NaiveDate;
use std::fmt;

/// Every input field a rule can refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    IdNumber,
    Phone,
    Employer,
    Worksite,
    Trade,
    District,
    Membership,
    CardNo,
    Hardship,
    Note,
    Kind,
    Date,
    Place,
    Quantity,
    Amount,
    Provider,
    BloodPressure,
    Glucose,
    Findings,
    FollowUpOn,
    Consent,
    Category,
    Status,
    Description,
    Claimed,
    Recovered,
    Follows,
    Officer,
    Organisation,
    EventName,
    Worker,
    /// Why a record is withdrawn (officer's text about the record).
    Reason,
    /// How a legal-aid case ended (code from data/legal_aid.toml outcomes).
    Outcome,
    /// Why a worker's personal data is erased (a code: request, consent_withdrawn,
    /// retention_expired).
    ErasureReason,
    /// What a worker asks for (code from data/needs.toml).
    NeedKind,
    /// Mutual-aid claim type (code from data/mutual_aid.toml).
    ClaimType,
    DiagnosedOn,
    AccidentOn,
    DiedOn,
    FireOn,
    /// The member card's protection period.
    ProtectionStart,
    ProtectionEnd,
    /// The documents checklist of a claim.
    Documents,
    ClaimStatus,
    ClaimAmount,
    /// Why a claim was not granted.
    RejectReason,
    PaidAmount,
    PaidOn,
    /// The folder the automatic backups go to (a USB stick, a second disk).
    BackupFolder,
    /// How many automatic backups are kept.
    BackupKeep,
}

impl Field {
    pub fn label(self, lang: Lang) -> &'static str {
        use Field::*;
        let (zh, en) = match self {
            Name => ("姓名", "name"),
            IdNumber => ("身份证号", "ID number"),
            Phone => ("手机号", "phone"),
            Employer => ("工作单位", "employer"),
            Worksite => ("工地/场所", "worksite"),
            Trade => ("工种", "trade"),
            District => ("所属区", "district"),
            Membership => ("会员状态", "membership"),
            CardNo => ("会员服务卡号", "member card number"),
            Hardship => ("困难职工", "hardship"),
            Note => ("备注", "note"),
            Kind => ("服务类别", "service kind"),
            Date => ("日期", "date"),
            Place => ("地点", "place"),
            Quantity => ("数量", "quantity"),
            Amount => ("金额", "amount"),
            Provider => ("体检机构", "provider"),
            BloodPressure => ("血压", "blood pressure"),
            Glucose => ("血糖", "glucose"),
            Findings => ("检查结果", "findings"),
            FollowUpOn => ("复查日期", "follow-up date"),
            Consent => ("健康信息授权", "health data consent"),
            Category => ("案件类别", "category"),
            Status => ("办理状态", "status"),
            Description => ("情况描述", "description"),
            Claimed => ("主张金额", "amount claimed"),
            Recovered => ("追回金额", "amount recovered"),
            Follows => ("接续案件", "follow-up of"),
            Officer => ("经办人", "officer"),
            Organisation => ("所属工会", "union organisation"),
            EventName => ("活动名称", "event name"),
            Worker => ("职工", "worker"),
            Reason => ("撤回原因", "reason"),
            Outcome => ("结案结果", "outcome"),
            ErasureReason => ("删除原因代码", "erasure reason code"),
            NeedKind => ("诉求类别", "need"),
            ClaimType => ("互助保障类型", "claim type"),
            DiagnosedOn => ("确诊日期", "diagnosis date"),
            AccidentOn => ("事故日期", "accident date"),
            DiedOn => ("身故日期", "date of death"),
            FireOn => ("火灾日期", "fire date"),
            ProtectionStart => ("保障期起始", "protection start"),
            ProtectionEnd => ("保障期截止", "protection end"),
            Documents => ("材料清单", "documents"),
            ClaimStatus => ("申请状态", "claim status"),
            ClaimAmount => ("申请金额", "amount claimed"),
            RejectReason => ("未通过原因", "reason not granted"),
            PaidAmount => ("发放金额", "amount paid"),
            PaidOn => ("发放日期", "date paid"),
            BackupFolder => ("备份文件夹", "backup folder"),
            BackupKeep => ("保留份数", "backups kept"),
        };
        lang.pick(zh, en)
    }
}

/// The rule a value broke. Variants carry what the message needs to be precise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Required,
    /// Text longer than allowed (in characters).
    TooLong {
        max: usize,
    },
    /// Control characters, bidi marks and other invisible characters are refused.
    InvisibleCharacter,
    /// Name: only Chinese or Latin letters and the middle dot.
    NameCharacters,
    /// ID number: wrong length (found characters, after stripping spaces).
    IdLength {
        found: usize,
    },
    /// ID number: a character that is not a digit (or X in the last place).
    IdCharacter {
        position: usize,
        found: char,
    },
    /// ID number: the embedded birth date is not a real date, in the future, or before 1900.
    IdBirthDate,
    /// ID number: the check digit does not match.
    IdCheckDigit {
        expected: char,
        found: char,
    },
    /// ID number: the first two digits are not a province-level code.
    IdProvince {
        code: String,
    },
    /// Phone: not a mainland mobile number (11 digits starting 13-19).
    PhoneFormat,
    /// Money: not a number of yuan with at most two decimals.
    MoneyFormat,
    MoneyNegative,
    MoneyTooManyDecimals,
    MoneyTooLarge,
    /// Date: not YYYY-MM-DD or not a real date.
    DateFormat,
    DateInFuture,
    /// Date: before the earliest date jingong records (`validate::EARLIEST_DATE`).
    DateTooEarly {
        floor: NaiveDate,
    },
    /// Date of a service: before the worker was born. The birth date is not repeated in the
    /// message, which may end up in a rejects file.
    DateBeforeBirth,
    /// Follow-up date of a health check: before the check itself.
    FollowUpBeforeService,
    /// Blood pressure: "systolic/diastolic", plausible numbers.
    BloodPressureFormat,
    /// Glucose in mmol/L, a plausible number.
    GlucoseFormat,
    /// Quantity: a whole number from 1.
    QuantityFormat,
    /// A code that is not in the reference data (kind, district, category, status).
    UnknownCode {
        code: String,
    },
    /// Health information needs the worker's separate consent.
    ConsentRequired,
    /// Another live worker already holds this ID number.
    DuplicateIdNumber {
        existing_uid: String,
        existing_name: String,
    },
    /// Recovered more than claimed.
    RecoveredExceedsClaimed,
    /// A folder that must already exist does not (or is not a folder).
    FolderMissing {
        path: String,
    },
    /// A whole number within bounds (inclusive).
    WholeNumberBetween {
        min: u32,
        max: u32,
    },
    /// The referenced record does not exist (or is deleted).
    NotFound {
        what: String,
    },
    /// A need closed by hand must be open (`state` is its state code).
    NeedNotOpen {
        state: String,
    },
    /// A mutual-aid claim is for union members only.
    ClaimNeedsMember,
    /// A mutual-aid claim needs the member's service card number.
    ClaimNeedsCard,
    /// The claim type is for women members only.
    WomenOnly,
    /// The type's date must fall in the protection period, and none is recorded.
    ProtectionRequired,
    ProtectionEndBeforeStart,
    /// The date falls outside the member's protection period.
    OutsideProtection {
        start: NaiveDate,
        end: NaiveDate,
    },
    DeathBeforeAccident,
    /// Death `days` after the accident, more than the type's `max`.
    DeathTooLate {
        days: i64,
        max: i64,
    },
    /// A date the claim type does not use was given.
    DateNotForType,
    /// An amount that must be above zero.
    AmountZero,
    /// Above the claim type's sum (`fixed`: the type pays exactly that sum).
    AmountAboveMaximum {
        max_fen: i64,
        fixed: bool,
    },
    /// Documents (codes) still missing from the checklist.
    DocumentsMissing {
        missing: Vec<String>,
    },
    /// A claim status move the rules do not allow (status codes).
    StatusMove {
        from: String,
        to: String,
    },
    /// Paid amount or date on a claim that is not being paid.
    PaidOnlyWhenPaid,
    PaidAboveClaimed,
}

/// A value refused: which field, which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: Field, rule: Rule) -> Self {
        FieldError { field, rule }
    }

    /// "身份证号：校验位应为 X，实为 3" / "ID number: check digit should be X, found 3".
    pub fn message(&self, lang: Lang) -> String {
        format!(
            "{}{}{}",
            self.field.label(lang),
            lang.pick("：", ": "),
            self.rule.describe(lang)
        )
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for FieldError {}

impl Rule {
    pub fn describe(&self, lang: Lang) -> String {
        use Rule::*;
        match self {
            Required => lang.pick("必填", "is required").into(),
            TooLong { max } => match lang {
                Lang::Zh => format!("不能超过 {max} 个字"),
                Lang::En => format!("must be at most {max} characters"),
            },
            InvisibleCharacter => lang
                .pick(
                    "含有控制字符或不可见字符",
                    "contains a control or invisible character",
                )
                .into(),
            NameCharacters => lang
                .pick(
                    "只能是汉字、拉丁字母和间隔号「·」",
                    "only Chinese or Latin letters and the middle dot (·) are allowed",
                )
                .into(),
            IdLength { found } => match lang {
                Lang::Zh => format!("长度应为 18 位（或旧式 15 位），实为 {found} 位"),
                Lang::En => format!("must have 18 characters (or the old 15), found {found}"),
            },
            IdCharacter { position, found } => match lang {
                // The character came from outside: shown escaped if it is a control.
                Lang::Zh => format!(
                    "第 {position} 位「{}」不是数字（只有最后一位可为 X）",
                    terminal_safe(found.encode_utf8(&mut [0; 4]))
                ),
                Lang::En => format!(
                    "character {position} '{}' is not a digit (only the last may be X)",
                    terminal_safe(found.encode_utf8(&mut [0; 4]))
                ),
            },
            IdBirthDate => lang
                .pick(
                    "出生日期无效（须为真实日期，不早于 1900 年，不晚于今天）",
                    "birth date is invalid (a real date, not before 1900, not in the future)",
                )
                .into(),
            IdCheckDigit { expected, found } => match lang {
                Lang::Zh => format!("校验位应为 {expected}，实为 {found}（请核对号码）"),
                Lang::En => {
                    format!("check digit should be {expected}, found {found} (check the number)")
                }
            },
            IdProvince { code } => match lang {
                Lang::Zh => format!("前两位 {code} 不是有效的省级行政区代码"),
                Lang::En => format!("first two digits {code} are not a province-level code"),
            },
            PhoneFormat => lang
                .pick(
                    "应为 11 位手机号，以 13–19 开头",
                    "must be an 11-digit mobile number starting with 13-19",
                )
                .into(),
            MoneyFormat => lang
                .pick(
                    "应为以元为单位的金额，如 300 或 12.5",
                    "must be an amount in yuan, like 300 or 12.5",
                )
                .into(),
            MoneyNegative => lang.pick("不能为负数", "must not be negative").into(),
            MoneyTooManyDecimals => lang
                .pick("最多两位小数（分）", "at most two decimals (fen)")
                .into(),
            MoneyTooLarge => lang.pick("金额过大", "is too large").into(),
            DateFormat => lang
                .pick(
                    "应为日期 YYYY-MM-DD，如 2026-11-29",
                    "must be a date YYYY-MM-DD, like 2026-11-29",
                )
                .into(),
            DateInFuture => lang
                .pick("不能晚于今天", "must not be in the future")
                .into(),
            DateTooEarly { floor } => match lang {
                Lang::Zh => format!("不能早于 {floor}"),
                Lang::En => format!("must not be before {floor}"),
            },
            DateBeforeBirth => lang
                .pick(
                    "不能早于职工的出生日期",
                    "must not be before the worker's birth date",
                )
                .into(),
            FollowUpBeforeService => lang
                .pick("不能早于服务日期", "must not be before the service date")
                .into(),
            BloodPressureFormat => lang
                .pick(
                    "应为 收缩压/舒张压，如 120/80",
                    "must be systolic/diastolic, like 120/80",
                )
                .into(),
            GlucoseFormat => lang
                .pick(
                    "应为 mmol/L 数值，如 5.6",
                    "must be a value in mmol/L, like 5.6",
                )
                .into(),
            QuantityFormat => lang
                .pick("应为不小于 1 的整数", "must be a whole number from 1")
                .into(),
            UnknownCode { code } => match lang {
                Lang::Zh => format!("「{}」不在可选范围内", terminal_safe(code)),
                Lang::En => format!("'{}' is not one of the known codes", terminal_safe(code)),
            },
            ConsentRequired => lang
                .pick(
                    "记录健康信息须经职工单独同意",
                    "the worker's separate consent is required to record health data",
                )
                .into(),
            DuplicateIdNumber {
                existing_uid,
                existing_name,
            } => match lang {
                Lang::Zh => format!(
                    "已登记为 {}（{existing_uid}）",
                    terminal_safe(existing_name)
                ),
                Lang::En => format!(
                    "already registered as {} ({existing_uid})",
                    terminal_safe(existing_name)
                ),
            },
            RecoveredExceedsClaimed => lang
                .pick(
                    "追回金额不能大于主张金额",
                    "recovered must not exceed claimed",
                )
                .into(),
            FolderMissing { path } => match lang {
                Lang::Zh => format!(
                    "文件夹 {} 不存在（请先插好 U 盘或建好文件夹）",
                    terminal_safe(path)
                ),
                Lang::En => format!(
                    "the folder {} does not exist (plug in the stick or make the folder first)",
                    terminal_safe(path)
                ),
            },
            WholeNumberBetween { min, max } => match lang {
                Lang::Zh => format!("应为 {min} 到 {max} 之间的整数"),
                Lang::En => format!("must be a whole number from {min} to {max}"),
            },
            NotFound { what } => match lang {
                Lang::Zh => format!("找不到 {}", terminal_safe(what)),
                Lang::En => format!("{} not found", terminal_safe(what)),
            },
            NeedNotOpen { state } => {
                let state = super::needs::NeedState::from_code(state)
                    .map_or_else(|| terminal_safe(state).into_owned(), |s| s.name(lang).into());
                match lang {
                    Lang::Zh => format!("只能关闭待解决的诉求，此诉求{state}"),
                    Lang::En => format!("only an open need can be closed; this one is {state}"),
                }
            }
            ClaimNeedsMember => lang
                .pick(
                    "互助保障仅限工会会员申请（该职工不是会员）",
                    "mutual-aid claims are for union members only (this worker is not a member)",
                )
                .into(),
            ClaimNeedsCard => lang
                .pick(
                    "互助保障须持会员服务卡：请先登记卡号",
                    "a mutual-aid claim needs the member's service card: record the card number first",
                )
                .into(),
            WomenOnly => lang
                .pick("此类型仅限女会员申请", "this type is for women members only")
                .into(),
            ProtectionRequired => lang
                .pick(
                    "此类型须在保障期内：请填写会员卡上的保障期",
                    "this type must fall in the protection period: enter the period on the member card",
                )
                .into(),
            ProtectionEndBeforeStart => lang
                .pick("不能早于保障期起始日", "must not be before the protection start")
                .into(),
            OutsideProtection { start, end } => match lang {
                Lang::Zh => format!("不在会员保障期内（{start} 至 {end}）"),
                Lang::En => format!("is outside the member's protection period ({start} to {end})"),
            },
            DeathBeforeAccident => lang
                .pick("不能早于事故日期", "must not be before the accident")
                .into(),
            DeathTooLate { days, max } => match lang {
                Lang::Zh => format!("须在事故后 {max} 天内，实为第 {days} 天"),
                Lang::En => format!("must be within {max} days of the accident, found {days}"),
            },
            DateNotForType => lang
                .pick("此类型不需要这个日期", "is not a date this claim type uses")
                .into(),
            AmountZero => lang.pick("须大于 0", "must be above zero").into(),
            AmountAboveMaximum { max_fen, fixed } => {
                let max = super::money::format_fen(*max_fen);
                match (lang, fixed) {
                    (Lang::Zh, true) => format!("此类型定额给付 {max} 元，不能超过"),
                    (Lang::Zh, false) => format!("此类型最高 {max} 元，不能超过"),
                    (Lang::En, true) => format!("this type pays a fixed {max} yuan; no more"),
                    (Lang::En, false) => format!("this type pays at most {max} yuan"),
                }
            }
            DocumentsMissing { missing } => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|code| super::claims::document_name(code, lang))
                    .collect();
                match lang {
                    Lang::Zh => format!("提交前须收齐材料，还缺：{}", names.join("、")),
                    Lang::En => format!(
                        "every document is needed from submission on; missing: {}",
                        names.join(", ")
                    ),
                }
            }
            StatusMove { from, to } => {
                let name = |code: &str| {
                    super::claims::ClaimStatus::from_code(code)
                        .map_or_else(|| terminal_safe(code).into_owned(), |s| s.name(lang).into())
                };
                match lang {
                    Lang::Zh => format!("不能从「{}」改为「{}」", name(from), name(to)),
                    Lang::En => format!("cannot move from '{}' to '{}'", name(from), name(to)),
                }
            }
            PaidOnlyWhenPaid => lang
                .pick(
                    "只有状态为「已发放」时才填发放金额和日期",
                    "amount and date paid go with the status 'paid' only",
                )
                .into(),
            PaidAboveClaimed => lang
                .pick("不能超过申请金额", "must not exceed the amount claimed")
                .into(),
        }
    }
}
