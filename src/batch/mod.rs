//! Batches for the city union system: export (atomic, crash-safe), verify, and merge batches
//! from other laptops. The format is described for the receiving side in docs/batch-format.md.

pub mod export;
mod export_aid;
pub mod format;
pub mod merge;
mod merge_aid;
pub mod person;
pub mod problems;
pub mod receipt_import;
pub mod record_rules;
pub mod resolve;
pub mod returned;
pub mod roster;
pub mod roster_needs;
pub mod seal;
pub mod source;
pub mod verify;

pub mod earlier;

mod csv_copy;
mod fsio;
mod review;
mod xlsx_copy;
mod zip_pack;

use crate::store::StoreError;
use crate::text::Lang;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another export or import is running on this database")]
    Locked,
    #[error("{path}: not a batch folder or zip")]
    NotABatch { path: PathBuf },
    #[error("{path}: {message}")]
    Zip { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Workbook { path: PathBuf, message: String },
    /// A symbolic link, FIFO, device … where a batch file should be: never opened.
    #[error("{path}: not a regular file ({kind:?})")]
    NotRegularFile {
        path: PathBuf,
        kind: source::EntryKind,
    },
    #[error("{path}: two zip entries have the same name")]
    DuplicateZipEntry { path: PathBuf },
    #[error("{path}: longer than {limit} bytes")]
    TooLarge { path: PathBuf, limit: u64 },
    /// The batch uid was seen here with another manifest: not the same batch.
    #[error("{path}: batch uid {batch_uid} already used by a different batch")]
    BatchUidReused { path: PathBuf, batch_uid: String },
    /// A line marked as an erasure (format 2) that the merge could not read as one; verification
    /// refuses such a line first, so this guards against a batch changed between the two reads.
    #[error("{path}: {file}:{line}: erasure cannot be applied")]
    ErasureNotApplied {
        path: PathBuf,
        file: &'static str,
        line: u64,
    },
    /// A sealed batch that could not be opened, or a bad key.
    #[error("{path}: sealed batch: {problem:?}")]
    Sealed {
        path: PathBuf,
        problem: seal::SealProblem,
    },
    /// The batch failed verification; the report lists every problem.
    #[error("invalid batch {path}")]
    Invalid {
        path: PathBuf,
        problems: verify::Problems,
    },
}

impl BatchError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> BatchError {
        BatchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            BatchError::Store(e) => e.message(lang),
            BatchError::Io { path, source } => match lang {
                Lang::Zh => format!("{}：文件读写失败：{source}", path.display()),
                Lang::En => format!("{}: file error: {source}", path.display()),
            },
            BatchError::Locked => lang
                .pick(
                    "本数据库正在进行另一次导出或导入，请等它结束后重试",
                    "another export or import is running on this database; retry when it ends",
                )
                .into(),
            BatchError::NotABatch { path } => match lang {
                Lang::Zh => format!("{}：不是批次文件夹或 zip 文件", path.display()),
                Lang::En => format!("{}: not a batch folder or zip", path.display()),
            },
            BatchError::Zip { path, message } => match lang {
                Lang::Zh => format!("{}：zip 文件有误：{message}", path.display()),
                Lang::En => format!("{}: zip error: {message}", path.display()),
            },
            BatchError::Workbook { path, message } => match lang {
                Lang::Zh => format!("{}：无法写入 Excel 文件：{message}", path.display()),
                Lang::En => format!("{}: cannot write the workbook: {message}", path.display()),
            },
            BatchError::NotRegularFile { path, kind } => match lang {
                Lang::Zh => format!(
                    "{}：是{}，不是普通文件，拒绝读取（批次中只能有普通文件）",
                    path.display(),
                    kind.describe(lang)
                ),
                Lang::En => format!(
                    "{}: is {}, not a regular file; refused (a batch holds regular files only)",
                    path.display(),
                    kind.describe(lang)
                ),
            },
            BatchError::DuplicateZipEntry { path } => match lang {
                Lang::Zh => format!(
                    "{}：zip 中有两个同名文件，无法确定应读哪一个，整批拒收",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: the zip holds two entries of the same name; which one is meant cannot be known, refused whole",
                    path.display()
                ),
            },
            BatchError::TooLarge { path, limit } => match lang {
                Lang::Zh => format!("{}：超过 {limit} 字节的上限，拒绝读取", path.display()),
                Lang::En => format!(
                    "{}: longer than the {limit}-byte limit; refused",
                    path.display()
                ),
            },
            BatchError::BatchUidReused { path, batch_uid } => match lang {
                Lang::Zh => format!(
                    "{}：批次编号 {batch_uid} 已用于另一个内容不同的批次（清单不同）：这是用了旧编号的另一个批次，整批拒收",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: batch uid {batch_uid} was already used by a batch with a different manifest: a different batch under a used name, refused whole",
                    path.display()
                ),
            },
            BatchError::ErasureNotApplied { path, file, line } => match lang {
                Lang::Zh => format!(
                    "{}：{file}:{line}：这条删除个人信息（erase）记录无法读取，整批拒收，未作任何改动",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: {file}:{line}: an erasure (op erase) that could not be read; the batch was refused whole and nothing changed",
                    path.display()
                ),
            },
            BatchError::Sealed { path, problem } => problem.message(path, lang),
            BatchError::Invalid { path, problems } => {
                let mut text = match lang {
                    Lang::Zh => format!(
                        "{}：批次校验未通过，共 {} 个问题，整批拒收：",
                        path.display(),
                        problems.count()
                    ),
                    Lang::En => format!(
                        "{}: the batch failed verification with {} problem(s) and was refused whole:",
                        path.display(),
                        problems.count()
                    ),
                };
                for p in problems.listed.iter().take(50) {
                    text.push_str("\n  ");
                    text.push_str(&p.message(lang));
                }
                if problems.count() > 50 {
                    text.push_str(&match lang {
                        Lang::Zh => format!("\n  ……另有 {} 个问题", problems.count() - 50),
                        Lang::En => format!("\n  … and {} more", problems.count() - 50),
                    });
                }
                text
            }
        }
    }
}

impl From<rusqlite::Error> for BatchError {
    fn from(e: rusqlite::Error) -> Self {
        BatchError::Store(e.into())
    }
}

pub type Result<T, E = BatchError> = std::result::Result<T, E>;
