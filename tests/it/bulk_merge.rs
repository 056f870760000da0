//! The bulk mode of `import batch` changes nothing but speed: the same batches merged into two
//! copies of one district database, once record by record and once in bulk mode
//! (`JINGONG_BULK_MERGE`, a test-build switch), leave every table the same.

use crate::batch_merge::{five_laptops, merged_state};
use crate::support::batch::*;
use crate::support::bin::command;
use jingong::store::Store;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::path::{Path, PathBuf};

/// Tables whose rows say when the import ran or where its log went, not what was merged:
/// none today (the clock is fixed), so every table is compared.
const NOT_COMPARED: &[&str] = &[];

/// A laptop with demo workers, events and services of every kind: one batch as registered,
/// then one with edits (a new name, so new search keys), withdrawals and an erasure.
fn demo_laptop(dir: &Path) -> Vec<PathBuf> {
    let db = demo_db(dir, "laptop-demo.db", 300, 7);
    let out = dir.join("out-demo");
    let first = export(&db, &out, &[]);
    {
        let mut store = Store::open(&db).unwrap();
        let uids: Vec<String> = records(&first, "workers.jsonl")
            .iter()
            .map(|r| r["uid"].as_str().unwrap().to_string())
            .collect();
        for (i, uid) in uids.iter().enumerate().step_by(9) {
            match i % 4 {
                0 => {
                    let mut input = store.worker_by_uid(uid).unwrap().unwrap().input;
                    input.name = "改名职工".into();
                    input.hardship = !input.hardship;
                    input.district_code = "120116".into();
                    store.update_worker(uid, &input, None).unwrap();
                }
                1 => {
                    store.withdraw_worker(uid, "录入有误", None).unwrap();
                }
                2 => {
                    let services = store.services_of_worker(uid).unwrap();
                    store
                        .withdraw_service(&services[0].uid, "录入有误", None)
                        .unwrap();
                }
                _ => {
                    store.erase_worker(uid, "request").unwrap();
                }
            }
        }
    }
    let second = export(&db, &out, &[]);
    vec![first, second]
}

/// Every row of every table of `db` as text, table by table, rows sorted (rollup rows are
/// written in another order when refilled than when kept by triggers), less rollup rows that
/// count nothing.
fn all_tables(db: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|name: &String| !NOT_COMPARED.contains(&name.as_str()))
        .collect();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let key_columns = key_columns(&conn, &table);
            let summed = SUMMED_ROLLUPS.contains(&table.as_str());
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let cells: Vec<_> = (0..columns).map(|i| r.get_ref(i).unwrap()).collect();
                    // Triggers leave a rollup row at zero when what it counted goes; a refill
                    // writes no row for it. Both say "nothing here" to every statistic.
                    let counts_nothing = cells
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !key_columns.contains(i))
                        .all(|(_, c)| matches!(c, ValueRef::Integer(0)));
                    let text: Vec<String> = cells.iter().map(|c| format!("{c:?}")).collect();
                    Ok((summed && counts_nothing, text.join("|")))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .filter(|(empty, _)| !empty)
                .map(|(_, text)| text)
                .collect();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// Rollups of sums (keyed by day, month, district...): the ones a row of zeros can stay in.
const SUMMED_ROLLUPS: &[&str] = &[
    "stat_worker_day",
    "stat_service_day",
    "stat_service_month",
    "stat_reach",
    "stat_legal_open",
    "stat_legal_day",
    "stat_amount_day",
    "stat_amount_month",
    "stat_event_amount",
    "stat_need_day",
    "stat_need_month",
];

/// Positions of the primary-key columns of `table`.
fn key_columns(conn: &Connection, table: &str) -> Vec<usize> {
    conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))
        .unwrap()
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(5)?))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|(_, pk)| *pk > 0)
        .map(|(i, _)| i)
        .collect()
}

/// The district's clock for the imports: one fixed instant shared by every import of the test
/// run (so the two databases compared hold the same import times), an hour after the real
/// time the demo laptops dated their records by (a fixed date in the past would make their
/// newest services "in the future" for the receiver).
fn import_clock() -> &'static str {
    static AT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    AT.get_or_init(|| {
        let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        (chrono::Utc::now() + chrono::Duration::hours(1))
            .with_timezone(&china)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    })
}

fn import_all(db: &Path, batches: &[PathBuf], mode: &str) {
    let root = db.parent().unwrap().join(format!("root-{mode}"));
    for batch in batches {
        let output = command(&root)
            .env("JINGONG_NOW", import_clock())
            .env("JINGONG_BULK_MERGE", mode)
            .env("JINGONG_LOG", "info")
            .arg("--db")
            .arg(db)
            .args(["--lang", "en", "import", "batch"])
            .arg(batch)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_text(&output));
    }
    // The log says which mode each batch took: the comparison means nothing otherwise.
    let log = std::fs::read_to_string(root.join("data").join("jingong.log")).unwrap();
    let imported: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("batch imported"))
        .collect();
    assert_eq!(imported.len(), batches.len(), "{log}");
    let bulk = mode == "always";
    assert!(
        imported.iter().all(|l| l.contains(&format!("bulk={bulk}"))),
        "{log}"
    );
}

fn copy_db(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", from.display()));
        if side.exists() {
            std::fs::copy(&side, format!("{}{suffix}", to.display())).unwrap();
        }
    }
}

#[test]
fn a_bulk_merge_leaves_every_table_as_a_merge_record_by_record_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut batches = five_laptops(dir.path());
    batches.extend(demo_laptop(dir.path()));
    // The district already holds records of its own, some of them edited and not yet sent,
    // so the bulk mode's rollup refill has to count those too.
    let base = demo_db(dir.path(), "district.db", 120, 3);
    {
        let mut store = Store::open(&base).unwrap();
        let uid = jingong::testing::connection(&store)
            .query_row("SELECT uid FROM worker ORDER BY id LIMIT 1", [], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        store.withdraw_worker(&uid, "录入有误", None).unwrap();
    }
    let by_record = dir.path().join("by-record.db");
    let in_bulk = dir.path().join("in-bulk.db");
    copy_db(&base, &by_record);
    copy_db(&base, &in_bulk);

    import_all(&by_record, &batches, "never");
    import_all(&in_bulk, &batches, "always");

    let (records, links, conflicts) = merged_state(&in_bulk);
    assert!(records.len() > 1_000, "the batches carried records");
    assert!(!links.is_empty() && !conflicts.is_empty());
    assert_eq!(merged_state(&by_record), (records, links, conflicts));
    let expected = all_tables(&by_record);
    let actual = all_tables(&in_bulk);
    assert_eq!(
        expected.iter().map(|t| &t.0).collect::<Vec<_>>(),
        actual.iter().map(|t| &t.0).collect::<Vec<_>>()
    );
    for ((table, want), (_, got)) in expected.iter().zip(&actual) {
        assert!(
            want == got,
            "table {table} differs: {} rows record by record, {} in bulk; first difference: {:?}",
            want.len(),
            got.len(),
            want.iter().zip(got).find(|(a, b)| a != b)
        );
    }
    // The search keys are there too: a merged worker is found by pinyin initials.
    let conn = Connection::open(&in_bulk).unwrap();
    let keys: i64 = conn
        .query_row("SELECT count(*) FROM search_term", [], |r| r.get(0))
        .unwrap();
    assert!(keys > 1_000);
}

#[test]
fn after_a_bulk_merge_the_rollups_equal_counting_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let batches = demo_laptop(dir.path());
    let district = demo_db(dir.path(), "district.db", 80, 5);
    import_all(&district, &batches, "always");
    let store = Store::open(&district).unwrap();
    crate::stats::assert_rollups_agree(&store, "after a bulk merge");
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// SIGKILL at moments spread over a bulk merge, the refill and the commit included: the
/// database holds none or all of the batch, its statistics triggers are all there (they were
/// dropped inside the transaction), and the rollups agree with the records.
#[test]
fn a_bulk_merge_killed_at_any_moment_leaves_none_or_all_of_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "laptop.db", 1_500, 21);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    let base = demo_db(dir.path(), "district.db", 60, 4);
    let triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'";
    let (base_workers, base_triggers) = (
        count(&base, "SELECT count(*) FROM worker"),
        count(&base, triggers),
    );
    let spawn = |db: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jingong"))
            .env("JINGONG_NOW", import_clock())
            .env("JINGONG_DATA_DIR", dir.path().join("data"))
            .env("JINGONG_CONFIG_DIR", dir.path().join("config"))
            .env_remove("JINGONG_DB")
            .env_remove("JINGONG_KEY")
            .env("JINGONG_BULK_MERGE", "always")
            .arg("--db")
            .arg(db)
            .args(["import", "batch"])
            .arg(&batch)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // A run's length is the shorter of two (the first may pay for a cold cache or a busy
    // machine, and kills timed on it would land after later, faster runs had ended).
    let mut full_run = std::time::Duration::MAX;
    let whole = dir.path().join("whole.db");
    for first in [true, false] {
        let whole = match first {
            true => dir.path().join("whole-first.db"),
            false => whole.clone(),
        };
        copy_db(&base, &whole);
        let started = std::time::Instant::now();
        assert!(spawn(&whole).wait().unwrap().success());
        full_run = full_run.min(started.elapsed());
    }
    let all = count(&whole, "SELECT count(*) FROM worker");
    assert_eq!(all, base_workers + 1_500);

    let mut killed = 0;
    let moments = [0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 1.05];
    for (n, fraction) in moments.into_iter().enumerate() {
        let db = dir.path().join(format!("killed-{n}.db"));
        copy_db(&base, &db);
        let mut child = spawn(&db);
        std::thread::sleep(full_run.mul_f64(fraction));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
            child.kill().unwrap();
        }
        child.wait().unwrap();
        let check: String = Connection::open(&db)
            .unwrap()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "after a kill at {fraction} of a run");
        let workers = count(&db, "SELECT count(*) FROM worker");
        assert!(
            workers == base_workers || workers == all,
            "a kill at {fraction} of a run left {workers} workers"
        );
        assert_eq!(count(&db, triggers), base_triggers, "at {fraction}");
        let store = Store::open(&db).unwrap();
        crate::stats::assert_rollups_agree(&store, &format!("after a kill at {fraction}"));
    }
    assert!(
        killed >= 3,
        "only {killed} runs were still going when killed"
    );
}
