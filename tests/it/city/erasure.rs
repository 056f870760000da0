//! Erasure lines at the city: a worker erasure blanks the person from every laptop, an older
//! copy arriving later changes nothing, a service erasure blanks its service, an erasure of a
//! uid the city does not hold changes nothing, and receiving any of it again is harmless.

use super::cluster::*;
use crate::support::batch::*;
use jingong::store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The worker, event and service counts of a report's per-kind array (needs and claims
/// follow; the demo's laptops hold some, withdrawn by the laptop's own erasure).
fn records3(counts: &Value) -> Value {
    Value::Array(counts.as_array().unwrap()[..3].to_vec())
}

/// `city ingest --json` of one batch: its report.
fn ingest_json(db: &CityDb, dir: &Path, batch: &Path) -> Value {
    let path = batch.display().to_string();
    let out = db.city(dir, &["ingest", "--json", &path]);
    assert!(
        out.status.success(),
        "{}{}",
        stderr_text(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    reports.as_array().unwrap()[0].clone()
}

/// A copy of `batch` under a new batch uid that follows `previous` in its device's chain, its
/// data files changed by `edit` (lines of each file in, lines out), the manifest made whole.
fn fork(
    batch: &Path,
    previous: &Path,
    to: &Path,
    edit: impl Fn(&str, Vec<Value>) -> Vec<Value>,
) -> PathBuf {
    let uid = uuid::Uuid::now_v7().hyphenated().to_string();
    let target = to.join(format!("fork-{uid}"));
    std::fs::create_dir_all(&target).unwrap();
    let manifest_path = batch.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["batch_uid"] = uid.into();
    manifest["previous_batch_uid"] = uid_of(previous).into();
    for file in manifest["files"].as_array_mut().unwrap() {
        let name = file["name"].as_str().unwrap().to_string();
        let lines = edit(&name, records(batch, &name));
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(target.join(&name), text).unwrap();
        file["records"] = lines.len().into();
    }
    std::fs::write(
        target.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    rehash(&target);
    target
}

/// Rows of the city's tables that hold `needle` anywhere, as `table: count`.
fn holding(db: &CityDb, needle: &str) -> Vec<String> {
    let mut client = db.client();
    let mut found = Vec::new();
    for table in ["persons", "workers", "services", "events", "conflicts"] {
        let n: i64 = client
            .query_one(
                &format!("SELECT count(*) FROM {table} t WHERE strpos(to_jsonb(t)::text, $1) > 0"),
                &[&needle],
            )
            .unwrap()
            .get(0);
        if n > 0 {
            found.push(format!("{table}: {n}"));
        }
    }
    found
}

fn text(v: &Value, path: &str) -> String {
    v.pointer(path)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_worker_erasure_blanks_the_person_from_every_laptop_and_stays() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The same demo seed on two laptops: the same people under other uids.
    let a = demo_db(d, "a.db", 8, 61);
    let b = demo_db(d, "b.db", 8, 61);
    let a1 = export(&a, &d.join("out-a"), &[]);
    let b1 = export(&b, &d.join("out-b"), &[]);
    let person = records(&a1, "workers.jsonl")[0].clone();
    let id_number = text(&person, "/id_number");
    let uid_a = text(&person, "/uid");
    let uid_b = records(&b1, "workers.jsonl")
        .iter()
        .find(|w| w["id_number"] == person["id_number"])
        .map(|w| text(w, "/uid"))
        .expect("laptop B holds the same person");
    assert_ne!(uid_a, uid_b);
    // Values only this person has; names and demo findings may repeat among other people, so
    // those are checked on the person's own rows below.
    let mut needles = vec![id_number.clone()];
    if text(&person, "/phone").len() > 1 {
        needles.push(text(&person, "/phone"));
    }
    let name = text(&person, "/name");
    let of_person = |batch: &Path| {
        records(batch, "services.jsonl")
            .iter()
            .filter(|s| [&uid_a, &uid_b].contains(&&text(s, "/worker_uid")))
            .count() as i64
    };
    let (services_a, services_of_person) = (of_person(&a1), of_person(&a1) + of_person(&b1));
    assert!(services_a > 0);
    db.init(d);
    let out = db.ingest(d, &[&a1, &b1]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    // Another copy of A's record at the same version (a district office's correction): a
    // `diverged` conflict keeps the copy not shown, ID number and all.
    let corrected = fork(&a1, &a1, d, |name, lines| match name {
        "workers.jsonl" => lines
            .into_iter()
            .filter(|w| w["uid"] == person["uid"])
            .map(|mut w| {
                w["employer"] = "区总工会更正的单位".into();
                // A field the erasure keeps, so the two records still differ once erased.
                w["membership"] = if w["membership"] == "member" {
                    "not_member".into()
                } else {
                    "member".into()
                };
                // A millisecond later: this copy shows (merge rule, step 1).
                let at = chrono::DateTime::parse_from_rfc3339(w["updated_at"].as_str().unwrap())
                    .unwrap()
                    + chrono::Duration::milliseconds(1);
                w["updated_at"] = at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
                    .into();
                w
            })
            .collect(),
        _ => vec![],
    });
    // The corrected copy shows, so the person's two records now disagree too: same_person.
    let report = ingest_json(&db, d, &corrected);
    assert_eq!(report["conflicts"], 2, "{report}");
    let copies = format!(
        "SELECT count(*) FROM conflicts WHERE kind = 'diverged' AND kept_uid = '{uid_a}'
            AND strpos(other_copy::text, '{id_number}') > 0 AND resolved_at IS NULL"
    );
    assert_eq!(db.count(&copies), 1);
    assert!(
        !holding(&db, &id_number).is_empty(),
        "the city holds the person"
    );

    Store::open(&a)
        .unwrap()
        .erase_worker(&id_number, "request")
        .unwrap();
    let a2 = export(&a, &d.join("out-a"), &[]);
    let report = ingest_json(&db, d, &a2);
    assert_eq!(report["outcome"], "applied", "{report}");
    // The worker's line erases the person with every service of both records, one version
    // up, which is the version of A's service lines: those find them erased already.
    assert_eq!(report["erased"], 1, "{report}");
    assert_eq!(
        records3(&report["applied"]),
        serde_json::json!([1, 0, 0]),
        "{report}"
    );
    assert_eq!(
        records3(&report["unchanged"]),
        serde_json::json!([0, 0, services_a]),
        "{report}"
    );

    // Nothing of the person is left in any table, from either laptop.
    for needle in &needles {
        assert_eq!(holding(&db, needle), Vec::<String>::new(), "{needle}");
    }
    let blanked = db.count(&format!(
        "SELECT count(*) FROM workers WHERE uid IN ('{uid_a}', '{uid_b}')
            AND erase_reason = 'request' AND name = '' AND phone = '' AND birth_date IS NULL
            AND deleted_at IS NOT NULL AND id_number LIKE 'erased:%'"
    ));
    assert_eq!(blanked, 2);
    assert_eq!(db.count(&copies), 0);
    let open_naming_person = format!(
        "SELECT count(*) FROM conflicts WHERE resolved_at IS NULL
            AND (kept_uid IN ('{uid_a}', '{uid_b}') OR other_uid IN ('{uid_a}', '{uid_b}'))"
    );
    assert_eq!(db.count(&open_naming_person), 0);
    assert_eq!(
        db.count(&format!(
            "SELECT count(*) FROM workers WHERE uid IN ('{uid_a}', '{uid_b}')
               GROUP BY membership ORDER BY 1 LIMIT 1"
        )),
        1,
        "the two erased records still differ in a kept field"
    );
    assert_eq!(
        db.count(&format!(
            "SELECT count(*) FROM conflicts WHERE kind = 'diverged' AND kept_uid = '{uid_a}'
                AND resolved_at IS NOT NULL
                AND other_copy = '{{\"op\": \"erase\", \"reason\": \"request\"}}'::jsonb"
        )),
        1
    );
    let name_left = db.count(&format!(
        "SELECT count(*) FROM workers WHERE uid IN ('{uid_a}', '{uid_b}') AND name <> ''"
    )) + db.count(&format!(
        "SELECT count(*) FROM conflicts WHERE strpos(coalesce(other_copy::text, ''), '{name}') > 0
            AND (kept_uid IN ('{uid_a}', '{uid_b}') OR other_uid IN ('{uid_a}', '{uid_b}'))"
    ));
    assert_eq!(name_left, 0);
    let services_blanked = db.count(&format!(
        "SELECT count(*) FROM services WHERE worker_uid IN ('{uid_a}', '{uid_b}')
            AND erase_reason IS NOT NULL AND deleted_at IS NOT NULL AND place = ''
            AND coalesce(health_check->>'findings', '') = ''
            AND coalesce(legal_aid->>'description', '') = ''"
    ));
    assert_eq!(services_blanked, services_of_person);
    assert_eq!(
        db.count("SELECT count(*) FROM persons WHERE id_number LIKE 'erased:%' AND withdrawn"),
        1
    );
    let after_erasure = db.dump();

    // Older copies arriving later (each laptop's first batch again, under new batch uids in
    // their chains) change nothing; the same erasure again changes nothing.
    let late_a = fork(&corrected, &a2, d, |_, lines| lines);
    let older_a = fork(&a1, &late_a, d, |_, lines| lines);
    let late_b = fork(&b1, &b1, d, |_, lines| lines);
    let again = fork(&a2, &older_a, d, |_, lines| lines);
    // A copy at the erasure's own version with other content (a hand-edited batch) is no
    // newer: it changes nothing and opens no `diverged` conflict holding the person.
    let erased_at = records(&a2, "workers.jsonl")[0]["version"].clone();
    let equal_a = fork(&corrected, &again, d, |name, lines| match name {
        "workers.jsonl" => lines
            .into_iter()
            .map(|mut w| {
                w["version"] = erased_at.clone();
                w
            })
            .collect(),
        _ => vec![],
    });
    for batch in [&late_a, &older_a, &late_b, &again, &equal_a] {
        let report = ingest_json(&db, d, batch);
        assert_eq!(report["outcome"], "applied", "{report}");
        assert_eq!(report["erased"], 0, "{report}");
        assert_eq!(report["conflicts"], 0, "{report}");
        assert_eq!(
            records3(&report["applied"]),
            serde_json::json!([0, 0, 0]),
            "{report}"
        );
    }
    // The erased person's records were read again (older copies), and they differ in a kept
    // field: no new conflict about a person with nothing left to reconcile.
    assert_eq!(db.count(&open_naming_person), 0);
    let repeat = ingest_json(&db, d, &a2);
    assert_eq!(repeat["outcome"], "duplicate");
    assert_eq!(db.dump(), after_erasure);
    for needle in &needles {
        assert_eq!(holding(&db, needle), Vec::<String>::new(), "{needle}");
    }

    // A laptop that registers the person itself after the erasure, under its own uid, makes a
    // new person: the city no longer knows the number (docs/city.md, "Erasures").
    let c = demo_db(d, "c.db", 0, 0);
    let uid_c = add_worker(&c, &id_number, "13900139000");
    let c1 = export(&c, &d.join("out-c"), &[]);
    assert_eq!(ingest_json(&db, d, &c1)["outcome"], "applied");
    let shown: String = db
        .client()
        .query_one(
            "SELECT shown_uid::text FROM persons WHERE id_number = $1 AND NOT withdrawn",
            &[&id_number],
        )
        .unwrap()
        .get(0);
    assert_eq!(shown, uid_c);
    assert_eq!(
        db.count(&format!(
            "SELECT count(*) FROM workers WHERE uid IN ('{uid_a}', '{uid_b}') AND name <> ''"
        )),
        0
    );
}

#[test]
fn a_service_erasure_blanks_that_service_and_an_unknown_uid_changes_nothing() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = demo_db(d, "a.db", 4, 62);
    let a1 = export(&a, &d.join("out-a"), &[]);
    let services = records(&a1, "services.jsonl");
    let target = services
        .iter()
        .find(|s| text(s, "/health_check/findings").chars().count() >= 2)
        .or_else(|| {
            services
                .iter()
                .find(|s| text(s, "/place").chars().count() >= 2)
        })
        .expect("a service with free text")
        .clone();
    let target_uid = text(&target, "/uid");
    let version = target["version"].as_i64().unwrap();
    db.init(d);
    let out = db.ingest(d, &[&a1]);
    assert!(out.status.success(), "{}", stderr_text(&out));
    let before = db.dump();

    let unknown = || uuid::Uuid::now_v7().hyphenated().to_string();
    let erasure = |uid: &str, version: i64, reason: &str| -> Value {
        serde_json::json!({"uid": uid, "version": version, "op": "erase", "reason": reason})
    };
    let (unknown_worker, unknown_service) = (unknown(), unknown());
    let erasing = fork(&a1, &a1, d, |name, _| match name {
        "workers.jsonl" => vec![erasure(&unknown_worker, 3, "request")],
        "services.jsonl" => vec![
            erasure(&target_uid, version + 1, "consent_withdrawn"),
            erasure(&unknown_service, 2, "request"),
        ],
        _ => vec![],
    });
    let report = ingest_json(&db, d, &erasing);
    assert_eq!(report["outcome"], "applied", "{report}");
    assert_eq!(report["erased"], 1, "{report}");
    assert_eq!(
        records3(&report["applied"]),
        serde_json::json!([0, 0, 1]),
        "{report}"
    );
    assert_eq!(
        records3(&report["unchanged"]),
        serde_json::json!([1, 0, 1]),
        "{report}"
    );

    let row = db
        .client()
        .query_one(
            "SELECT version, erase_reason, place, note, deleted_at IS NOT NULL,
                    coalesce(health_check->>'findings', ''), coalesce(legal_aid->>'description', '')
               FROM services WHERE uid = $1::text::uuid",
            &[&target_uid],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), version + 1);
    assert_eq!(
        row.get::<_, Option<String>>(1).as_deref(),
        Some("consent_withdrawn")
    );
    for column in [2, 3, 5, 6] {
        assert_eq!(row.get::<_, String>(column), "", "column {column}");
    }
    assert!(row.get::<_, bool>(4));
    // Everything else is as it was: the worker, the other services, no row for unknown uids.
    let after = db.dump();
    let changed: Vec<&String> = after.iter().filter(|l| !before.contains(l)).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].contains(&target_uid));
    assert_eq!(after.len(), before.len());
    for uid in [&unknown_worker, &unknown_service] {
        assert_eq!(holding(&db, uid), Vec::<String>::new());
    }

    // The same erasure again under another batch uid: nothing changes, counted unchanged.
    let again = fork(&erasing, &erasing, d, |_, lines| lines);
    let report = ingest_json(&db, d, &again);
    assert_eq!(report["erased"], 0, "{report}");
    assert_eq!(
        records3(&report["unchanged"]),
        serde_json::json!([1, 0, 2]),
        "{report}"
    );
    assert_eq!(db.dump(), after);
}
