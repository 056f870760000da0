//! Batches made to do harm (issue 12): each attack is run through the real binary, `verify`
//! and `import batch`, and must be refused with the file, line, field and rule named, within
//! 15 s, with the child's peak memory at most 250 MB, and with the receiving database
//! unchanged byte for byte (a hash of every table's rows and the schema, before and after).
//!
//! Batches are built by hand from a real export, with every size, hash and count recomputed,
//! as an attacker would. Big inputs are streamed into zips from repeating readers, never held
//! in memory.

#![cfg(unix)]

use crate::support::batch::*;
use crate::support::bin::jingong;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MAX_PEAK_BYTES: u64 = 250 * 1024 * 1024;
const MAX_SECONDS: u64 = 15;

/// A laptop's export to tamper with and a district database to import into.
struct Fixture {
    dir: tempfile::TempDir,
    district: PathBuf,
    batch: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 6, 12);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let district = demo_db(dir.path(), "district.db", 0, 1);
    Fixture {
        dir,
        district,
        batch,
    }
}

impl Fixture {
    fn manifest(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.batch.join("manifest.json")).unwrap()).unwrap()
    }

    fn lines(&self, file: &str) -> Vec<Value> {
        records(&self.batch, file)
    }

    /// A folder batch beside the original, holding `files` (name, content) and the manifest
    /// rewritten honestly for them. A manifest of format 1 or 2 gets neither needs nor claims
    /// (format 3 added them).
    fn folder(&self, name: &str, manifest: &Value, files: &[(&str, Vec<u8>)]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).unwrap();
        let mut manifest = manifest.clone();
        let aid = |file: &str| file == "needs.jsonl" || file == "claims.jsonl";
        let before_aid = manifest["format_version"].as_u64().is_some_and(|v| v < 3);
        if before_aid {
            let listed = manifest["files"].as_array_mut().unwrap();
            listed.retain(|f| !aid(f["name"].as_str().unwrap_or_default()));
        }
        for (file, bytes) in files.iter().filter(|(f, _)| !(before_aid && aid(f))) {
            declare(
                &mut manifest,
                file,
                bytes.len() as u64,
                &sha_hex(bytes),
                count_lines(bytes),
            );
            std::fs::write(path.join(file), bytes).unwrap();
        }
        std::fs::write(
            path.join("manifest.json"),
            serde_json::to_vec(&manifest).unwrap(),
        )
        .unwrap();
        path
    }

    /// The original files, with `replace` (name, content) instead of some of them.
    fn files_with(&self, replace: Vec<(&'static str, Vec<u8>)>) -> Vec<(&'static str, Vec<u8>)> {
        [
            "workers.jsonl",
            "events.jsonl",
            "services.jsonl",
            "needs.jsonl",
            "claims.jsonl",
        ]
        .into_iter()
        .map(|name| {
            replace
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, b)| (*n, b.clone()))
                .unwrap_or_else(|| (name, std::fs::read(self.batch.join(name)).unwrap()))
        })
        .collect()
    }

    /// A folder batch whose `file` has its records changed by `edit` (index, record).
    fn edited(&self, name: &str, file: &'static str, edit: impl Fn(usize, &mut Value)) -> PathBuf {
        let mut text = Vec::new();
        for (i, mut record) in self.lines(file).into_iter().enumerate() {
            edit(i, &mut record);
            text.extend(serde_json::to_vec(&record).unwrap());
            text.push(b'\n');
        }
        let files = self.files_with(vec![(file, text)]);
        self.folder(name, &self.manifest(), &files)
    }
}

fn sha_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

fn declare(manifest: &mut Value, file: &str, bytes: u64, sha: &str, records: u64) {
    for entry in manifest["files"].as_array_mut().unwrap() {
        if entry["name"] == file {
            entry["bytes"] = json!(bytes);
            entry["sha256"] = json!(sha);
            entry["records"] = json!(records);
        }
    }
}

/// Writes one file of a batch into the zip.
type WriteFile = Box<dyn FnOnce(&mut dyn Write)>;

/// Counts and hashes what is written through it.
struct Tee<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
    newlines: u64,
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        self.newlines += count_lines(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A zip batch: each file is written by its closure straight into the archive; the manifest
/// declares what was written, changed by `lie` for the attacks that lie about a file.
fn zip_batch(
    path: &Path,
    manifest: &Value,
    files: Vec<(&str, WriteFile)>,
    lie: impl FnOnce(&mut Value),
) -> PathBuf {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let mut manifest = manifest.clone();
    for (name, write) in files {
        zip.start_file(name, options).unwrap();
        let mut tee = Tee {
            inner: &mut zip,
            hasher: Sha256::new(),
            bytes: 0,
            newlines: 0,
        };
        write(&mut tee);
        let sha = hex(&tee.hasher.finalize_reset());
        declare(&mut manifest, name, tee.bytes, &sha, tee.newlines);
    }
    lie(&mut manifest);
    zip.start_file("manifest.json", options).unwrap();
    zip.write_all(&serde_json::to_vec(&manifest).unwrap())
        .unwrap();
    zip.finish().unwrap();
    path.to_path_buf()
}

fn bytes_of(content: Vec<u8>) -> WriteFile {
    Box::new(move |w: &mut dyn Write| w.write_all(&content).unwrap())
}

/// The rows of every table and the schema, hashed: equal before and after a refused import
/// means the database was not changed.
fn db_hash(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut hasher = Sha256::new();
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, sql) in &tables {
        hasher.update(sql.as_bytes());
        if !sql.starts_with("CREATE TABLE") {
            continue;
        }
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                hasher.update(format!("{:?}|", row.get_ref(i).unwrap()).as_bytes());
            }
            hasher.update(b"\n");
        }
    }
    hex(&hasher.finalize())
}

struct Run {
    code: Option<i32>,
    output: String,
    peak_bytes: u64,
    took: Duration,
}

/// Runs the binary on `db` with `args`, killed past the time limit, and follows the
/// child's peak resident memory (VmHWM in /proc/<pid>/status, a high-water mark, read
/// continuously for 20 ms, then every 2 ms while it runs; a child gone before the first
/// reading shows 0). `wait4`'s ru_maxrss is no use here: Linux counts into it the memory
/// of the test process the child was spawned from, before its exec.
fn run(db: &Path, args: &[&std::ffi::OsStr]) -> Run {
    use std::process::{Command, Stdio};
    let started = Instant::now();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("jingong"))
        .env("JINGONG_DATA_DIR", db.parent().unwrap().join("data"))
        .env_remove("JINGONG_DB")
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        stdout.read_to_end(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        stderr.read_to_end(&mut s).unwrap();
        s
    });
    let pid = child.id();
    let status_file = format!("/proc/{pid}/status");
    let mut peak_kib = 0u64;
    let status = loop {
        // Read before reaping: once reaped, the pid's status file is gone. Only readings
        // after the exec count (before it, the child still shares the test's memory).
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && text.lines().any(|l| l == "Name:\tjingong")
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(MAX_SECONDS) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} still running after {MAX_SECONDS} s (killed)");
        }
        // Busy for the first 20 ms, so that even a quick refusal is measured at least once.
        if started.elapsed() > Duration::from_millis(20) {
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    let took = started.elapsed();
    let mut output = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    output.push_str(&String::from_utf8_lossy(&err.join().unwrap()));
    Run {
        code: status.code(),
        output,
        peak_bytes: peak_kib * 1024,
        took,
    }
}

/// `verify` and `import batch` both refuse `batch` with `expected` in what they print, in
/// time and memory, and the district database is unchanged.
fn refused(fx: &Fixture, batch: &Path, expected: &[&str]) {
    let before = db_hash(&fx.district);
    for command in [&["verify"][..], &["import", "batch"][..]] {
        let mut args: Vec<&std::ffi::OsStr> = command.iter().map(|a| a.as_ref()).collect();
        args.push(batch.as_os_str());
        let run = run(&fx.district, &args);
        let what = format!("{command:?} on {}", batch.display());
        assert_eq!(run.code, Some(1), "{what}: exit code\n{}", run.output);
        for text in expected {
            assert!(
                run.output.contains(text),
                "{what}: no {text:?} in\n{}",
                run.output
            );
        }
        assert!(
            !run.output.contains('\u{1b}') && !run.output.contains('\u{202e}'),
            "{what}: raw control characters printed\n{}",
            run.output.escape_debug()
        );
        assert!(
            run.peak_bytes <= MAX_PEAK_BYTES,
            "{what}: peak memory {} MB",
            run.peak_bytes / 1_000_000
        );
        assert!(run.took <= Duration::from_secs(MAX_SECONDS));
        assert_eq!(
            db_hash(&fx.district),
            before,
            "{what}: the database changed"
        );
        // Read by the hostile-input catalog in docs/reliability.md.
        eprintln!(
            "peak {:>4} MB, {:>5} ms: {what}",
            run.peak_bytes / 1_000_000,
            run.took.as_millis()
        );
    }
}

#[test]
fn a_zip_of_64_mib_of_newlines_lists_500_problems_and_counts_the_rest() {
    let fx = fixture();
    let batch = zip_batch(
        &fx.dir.path().join("newlines.zip"),
        &fx.manifest(),
        vec![
            (
                "workers.jsonl",
                Box::new(|w: &mut dyn Write| {
                    std::io::copy(&mut std::io::repeat(b'\n').take(64 << 20), w).unwrap();
                }),
            ),
            ("events.jsonl", bytes_of(Vec::new())),
            ("services.jsonl", bytes_of(Vec::new())),
            ("needs.jsonl", bytes_of(Vec::new())),
            ("claims.jsonl", bytes_of(Vec::new())),
        ],
        |_| {},
    );
    assert!(std::fs::metadata(&batch).unwrap().len() < 1 << 20);
    refused(
        &fx,
        &batch,
        &[
            "workers.jsonl:1: empty line: every line must be one record",
            "67108864 problem(s)",
        ],
    );
    // `verify` lists the first 500 and counts the rest.
    let run = run(&fx.district, &["verify".as_ref(), batch.as_os_str()]);
    assert!(
        run.output.contains("workers.jsonl:500: empty line"),
        "{}",
        run.output
    );
    assert!(!run.output.contains("workers.jsonl:501:"), "{}", run.output);
    assert!(
        run.output
            .contains("… and 67108364 more problem(s) not listed"),
        "{}",
        run.output
    );
}

#[test]
fn a_zip_entry_of_1_gib_on_one_line_declared_small_is_read_no_further_than_declared() {
    let fx = fixture();
    let batch = zip_batch(
        &fx.dir.path().join("one-line.zip"),
        &fx.manifest(),
        vec![
            (
                "workers.jsonl",
                Box::new(|w: &mut dyn Write| {
                    std::io::copy(&mut std::io::repeat(b'a').take(1 << 30), w).unwrap();
                }),
            ),
            ("events.jsonl", bytes_of(Vec::new())),
            ("services.jsonl", bytes_of(Vec::new())),
        ],
        |m| declare(m, "workers.jsonl", 1_900_000, &"0".repeat(64), 1),
    );
    refused(
        &fx,
        &batch,
        &[
            "workers.jsonl:1: line of 1900001 bytes, longer than any valid record can be",
            "workers.jsonl: byte size differs: manifest says 1900000, file has 1073741824",
        ],
    );
}

#[test]
fn a_200_mb_note_with_honest_hashes_is_refused_by_its_line_length() {
    let fx = fixture();
    let workers = fx.lines("workers.jsonl");
    let mut first = workers[0].clone();
    first["note"] = json!("NOTE-PLACEHOLDER");
    let text = serde_json::to_string(&first).unwrap();
    let (before, after) = text.split_once("NOTE-PLACEHOLDER").unwrap();
    let (before, after) = (before.to_string(), after.to_string());
    let rest: Vec<u8> = workers[1..]
        .iter()
        .flat_map(|w| {
            let mut line = serde_json::to_vec(w).unwrap();
            line.push(b'\n');
            line
        })
        .collect();
    let others = fx.files_with(vec![]);
    let batch = zip_batch(
        &fx.dir.path().join("note.zip"),
        &fx.manifest(),
        vec![
            (
                "workers.jsonl",
                Box::new(move |w: &mut dyn Write| {
                    w.write_all(before.as_bytes()).unwrap();
                    std::io::copy(&mut std::io::repeat(b'a').take(200_000_000), w).unwrap();
                    w.write_all(after.as_bytes()).unwrap();
                    w.write_all(b"\n").unwrap();
                    w.write_all(&rest).unwrap();
                }),
            ),
            ("events.jsonl", bytes_of(others[1].1.clone())),
            ("services.jsonl", bytes_of(others[2].1.clone())),
        ],
        |_| {},
    );
    refused(
        &fx,
        &batch,
        &[
            "workers.jsonl:1: line of 2000",
            "longer than any valid record can be",
        ],
    );
}

#[test]
fn events_as_a_symlink_to_dev_zero_is_not_read() {
    let fx = fixture();
    let batch = fx.folder("zero", &fx.manifest(), &fx.files_with(vec![]));
    std::fs::remove_file(batch.join("events.jsonl")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", batch.join("events.jsonl")).unwrap();
    refused(
        &fx,
        &batch,
        &["events.jsonl: is a symbolic link, not a regular file: not read"],
    );
}

#[test]
fn events_as_a_fifo_does_not_hang() {
    let fx = fixture();
    let batch = fx.folder("fifo", &fx.manifest(), &fx.files_with(vec![]));
    let events = batch.join("events.jsonl");
    std::fs::remove_file(&events).unwrap();
    let c_path = std::ffi::CString::new(events.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    refused(
        &fx,
        &batch,
        &["events.jsonl: is a named pipe (FIFO), not a regular file: not read"],
    );
}

#[test]
fn a_symlink_whose_target_path_is_as_long_as_the_declared_size_is_not_followed() {
    let fx = fixture();
    let batch = fx.folder("link", &fx.manifest(), &fx.files_with(vec![]));
    // Another file elsewhere: the lstat size of a link is its target path's length, so the
    // manifest declares that length while the hash is of the target's content.
    let events = std::fs::read(batch.join("events.jsonl")).unwrap();
    let target = fx.dir.path().join("secret-events.jsonl");
    std::fs::write(&target, &events).unwrap();
    std::fs::remove_file(batch.join("events.jsonl")).unwrap();
    std::os::unix::fs::symlink(&target, batch.join("events.jsonl")).unwrap();
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(batch.join("manifest.json")).unwrap()).unwrap();
    let link_len = target.as_os_str().len() as u64;
    declare(
        &mut manifest,
        "events.jsonl",
        link_len,
        &sha_hex(&events),
        count_lines(&events),
    );
    std::fs::write(
        batch.join("manifest.json"),
        serde_json::to_vec(&manifest).unwrap(),
    )
    .unwrap();
    assert_eq!(
        std::fs::symlink_metadata(batch.join("events.jsonl"))
            .unwrap()
            .len(),
        link_len
    );
    refused(
        &fx,
        &batch,
        &["events.jsonl: is a symbolic link, not a regular file: not read"],
    );
}

#[test]
fn names_with_control_characters_escapes_bidi_nul_or_digits_are_refused() {
    let fx = fixture();
    let names = [
        "王\u{7}芳",
        "\u{1b}[2J张伟",
        "李\u{202e}娜",
        "赵\u{0}敏",
        "刘洋2",
    ];
    let batch = fx.edited("names", "workers.jsonl", |i, w| {
        if let Some(name) = names.get(i) {
            w["name"] = json!(name);
        }
    });
    refused(
        &fx,
        &batch,
        &[
            "workers.jsonl:1: name: contains a control or invisible character",
            "workers.jsonl:2: name: contains a control or invisible character",
            "workers.jsonl:3: name: contains a control or invisible character",
            "workers.jsonl:4: name: contains a control or invisible character",
            "workers.jsonl:5: name: only Chinese or Latin letters",
        ],
    );
}

#[test]
fn a_phone_of_123_is_refused() {
    let fx = fixture();
    let batch = fx.edited("phone", "workers.jsonl", |i, w| {
        if i == 1 {
            w["phone"] = json!("123");
        }
    });
    refused(
        &fx,
        &batch,
        &["workers.jsonl:2: phone: must be an 11-digit mobile number"],
    );
}

#[test]
fn an_unknown_district_is_refused_and_a_retired_one_accepted() {
    let fx = fixture();
    let batch = fx.edited("district", "workers.jsonl", |i, w| {
        if i == 0 {
            w["district_code"] = json!("129999");
        }
    });
    refused(
        &fx,
        &batch,
        &["workers.jsonl:1: district: '129999' is not one of the known codes (district_code)"],
    );
    // Tanggu (120107) became part of Binhai in 2009: a code an earlier catalog shipped.
    let retired = fx.edited("retired", "workers.jsonl", |i, w| {
        if i == 0 {
            w["district_code"] = json!("120107");
        }
    });
    jingong(&fx.district)
        .arg("verify")
        .arg(&retired)
        .assert()
        .success();
}

#[test]
fn service_dates_in_1800_and_2099_are_refused() {
    let fx = fixture();
    let batch = fx.edited("dates", "services.jsonl", |i, s| match i {
        0 => s["served_on"] = json!("1800-01-01"),
        1 => s["served_on"] = json!("2099-01-01"),
        _ => {}
    });
    refused(
        &fx,
        &batch,
        &[
            "services.jsonl:1: date: must not be before the worker's birth date (served_on)",
            "services.jsonl:2: date: must not be in the future (served_on)",
        ],
    );
}

#[test]
fn a_version_of_2_pow_63_minus_1_is_refused() {
    let fx = fixture();
    let batch = fx.edited("version", "workers.jsonl", |i, w| {
        if i == 0 {
            w["version"] = json!(i64::MAX);
        }
    });
    refused(
        &fx,
        &batch,
        &[
            "workers.jsonl:1: field version must be a positive integer, at most 2^53 (9007199254740992), found 9223372036854775807",
        ],
    );
}

#[test]
fn upper_case_uids_are_refused() {
    let fx = fixture();
    let batch = fx.edited("upper", "workers.jsonl", |i, w| {
        if i == 0 {
            w["uid"] = json!(w["uid"].as_str().unwrap().to_uppercase());
        }
    });
    refused(
        &fx,
        &batch,
        &["workers.jsonl:1: uid: a uid must be lower-case (its canonical form)"],
    );
}

#[test]
fn two_zip_entries_of_the_same_name_are_refused() {
    let fx = fixture();
    let files = fx.files_with(vec![]);
    let path = fx.dir.path().join("twice.zip");
    // The zip writer refuses a duplicate name, so the second entry is written under a name of
    // the same length and renamed in the bytes (local header and central directory).
    zip_batch(
        &path,
        &fx.manifest(),
        vec![
            ("workers.jsonl", bytes_of(files[0].1.clone())),
            ("workerz.jsonl", bytes_of(b"{}\n".to_vec())),
            ("events.jsonl", bytes_of(files[1].1.clone())),
            ("services.jsonl", bytes_of(files[2].1.clone())),
        ],
        |_| {},
    );
    let mut bytes = std::fs::read(&path).unwrap();
    let mut renamed = 0;
    for at in 0..bytes.len() - 13 {
        if &bytes[at..at + 13] == b"workerz.jsonl" {
            bytes[at..at + 13].copy_from_slice(b"workers.jsonl");
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2);
    std::fs::write(&path, bytes).unwrap();
    refused(&fx, &path, &["the zip holds two entries of the same name"]);
}

#[test]
fn a_reused_batch_uid_with_different_content_is_refused() {
    let fx = fixture();
    jingong(&fx.district)
        .args(["import", "batch"])
        .arg(&fx.batch)
        .assert()
        .success();
    // Same batch_uid, one note changed, every hash recomputed.
    let batch = fx.edited("again", "workers.jsonl", |i, w| {
        if i == 0 {
            w["note"] = json!("改过的备注");
        }
    });
    let before = db_hash(&fx.district);
    let run = run(
        &fx.district,
        &["import".as_ref(), "batch".as_ref(), batch.as_os_str()],
    );
    assert_eq!(run.code, Some(1), "{}", run.output);
    assert!(
        run.output.contains("a different batch under a used name"),
        "{}",
        run.output
    );
    assert!(run.peak_bytes <= MAX_PEAK_BYTES);
    assert_eq!(db_hash(&fx.district), before);
    // The very same batch again is still "already here", not refused.
    jingong(&fx.district)
        .args(["import", "batch"])
        .arg(&fx.batch)
        .assert()
        .success();
}

/// A folder batch of format 2 whose first worker line is replaced by `line`.
fn format2_with_first_worker(fx: &Fixture, name: &str, line: Value) -> PathBuf {
    let mut manifest = fx.manifest();
    manifest["format_version"] = json!(2);
    let mut text = Vec::new();
    for (i, record) in fx.lines("workers.jsonl").into_iter().enumerate() {
        let record = if i == 0 { line.clone() } else { record };
        text.extend(serde_json::to_vec(&record).unwrap());
        text.push(b'\n');
    }
    fx.folder(
        name,
        &manifest,
        &fx.files_with(vec![("workers.jsonl", text)]),
    )
}

#[test]
fn a_newer_format_version_asks_the_officer_to_update() {
    let fx = fixture();
    let mut manifest = fx.manifest();
    manifest["format_version"] = json!(4);
    let batch = fx.folder("v4", &manifest, &fx.files_with(vec![]));
    refused(
        &fx,
        &batch,
        &["format_version 4 is newer than this program reads (up to 3): update jingong"],
    );
}

#[test]
fn format_2_withdrawals_carry_a_checked_reason() {
    let fx = fixture();
    let mut worker = fx.lines("workers.jsonl")[0].clone();
    worker["op"] = json!("delete");
    worker["deleted_at"] = worker["updated_at"].clone();
    worker["reason"] = json!("重复登记");
    let batch = format2_with_first_worker(&fx, "withdrawn", worker.clone());
    jingong(&fx.district)
        .arg("verify")
        .arg(&batch)
        .assert()
        .success();

    worker["reason"] = json!("\u{1b}[2J");
    let bad = format2_with_first_worker(&fx, "withdrawn-bad", worker.clone());
    refused(
        &fx,
        &bad,
        &["workers.jsonl:1: reason: contains a control or invisible character (reason)"],
    );
    worker.as_object_mut().unwrap().remove("reason");
    let missing = format2_with_first_worker(&fx, "withdrawn-no-reason", worker);
    refused(&fx, &missing, &["workers.jsonl:1: reason: is required"]);
}

#[test]
fn an_erasure_verifies_and_is_applied_at_import() {
    let fx = fixture();
    let worker = fx.lines("workers.jsonl")[0].clone();
    let erasure = json!({
        "uid": worker["uid"],
        "version": worker["version"].as_i64().unwrap() + 1,
        "op": "erase",
        "reason": "consent_withdrawn",
    });
    let batch = format2_with_first_worker(&fx, "erased", erasure.clone());
    jingong(&fx.district)
        .arg("verify")
        .arg(&batch)
        .assert()
        .success();
    // The erasure of a worker never seen here erases nothing and keeps no copy of them.
    let run = run(
        &fx.district,
        &["import".as_ref(), "batch".as_ref(), batch.as_os_str()],
    );
    assert_eq!(run.code, Some(0), "{}", run.output);
    let conn = rusqlite::Connection::open(&fx.district).unwrap();
    let held: i64 = conn
        .query_row(
            "SELECT count(*) FROM worker WHERE uid = ?1",
            [worker["uid"].as_str().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(held, 0);
    drop(conn);

    // An erasure carries nothing personal: any other field refuses it.
    let mut with_name = erasure.clone();
    with_name["name"] = json!("王芳");
    let leaky = format2_with_first_worker(&fx, "erased-leaky", with_name);
    refused(
        &fx,
        &leaky,
        &["workers.jsonl:1: not a valid record: unknown field `name`"],
    );
    let mut bad_reason = erasure.clone();
    bad_reason["reason"] = json!("because");
    let unknown = format2_with_first_worker(&fx, "erased-why", bad_reason);
    refused(
        &fx,
        &unknown,
        &[
            "workers.jsonl:1: field reason: an erasure's reason must be one of request, consent_withdrawn, retention_expired",
        ],
    );
    // Format 1 has no erasures.
    let mut manifest = fx.manifest();
    manifest["format_version"] = json!(1);
    let v1 = fx.folder(
        "erased-v1",
        &manifest,
        &fx.files_with(vec![(
            "workers.jsonl",
            std::fs::read(batch.join("workers.jsonl")).unwrap(),
        )]),
    );
    refused(
        &fx,
        &v1,
        &["workers.jsonl:1: op erase exists from batch format 2"],
    );
}

#[test]
fn a_service_dated_before_its_workers_birth_is_refused_when_the_worker_is_already_here() {
    let fx = fixture();
    jingong(&fx.district)
        .args(["import", "batch"])
        .arg(&fx.batch)
        .assert()
        .success();
    // A later batch of the same laptop: no worker, one new service for a worker the district
    // holds, dated 1800.
    let mut manifest = fx.manifest();
    manifest["batch_uid"] = json!("01a2264b-3253-7162-a571-46dcf517b5c9");
    manifest["previous_batch_uid"] = fx.manifest()["batch_uid"].clone();
    let mut service = fx.lines("services.jsonl")[0].clone();
    service["uid"] = json!("01a2264b-3253-7162-a571-0000000000a1");
    service["served_on"] = json!("1800-01-01");
    service["legal_aid"] = Value::Null;
    let mut line = serde_json::to_vec(&service).unwrap();
    line.push(b'\n');
    let files = vec![
        ("workers.jsonl", Vec::new()),
        ("events.jsonl", Vec::new()),
        ("services.jsonl", line),
    ];
    let batch = fx.folder("later", &manifest, &files);
    refused(
        &fx,
        &batch,
        &["services.jsonl:1: date: must not be before the worker's birth date (served_on)"],
    );
}
