//! Issue 14 (#9 and employer/worksite search): a given name's polyphonic characters are found
//! under every common reading, the surname keeps its own; workers are found by a piece of
//! their employer's or worksite's name, after every name match, from indexes only; the
//! migration rebuilds keys an older build wrote.

use crate::support::fixture::{NOW, TestDb, check_digit, store_with_officer};
use jingong::domain::WorkerInput;
use jingong::store::Store;
use jingong::store::search::Rank;

fn id_number(serial: u32) -> String {
    let first17 = format!("120101198501{:02}{:03}", serial % 28 + 1, serial);
    format!("{first17}{}", check_digit(&first17))
}

fn worker(name: &str, serial: u32, employer: &str, worksite: &str) -> WorkerInput {
    WorkerInput {
        name: name.into(),
        id_number: id_number(serial),
        phone: format!("1380000{serial:04}"),
        employer: employer.into(),
        worksite: worksite.into(),
        ..Default::default()
    }
}

fn names(store: &Store, query: &str) -> Vec<(String, Rank)> {
    let page = store.search(query, 0, 100).unwrap();
    page.hits.into_iter().map(|h| (h.name, h.rank)).collect()
}

fn finds(store: &Store, query: &str, name: &str) -> bool {
    names(store, query).iter().any(|(n, _)| n == name)
}

fn store_with(workers: &[WorkerInput]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_officer(Some(&dir.path().join("j.db")), NOW);
    for w in workers {
        store.add_worker(w).unwrap();
    }
    (dir, store)
}

#[test]
fn a_polyphonic_given_name_is_found_under_each_common_reading() {
    let (_dir, store) = store_with(&[worker("孟长生", 1, "", "")]);
    for query in [
        "mcs",
        "mengchangsheng",
        "mengzhangsheng",
        "mzs",
        "mengchang",
    ] {
        assert!(
            finds(&store, query, "孟长生"),
            "{query} does not find 孟长生"
        );
    }
    assert!(!finds(&store, "mengchengsheng", "孟长生"));
}

#[test]
fn a_polyphonic_surname_keeps_its_surname_reading() {
    let (_dir, store) = store_with(&[worker("曾盛", 2, "", "")]);
    assert_eq!(
        names(&store, "zengsheng"),
        [("曾盛".to_string(), Rank::Exact)]
    );
    assert_eq!(names(&store, "zs"), [("曾盛".to_string(), Rank::Exact)]);
    assert!(finds(&store, "cs", "曾盛"));
}

#[test]
fn a_piece_of_the_employer_or_worksite_name_finds_its_workers_after_name_matches() {
    let (_dir, store) = store_with(&[
        worker("王建国", 3, "中建八局天津分公司", ""),
        worker("李秀英", 4, "顺丰速运", "中建大厦工地"),
        worker("中建华", 5, "美团外卖", ""),
        worker("赵强", 6, "天津港建设", ""),
    ]);
    let hits = names(&store, "中建");
    // The name match first, then the employer's worker, then the worksite's.
    assert_eq!(
        hits,
        [
            ("中建华".to_string(), Rank::Prefix),
            ("王建国".to_string(), Rank::Workplace),
            ("李秀英".to_string(), Rank::Workplace),
        ]
    );
    assert_eq!(
        names(&store, "八局天津"),
        [("王建国".to_string(), Rank::Workplace)]
    );
    assert_eq!(names(&store, "港"), [("赵强".to_string(), Rank::Workplace)]);
    assert!(names(&store, "中建九局").is_empty());
}

#[test]
fn employer_search_follows_edits_and_withdrawals() {
    let (_dir, mut store) = store_with(&[worker("王建国", 7, "中建八局", "")]);
    let uid = store.search("王建国", 0, 1).unwrap().hits[0].uid.clone();
    store
        .update_worker(&uid, &worker("王建国", 7, "顺丰速运", ""), None)
        .unwrap();
    assert!(
        names(&store, "中建").is_empty(),
        "the old employer still finds him"
    );
    assert!(finds(&store, "顺丰", "王建国"));
    store.withdraw_worker(&uid, "录入有误", None).unwrap();
    assert!(
        names(&store, "顺丰").is_empty(),
        "a withdrawn worker is found"
    );
}

#[test]
fn employer_and_worksite_lookups_use_indexes_only() {
    let (_dir, store) = store_with(&[worker("王建国", 8, "中建八局", "滨海工地")]);
    for query in ["中", "中建", "中建八局"] {
        let plans = store.explain_search(query).unwrap();
        let workplace: Vec<_> = plans
            .iter()
            .filter(|(sql, _)| sql.contains("workplace_term"))
            .collect();
        assert_eq!(workplace.len(), 2, "{query}: employer and worksite lookups");
        for (sql, details) in workplace {
            for line in details {
                assert!(line.starts_with("SEARCH"), "{query}: {line}\n{sql}");
            }
        }
    }
}

/// The schema version just before the migration that rebuilds the search keys.
fn before_search_keys_migration() -> usize {
    jingong::store::schema::SEARCH_KEYS_REBUILT_IN as usize - 1
}

#[test]
fn the_upgrade_rebuilds_keys_an_older_build_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    {
        let mut store = store_with_officer(Some(&path), NOW);
        store
            .add_worker(&worker("孟长生", 9, "中建八局", ""))
            .unwrap();
        // What a database of the previous schema holds: one reading of the given name, the
        // crate's, and no workplace index.
        jingong::testing::connection(&store)
            .execute_batch(&format!(
                "DELETE FROM search_term WHERE term IN ('p:mengchangsheng', 'i:mcs');
                 UPDATE worker SET name_pinyin = 'mengzhangsheng', name_initials = 'mzs';
                 DELETE FROM workplace_term; DELETE FROM workplace;
                 PRAGMA user_version = {};",
                before_search_keys_migration()
            ))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(finds(&store, "mcs", "孟长生"));
    assert!(finds(&store, "mengzhangsheng", "孟长生"));
    assert!(finds(&store, "中建", "孟长生"));
    let preferred: String = jingong::testing::connection(&store)
        .query_row("SELECT name_pinyin FROM worker", [], |r| r.get(0))
        .unwrap();
    assert_eq!(preferred, "mengchangsheng");
}

#[test]
fn the_cli_finds_workers_by_employer_with_ids_masked() {
    let t = TestDb::with_officer();
    t.cmd()
        .args([
            "worker",
            "add",
            "--name",
            "王建国",
            "--id-number",
            &id_number(10),
        ])
        .args(["--phone", "13800000010", "--employer", "中建八局天津分公司"])
        .assert()
        .success();
    let out = t.cmd().args(["search", "中建"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("王建国") && text.contains("中建八局天津分公司"),
        "{text}"
    );
    assert!(!text.contains(&id_number(10)), "ID shown unmasked: {text}");
}

#[test]
fn the_tui_workers_list_finds_workers_by_employer_with_ids_masked() {
    use crate::support::tui::{database_with_officer, open_app, screen_at, type_text};
    let (_dir, db, mut store) = database_with_officer();
    store
        .add_worker(&worker("王建国", 11, "中建八局天津分公司", ""))
        .unwrap();
    store
        .add_worker(&worker("李秀英", 12, "顺丰速运", ""))
        .unwrap();
    drop(store);
    let mut app = open_app(&db, jingong::text::Lang::Zh);
    type_text(&mut app, "中建");
    let screen = screen_at(&app, 100, 30);
    assert!(screen.contains("王建国"), "{screen}");
    assert!(!screen.contains("李秀英"), "{screen}");
    assert!(
        !screen.contains(&id_number(11)),
        "ID shown unmasked: {screen}"
    );
}
