//! What can go wrong in the store, each with a message an officer can act on.

use crate::domain::FieldError;
use crate::text::Lang;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A value broke a rule (including a duplicate ID number).
    #[error("{0}")]
    Invalid(FieldError),
    /// Several values broke rules at once (forms and roster rows report them together).
    #[error("{} invalid fields", .0.len())]
    InvalidMany(Vec<FieldError>),
    #[error("no officer profile on this database")]
    NoOfficer,
    #[error("{what} not found")]
    NotFound { what: String },
    /// The worker's personal data was erased already; there is nothing left to erase.
    #[error("{what} already erased")]
    AlreadyErased { what: String },
    #[error("record was changed elsewhere (version {found}, expected {expected})")]
    StaleVersion { expected: i64, found: i64 },
    #[error("database schema {found} is newer than this program ({supported})")]
    NewerSchema { found: i64, supported: i64 },
    #[error("{path}: not a jingong database")]
    NotADatabase { path: PathBuf },
    #[error("{path}: cannot open or create the database: {reason}")]
    CannotOpen { path: PathBuf, reason: String },
    /// A roster or quick entry cannot fill in a per-person form (health check, legal aid).
    #[error("event kind {kind} needs a form per person")]
    EventNeedsForm { kind: String },
    /// An edit would turn a service into a kind with another form (its details would be lost).
    #[error("kind {from} cannot become {to}")]
    KindChangesForm { from: String, to: String },
    /// An event still has live attendee services and the caller chose not to withdraw them.
    #[error("event has {count} live services")]
    EventHasServices { count: usize },
    /// A legal-aid case already closed cannot be closed or continued again.
    #[error("case {uid} is already closed")]
    CaseClosed { uid: String },
    #[error("database is read-only")]
    ReadOnly,
    #[error("disk is full")]
    DiskFull,
    #[error("database is busy")]
    Busy,
    /// The key given does not open this encrypted file.
    #[error("{path}: wrong key")]
    WrongKey { path: PathBuf },
    /// The file looks encrypted and no key was given.
    #[error("{path}: encrypted, no key given")]
    KeyNeeded { path: PathBuf },
    /// A key was given for a file that is not encrypted.
    #[error("{path}: not encrypted")]
    NotEncrypted { path: PathBuf },
    /// Encryption asked of a build without the `encryption` feature.
    #[error("this build has no encryption")]
    NoEncryption,
    /// A copy would overwrite an existing file.
    #[error("{path} already exists")]
    Exists { path: PathBuf },
    /// A converted copy did not pass its check; it was removed.
    #[error("copy failed its check: {detail}")]
    CopyDamaged { detail: String },
    /// A record's version would pass `version::MAX_VERSION`.
    #[error("record version {current} cannot grow further")]
    VersionLimit { current: i64 },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(e, _) = &err {
            match e.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return StoreError::Busy,
                ErrorCode::ReadOnly => return StoreError::ReadOnly,
                // A full disk and a file-size limit both surface as a failed write.
                ErrorCode::DiskFull | ErrorCode::SystemIoFailure => return StoreError::DiskFull,
                _ => {}
            }
        }
        StoreError::Sqlite(err)
    }
}

impl From<FieldError> for StoreError {
    fn from(err: FieldError) -> Self {
        StoreError::Invalid(err)
    }
}

impl StoreError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Invalid(e) => e.message(lang),
            StoreError::InvalidMany(errors) => errors
                .iter()
                .map(|e| e.message(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
            StoreError::NoOfficer => lang
                .pick(
                    "尚未设置经办人。请先运行：jingong officer set --name 姓名 --org 所属工会 --district 区代码（如 120101）",
                    "No officer profile yet. Set one first: jingong officer set --name NAME --org ORGANISATION --district CODE (e.g. 120101)",
                )
                .into(),
            StoreError::NotFound { what } => match lang {
                Lang::Zh => format!("找不到：{what}"),
                Lang::En => format!("not found: {what}"),
            },
            StoreError::AlreadyErased { what } => match lang {
                Lang::Zh => format!("{what}：该职工的个人信息已删除，无需再删"),
                Lang::En => format!("{what}: this worker's personal data was erased already"),
            },
            StoreError::StaleVersion { .. } => lang
                .pick(
                    "该记录已被他人修改，请重新打开后再改",
                    "this record was changed elsewhere; reopen it and edit again",
                )
                .into(),
            StoreError::NewerSchema { found, supported } => match lang {
                Lang::Zh => format!(
                    "数据库版本 {found} 比本程序支持的 {supported} 新：请升级 jingong 后再打开，数据未作改动"
                ),
                Lang::En => format!(
                    "the database has schema {found}, newer than this program's {supported}: upgrade jingong to open it; nothing was changed"
                ),
            },
            StoreError::NotADatabase { path } if !super::cipher::AVAILABLE => match lang {
                Lang::Zh => format!(
                    "{}：不是 jingong 数据库（文件已损坏或是其他文件；如是加密数据库，须用带加密功能的 jingong 打开）",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: not a jingong database (damaged, or another kind of file; an encrypted database needs a build with encryption)",
                    path.display()
                ),
            },
            StoreError::NotADatabase { path } => match lang {
                Lang::Zh => format!("{}：不是 jingong 数据库（文件已损坏或是其他文件）", path.display()),
                Lang::En => format!("{}: not a jingong database (damaged, or another kind of file)", path.display()),
            },
            StoreError::CannotOpen { path, reason } => match lang {
                Lang::Zh => format!("无法打开或创建数据库 {}：{reason}", path.display()),
                Lang::En => format!("cannot open or create the database {}: {reason}", path.display()),
            },
            StoreError::EventNeedsForm { kind } => match lang {
                Lang::Zh => format!(
                    "该活动的服务类别（{kind}）须逐人填写表单（体检结果或法律援助案情），不能按名单批量登记"
                ),
                Lang::En => format!(
                    "this event's service kind ({kind}) needs a form per person (health results or a legal-aid case); it cannot be recorded from a roster"
                ),
            },
            StoreError::KindChangesForm { from, to } => match lang {
                Lang::Zh => format!(
                    "服务类别：{from} 不能改为 {to}（两者的表单不同，原有的体检或案件内容会丢失）；请撤回这条记录再重新登记"
                ),
                Lang::En => format!(
                    "service kind: {from} cannot become {to} (their forms differ and the health or case details would be lost); withdraw this record and log it again"
                ),
            },
            StoreError::EventHasServices { count } => match lang {
                Lang::Zh => format!(
                    "该活动还有 {count} 条参加人员的服务记录：可选择一并撤回（命令行加 --with-services），或先逐条处理；未作改动"
                ),
                Lang::En => format!(
                    "this event still has {count} attendee services: choose to withdraw them too (on the command line: --with-services), or deal with them one by one first; nothing was changed"
                ),
            },
            StoreError::CaseClosed { uid } => match lang {
                Lang::Zh => format!("该法律援助案件已结案（最后一次记录 {uid}），未作改动"),
                Lang::En => format!("this legal-aid case is already closed (latest visit {uid}); nothing was changed"),
            },
            StoreError::ReadOnly => lang
                .pick(
                    "数据库只读，无法写入：请检查文件和所在文件夹的权限",
                    "the database is read-only: check the permissions of the file and its folder",
                )
                .into(),
            StoreError::DiskFull => lang
                .pick(
                    "磁盘已满或无法写入，本次保存未完成（已有数据完好）：请腾出空间后重试",
                    "the disk is full or cannot be written; this save did not happen (existing data is intact): free some space and retry",
                )
                .into(),
            StoreError::Busy => lang
                .pick(
                    "数据库正被另一个 jingong 进程长时间占用，请稍后重试",
                    "the database is held by another jingong process for too long; retry in a moment",
                )
                .into(),
            StoreError::WrongKey { path } => match lang {
                Lang::Zh => format!(
                    "密钥不对，无法解密数据库 {}（也可能该文件不是 jingong 数据库）：请核对密钥后重试，数据未作改动",
                    path.display()
                ),
                Lang::En => format!(
                    "wrong key: the database {} cannot be decrypted with it (or the file is not a jingong database); check the key and retry, nothing was changed",
                    path.display()
                ),
            },
            StoreError::KeyNeeded { path } => match lang {
                Lang::Zh => format!(
                    "数据库 {} 已加密（或已损坏）：请在终端中运行以输入密钥，或设置环境变量 JINGONG_KEY",
                    path.display()
                ),
                Lang::En => format!(
                    "the database {} is encrypted (or damaged): run in a terminal to type the key, or set JINGONG_KEY",
                    path.display()
                ),
            },
            StoreError::NotEncrypted { path } => match lang {
                Lang::Zh => format!(
                    "数据库 {} 未加密，却给了密钥：如要加密，请运行 jingong encrypt --out 新文件；如照常使用，请取消 JINGONG_KEY",
                    path.display()
                ),
                Lang::En => format!(
                    "the database {} is not encrypted, yet a key was given: to encrypt it run jingong encrypt --out NEW_FILE; to use it as it is, unset JINGONG_KEY",
                    path.display()
                ),
            },
            StoreError::NoEncryption => lang
                .pick(
                    "本程序构建时未启用加密功能（encryption），无法读写加密数据库：请使用带加密功能的 jingong",
                    "this build of jingong has no encryption (the `encryption` feature): use a build that has it",
                )
                .into(),
            StoreError::VersionLimit { current } => match lang {
                Lang::Zh => format!(
                    "记录版本号已达上限（{current}，上限 2^53），不能再修改；该记录很可能来自被篡改的批次，请联系区工会"
                ),
                Lang::En => format!(
                    "the record's version ({current}) is at the limit (2^53) and cannot change again; it most likely came from a tampered batch: contact the district union"
                ),
            },
            StoreError::Exists { path } => match lang {
                Lang::Zh => format!("{} 已存在，不会覆盖：请换一个文件名", path.display()),
                Lang::En => format!("{} already exists and is not overwritten: choose another name", path.display()),
            },
            StoreError::CopyDamaged { detail } => match lang {
                Lang::Zh => format!("转换后的副本未通过检查，已删除，原数据库未作改动：{detail}"),
                Lang::En => format!("the converted copy failed its check and was removed; the database is unchanged: {detail}"),
            },
            StoreError::Io(e) => match lang {
                Lang::Zh => format!("文件读写失败：{e}"),
                Lang::En => format!("file error: {e}"),
            },
            StoreError::Sqlite(e) => match lang {
                Lang::Zh => format!("数据库错误：{e}"),
                Lang::En => format!("database error: {e}"),
            },
        }
    }

    /// Invalid input and not-found are the user's to fix; the CLI maps them to exit codes.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, StoreError::Invalid(_) | StoreError::InvalidMany(_))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
