//! Checks a batch as the receiving side would: the manifest, every file's kind, size, hash
//! and count, every line's JSON and fields (by the forms' own rules, `record_rules`), uid
//! uniqueness, versions and references. Problems are collected (file, line, field, rule)
//! rather than stopping at the first, so one run tells the officer what is wrong; past
//! `problems::MAX_LISTED` they are only counted.
//!
//! Nothing here reads more than the manifest declares (plus one byte, to notice a longer
//! file) or holds more than one line of `format::MAX_LINE_BYTES`: memory grows with the
//! records of the batch (their uids), never with the size of what a hostile sender put in it.
//!
//! References: a service names its worker, maybe an event, and a legal-aid visit the visit it
//! follows. Each must be in this batch or be known to the caller's resolver (the database,
//! or the earlier batches this one names). Without a resolver an unresolved reference is a
//! problem: a receiver cannot attach a record to something it has never seen.

use super::Result;
use super::format::{
    AID_FILES, AID_FORMAT_VERSION, FORMAT_NAME, FileEntry, MANIFEST_FILE, MAX_LINE_BYTES, Manifest,
    NEWEST_FORMAT_VERSION, RecordKind, data_files,
};
use super::problems::shown;
pub use super::problems::{Problem, ProblemKind, Problems};
use super::record_rules::{CLOCK_SKEW_DAYS, LineChecker, Seen, is_canonical_uid};
pub use super::record_rules::{KindTally, uuid_bits};
use super::source::{BatchSource, Entry, EntryKind, Line, for_each_line};
use chrono::{DateTime, Days, NaiveDate};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Default)]
pub struct VerifyReport {
    pub manifest: Option<Manifest>,
    pub problems: Problems,
    /// Per kind, in `RecordKind::EVERY` order.
    pub tallies: [KindTally; RecordKind::COUNT],
    /// References that were resolved outside the batch (database or earlier batches).
    pub resolved_outside: u64,
}

impl VerifyReport {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Answers whether a record uid outside the batch is known (database, earlier batches).
pub type Resolver<'a> = dyn FnMut(RecordKind, &str) -> Result<Known> + 'a;

/// What a resolver knows of a record outside the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    No,
    Yes,
    /// A worker held here, with the birth date a service to them must not precede.
    WorkerBorn(NaiveDate),
}

impl From<bool> for Known {
    fn from(found: bool) -> Known {
        if found { Known::Yes } else { Known::No }
    }
}

pub struct VerifyOptions<'a> {
    /// The receiving laptop's date: no date in the batch may be later than this plus
    /// `record_rules::CLOCK_SKEW_DAYS`.
    pub today: NaiveDate,
    /// `None`: integrity only, as when an export re-reads its own batch: references are not
    /// checked, nor are fields by the forms' rules. `Some`: the receiving side: every field
    /// by the forms' rules, references against the batch, then the resolver.
    pub references: Option<&'a mut Resolver<'a>>,
}

pub fn verify_path(path: &Path, options: VerifyOptions) -> Result<VerifyReport> {
    let mut source = BatchSource::open(path)?;
    verify_source(&mut source, options)
}

pub fn verify_source(source: &mut BatchSource, options: VerifyOptions) -> Result<VerifyReport> {
    let mut report = VerifyReport::default();
    let entries = source.entries()?;
    let Some(manifest) = read_manifest(source, &entries, &mut report)? else {
        return Ok(report);
    };
    let problems = &mut report.problems;

    let listed: HashMap<&str, &FileEntry> = {
        let mut map = HashMap::new();
        for f in &manifest.files {
            if map.insert(f.name.as_str(), f).is_some() {
                problems.push(Problem::new(&f.name, None, ProblemKind::FileListedTwice));
            }
        }
        map
    };
    let data_files = data_files(manifest.format_version);
    for name in data_files {
        if !listed.contains_key(name) {
            problems.push(Problem::new(name, None, ProblemKind::DataFileNotListed));
        }
    }
    if manifest.format_version < AID_FORMAT_VERSION {
        for name in AID_FILES.into_iter().filter(|n| listed.contains_key(n)) {
            let version = manifest.format_version;
            problems.push(Problem::new(
                name,
                None,
                ProblemKind::NeedsFormat3 { version },
            ));
        }
    }
    for entry in &entries {
        if entry.name != MANIFEST_FILE && !listed.contains_key(entry.name.as_str()) {
            problems.push(Problem::new(&entry.name, None, ProblemKind::FileNotListed));
        }
    }

    let latest_date = options
        .today
        .checked_add_days(Days::new(CLOCK_SKEW_DAYS))
        .unwrap_or(options.today);
    let mut seen = Seen::default();
    let receiving = options.references.is_some();
    // Data files in the format's order (workers and events before the services that point
    // at them), then any other listed file.
    let mut order: Vec<&FileEntry> = data_files
        .iter()
        .filter_map(|name| listed.get(name).copied())
        .collect();
    order.extend(
        manifest
            .files
            .iter()
            .filter(|f| !data_files.contains(&f.name.as_str())),
    );
    let mut done = std::collections::HashSet::new();
    for listed_file in order {
        let name = listed_file.name.as_str();
        if !done.insert(name) {
            continue;
        }
        let Some(found) = entries.iter().find(|e| e.name == name) else {
            problems.push(Problem::new(name, None, ProblemKind::FileMissing));
            continue;
        };
        if found.kind != EntryKind::Regular {
            problems.push(Problem::new(
                name,
                None,
                ProblemKind::NotRegular(found.kind),
            ));
            continue;
        }
        let kind = RecordKind::of_file(name);
        let mut checker = kind.map(|kind| LineChecker {
            kind,
            format_version: manifest.format_version,
            latest_date,
            receiving,
            seen: &mut seen,
            problems: &mut *problems,
            tally: KindTally::default(),
        });
        let scanned = scan_file(source, found, listed_file, checker.as_mut())?;
        if let (Some(kind), Some(checker)) = (kind, checker) {
            report.tallies[kind as usize] = checker.tally;
        }
        let problems = &mut *problems;
        if found.bytes != listed_file.bytes {
            problems.push(Problem::new(
                name,
                None,
                ProblemKind::SizeMismatch {
                    manifest: listed_file.bytes,
                    actual: found.bytes,
                },
            ));
        } else if scanned.bytes > listed_file.bytes {
            problems.push(Problem::new(
                name,
                None,
                ProblemKind::LongerThanDeclared {
                    manifest: listed_file.bytes,
                },
            ));
        }
        if scanned.sha256 != listed_file.sha256 {
            problems.push(Problem::new(
                name,
                None,
                ProblemKind::HashMismatch {
                    manifest: shown(&listed_file.sha256, 64),
                    actual: scanned.sha256.clone(),
                },
            ));
        }
        if kind.is_some() {
            if scanned.lines != listed_file.records {
                problems.push(Problem::new(
                    name,
                    None,
                    ProblemKind::CountMismatch {
                        manifest: listed_file.records,
                        actual: scanned.lines,
                    },
                ));
            }
            if scanned.unterminated {
                problems.push(Problem::new(
                    name,
                    Some(scanned.lines),
                    ProblemKind::Unterminated,
                ));
            }
        }
    }

    if let Some(resolver) = options.references {
        for r in seen.references {
            if seen.uids[r.target as usize].contains(&uuid_bits(&r.uid).unwrap_or_default()) {
                continue;
            }
            match resolver(r.target, &r.uid)? {
                Known::No => {}
                known => {
                    report.resolved_outside += 1;
                    if let (Known::WorkerBorn(born), Some(on)) = (known, r.dated)
                        && on < born
                    {
                        let what = ProblemKind::BeforeBirth { field: "served_on" };
                        report
                            .problems
                            .push(Problem::new(r.file, Some(r.line), what));
                    }
                    continue;
                }
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

/// The manifest alone, checked as `verify_source` checks it; `None` when it has a problem.
/// The city starts staging a batch from it while the verifier reads the rest in another
/// thread (`city::ingest`).
pub fn checked_manifest(source: &mut BatchSource) -> Result<Option<Manifest>> {
    let entries = source.entries()?;
    let mut report = VerifyReport::default();
    let manifest = read_manifest(source, &entries, &mut report)?;
    Ok(manifest.filter(|_| report.problems.is_empty()))
}

fn read_manifest(
    source: &mut BatchSource,
    entries: &[Entry],
    report: &mut VerifyReport,
) -> Result<Option<Manifest>> {
    let Some(entry) = entries.iter().find(|e| e.name == MANIFEST_FILE) else {
        report
            .problems
            .push(Problem::new(MANIFEST_FILE, None, ProblemKind::FileMissing));
        return Ok(None);
    };
    if entry.kind != EntryKind::Regular {
        report.problems.push(Problem::new(
            MANIFEST_FILE,
            None,
            ProblemKind::NotRegular(entry.kind),
        ));
        return Ok(None);
    }
    let bytes = source.read_manifest_bytes()?;
    let manifest: Manifest = match serde_json::from_slice(&bytes) {
        Ok(m) => m,
        Err(e) => {
            report.problems.push(Problem::new(
                MANIFEST_FILE,
                None,
                ProblemKind::ManifestUnreadable(super::problems::without_values(&e.to_string())),
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
        problem(ProblemKind::WrongFormat(shown(&manifest.format, 40)));
    }
    if !(1..=NEWEST_FORMAT_VERSION).contains(&manifest.format_version) {
        problem(ProblemKind::WrongFormatVersion(manifest.format_version));
    }
    for (field, value) in [
        ("batch_uid", Some(manifest.batch_uid.as_str())),
        ("device_id", Some(manifest.device_id.as_str())),
        ("previous_batch_uid", manifest.previous_batch_uid.as_deref()),
    ] {
        if let Some(value) = value {
            if uuid_bits(value).is_none() {
                problem(ProblemKind::ManifestField {
                    field,
                    detail: format!("not a UUID: {}", shown(value, 40)),
                });
            } else if !is_canonical_uid(value) {
                problem(ProblemKind::UpperCaseUid { field });
            }
        }
    }
    if DateTime::parse_from_rfc3339(&manifest.created_at).is_err() {
        problem(ProblemKind::ManifestField {
            field: "created_at",
            detail: format!("not an RFC 3339 time: {}", shown(&manifest.created_at, 40)),
        });
    }
    Ok(Some(manifest))
}

struct Scanned {
    lines: u64,
    /// Bytes read: at most the declared size plus one.
    bytes: u64,
    sha256: String,
    unterminated: bool,
}

/// Hashes one file, read no further than its declared size plus one byte, while handing
/// each line of a data file to `checker`.
fn scan_file(
    source: &mut BatchSource,
    found: &Entry,
    listed: &FileEntry,
    mut checker: Option<&mut LineChecker>,
) -> Result<Scanned> {
    let file_path = source.path().join(&found.name);
    let mut reader = source.open_file(&found.name, listed.bytes.saturating_add(1))?;
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let (lines, unterminated) = for_each_line(
        &file_path,
        &mut *reader,
        MAX_LINE_BYTES,
        |chunk| {
            hasher.update(chunk);
            bytes += chunk.len() as u64;
        },
        |line_no, line| {
            if let Some(checker) = checker.as_deref_mut() {
                match line {
                    Line::Text(content) => checker.check(line_no, content),
                    Line::TooLong(length) => checker.too_long(line_no, MAX_LINE_BYTES, length),
                    Line::Empty(count) => checker.empty_lines(line_no, count),
                }
            }
            Ok(())
        },
    )?;
    Ok(Scanned {
        lines,
        bytes,
        sha256: super::format::hex(&hasher.finalize()),
        unterminated,
    })
}
