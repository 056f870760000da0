//! A sealed batch (`.zip.age`) at the city: refused without the city's identity, with nothing
//! applied, and applied with it exactly as the same batch unsealed would be.

use super::cluster::*;
use crate::support::batch::*;
use crate::support::bin::jingong;
use std::path::{Path, PathBuf};

fn city_identity(dir: &Path) -> (PathBuf, String) {
    let file = dir.join("city.key");
    let output = jingong(&dir.join("keys.db"))
        .args(["seal-key", "--out"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_text(&output));
    (file, stdout_text(&output).trim().to_string())
}

#[test]
fn a_sealed_batch_is_applied_only_with_the_citys_identity() {
    let Some(city) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    city.init(dir.path());
    let (identity, recipient) = city_identity(dir.path());
    let laptop = demo_db(dir.path(), "laptop.db", 5, 3);
    jingong(&laptop)
        .args(["officer", "set", "--seal-to", &recipient])
        .assert()
        .success();
    let sealed = export(&laptop, &dir.path().join("out"), &[]);
    assert!(sealed.to_string_lossy().ends_with(".zip.age"), "{sealed:?}");

    let refused = city.ingest(dir.path(), &[&sealed]);
    assert!(!refused.status.success(), "{}", stdout_text(&refused));
    assert_eq!(city.count("SELECT count(*) FROM workers"), 0);

    let path = sealed.display().to_string();
    let applied = city.city(
        dir.path(),
        &[
            "ingest",
            "--identity",
            &identity.display().to_string(),
            &path,
        ],
    );
    assert!(applied.status.success(), "{}", stderr_text(&applied));
    assert_eq!(city.count("SELECT count(*) FROM workers"), 5);
    assert!(city.count("SELECT count(*) FROM services") >= 5);
}
