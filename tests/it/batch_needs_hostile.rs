//! Needs and claims in hostile batches: forged lines refused whole with file, line, field and
//! rule named and nothing applied; format 2 still read, and a format-2 manifest listing
//! needs refused.

use crate::batch_needs::{
    aid_tables, export_to, illness_claim, import, laptop, lines, manifest, member, need, submit,
};
use jingong::batch::BatchError;
use jingong::batch::merge::ImportOutcome;
use jingong::batch::verify::ProblemKind;
use jingong::text::Lang;
use serde_json::Value;
use sha2::Digest;
use std::path::{Path, PathBuf};

/// Rewrites data file `file` of a batch folder with `lines` and fixes its manifest entry
/// (size, count, hash), as a sender forging a batch would; `edit` may change the manifest.
fn forge(batch: &Path, file: &str, lines: &[Value], edit: impl FnOnce(&mut Value)) {
    let mut text = String::new();
    for l in lines {
        text.push_str(&serde_json::to_string(l).unwrap());
        text.push('\n');
    }
    std::fs::write(batch.join(file), &text).unwrap();
    let mut m = manifest(batch);
    for entry in m["files"].as_array_mut().unwrap() {
        if entry["name"] == file {
            entry["bytes"] = text.len().into();
            entry["records"] = lines.len().into();
            entry["sha256"] = jingong::receipt::hex(&sha2::Sha256::digest(text.as_bytes())).into();
        }
    }
    edit(&mut m);
    std::fs::write(
        batch.join("manifest.json"),
        serde_json::to_vec_pretty(&m).unwrap(),
    )
    .unwrap();
}

fn copy_batch(from: &Path, to: &Path) -> PathBuf {
    let dest = to.join(from.file_name().unwrap());
    std::fs::create_dir_all(&dest).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dest.join(entry.file_name())).unwrap();
    }
    dest
}

/// Each forged line is refused whole, naming file, line, field and rule in both languages,
/// and the receiver is left as it was.
#[test]
fn a_hostile_need_or_claim_line_is_refused_and_nothing_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    need(&mut a, &worker, "job", "2026-11-20", "");
    let claim = illness_claim(&mut a, &worker);
    submit(&mut a, &claim);
    let batch = export_to(&mut a, &dir.path().join("out"));
    let need_line = lines(&batch, "needs.jsonl")[0].clone();
    let claim_line = lines(&batch, "claims.jsonl")[0].clone();

    type Edit = fn(&mut Value);
    let cases: [(&str, Edit, &str, &str, &str); 8] = [
        (
            "claims.jsonl",
            |c| c["amount_fen"] = 1_000_001.into(),
            "amount_fen",
            "申请金额",
            "amount claimed",
        ),
        (
            "claims.jsonl",
            |c| c["claim_type"] = "yacht".into(),
            "claim_type",
            "互助保障类型",
            "claim type",
        ),
        (
            "claims.jsonl",
            |c| c["status"] = "paid".into(),
            "paid_fen",
            "发放",
            "paid",
        ),
        (
            "claims.jsonl",
            |c| c["documents"] = serde_json::json!(["diagnosis"]),
            "documents",
            "材料",
            "documents",
        ),
        (
            "claims.jsonl",
            |c| c["diagnosed_on"] = "2026-13-40".into(),
            "diagnosed_on",
            "确诊日期",
            "diagnosis date",
        ),
        (
            "claims.jsonl",
            |c| {
                c["claim_type"] = "accidental_death".into();
                c["amount_fen"] = 2_000_000.into();
                c["diagnosed_on"] = Value::Null;
                c["accident_on"] = "2026-01-01".into();
                c["status"] = "collecting".into();
                c["documents"] = serde_json::json!([]);
                c["died_on"] = "2026-07-01".into(); // day 181 after the accident (01-01 + 181)
            },
            "died_on",
            "180",
            "180",
        ),
        (
            "needs.jsonl",
            |n| n["kind"] = "yacht".into(),
            "kind",
            "诉求类别",
            "need",
        ),
        (
            "needs.jsonl",
            |n| n["state"] = "answered".into(),
            "answered_by",
            "answered",
            "answered",
        ),
    ];
    for (i, (file, edit, field, zh, en)) in cases.into_iter().enumerate() {
        let forged = copy_batch(&batch, &dir.path().join(format!("forged-{i}")));
        let mut line = if file == "needs.jsonl" {
            need_line.clone()
        } else {
            claim_line.clone()
        };
        edit(&mut line);
        forge(&forged, file, &[line], |_| {});
        let mut b = laptop(dir.path(), &format!("b-{i}.db"));
        let Err(BatchError::Invalid { problems, .. }) = import(&mut b, &forged) else {
            panic!("case {i} ({field}) not refused");
        };
        let found = problems
            .listed
            .iter()
            .find(|p| p.file == file && p.line == Some(1) && p.what(Lang::En).contains(field))
            .unwrap_or_else(|| panic!("case {i}: no problem on {field}: {problems:?}"));
        assert!(
            found.what(Lang::Zh).contains(zh),
            "{}",
            found.what(Lang::Zh)
        );
        assert!(
            found.what(Lang::En).contains(en),
            "{}",
            found.what(Lang::En)
        );
        assert!(aid_tables(&b).is_empty(), "case {i}: nothing applied");
        let workers: i64 = jingong::testing::connection(&b)
            .query_row("SELECT count(*) FROM worker", [], |r| r.get(0))
            .unwrap();
        assert_eq!(workers, 0, "case {i}: nothing applied");
        assert!(b.batches().unwrap().is_empty());
    }
}

#[test]
fn a_claim_for_a_non_member_sent_in_the_same_batch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    illness_claim(&mut a, &worker);
    let batch = export_to(&mut a, &dir.path().join("out"));
    let mut worker_line = lines(&batch, "workers.jsonl")[0].clone();
    worker_line["membership"] = "not_member".into();
    forge(&batch, "workers.jsonl", &[worker_line], |_| {});
    let mut b = laptop(dir.path(), "b.db");
    let Err(BatchError::Invalid { problems, .. }) = import(&mut b, &batch) else {
        panic!("not refused");
    };
    let refusal = problems
        .listed
        .iter()
        .find(|p| {
            p.file == "claims.jsonl"
                && matches!(&p.kind, ProblemKind::Rule { field: "worker_uid", error }
                    if error.rule == jingong::domain::Rule::ClaimNeedsMember)
        })
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!(refusal.line, Some(1));
}

#[test]
fn a_format_2_batch_still_imports_and_one_listing_needs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = laptop(dir.path(), "a.db");
    let worker = member(&mut a);
    need(&mut a, &worker, "job", "2026-11-20", "");
    let batch = export_to(&mut a, &dir.path().join("out"));

    // Format 2 as version 0.2 wrote it: the same three files, no needs or claims.
    let old = copy_batch(&batch, &dir.path().join("old"));
    for file in ["needs.jsonl", "claims.jsonl"] {
        std::fs::remove_file(old.join(file)).unwrap();
    }
    let workers = lines(&old, "workers.jsonl");
    forge(&old, "workers.jsonl", &workers, |m| {
        m["format_version"] = 2.into();
        let files = m["files"].as_array_mut().unwrap();
        files.retain(|f| f["name"] != "needs.jsonl" && f["name"] != "claims.jsonl");
    });
    let mut b = laptop(dir.path(), "b.db");
    match import(&mut b, &old).unwrap() {
        ImportOutcome::Imported(s) => assert_eq!(s.applied, [1, 0, 0, 0, 0]),
        other => panic!("{other:?}"),
    }
    assert!(b.worker_by_uid(&worker).unwrap().is_some());

    // A format-2 manifest that lists needs.jsonl claims something format 2 does not have.
    let mislabelled = copy_batch(&batch, &dir.path().join("mislabelled"));
    forge(&mislabelled, "workers.jsonl", &workers, |m| {
        m["format_version"] = 2.into()
    });
    let mut c = laptop(dir.path(), "c.db");
    let Err(BatchError::Invalid { problems, .. }) = import(&mut c, &mislabelled) else {
        panic!("not refused");
    };
    assert!(
        problems
            .listed
            .iter()
            .any(|p| p.file == "needs.jsonl" && matches!(p.kind, ProblemKind::NeedsFormat3 { .. })),
        "{problems:?}"
    );
    assert!(aid_tables(&c).is_empty());
}
