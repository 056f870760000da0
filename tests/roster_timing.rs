//! The 100,000-row timing run. Ignored by default: it is measured with a release build:
//! `cargo test --release --test roster_timing -- --ignored --nocapture`.

mod support;

use support::{TestDb, write_generated_roster};

#[test]
#[ignore = "timing run; use --release"]
fn import_of_100_000_rows_takes_under_ten_seconds() {
    let t = TestDb::with_officer();
    let roster = t.path().join("roster-100k.csv");
    write_generated_roster(&roster, 100_000);
    for (run, expect) in [
        ("first import", "新登记 100000 人"),
        ("re-import", "无变化 100000 人"),
    ] {
        let started = std::time::Instant::now();
        let out = t
            .cmd()
            .args(["import", "roster"])
            .arg(&roster)
            .output()
            .expect("run");
        let took = started.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        assert!(stdout.contains(expect), "{stdout}");
        println!("{run}: 100,000 rows in {:.2} s", took.as_secs_f64());
        assert!(took.as_secs_f64() < 10.0, "{run} took {took:?}");
    }
}
