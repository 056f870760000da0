//! Roster import against an in-memory store: what is written, what is refused and why.

use super::*;
use crate::domain::Officer;
use crate::text::Lang;

fn store_with_officer() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store
        .set_officer(&Officer {
            name: "李明".into(),
            organisation: "和平区总工会".into(),
            district_code: "120101".into(),
        })
        .expect("officer");
    store
}

fn entry(row: usize, name: &str, id_number: &str, phone: &str, employer: &str) -> RosterEntry {
    RosterEntry {
        row,
        draft: WorkerDraft {
            name: name.into(),
            id_number: id_number.into(),
            phone: phone.into(),
            employer: employer.into(),
            ..WorkerDraft::default()
        },
        ..RosterEntry::default()
    }
}

fn import(store: &mut Store, entries: &[RosterEntry], dry_run: bool) -> ImportSummary {
    store
        .import_roster(
            entries,
            &ImportOptions {
                event_uid: None,
                dry_run,
                accept_renames: AcceptRenames::No,
            },
            &mut |_| {},
        )
        .expect("import")
}

#[test]
fn an_empty_cell_keeps_the_stored_value_and_only_differences_are_written() {
    let mut store = store_with_officer();
    let first = [entry(
        2,
        "毛洋",
        "620102199708155206",
        "19879217421",
        "泰森集团",
    )];
    assert_eq!(import(&mut store, &first, false).new, 1);

    // No phone and no employer: a registered worker keeps both; only the trade is new.
    let mut later = entry(2, "毛洋", "620102199708155206", "", "");
    later.draft.trade = "电工".into();
    let summary = import(&mut store, &[later], false);
    assert_eq!((summary.updated, summary.rejected.len()), (1, 0));
    assert_eq!(summary.changed_fields.get("trade"), Some(&1));
    let worker = store
        .worker_by_id_number("620102199708155206")
        .expect("read")
        .expect("registered");
    assert_eq!(worker.version, 2);
    assert_eq!(worker.input.phone, "19879217421");
    assert_eq!(worker.input.employer, "泰森集团");
    assert_eq!(worker.input.trade, "电工");
}

#[test]
fn a_repeated_id_number_is_refused_naming_the_first_row() {
    let mut store = store_with_officer();
    let rows = [
        entry(2, "毛洋", "620102199708155206", "19879217421", ""),
        // The same person spelt with spaces is still the same ID number.
        entry(3, "毛洋", "6201 0219 9708 1552 06", "19879217421", ""),
    ];
    let summary = import(&mut store, &rows, false);
    assert_eq!(summary.new, 1);
    assert_eq!(
        summary.rejected,
        vec![RejectedRow {
            index: 1,
            row: 3,
            reason: RejectReason::RepeatedInFile { first_row: 2 },
        }]
    );
    assert_eq!(
        summary.rejected[0].reason.message(Lang::Zh),
        "身份证号：与第 2 行重复"
    );
}

#[test]
fn a_dry_run_counts_what_a_real_run_does_and_writes_nothing() {
    let mut store = store_with_officer();
    let rows = [
        entry(2, "毛洋", "620102199708155206", "19879217421", ""),
        entry(3, "武春军", "120111200007156698", "17081003390", ""),
    ];
    let dry = import(&mut store, &rows, true);
    assert_eq!(store.live_worker_count().expect("count"), 0);
    let real = import(&mut store, &rows, false);
    assert_eq!(store.live_worker_count().expect("count"), 1);
    assert_eq!(
        (dry.new, dry.rejected.clone(), dry.dry_run),
        (real.new, real.rejected.clone(), true)
    );
    assert_eq!(
        real.rejected[0].reason.message(Lang::Zh),
        "身份证号：校验位应为 9，实为 8（请核对号码）"
    );
}

fn full_entry(row: usize, name: &str) -> RosterEntry {
    RosterEntry {
        row,
        draft: WorkerDraft {
            name: name.into(),
            id_number: "620102199708155206".into(),
            phone: "13800004444".into(),
            employer: "泰森集团".into(),
            worksite: "地铁七号线".into(),
            trade: "钢筋工".into(),
            district_code: "120101".into(),
            membership: "member".into(),
            card_no: "TJ0001".into(),
            hardship: true,
            note: "夜班".into(),
        },
        hardship: Some(true),
        ..RosterEntry::default()
    }
}

#[test]
fn blank_cells_change_no_stored_column_and_another_name_is_refused() {
    let mut store = store_with_officer();
    assert_eq!(import(&mut store, &[full_entry(2, "孙丽")], false).new, 1);
    let before = store
        .worker_by_id_number("620102199708155206")
        .expect("read")
        .expect("registered");

    // Every cell blank but the ID number: nothing changes, not even the district.
    let mut blank = entry(2, "", "620102199708155206", "", "");
    blank.hardship = None;
    let summary = import(&mut store, &[blank], false);
    assert_eq!((summary.unchanged, summary.updated), (1, 0));
    assert!(summary.changes.is_empty());

    // Another name with a new phone: refused whole, with the registered name.
    let renamed = entry(3, "孙莉", "620102199708155206", "13700000000", "");
    let summary = import(&mut store, std::slice::from_ref(&renamed), false);
    assert_eq!(summary.updated, 0);
    assert_eq!(
        summary.rejected[0].reason,
        RejectReason::Renamed {
            registered: "孙丽".into(),
            given: "孙莉".into()
        }
    );
    assert!(
        summary.rejected[0]
            .reason
            .message(Lang::Zh)
            .contains("已登记为 孙丽")
    );
    assert!(
        summary.rejected[0]
            .reason
            .message(Lang::En)
            .contains("registered as 孙丽")
    );
    let after = store
        .worker_by_id_number("620102199708155206")
        .expect("read")
        .expect("registered");
    assert_eq!(after.input, before.input);
    assert_eq!(after.version, before.version, "nothing written");

    // Accepted for that row: renamed, and the change listed old -> new.
    let summary = store
        .import_roster(
            &[renamed],
            &ImportOptions {
                accept_renames: AcceptRenames::Rows(BTreeSet::from([3])),
                ..ImportOptions::default()
            },
            &mut |_| {},
        )
        .expect("import");
    assert_eq!(summary.updated, 1);
    let listed: Vec<String> = summary.changes[0]
        .fields
        .iter()
        .map(|f| f.describe(Lang::Zh, false))
        .collect();
    assert_eq!(
        listed,
        ["姓名 孙丽 → 孙莉", "手机号 138****4444 → 137****0000"]
    );
}

#[test]
fn a_number_typed_id_cell_is_refused_even_with_a_valid_check_digit() {
    let mut store = store_with_officer();
    let mut row = entry(2, "毛洋", "620102199708155206", "19879217421", "");
    row.cell_problems = vec![CellProblem::IdNumberIsNumber];
    let summary = import(&mut store, &[row], false);
    assert_eq!(summary.new, 0);
    assert_eq!(
        summary.rejected[0].reason,
        RejectReason::NumberCells(vec![CellProblem::IdNumberIsNumber])
    );
    assert!(
        summary.rejected[0]
            .reason
            .message(Lang::En)
            .contains("format the ID-number column as Text")
    );
    assert_eq!(store.live_worker_count().expect("count"), 0);
}
