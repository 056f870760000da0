//! The city's answer on the batches screen: per exported batch sent / received / held /
//! returned (with the count of refused records), the warning for batches more than 7 days old
//! (store clock) with no receipt, and `r` importing a receipt by a pasted path, in both
//! languages.

use crate::support::batch::{records, signed_receipt};
use crate::support::fixture::clock_at;
use crate::support::tui::{database_with_officer, id, keys, open_app, screen_at, type_text};
use ed25519_dalek::SigningKey;
use jingong::batch::export::{ExportOptions, ExportOutcome, export};
use jingong::batch::receipt_import::import_one;
use jingong::domain::WorkerInput;
use jingong::receipt::{ReceiptStatus, RefusedRecord, hex};
use jingong::store::Store;
use jingong::text::Lang;
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

fn city_key() -> SigningKey {
    SigningKey::from_bytes(&[9; 32])
}

/// Registers one worker and exports it on `day` (the store's clock), returning the batch.
fn export_on(store: &mut Store, out: &Path, day: &str, first17: &str) -> PathBuf {
    store.set_clock(clock_at(&format!("{day}T10:00:00+08:00")));
    store
        .add_worker(&WorkerInput {
            name: format!("职工{}", &first17[14..]),
            id_number: id(first17),
            district_code: "120101".into(),
            ..Default::default()
        })
        .unwrap();
    let options = ExportOptions {
        out_dir: out.to_path_buf(),
        ..Default::default()
    };
    match export(store, &options, &mut |_| {}).unwrap() {
        ExportOutcome::Written { summary, .. } => summary.path,
        ExportOutcome::NothingNew { .. } => panic!("a worker was waiting"),
    }
}

fn write_receipt(
    dir: &Path,
    batch: &Path,
    status: ReceiptStatus,
    refused: Vec<RefusedRecord>,
) -> PathBuf {
    let applied = i64::from(status == ReceiptStatus::Received);
    let bytes = signed_receipt(batch, status, applied, refused, &city_key());
    let file = dir.join(format!(
        "receipt-{}.json",
        batch.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&file, bytes).unwrap();
    file
}

/// Five exported batches: received, held, returned (imported later from the screen), one 10
/// days old with no receipt, one exactly 7 days old with none. The store's "now" is 03-15.
fn five_batches() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, db, mut store) = database_with_officer();
    store
        .set_city_keys(&[hex(city_key().verifying_key().as_bytes())])
        .unwrap();
    let out = dir.path().join("batches");
    let received = export_on(&mut store, &out, "2026-03-01", "12010119900101001");
    let held = export_on(&mut store, &out, "2026-03-02", "12010119900101002");
    let returned = export_on(&mut store, &out, "2026-03-03", "12010119900101003");
    export_on(&mut store, &out, "2026-03-05", "12010119900101004");
    export_on(&mut store, &out, "2026-03-08", "12010119900101005");
    let keys = store.city_keys().unwrap();
    for (batch, status) in [
        (&received, ReceiptStatus::Received),
        (&held, ReceiptStatus::Held),
    ] {
        let file = write_receipt(dir.path(), batch, status, vec![]);
        import_one(&mut store, &file, &keys, Lang::En)
            .unwrap()
            .expect("accepted");
    }
    assert_eq!(records(&returned, "workers.jsonl").len(), 1);
    let refusal = RefusedRecord {
        file: "workers.jsonl".into(),
        line: Some(1),
        zh: "身份证号与市里已有记录冲突".into(),
        en: "the ID number disagrees with the city's".into(),
    };
    let file = write_receipt(
        dir.path(),
        &returned,
        ReceiptStatus::Returned,
        vec![refusal],
    );
    (dir, db, file)
}

fn assert_rows_fit(text: &str) {
    for (y, line) in text.lines().enumerate() {
        assert_eq!(
            line.width(),
            80,
            "row {y} is {} wide:\n{text}",
            line.width()
        );
    }
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn the_city_column_and_the_week_warning_and_r_imports_a_receipt_in_both_languages() {
    for (lang, words) in [
        (
            Lang::Zh,
            [
                "已接收",
                "市里暂存",
                "已发送",
                "退回 1 条",
                "⚠ 1 个批次导出已超过 7 天",
            ],
        ),
        (
            Lang::En,
            [
                "received",
                "held",
                "sent",
                "returned 1",
                "⚠ 1 batch(es) exported more than 7",
            ],
        ),
    ] {
        let (dir, db, receipt) = five_batches();
        let mut app = open_app(&db, lang);
        keys(&mut app, "f7");
        let screen = screen_at(&app, 80, 24);
        assert_rows_fit(&screen);
        let [received, held, sent, returned, warning] = words;
        assert_eq!(count(&screen, received), 1, "{screen}");
        assert_eq!(count(&screen, held), 1, "{screen}");
        // The returned batch has no receipt yet: three batches are only sent.
        assert_eq!(count(&screen, sent), 3, "{screen}");
        assert!(!screen.contains(returned), "{screen}");
        // 03-05 is 10 days before 03-15; 03-08, exactly 7, is not yet late; 03-03 is late.
        let warning = warning.replace('1', "2");
        assert!(screen.contains(&warning), "{screen}");

        // r, a path as a file manager pastes it (quoted, file://), F2.
        keys(&mut app, "r");
        let popup = screen_at(&app, 80, 24);
        assert!(
            popup.contains(if lang == Lang::Zh {
                "导入市总工会回执"
            } else {
                "Import the city's receipts"
            }),
            "{popup}"
        );
        type_text(&mut app, &format!("'file://{}'", receipt.display()));
        keys(&mut app, "f2");
        let report = screen_at(&app, 80, 24);
        let said = if lang == Lang::Zh {
            "被退回"
        } else {
            "returned"
        };
        assert!(report.contains(said), "{report}");
        keys(&mut app, "esc");
        let screen = screen_at(&app, 80, 24);
        assert_rows_fit(&screen);
        assert!(screen.contains(returned), "{screen}");
        assert_eq!(count(&screen, sent), 2, "{screen}");
        let warning = words[4];
        assert!(screen.contains(warning), "one late batch left: {screen}");
        drop(dir);
    }
}

#[test]
fn a_receipt_refused_on_the_screen_changes_nothing_and_says_why() {
    let (dir, db, receipt) = five_batches();
    // Changed after signing: the signature no longer matches.
    let mut forged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&receipt).unwrap()).unwrap();
    forged["receipt"]["held"] = 5.into();
    std::fs::write(&receipt, serde_json::to_vec(&forged).unwrap()).unwrap();
    for (lang, said) in [(Lang::Zh, "签名不符"), (Lang::En, "does not match")] {
        let mut app = open_app(&db, lang);
        keys(&mut app, "f7 r");
        type_text(&mut app, &receipt.display().to_string());
        keys(&mut app, "f2");
        let report = screen_at(&app, 80, 24);
        assert!(report.contains(said), "{report}");
        keys(&mut app, "esc");
        let screen = screen_at(&app, 80, 24);
        let returned = if lang == Lang::Zh {
            "退回"
        } else {
            "returned"
        };
        assert!(!screen.contains(returned), "{screen}");
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.receipt_summaries().unwrap().len(), 2);
    drop(dir);
}

#[test]
fn the_worker_page_says_what_the_city_returned_until_it_goes_again() {
    let (dir, db, receipt) = five_batches();
    let mut store = Store::open(&db).unwrap();
    store.set_clock(clock_at("2026-03-15T10:00:00+08:00"));
    let keys_set = store.city_keys().unwrap();
    import_one(&mut store, &receipt, &keys_set, Lang::Zh)
        .unwrap()
        .expect("accepted");
    for (lang, said) in [
        (Lang::Zh, "市总工会退回 1 条"),
        (Lang::En, "Returned by the city (1)"),
    ] {
        let mut app = open_app(&db, lang);
        type_text(&mut app, "职工003");
        keys(&mut app, "enter");
        let page = screen_at(&app, 80, 24);
        assert!(page.contains(said), "{page}");
        let reason = if lang == Lang::Zh {
            "身份证号与市里已有记录冲突"
        } else {
            "disagrees with the city"
        };
        assert!(page.contains(reason), "{page}");
        // Another worker's page says nothing of it.
        keys(&mut app, "esc");
        type_text(&mut app, "职工001");
        keys(&mut app, "enter");
        assert!(!screen_at(&app, 80, 24).contains(said));
    }
    // Sent again: no longer waiting for correction.
    let options = ExportOptions {
        out_dir: dir.path().join("again"),
        ..Default::default()
    };
    let ExportOutcome::Written { summary, .. } = export(&mut store, &options, &mut |_| {}).unwrap()
    else {
        panic!("the returned worker waits for export");
    };
    assert_eq!(records(&summary.path, "workers.jsonl").len(), 1);
    let mut app = open_app(&db, Lang::Zh);
    type_text(&mut app, "职工003");
    keys(&mut app, "enter");
    let page = screen_at(&app, 80, 24);
    assert!(page.contains("职工003"), "{page}");
    assert!(!page.contains("市总工会退回"), "{page}");
}
