//! Export against `sqlite3 -json` on the same rows: `cargo bench --bench export -- [--workers N]
//! [--runs R] [--dir DIR]` (or `scripts/bench-export`). Issue 5's target: an export of
//! 1,000,000 workers and 3,000,000 services within 1.5 times the time `sqlite3 -json` takes to
//! dump the same rows, measured in the same run on the same file.
//!
//! Each run starts from a fresh copy of the demo database (everything waiting), so both sides
//! read a file just written and warm in the page cache. `sqlite3` runs the export's own three
//! queries, so it dumps exactly the rows and columns the batch holds.

#![forbid(unsafe_code)]

use jingong::batch::export::{ExportOptions, ExportOutcome, export};
use jingong::demo::{DemoOptions, fill};
use jingong::store::Store;
use jingong::store::tables::{event, service, worker};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn arg(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn base_db(dir: &Path, workers: u64) -> PathBuf {
    std::fs::create_dir_all(dir).expect("bench dir");
    let path = dir.join(format!("export-base-{workers}.db"));
    if path.exists() {
        return path;
    }
    let partial = dir.join(format!("export-base-{workers}.partial.db"));
    let _ = std::fs::remove_file(&partial);
    let mut store = Store::open(&partial).expect("open");
    store
        .set_officer(&jingong::testing::officer())
        .expect("officer");
    let started = Instant::now();
    fill(
        &mut store,
        DemoOptions {
            workers,
            services_per_worker: 3,
            seed: 2026,
        },
        |_| {},
    )
    .expect("demo");
    // One plain file to copy: fold the WAL back in.
    jingong::testing::connection(&store)
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    drop(store);
    std::fs::rename(&partial, &path).expect("rename");
    eprintln!(
        "demo database of {workers} workers made in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    path
}

fn main() {
    let workers: u64 = arg("--workers")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    let dir = arg("--dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench"));
    let base = base_db(&dir, workers);
    let work = dir.join("export-work.db");
    let out = dir.join("export-out");
    let dump = dir.join("sqlite3-dump.json");
    let sql = format!(
        "{};{};{};",
        &worker::EXPORT_SQL.pending,
        &event::EXPORT_SQL.pending,
        &service::EXPORT_SQL.pending
    );

    let mut report = String::new();
    report.push_str(
        "| run | sqlite3 -json (s) | export (s) | ratio | write records (s) | mark exported (s) | batch bytes |\n|---|---|---|---|---|---|---|\n",
    );
    let mut ratios = Vec::new();
    for run in 1..=runs {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
        }
        let _ = std::fs::remove_dir_all(&out);
        std::fs::copy(&base, &work).expect("copy");

        let started = Instant::now();
        let status = Command::new("sqlite3")
            .arg("-json")
            .arg(&work)
            .arg(&sql)
            .stdout(std::fs::File::create(&dump).expect("dump file"))
            .status()
            .expect("sqlite3 on PATH");
        assert!(status.success(), "sqlite3 failed");
        let sqlite_secs = started.elapsed().as_secs_f64();

        let mut store = Store::open(&work).expect("open copy");
        let started = Instant::now();
        let outcome = export(
            &mut store,
            &ExportOptions {
                out_dir: out.clone(),
                ..ExportOptions::default()
            },
            &mut |_| {},
        )
        .expect("export");
        let export_secs = started.elapsed().as_secs_f64();
        let ExportOutcome::Written { summary, .. } = outcome else {
            panic!("nothing exported")
        };
        let step = |name: &str| {
            summary
                .timings
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, d)| d.as_secs_f64())
                .unwrap_or(0.0)
        };
        let bytes: u64 = std::fs::read_dir(&summary.path)
            .expect("batch")
            .map(|e| e.expect("entry").metadata().expect("meta").len())
            .sum();
        let ratio = export_secs / sqlite_secs;
        ratios.push(ratio);
        report.push_str(&format!(
            "| {run} | {sqlite_secs:.2} | {export_secs:.2} | {ratio:.2} | {:.2} | {:.2} | {bytes} |\n",
            step("write records"),
            step("mark exported"),
        ));
        eprintln!(
            "run {run}: sqlite3 {sqlite_secs:.2} s, export {export_secs:.2} s ({:?}), counts {:?}",
            summary.timings, summary.counts
        );
    }
    ratios.sort_by(|a, b| a.total_cmp(b));
    println!(
        "## Export vs sqlite3 -json: {workers} workers, {} services\n",
        workers * 3
    );
    println!("{report}");
    println!(
        "Median ratio export / sqlite3 -json: {:.2} (target ≤ 1.5)",
        ratios[ratios.len() / 2]
    );
    let _ = std::fs::remove_file(&dump);
}
