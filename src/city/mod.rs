//! The city side: every laptop's batches received into PostgreSQL (built with the `city`
//! feature). One job per file: `schema` (versioned migrations), `ingest` (verify, chain order,
//! hold and release), `apply` (one batch in one transaction: COPY into staging tables, then
//! upserts by the merge rule), `erasure` (erasure lines: the person blanked), `persons` (one
//! ID number is one person), `status` (devices, held batches, gaps), `stats`,
//! `stats_series` and `stats_rollups` (the laptop's figures over every laptop, from the
//! records and from the rollups `rollup` keeps), `receipts` (the signed answer for
//! each batch), `watch` (an inbox watched for complete batches).

pub mod apply;
mod apply_aid;
pub mod erasure;
pub mod ingest;
pub mod persons;
pub mod receipts;
pub mod rollup;
pub mod schema;
pub mod staging;
pub mod stats;
pub mod stats_rollups;
pub mod stats_series;
pub mod status;
mod verdict;
pub mod watch;

use crate::batch::BatchError;
use crate::text::Lang;

#[derive(Debug, thiserror::Error)]
pub enum CityError {
    #[error("database: {0}")]
    Pg(#[from] postgres::Error),
    #[error(transparent)]
    Batch(#[from] BatchError),
    #[error("the city database has schema {found}, newer than this program's {known}")]
    NewerSchema { found: i32, known: i32 },
    #[error("the city database is not initialised")]
    NotInitialised,
    #[error("the city database has schema {found}; run `jingong city init` to upgrade it")]
    OlderSchema { found: i32 },
    #[error("no PostgreSQL connection given")]
    NoConnection,
    #[error("{path}: {detail}")]
    KeyFile {
        path: std::path::PathBuf,
        detail: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl CityError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CityError::Pg(e) => match lang {
                Lang::Zh => format!("市级数据库出错：{}", pg_detail(e)),
                Lang::En => format!("city database error: {}", pg_detail(e)),
            },
            CityError::Batch(e) => e.message(lang),
            CityError::NewerSchema { found, known } => match lang {
                Lang::Zh => format!(
                    "市级数据库的结构版本为 {found}，比本程序认识的 {known} 新：请使用更新的 jingong"
                ),
                Lang::En => format!(
                    "the city database has schema {found}, newer than this program's {known}: use a newer jingong"
                ),
            },
            CityError::NotInitialised => lang
                .pick(
                    "市级数据库尚未初始化：请先运行 jingong city init",
                    "the city database is not initialised: run `jingong city init` first",
                )
                .into(),
            CityError::OlderSchema { found } => match lang {
                Lang::Zh => {
                    format!("市级数据库的结构版本为 {found}，需要升级：请运行 jingong city init")
                }
                Lang::En => format!(
                    "the city database has schema {found} and needs an upgrade: run `jingong city init`"
                ),
            },
            CityError::NoConnection => lang
                .pick(
                    "没有指定 PostgreSQL 连接：请用 --pg 或环境变量 JINGONG_PG 给出",
                    "no PostgreSQL connection: give it with --pg or JINGONG_PG",
                )
                .into(),
            CityError::KeyFile { path, detail } => match lang {
                Lang::Zh => format!("{}：签名私钥文件有误：{detail}", path.display()),
                Lang::En => format!("{}: signing key file: {detail}", path.display()),
            },
            CityError::Io { path, source } => match lang {
                Lang::Zh => format!("{}：文件读写失败：{source}", path.display()),
                Lang::En => format!("{}: file error: {source}", path.display()),
            },
        }
    }
}

/// The server's own message (with its detail line) rather than the client's summary, which
/// only says "db error".
fn pg_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

pub type Result<T, E = CityError> = std::result::Result<T, E>;

/// Connects with a libpq-style connection string or URL (`host=/tmp/pg user=… dbname=…`, or
/// `postgresql://…`). No TLS: the city runs its database next to the ingester or on a private
/// network; TLS can come with a deployment that needs it.
pub fn connect(conninfo: &str) -> Result<postgres::Client> {
    Ok(postgres::Client::connect(conninfo, postgres::NoTls)?)
}

/// A 64-bit advisory-lock key for one device: both halves of its uid folded together (the
/// first half alone is a timestamp shared by laptops set up the same day).
pub fn device_lock_key(device_id: &str) -> i64 {
    let bits = uuid::Uuid::parse_str(device_id)
        .map(|u| u.as_u128())
        .unwrap_or_default();
    ((bits >> 64) as u64 ^ bits as u64) as i64
}
