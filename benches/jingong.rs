//! The benchmark suite: `cargo bench --bench jingong -- [--quick] [--workers N] [--runs R]
//! [--only search,stats,tui,commits] [--db EXISTING.db]`.
//! Builds (once) a demo database and measures what an officer feels: search per keystroke,
//! commit latency, demo generation against raw SQLite inserts. Prints a Markdown report for
//! BENCHMARKS.md. Ratios are measured in the same run, so a noisy machine moves both sides.

#![forbid(unsafe_code)]

use jingong::demo::{DemoOptions, fill};
use jingong::domain::WorkerInput;
use jingong::domain::validate::{ServiceDraft, validate_service};
use jingong::store::{Period, StatsQuery, Store};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/tui_probe.rs"]
mod tui_probe;

struct Options {
    workers: u64,
    services_per_worker: u64,
    runs: usize,
    queries: usize,
    naive_queries: usize,
    dir: PathBuf,
    /// Parts to run (search, stats, tui, commits); all when empty.
    only: Vec<String>,
    /// An existing database to measure instead of the demo one.
    db: Option<PathBuf>,
}

impl Options {
    fn runs_part(&self, part: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|p| p == part)
    }
}

fn parse_options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let quick = args.iter().any(|a| a == "--quick");
    let workers = value("--workers")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 20_000 } else { 1_000_000 });
    Options {
        workers,
        services_per_worker: 3,
        runs: value("--runs")
            .and_then(|v| v.parse().ok())
            .unwrap_or(if quick { 1 } else { 3 }),
        queries: if quick { 200 } else { 1000 },
        naive_queries: if quick { 20 } else { 10 },
        only: value("--only")
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        db: value("--db").map(PathBuf::from),
        dir: value("--dir")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target/bench")),
    }
}

/// Percentiles of a set of durations, in milliseconds.
struct Summary {
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

fn summarise(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1000.0
    };
    Summary {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        max: at(1.0),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// Noise: how far the runs spread around their median, in percent.
fn spread(values: &[f64]) -> f64 {
    let m = median(values.to_vec());
    let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = values.iter().cloned().fold(0.0, f64::max);
    if m > 0.0 { (hi - lo) / m * 100.0 } else { 0.0 }
}

/// Makes the demo database once per size; returns (path, seconds taken, or None if reused).
fn demo_db(o: &Options) -> (PathBuf, Option<f64>) {
    std::fs::create_dir_all(&o.dir).expect("bench dir");
    let path = o.dir.join(format!("bench-{}.db", o.workers));
    if path.exists() {
        // A database made by an older build is brought up to this build's schema first.
        drop(Store::open(&path).expect("upgrade the reused database"));
        return (path, None);
    }
    let partial = o.dir.join(format!("bench-{}.partial.db", o.workers));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let mut store = Store::open(&partial).expect("open");
    store
        .set_officer(&jingong::testing::officer())
        .expect("officer");
    let started = Instant::now();
    fill(
        &mut store,
        DemoOptions {
            workers: o.workers,
            services_per_worker: o.services_per_worker,
            seed: 2026,
        },
        |_| {},
    )
    .expect("demo");
    let secs = started.elapsed().as_secs_f64();
    drop(store);
    std::fs::rename(&partial, &path).expect("rename");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    (path, Some(secs))
}

/// SQLite's raw rate: the same number of worker-sized rows into a bare table, one
/// transaction, no indexes: the floor any generator is compared with.
fn raw_insert_seconds(dir: &Path, rows: u64) -> f64 {
    let path = dir.join("raw.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut conn = rusqlite::Connection::open(&path).expect("raw db");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, id_number TEXT, phone TEXT);",
    )
    .expect("raw schema");
    let started = Instant::now();
    let tx = conn.transaction().expect("tx");
    {
        let mut stmt = tx
            .prepare("INSERT INTO t(name, id_number, phone) VALUES (?1, ?2, ?3)")
            .expect("prepare");
        for i in 0..rows {
            stmt.execute(rusqlite::params![
                "张建国",
                format!("{:018}", i),
                format!("138{:08}", i)
            ])
            .expect("insert");
        }
    }
    tx.commit().expect("commit");
    let secs = started.elapsed().as_secs_f64();
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    secs
}

/// The query classes of the search issue, each built from sampled real rows.
/// A sampled worker: name, ID number, phone, full pinyin, initials, employer.
type SampleRow = (String, String, String, String, String, String);

fn query_classes(store: &Store, n: usize) -> Vec<(&'static str, Vec<String>, &'static str)> {
    let rows: Vec<SampleRow> = {
        let mut stmt = jingong::testing::connection(store)
            .prepare(
                "SELECT name, id_number, phone, name_pinyin, name_initials, employer FROM worker
                 WHERE deleted_at IS NULL AND name NOT LIKE '%·%' AND length(name) >= 2
                   AND length(employer) >= 2
                 ORDER BY (id * 2654435761) % 1000003 LIMIT ?1",
            )
            .expect("sample");
        stmt.query_map([n as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .expect("sample rows")
        .map(Result::unwrap)
        .collect()
    };
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    let map = |f: &dyn Fn(&SampleRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    vec![
        (
            "2-char name (surname + given)",
            map(&|r| chars(&r.0)[..2].iter().collect()),
            "name",
        ),
        (
            "1-char surname",
            map(&|r| chars(&r.0)[0].to_string()),
            "name",
        ),
        (
            "2-char inner substring",
            map(&|r| {
                let c = chars(&r.0);
                if c.len() >= 3 {
                    c[1..3].iter().collect()
                } else {
                    c[1..].iter().collect()
                }
            }),
            "name",
        ),
        ("pinyin initials", map(&|r| r.4.clone()), "name_initials"),
        (
            "full pinyin prefix",
            map(&|r| r.3.chars().take(5).collect()),
            "name_pinyin",
        ),
        (
            "ID-number prefix",
            map(&|r| r.1[..8].to_string()),
            "id_number",
        ),
        ("ID last 4", map(&|r| r.1[14..].to_string()), "id_number"),
        ("ID last 6", map(&|r| r.1[12..].to_string()), "id_number"),
        ("phone prefix", map(&|r| r.2[..7].to_string()), "phone"),
        ("phone last 4", map(&|r| r.2[7..].to_string()), "phone"),
        (
            "employer 2-char piece",
            // A piece from a varying place of the name: its start, middle or end.
            map(&|r| {
                let c = chars(&r.5);
                let at = usize::from(r.1.as_bytes()[16]) % (c.len() - 1);
                c[at..at + 2].iter().collect()
            }),
            "employer",
        ),
    ]
}

fn bench_search(o: &Options, store: &Store, report: &mut String) {
    let classes = query_classes(store, o.queries);
    report.push_str(&format!(
        "\n### Search ({} queries per class, first page of 50, {} run(s))\n\n\
         | class | p50 ms | p95 ms | p99 ms | max ms | naive `LIKE '%q%'` p50 ms | naive / indexed p50 | p99 spread |\n\
         |---|---|---|---|---|---|---|---|\n",
        o.queries, o.runs
    ));
    for (label, queries, column) in &classes {
        let mut p50s = Vec::new();
        let mut p95s = Vec::new();
        let mut p99s = Vec::new();
        let mut maxes = Vec::new();
        for _ in 0..o.runs {
            let samples: Vec<Duration> = queries
                .iter()
                .map(|q| {
                    let started = Instant::now();
                    let page = store.search(q, 0, 50).expect("search");
                    std::hint::black_box(page);
                    started.elapsed()
                })
                .collect();
            let s = summarise(samples);
            p50s.push(s.p50);
            p95s.push(s.p95);
            p99s.push(s.p99);
            maxes.push(s.max);
        }
        // The plan every spreadsheet-style tool falls back to: a substring scan of the table.
        let mut naive_stmt = jingong::testing::connection(store)
            .prepare(&format!(
                "SELECT id FROM worker NOT INDEXED
                 WHERE {column} LIKE ?1 AND deleted_at IS NULL LIMIT 1001"
            ))
            .expect("naive");
        let naive: Vec<Duration> = queries
            .iter()
            .take(o.naive_queries)
            .map(|q| {
                let started = Instant::now();
                let n = naive_stmt
                    .query_map([format!("%{q}%")], |r| r.get::<_, i64>(0))
                    .expect("naive query")
                    .count();
                std::hint::black_box(n);
                started.elapsed()
            })
            .collect();
        let naive_p50 = summarise(naive).p50;
        let p50 = median(p50s);
        eprintln!("measured: {label}");
        report.push_str(&format!(
            "| {label} | {p50:.2} | {:.2} | {:.2} | {:.2} | {naive_p50:.1} | {:.0}× | {:.0}% |\n",
            median(p95s),
            median(p99s.clone()),
            median(maxes),
            naive_p50 / p50.max(0.001),
            spread(&p99s),
        ));
    }
}

fn bench_commits(o: &Options, report: &mut String) {
    let path = o.dir.join("commits.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = Store::open(&path).expect("open");
    store
        .set_officer(&jingong::testing::officer())
        .expect("officer");
    let mut rng = jingong::demo::Rng::new(99);
    let n = if o.workers <= 20_000 { 200 } else { 1000 };
    let mut register = Vec::with_capacity(n);
    let mut log = Vec::with_capacity(n);
    let stamp = store.clock().stamp();
    let service = validate_service(
        &ServiceDraft {
            kind: "summer_cooling".into(),
            ..Default::default()
        },
        store.clock().today(),
        "李明",
        &stamp,
    )
    .expect("service");
    for _ in 0..n {
        let input = WorkerInput {
            name: jingong::demo::synthetic_name(&mut rng),
            id_number: jingong::demo::synthetic_id_number(&mut rng),
            phone: jingong::demo::synthetic_phone(&mut rng),
            ..Default::default()
        };
        let started = Instant::now();
        let Ok(created) = store.add_worker(&input) else {
            continue;
        };
        register.push(started.elapsed());
        let started = Instant::now();
        store.add_service(&created.uid, &service).expect("service");
        log.push(started.elapsed());
    }
    let r = summarise(register);
    let l = summarise(log);
    report.push_str(&format!(
        "\n### Commit latency (synchronous=FULL, WAL, {n} commits each)\n\n\
         | write | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|\n\
         | register a worker | {:.2} | {:.2} | {:.2} | {:.2} |\n\
         | log a service | {:.2} | {:.2} | {:.2} | {:.2} |\n",
        r.p50, r.p95, r.p99, r.max, l.p50, l.p95, l.p99, l.max
    ));
}

/// Every figure of the statistics screen, as the screen asks for them, median of `runs` warm
/// calls per period.
fn bench_statistics(o: &Options, store: &Store, report: &mut String) {
    let today = store.clock().today();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let district = Some("120103".to_string());
    let periods = [
        ("this month", StatsQuery::new(Period::Month, today, None)),
        (
            "this quarter",
            StatsQuery::new(Period::Quarter, today, None),
        ),
        ("this year", StatsQuery::new(Period::Year, today, None)),
        (
            "this year, one district",
            StatsQuery::new(Period::Year, today, district.clone()),
        ),
        (
            "2026-03-15 to 2026-09-10 (odd days)",
            StatsQuery::custom(day("2026-03-15"), day("2026-09-10"), None),
        ),
        (
            "same, one district",
            StatsQuery::custom(day("2026-03-15"), day("2026-09-10"), district),
        ),
        (
            "2026-11-03 to 2026-11-20 (within a month)",
            StatsQuery::custom(day("2026-11-03"), day("2026-11-20"), None),
        ),
        (
            "2025-01-02 to 2026-11-28 (almost two years)",
            StatsQuery::custom(day("2025-01-02"), day("2026-11-28"), None),
        ),
    ];
    report.push_str(&format!(
        "\n### Statistics screen (`Store::statistics`, every figure, median of {} warm runs)\n\n\
         The needs (诉求) and mutual-aid (互助保障) tabs' figures are part of every run: the \
         needs raised and claims recorded in the period are shown beside the reach.\n\n\
         | period | ms | reach | needs raised | claims | target 300 ms |\n\
         |---|---|---|---|---|---|\n",
        o.runs.max(3)
    ));
    for (label, query) in periods {
        store.statistics(&query).expect("statistics");
        let mut times = Vec::new();
        let mut figures = (0, 0, 0);
        for _ in 0..o.runs.max(3) {
            let started = Instant::now();
            let stats = store.statistics(&query).expect("statistics");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            figures = (
                stats.reach.served,
                stats.needs.total.raised,
                stats.claims.total.claims,
            );
        }
        let ms = median(times);
        let verdict = if ms < 300.0 { "met" } else { "MISSED" };
        let (reach, needs, claims) = figures;
        report.push_str(&format!(
            "| {label} | {ms:.1} | {reach} | {needs} | {claims} | {verdict} |\n"
        ));
    }
}

/// The real binary in a pseudo-terminal: start to first frame, and peak memory over a long
/// sitting of browsing and searching.
fn bench_tui(o: &Options, store: &Store, db: &Path, report: &mut String) {
    let binary = Path::new(env!("CARGO_BIN_EXE_jingong"));
    let home = tempfile::tempdir().expect("temp home");
    let runs = if o.runs > 1 { 15 } else { 5 };
    // The first start reads the file from disk; later ones find it in the page cache.
    let mut starts = tui_probe::start_times(binary, db, home.path(), runs);
    let first = starts.remove(0).as_secs_f64() * 1000.0;
    let warm = summarise(starts);
    let classes = query_classes(store, 2);
    let queries: Vec<String> = classes
        .iter()
        .filter(|(label, ..)| !label.contains("inner"))
        .map(|(_, samples, _)| samples[0].clone())
        .collect();
    let (peak, end) = tui_probe::browse_and_search(binary, db, home.path(), &queries);
    report.push_str(&format!(
        "\n### TUI in a pseudo-terminal (80×24, release binary)\n\n\
         | measure | value | target |\n|---|---|---|\n\
         | process start → first full frame of the workers list, first start | {first:.0} ms | < 150 ms |\n\
         | same, next {} starts: p50 / p95 / max | {:.0} / {:.0} / {:.0} ms | < 150 ms |\n\
         | peak resident memory (VmHWM) over 40 pages, End, Home, {} searches with paging and a worker opened each | {peak:.1} MiB | < 60 MiB |\n\
         | resident memory at the end of that sitting | {end:.1} MiB | |\n",
        runs - 1,
        warm.p50,
        warm.p95,
        warm.max,
        queries.len(),
    ));
}

fn main() {
    let o = parse_options();
    let mut report = format!(
        "## Run of {} on {} workers × {} services\n\n\
         Machine: {} cores, {}. Command: `cargo bench --bench jingong -- {}`\n",
        chrono::Local::now().format("%Y-%m-%d %H:%M"),
        o.workers,
        o.services_per_worker,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(
                |c| c.lines().find(|l| l.starts_with("model name")).map(|l| l
                    .split(':')
                    .nth(1)
                    .unwrap_or("")
                    .trim()
                    .to_string())
            )
            .unwrap_or_else(|| "unknown CPU".into()),
        std::env::args()
            .skip(1)
            .filter(|a| a != "--bench")
            .collect::<Vec<_>>()
            .join(" "),
    );

    let (path, demo_secs) = match &o.db {
        Some(db) => {
            drop(Store::open(db).expect("upgrade the database"));
            (db.clone(), None)
        }
        None => demo_db(&o),
    };
    if let Some(secs) = demo_secs {
        let raw = raw_insert_seconds(&o.dir, o.workers);
        report.push_str(&format!(
            "\n### demo\n\n| step | seconds |\n|---|---|\n\
             | `demo` {} workers + {} services (indexes, search keys, audit) | {secs:.1} |\n\
             | raw SQLite insert of {} bare rows, one transaction | {raw:.2} |\n",
            o.workers,
            o.workers * o.services_per_worker,
            o.workers
        ));
    } else {
        report.push_str("\n(demo database reused from an earlier run: delete it to time `demo`)\n");
    }
    let store = Store::open_reader(&path).expect("open reader");
    if o.runs_part("search") {
        bench_search(&o, &store, &mut report);
    }
    if o.runs_part("stats") {
        bench_statistics(&o, &store, &mut report);
    }
    if o.runs_part("tui") {
        bench_tui(&o, &store, &path, &mut report);
    }
    if o.runs_part("commits") {
        bench_commits(&o, &mut report);
    }
    println!("{report}");
    let _ = std::fs::write(o.dir.join("report.md"), &report);
}
