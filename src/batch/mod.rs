//! Batches for the city union system: export (atomic, crash-safe), verify, and merge batches
//! from other laptops. The format is described for the receiving side in docs/batch-format.md.

pub mod export;
pub mod format;
pub mod merge;
pub mod person;
pub mod resolve;
pub mod roster;
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
    /// The batch failed verification; the report lists every problem.
    #[error("invalid batch {path}")]
    Invalid {
        path: PathBuf,
        problems: Vec<verify::Problem>,
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
            BatchError::Invalid { path, problems } => {
                let mut text = match lang {
                    Lang::Zh => format!(
                        "{}：批次校验未通过，共 {} 个问题，整批拒收：",
                        path.display(),
                        problems.len()
                    ),
                    Lang::En => format!(
                        "{}: the batch failed verification with {} problem(s) and was refused whole:",
                        path.display(),
                        problems.len()
                    ),
                };
                for p in problems.iter().take(50) {
                    text.push_str("\n  ");
                    text.push_str(&p.message(lang));
                }
                if problems.len() > 50 {
                    text.push_str(&match lang {
                        Lang::Zh => format!("\n  ……另有 {} 个问题", problems.len() - 50),
                        Lang::En => format!("\n  … and {} more", problems.len() - 50),
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
