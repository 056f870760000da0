//! Checks a batch as the receiving side would: the manifest, every file's size, hash and
//! count, every line's JSON and fields, ID check digits, uid uniqueness, versions and
//! references. Every problem is collected (file, line, what) rather than stopping at the
//! first, so one run tells the officer everything that is wrong.
//!
//! References: a service names its worker, maybe an event, and a legal-aid visit the visit it
//! follows. Each must be in this batch or be known to the caller's resolver (the database,
//! or the earlier batches this one names). Without a resolver an unresolved reference is a
//! problem: a receiver cannot attach a record to something it has never seen.

use super::format::{
    DATA_FILES, EventRecord, FORMAT_NAME, FORMAT_VERSION, MANIFEST_FILE, Manifest, Op,
    RecordHeader, RecordKind, ServiceRecord, WorkerRecord,
};
use super::source::BatchSource;
use super::{BatchError, Result};
use crate::domain::idcard::mask_id_number;
use crate::domain::refdata::{self, KindForm};
use crate::domain::{FieldError, Membership, parse_id_number};
use crate::text::Lang;
use chrono::{DateTime, NaiveDate};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

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
    SizeMismatch {
        manifest: u64,
        actual: u64,
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
    InvalidJson(String),
    Field {
        field: &'static str,
        detail: String,
    },
    DuplicateUid(String),
    BadVersion(i64),
    /// `op` is `delete` without `deleted_at`, or `upsert` with it.
    OpMismatch,
    IdNumber(FieldError),
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

impl Problem {
    fn new(file: &str, line: Option<u64>, kind: ProblemKind) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            kind,
        }
    }

    /// `file:line: what`, in the officer's language.
    pub fn message(&self, lang: Lang) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        format!("{place}: {}", self.what(lang))
    }

    pub fn what(&self, lang: Lang) -> String {
        use ProblemKind as K;
        let zh = lang == Lang::Zh;
        match &self.kind {
            K::ManifestUnreadable(e) if zh => format!("清单无法读取：{e}"),
            K::ManifestUnreadable(e) => format!("manifest cannot be read: {e}"),
            K::WrongFormat(f) if zh => format!("format 应为 {FORMAT_NAME}，实为 {f}"),
            K::WrongFormat(f) => format!("format should be {FORMAT_NAME}, found {f}"),
            K::WrongFormatVersion(v) if zh => {
                format!("format_version 应为 {FORMAT_VERSION}，实为 {v}（本程序不认识此版本）")
            }
            K::WrongFormatVersion(v) => format!(
                "format_version should be {FORMAT_VERSION}, found {v} (unknown to this program)"
            ),
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
            K::SizeMismatch { manifest, actual } if zh => {
                format!("字节数不符：清单为 {manifest}，实际为 {actual}")
            }
            K::SizeMismatch { manifest, actual } => {
                format!("byte size differs: manifest says {manifest}, file has {actual}")
            }
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
            K::InvalidJson(e) if zh => format!("不是有效的记录 JSON：{e}"),
            K::InvalidJson(e) => format!("not a valid record: {e}"),
            K::Field { field, detail } if zh => format!("字段 {field} 有误：{detail}"),
            K::Field { field, detail } => format!("field {field}: {detail}"),
            K::DuplicateUid(uid) if zh => format!("uid {uid} 在本文件中重复"),
            K::DuplicateUid(uid) => format!("uid {uid} appears more than once in this file"),
            K::BadVersion(v) if zh => format!("字段 version 应为正整数，实为 {v}"),
            K::BadVersion(v) => format!("field version must be a positive integer, found {v}"),
            K::OpMismatch if zh => "字段 op 与 deleted_at 不一致（delete 必须有 deleted_at）".into(),
            K::OpMismatch => {
                "field op disagrees with deleted_at (delete needs deleted_at, upsert must not have it)"
                    .into()
            }
            K::IdNumber(e) => format!("id_number: {}", e.rule.describe(lang)),
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

/// How many records of one kind the batch holds, and the sum of their versions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindTally {
    pub count: i64,
    pub version_sum: i64,
}

#[derive(Debug, Default)]
pub struct VerifyReport {
    pub manifest: Option<Manifest>,
    pub problems: Vec<Problem>,
    /// Per kind, in `RecordKind::ALL` order.
    pub tallies: [KindTally; 3],
    /// References that were resolved outside the batch (database or earlier batches).
    pub resolved_outside: u64,
}

impl VerifyReport {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Answers whether a record uid outside the batch is known (database, earlier batches).
pub type Resolver<'a> = dyn FnMut(RecordKind, &str) -> Result<bool> + 'a;

pub struct VerifyOptions<'a> {
    /// Used for the ID numbers' "birth date not in the future" rule.
    pub today: NaiveDate,
    /// `None`: references are not checked (integrity only, as when an export re-reads its
    /// own batch). `Some`: checked against the batch, then the resolver.
    pub references: Option<&'a mut Resolver<'a>>,
}

pub fn verify_path(path: &Path, options: VerifyOptions) -> Result<VerifyReport> {
    let mut source = BatchSource::open(path)?;
    verify_source(&mut source, options)
}

/// A reference to check once every file of the batch has been read.
struct PendingReference {
    file: &'static str,
    line: u64,
    field: &'static str,
    target: RecordKind,
    uid: String,
}

pub fn verify_source(source: &mut BatchSource, options: VerifyOptions) -> Result<VerifyReport> {
    let mut report = VerifyReport::default();
    let entries = source.entries()?;
    let Some(manifest) = read_manifest(source, &entries, &mut report)? else {
        return Ok(report);
    };

    let listed: HashMap<&str, &super::format::FileEntry> = {
        let mut map = HashMap::new();
        for f in &manifest.files {
            if map.insert(f.name.as_str(), f).is_some() {
                report
                    .problems
                    .push(Problem::new(&f.name, None, ProblemKind::FileListedTwice));
            }
        }
        map
    };
    for name in DATA_FILES {
        if !listed.contains_key(name) {
            report
                .problems
                .push(Problem::new(name, None, ProblemKind::DataFileNotListed));
        }
    }
    for entry in &entries {
        if entry.name != MANIFEST_FILE && !listed.contains_key(entry.name.as_str()) {
            report
                .problems
                .push(Problem::new(&entry.name, None, ProblemKind::FileNotListed));
        }
    }

    let mut uids: [HashSet<u128>; 3] = Default::default();
    let mut references: Vec<PendingReference> = Vec::new();
    for listed_file in &manifest.files {
        let name = listed_file.name.as_str();
        let Some(found) = entries.iter().find(|e| e.name == name) else {
            report
                .problems
                .push(Problem::new(name, None, ProblemKind::FileMissing));
            continue;
        };
        if found.bytes != listed_file.bytes {
            report.problems.push(Problem::new(
                name,
                None,
                ProblemKind::SizeMismatch {
                    manifest: listed_file.bytes,
                    actual: found.bytes,
                },
            ));
        }
        let kind = RecordKind::of_file(name);
        let file_path = source.path().join(name);
        let scanned = {
            let reader = source.open_file(name)?;
            let mut checker = kind.map(|kind| LineChecker {
                kind,
                file: static_file_name(kind),
                today: options.today,
                uids: &mut uids,
                references: &mut references,
                problems: &mut report.problems,
                tally: KindTally::default(),
            });
            let scanned = scan_lines(reader, |line_no, line| {
                if let Some(checker) = checker.as_mut() {
                    checker.check(line_no, line);
                }
            })
            .map_err(|e| BatchError::io(&file_path, e))?;
            if let (Some(kind), Some(checker)) = (kind, checker) {
                report.tallies[kind as usize] = checker.tally;
            }
            scanned
        };
        if scanned.sha256 != listed_file.sha256 {
            report.problems.push(Problem::new(
                name,
                None,
                ProblemKind::HashMismatch {
                    manifest: listed_file.sha256.clone(),
                    actual: scanned.sha256.clone(),
                },
            ));
        }
        if kind.is_some() {
            if scanned.lines != listed_file.records {
                report.problems.push(Problem::new(
                    name,
                    None,
                    ProblemKind::CountMismatch {
                        manifest: listed_file.records,
                        actual: scanned.lines,
                    },
                ));
            }
            if scanned.unterminated {
                report.problems.push(Problem::new(
                    name,
                    Some(scanned.lines),
                    ProblemKind::Unterminated,
                ));
            }
        }
    }

    if let Some(resolver) = options.references {
        for r in references {
            if uids[r.target as usize].contains(&uuid_bits(&r.uid).unwrap_or_default()) {
                continue;
            }
            if resolver(r.target, &r.uid)? {
                report.resolved_outside += 1;
                continue;
            }
            report.problems.push(Problem::new(
                r.file,
                Some(r.line),
                ProblemKind::UnresolvedReference {
                    field: r.field,
                    uid: r.uid,
                },
            ));
        }
    }
    report.manifest = Some(manifest);
    Ok(report)
}

fn static_file_name(kind: RecordKind) -> &'static str {
    kind.file_name()
}

fn read_manifest(
    source: &mut BatchSource,
    entries: &[super::source::Entry],
    report: &mut VerifyReport,
) -> Result<Option<Manifest>> {
    if !entries.iter().any(|e| e.name == MANIFEST_FILE) {
        report
            .problems
            .push(Problem::new(MANIFEST_FILE, None, ProblemKind::FileMissing));
        return Ok(None);
    }
    let bytes = source.read_to_vec(MANIFEST_FILE)?;
    let manifest: Manifest = match serde_json::from_slice(&bytes) {
        Ok(m) => m,
        Err(e) => {
            report.problems.push(Problem::new(
                MANIFEST_FILE,
                None,
                ProblemKind::ManifestUnreadable(e.to_string()),
            ));
            return Ok(None);
        }
    };
    let mut problem = |kind| {
        report
            .problems
            .push(Problem::new(MANIFEST_FILE, None, kind))
    };
    if manifest.format != FORMAT_NAME {
        problem(ProblemKind::WrongFormat(manifest.format.clone()));
    }
    if manifest.format_version != FORMAT_VERSION {
        problem(ProblemKind::WrongFormatVersion(manifest.format_version));
    }
    for (field, value) in [
        ("batch_uid", Some(manifest.batch_uid.as_str())),
        ("device_id", Some(manifest.device_id.as_str())),
        ("previous_batch_uid", manifest.previous_batch_uid.as_deref()),
    ] {
        if let Some(value) = value
            && uuid_bits(value).is_none()
        {
            problem(ProblemKind::ManifestField {
                field,
                detail: format!("not a UUID: {value}"),
            });
        }
    }
    if DateTime::parse_from_rfc3339(&manifest.created_at).is_err() {
        problem(ProblemKind::ManifestField {
            field: "created_at",
            detail: format!("not an RFC 3339 time: {}", manifest.created_at),
        });
    }
    Ok(Some(manifest))
}

struct Scanned {
    lines: u64,
    sha256: String,
    unterminated: bool,
}

/// Hashes a file while handing each line (without its newline) to `visit`.
fn scan_lines(
    mut reader: impl BufRead,
    mut visit: impl FnMut(u64, &[u8]),
) -> std::io::Result<Scanned> {
    let mut hasher = Sha256::new();
    let mut line = Vec::with_capacity(1024);
    let mut lines = 0;
    let mut unterminated = false;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        hasher.update(&line);
        lines += 1;
        let content = match line.strip_suffix(b"\n") {
            Some(c) => c,
            None => {
                unterminated = true;
                &line[..]
            }
        };
        visit(lines, content);
    }
    Ok(Scanned {
        lines,
        sha256: super::format::hex(&hasher.finalize()),
        unterminated,
    })
}

/// The 128 bits of a UUID in its usual text form, or `None` when it is not one.
pub fn uuid_bits(text: &str) -> Option<u128> {
    if text.len() != 36 {
        return None;
    }
    uuid::Uuid::parse_str(text).ok().map(|u| u.as_u128())
}

struct LineChecker<'a> {
    kind: RecordKind,
    file: &'static str,
    today: NaiveDate,
    uids: &'a mut [HashSet<u128>; 3],
    references: &'a mut Vec<PendingReference>,
    problems: &'a mut Vec<Problem>,
    tally: KindTally,
}

impl LineChecker<'_> {
    fn problem(&mut self, line: u64, kind: ProblemKind) {
        self.problems
            .push(Problem::new(self.file, Some(line), kind));
    }

    fn field(&mut self, line: u64, field: &'static str, detail: String) {
        self.problem(line, ProblemKind::Field { field, detail });
    }

    fn check(&mut self, line: u64, bytes: &[u8]) {
        let parsed = match self.kind {
            RecordKind::Worker => serde_json::from_slice::<WorkerRecord>(bytes).map(|r| {
                self.check_header(line, &r.header);
                self.check_worker(line, &r);
            }),
            RecordKind::Event => serde_json::from_slice::<EventRecord>(bytes).map(|r| {
                self.check_header(line, &r.header);
                self.check_event(line, &r);
            }),
            RecordKind::Service => serde_json::from_slice::<ServiceRecord>(bytes).map(|r| {
                self.check_header(line, &r.header);
                self.check_service(line, &r);
            }),
        };
        if let Err(e) = parsed {
            self.problem(
                line,
                ProblemKind::InvalidJson(without_values(&e.to_string())),
            );
        }
    }

    fn check_header(&mut self, line: u64, h: &RecordHeader) {
        match uuid_bits(&h.uid) {
            Some(bits) => {
                if !self.uids[self.kind as usize].insert(bits) {
                    self.problem(line, ProblemKind::DuplicateUid(h.uid.to_string()));
                }
            }
            None => self.field(line, "uid", format!("not a UUID: {}", h.uid)),
        }
        if h.version < 1 {
            self.problem(line, ProblemKind::BadVersion(h.version));
        } else {
            self.tally.count += 1;
            self.tally.version_sum += h.version;
        }
        if (h.op == Op::Delete) != h.deleted_at.is_some() {
            self.problem(line, ProblemKind::OpMismatch);
        }
        if uuid_bits(&h.origin_device_id).is_none() {
            self.field(
                line,
                "origin_device_id",
                format!("not a UUID: {}", h.origin_device_id),
            );
        }
        if h.officer.name.trim().is_empty() {
            self.field(line, "officer.name", "empty".into());
        }
        for (field, value) in [
            ("created_at", Some(&h.created_at)),
            ("updated_at", Some(&h.updated_at)),
            ("deleted_at", h.deleted_at.as_ref()),
        ] {
            if let Some(value) = value
                && DateTime::parse_from_rfc3339(value).is_err()
            {
                self.field(line, field, format!("not an RFC 3339 time: {value}"));
            }
        }
    }

    fn date(&mut self, line: u64, field: &'static str, value: &str) {
        if NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() || value.len() != 10 {
            self.field(line, field, format!("not a YYYY-MM-DD date: {value}"));
        }
    }

    fn not_negative(&mut self, line: u64, field: &'static str, value: i64) {
        if value < 0 {
            self.field(line, field, format!("negative: {value}"));
        }
    }

    fn reference(&mut self, line: u64, field: &'static str, target: RecordKind, uid: &str) {
        let Some(bits) = uuid_bits(uid) else {
            self.field(line, field, format!("not a UUID: {uid}"));
            return;
        };
        // Workers and events are read before services, so most references resolve here and
        // a batch of millions of services keeps no list of them.
        if self.uids[target as usize].contains(&bits) {
            return;
        }
        self.references.push(PendingReference {
            file: self.file,
            line,
            field,
            target,
            uid: uid.to_string(),
        });
    }

    fn check_worker(&mut self, line: u64, w: &WorkerRecord) {
        match parse_id_number(&w.id_number, self.today) {
            Err(e) => self.problem(line, ProblemKind::IdNumber(e)),
            Ok(id) => {
                if id.number != w.id_number {
                    self.field(
                        line,
                        "id_number",
                        format!(
                            "not in 18-character upper-case form: {}",
                            mask_id_number(&w.id_number)
                        ),
                    );
                }
                if id.gender.code() != w.gender {
                    self.problem(
                        line,
                        ProblemKind::IdNumberDisagrees {
                            field: "gender",
                            expected: id.gender.code().into(),
                        },
                    );
                }
                let birth = id.birth_date.format("%Y-%m-%d").to_string();
                if birth != w.birth_date {
                    self.problem(
                        line,
                        ProblemKind::IdNumberDisagrees {
                            field: "birth_date",
                            expected: birth,
                        },
                    );
                }
            }
        }
        if w.name.trim().is_empty() {
            self.field(line, "name", "empty".into());
        }
        if Membership::from_code(&w.membership).is_none() {
            self.field(
                line,
                "membership",
                format!("unknown code: {}", w.membership),
            );
        }
    }

    fn check_event(&mut self, line: u64, e: &EventRecord) {
        self.date(line, "held_on", &e.held_on);
        if refdata::service_kind(&e.kind).is_none() {
            self.field(line, "kind", format!("unknown service kind: {}", e.kind));
        }
        self.not_negative(line, "default_quantity", e.default_quantity);
        self.not_negative(line, "default_amount_fen", e.default_amount_fen);
    }

    fn check_service(&mut self, line: u64, s: &ServiceRecord) {
        self.reference(line, "worker_uid", RecordKind::Worker, &s.worker_uid);
        if let Some(event) = &s.event_uid {
            self.reference(line, "event_uid", RecordKind::Event, event);
        }
        self.date(line, "served_on", &s.served_on);
        self.not_negative(line, "quantity", s.quantity);
        self.not_negative(line, "amount_fen", s.amount_fen);
        let form = match refdata::service_kind(&s.kind) {
            Some(kind) => Some(kind.form),
            None => {
                self.field(line, "kind", format!("unknown service kind: {}", s.kind));
                None
            }
        };
        if form == Some(KindForm::HealthCheck) && s.health_check.is_none() {
            self.field(line, "health_check", "missing for a health check".into());
        }
        if form == Some(KindForm::LegalAid) && s.legal_aid.is_none() {
            self.field(line, "legal_aid", "missing for a legal-aid visit".into());
        }
        if let Some(h) = &s.health_check {
            if let Some(on) = &h.follow_up_on {
                self.date(line, "health_check.follow_up_on", on);
            }
            if h.glucose_tenths.is_some_and(|g| g < 0) {
                self.field(line, "health_check.glucose_tenths", "negative".into());
            }
        }
        if let Some(l) = &s.legal_aid {
            if refdata::legal_aid_category(&l.category).is_none() {
                self.field(
                    line,
                    "legal_aid.category",
                    format!("unknown code: {}", l.category),
                );
            }
            if refdata::legal_aid_status(&l.status).is_none() {
                self.field(
                    line,
                    "legal_aid.status",
                    format!("unknown code: {}", l.status),
                );
            }
            self.not_negative(line, "legal_aid.claimed_fen", l.claimed_fen);
            self.not_negative(line, "legal_aid.recovered_fen", l.recovered_fen);
            if let Some(follows) = &l.follows_uid {
                self.reference(line, "legal_aid.follows_uid", RecordKind::Service, follows);
            }
        }
    }
}

/// serde's message without the values it quotes: a wrong-typed ID number or name would
/// otherwise be printed whole on the screen and in `verify`'s output. Field names stay
/// (serde names them as `field`), so the reader still learns what is wrong and where.
fn without_values(message: &str) -> String {
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
    use super::without_values;

    #[test]
    fn json_errors_name_fields_but_not_values() {
        let e = serde_json::from_str::<String>("110105199001011234")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("110105199001011234"),
            "serde quotes the value: {e}"
        );
        let shown = without_values(&e);
        assert!(!shown.contains("110105199001011234"), "{shown}");
        assert!(shown.contains("invalid type"), "{shown}");
        assert_eq!(
            without_values("missing field `uid` at line 1 column 2"),
            "missing field `uid` at line 1 column 2"
        );
        assert_eq!(
            without_values("unknown variant `bogus`, expected one of `a`, `b`"),
            "unknown variant `bogus`, expected one of `…`, `…`"
        );
    }
}
