//! What is wrong with a batch: each problem names the file, the line and the field, in the
//! officer's language. A hostile batch can hold a problem per line, so only the first
//! `MAX_LISTED` are kept and the rest are counted.

use super::format::{FORMAT_NAME, NEWEST_FORMAT_VERSION};
use super::source::EntryKind;
use crate::domain::name::is_invisible;
use crate::domain::{Field, FieldError, Rule};
use crate::text::Lang;

/// How many problems a report keeps; past it only the count grows. Enough to show an officer
/// every kind of mistake in a batch, few enough to print and to hold in memory.
pub const MAX_LISTED: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    /// 1-based line of a JSON Lines file, when the problem is in one line.
    pub line: Option<u64>,
    #[serde(skip)]
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    ManifestUnreadable(String),
    WrongFormat(String),
    /// A format version newer than this program reads (or 0).
    WrongFormatVersion(u32),
    ManifestField {
        field: &'static str,
        detail: String,
    },
    /// Listed in the manifest but not in the batch.
    FileMissing,
    /// A data file the format requires is not listed in the manifest.
    DataFileNotListed,
    /// In the batch but not in the manifest.
    FileNotListed,
    FileListedTwice,
    /// A symbolic link, FIFO, device or folder where a file should be: not opened.
    NotRegular(EntryKind),
    SizeMismatch {
        manifest: u64,
        actual: u64,
    },
    /// The file goes on past its declared size (it was read no further).
    LongerThanDeclared {
        manifest: u64,
    },
    HashMismatch {
        manifest: String,
        actual: String,
    },
    CountMismatch {
        manifest: u64,
        actual: u64,
    },
    /// The last line has no newline: the file was cut short.
    Unterminated,
    /// A line longer than any valid record can be (it was not parsed).
    LineTooLong {
        max: usize,
        found: u64,
    },
    /// A line with nothing on it: no record is empty.
    EmptyLine,
    InvalidJson(String),
    Field {
        field: &'static str,
        detail: String,
    },
    /// A field broke the rule the forms apply (`crate::domain::validate`).
    Rule {
        field: &'static str,
        error: FieldError,
    },
    /// A uid in upper case: the format writes them lower-case only.
    UpperCaseUid {
        field: &'static str,
    },
    DuplicateUid(String),
    /// Outside 1 ..= 2^53.
    BadVersion(i64),
    /// `op` is `delete` without `deleted_at`, or `upsert` with it.
    OpMismatch,
    /// Something format 2 added (a reason, an erasure) in a batch that says it is format 1.
    NeedsFormat2 {
        what: &'static str,
    },
    /// Format 3: a field a need's or claim's state requires (`required`) or excludes.
    StateField {
        field: &'static str,
        state: String,
        required: bool,
    },
    /// A file format 3 added (needs, claims) in a batch that says it is format 1 or 2.
    NeedsFormat3 {
        version: u32,
    },
    /// A date before the worker was born.
    BeforeBirth {
        field: &'static str,
    },
    /// Gender or birth date disagree with the ID number.
    IdNumberDisagrees {
        field: &'static str,
        expected: String,
    },
    UnresolvedReference {
        field: &'static str,
        uid: String,
    },
}

/// The problems of one batch: the first `MAX_LISTED` and a count of the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    pub listed: Vec<Problem>,
    pub not_listed: u64,
}

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(problem);
        } else {
            self.not_listed += 1;
        }
    }

    /// Like `push`, building the problem only when it will be listed: a hostile file can
    /// hold tens of millions of bad lines, and counting them must stay cheap.
    pub fn push_with(&mut self, problem: impl FnOnce() -> Problem) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(problem());
        } else {
            self.not_listed += 1;
        }
    }

    /// `count` problems alike but for `problem(i)`, `i` from 0: those past the list are
    /// only counted, at once.
    pub fn push_run(&mut self, count: u64, mut problem: impl FnMut(u64) -> Problem) {
        let room = (MAX_LISTED - self.listed.len()) as u64;
        let listed = room.min(count);
        for i in 0..listed {
            self.listed.push(problem(i));
        }
        self.not_listed += count - listed;
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty() && self.not_listed == 0
    }

    /// Every problem found, listed or not.
    pub fn count(&self) -> u64 {
        self.listed.len() as u64 + self.not_listed
    }

    /// The same as `count`, for callers that size lists with it.
    pub fn len(&self) -> usize {
        usize::try_from(self.count()).unwrap_or(usize::MAX)
    }

    /// The listed problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.listed.iter()
    }

    /// "… and N more" after the listed ones, when some were not listed.
    pub fn more_line(&self, lang: Lang) -> Option<String> {
        (self.not_listed > 0).then(|| match lang {
            Lang::Zh => format!("……另有 {} 个问题未列出", self.not_listed),
            Lang::En => format!("… and {} more problem(s) not listed", self.not_listed),
        })
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.listed.iter()
    }
}

/// Text from a batch made safe to print: control, bidi and invisible characters shown as
/// `\u{…}` (a hostile value must not clear or reorder the officer's terminal), and cut to
/// `max` characters.
pub fn shown(value: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

impl Problem {
    pub fn new(file: &str, line: Option<u64>, kind: ProblemKind) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            kind,
        }
    }

    /// `file:line: what`, in the officer's language.
    pub fn message(&self, lang: Lang) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", shown(&self.file, 80)),
            None => shown(&self.file, 80),
        };
        format!("{place}: {}", self.what(lang))
    }

    /// What is wrong, never with a raw control character in it.
    pub fn what(&self, lang: Lang) -> String {
        shown(&self.what_raw(lang), 400)
    }

    fn what_raw(&self, lang: Lang) -> String {
        use ProblemKind as K;
        let zh = lang == Lang::Zh;
        match &self.kind {
            K::ManifestUnreadable(e) if zh => format!("清单无法读取：{e}"),
            K::ManifestUnreadable(e) => format!("manifest cannot be read: {e}"),
            K::WrongFormat(f) if zh => format!("format 应为 {FORMAT_NAME}，实为 {f}"),
            K::WrongFormat(f) => format!("format should be {FORMAT_NAME}, found {f}"),
            K::WrongFormatVersion(v) if zh && *v > NEWEST_FORMAT_VERSION => format!(
                "format_version {v} 比本程序认识的最新版本 {NEWEST_FORMAT_VERSION} 新：请升级 jingong 后再导入此批次"
            ),
            K::WrongFormatVersion(v) if *v > NEWEST_FORMAT_VERSION => format!(
                "format_version {v} is newer than this program reads (up to {NEWEST_FORMAT_VERSION}): update jingong, then import this batch"
            ),
            K::WrongFormatVersion(v) if zh => {
                format!("format_version 应为 1 到 {NEWEST_FORMAT_VERSION}，实为 {v}")
            }
            K::WrongFormatVersion(v) => {
                format!("format_version must be 1 to {NEWEST_FORMAT_VERSION}, found {v}")
            }
            K::ManifestField { field, detail } if zh => format!("清单字段 {field} 有误：{detail}"),
            K::ManifestField { field, detail } => format!("manifest field {field}: {detail}"),
            K::FileMissing if zh => "清单列出的文件不存在".into(),
            K::FileMissing => "listed in the manifest but missing".into(),
            K::DataFileNotListed if zh => "清单中缺少此数据文件".into(),
            K::DataFileNotListed => "data file not listed in the manifest".into(),
            K::FileNotListed if zh => "文件不在清单中（多出的文件）".into(),
            K::FileNotListed => "file not listed in the manifest (extra file)".into(),
            K::FileListedTwice if zh => "清单中重复列出".into(),
            K::FileListedTwice => "listed twice in the manifest".into(),
            K::NotRegular(kind) if zh => format!(
                "是{}，不是普通文件：未读取（批次中只能有普通文件）",
                kind.describe(lang)
            ),
            K::NotRegular(kind) => format!(
                "is {}, not a regular file: not read (a batch holds regular files only)",
                kind.describe(lang)
            ),
            K::SizeMismatch { manifest, actual } if zh => {
                format!("字节数不符：清单为 {manifest}，实际为 {actual}")
            }
            K::SizeMismatch { manifest, actual } => {
                format!("byte size differs: manifest says {manifest}, file has {actual}")
            }
            K::LongerThanDeclared { manifest } if zh => {
                format!("文件长于清单所列的 {manifest} 字节（超出部分未读取）")
            }
            K::LongerThanDeclared { manifest } => format!(
                "the file is longer than the {manifest} bytes the manifest says (the rest was not read)"
            ),
            K::HashMismatch { manifest, actual } if zh => {
                format!("SHA-256 不符（文件被改动或损坏）：清单为 {manifest}，实际为 {actual}")
            }
            K::HashMismatch { manifest, actual } => format!(
                "SHA-256 differs (file changed or damaged): manifest says {manifest}, file has {actual}"
            ),
            K::CountMismatch { manifest, actual } if zh => {
                format!("记录条数不符：清单为 {manifest}，实际为 {actual}")
            }
            K::CountMismatch { manifest, actual } => {
                format!("record count differs: manifest says {manifest}, file has {actual}")
            }
            K::Unterminated if zh => "最后一行没有换行符（文件被截断）".into(),
            K::Unterminated => "last line has no newline (file cut short)".into(),
            K::LineTooLong { max, found } if zh => format!(
                "此行长 {found} 字节，超过任何有效记录的上限 {max} 字节：未解析"
            ),
            K::LineTooLong { max, found } => format!(
                "line of {found} bytes, longer than any valid record can be ({max} bytes): not parsed"
            ),
            K::EmptyLine if zh => "空行：每行应是一条记录".into(),
            K::EmptyLine => "empty line: every line must be one record".into(),
            K::InvalidJson(e) if zh => format!("不是有效的记录 JSON：{e}"),
            K::InvalidJson(e) => format!("not a valid record: {e}"),
            K::Field { field, detail } if zh => format!("字段 {field} 有误：{detail}"),
            K::Field { field, detail } => format!("field {field}: {detail}"),
            // The form's label and rule, as every other door says them, then the line's key
            // for whoever opens the file.
            K::Rule { field, error } => format!("{} ({field})", error.message(lang)),
            K::UpperCaseUid { field } if zh => {
                format!("{field}：uid 须为小写（规范形式），不接受大写字母")
            }
            K::UpperCaseUid { field } => {
                format!("{field}: a uid must be lower-case (its canonical form); upper case is refused")
            }
            K::DuplicateUid(uid) if zh => format!("uid {uid} 在本文件中重复"),
            K::DuplicateUid(uid) => format!("uid {uid} appears more than once in this file"),
            K::BadVersion(v) if zh => {
                format!("字段 version 应为正整数，且不超过 2^53（9007199254740992），实为 {v}")
            }
            K::BadVersion(v) => format!(
                "field version must be a positive integer, at most 2^53 (9007199254740992), found {v}"
            ),
            K::OpMismatch if zh => "字段 op 与 deleted_at 不一致（delete 必须有 deleted_at）".into(),
            K::OpMismatch => {
                "field op disagrees with deleted_at (delete needs deleted_at, upsert must not have it)"
                    .into()
            }
            K::NeedsFormat2 { what } if zh => {
                format!("{what} 是批次格式第 2 版才有的，而清单写的是 format_version 1")
            }
            K::NeedsFormat2 { what } => {
                format!("{what} exists from batch format 2, but the manifest says format_version 1")
            }
            K::StateField {
                field,
                state,
                required,
            } if zh => format!(
                "字段 {field} 与状态 {state} 不符：该状态{}此字段",
                if *required { "必须填写" } else { "不应填写" }
            ),
            K::StateField {
                field,
                state,
                required,
            } => format!(
                "field {field} does not fit state {state}: {} in that state",
                if *required { "required" } else { "must be empty" }
            ),
            K::NeedsFormat3 { version } if zh => format!(
                "此文件是批次格式第 3 版才有的，而清单写的是 format_version {version}，整批拒收"
            ),
            K::NeedsFormat3 { version } => format!(
                "this file exists from batch format 3, but the manifest says format_version {version}; refused"
            ),
            // The form's words for the same rule.
            K::BeforeBirth { field } => format!(
                "{} ({field})",
                FieldError::new(Field::Date, Rule::DateBeforeBirth).message(lang)
            ),
            K::IdNumberDisagrees { field, expected } if zh => {
                format!("字段 {field} 与身份证号不符，应为 {expected}")
            }
            K::IdNumberDisagrees { field, expected } => {
                format!("field {field} disagrees with the ID number: should be {expected}")
            }
            K::UnresolvedReference { field, uid } if zh => format!(
                "字段 {field} 引用的 {uid} 既不在本批次，也不在数据库或本批次之前的批次中"
            ),
            K::UnresolvedReference { field, uid } => format!(
                "field {field} refers to {uid}, found neither in this batch nor in the database or earlier batches"
            ),
        }
    }
}

/// serde's message without the values it quotes: a wrong-typed ID number or name would
/// otherwise be printed whole on the screen and in `verify`'s output. Field names stay
/// (serde names them as `field`), so the reader still learns what is wrong and where.
pub fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, quoted_or_text) in parts.enumerate() {
        if i % 2 == 0 {
            // Inside a quote: kept when it names a field, hidden when it is a value.
            let before = out.trim_end();
            let names_field = before.ends_with("field") || before.ends_with("variant");
            out.push('`');
            out.push_str(if names_field { quoted_or_text } else { "…" });
            out.push('`');
        } else {
            out.push_str(quoted_or_text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_problems_are_kept_and_the_rest_counted() {
        let mut problems = Problems::default();
        for line in 0..(MAX_LISTED as u64 + 7) {
            problems.push(Problem::new("x", Some(line), ProblemKind::Unterminated));
        }
        assert_eq!(problems.listed.len(), MAX_LISTED);
        assert_eq!(problems.count(), MAX_LISTED as u64 + 7);
        assert_eq!(
            problems.more_line(Lang::En).unwrap(),
            "… and 7 more problem(s) not listed"
        );

        let mut run = Problems::default();
        run.push_run(3, |i| {
            Problem::new("x", Some(10 + i), ProblemKind::EmptyLine)
        });
        run.push_run(1_000_000, |i| {
            Problem::new("x", Some(13 + i), ProblemKind::EmptyLine)
        });
        assert_eq!(run.listed.len(), MAX_LISTED);
        assert_eq!(run.listed[3].line, Some(13));
        assert_eq!(
            run.listed[MAX_LISTED - 1].line,
            Some(10 + MAX_LISTED as u64 - 1)
        );
        assert_eq!(run.count(), 1_000_003);
    }

    #[test]
    fn control_and_bidi_characters_are_shown_escaped() {
        assert_eq!(
            shown("a\u{1b}[2Jb\u{202e}c\0", 40),
            "a\\u{1b}[2Jb\\u{202e}c\\u{0}"
        );
        assert_eq!(shown("abcdef", 3), "abc…");
    }
}
