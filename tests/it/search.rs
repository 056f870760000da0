//! Every search class finds what it should on a 20,000-worker demo database, ranks exact
//! matches first, never returns a non-match, and answers from indexes only.

use crate::support::fixture::{NOW, store_with_officer};
use jingong::demo::{DemoOptions, fill};
use jingong::domain::WorkerInput;
use jingong::store::Store;
use jingong::store::search::Rank;
use std::sync::OnceLock;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// One demo database for the whole file: making it is the slow part.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.db");
        let mut store = store_with_officer(Some(&path), NOW);
        fill(
            &mut store,
            DemoOptions {
                workers: 20_000,
                services_per_worker: 1,
                seed: 42,
            },
            |_| {},
        )
        .unwrap();
        // The surname the pinyin crate misreads: both readings must find him.
        let mut input = WorkerInput {
            name: "曾盛".into(),
            id_number: "120101196610251103".into(),
            phone: "13800001111".into(),
            ..Default::default()
        };
        if store
            .worker_by_id_number(&input.id_number)
            .unwrap()
            .is_none()
        {
            store.add_worker(&input).unwrap();
        }
        // A deleted worker must never be found.
        input.name = "删除人".into();
        input.id_number = "371302200002160228".into();
        input.phone = "13800002222".into();
        let gone = store.add_worker(&input).unwrap();
        store.withdraw_worker(&gone.uid, "录入有误", None).unwrap();
        Fixture { _dir: dir, path }
    })
}

fn store() -> Store {
    Store::open(&fixture().path).unwrap()
}

/// A sample of live workers: (uid, name, id_number, phone, name_pinyin, name_initials).
fn sample(
    store: &Store,
    filter: &str,
    n: usize,
) -> Vec<(String, String, String, String, String, String)> {
    let mut stmt = jingong::testing::connection(store)
        .prepare(&format!(
            "SELECT uid, name, id_number, phone, name_pinyin, name_initials FROM worker
             WHERE deleted_at IS NULL AND {filter} ORDER BY id LIMIT {n}"
        ))
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Searches and asserts `uid` is among the matches; returns its rank.
fn finds(store: &Store, query: &str, uid: &str) -> Rank {
    let page = store.search(query, 0, 1000).unwrap();
    assert!(!page.hits.is_empty(), "{query:?} found nothing");
    let ranks: Vec<Rank> = page.hits.iter().map(|h| h.rank).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "{query:?}: ranks not ordered {ranks:?}"
    );
    page.hits
        .iter()
        .find(|h| h.uid == uid)
        .unwrap_or_else(|| panic!("{query:?} did not find {uid} among {}", page.total))
        .rank
}

fn assert_indexed(store: &Store, query: &str) {
    let plans = store.explain_search(query).unwrap();
    assert!(!plans.is_empty(), "{query:?} has no lookup");
    for (sql, details) in plans {
        for line in details {
            assert!(
                line.starts_with("SEARCH"),
                "{query:?} scans instead of searching an index: {line}\n{sql}"
            );
        }
    }
}

#[test]
fn two_character_full_name_is_an_exact_match() {
    let store = store();
    for (uid, name, ..) in sample(&store, "length(name) = 2", 20) {
        assert_eq!(finds(&store, &name, &uid), Rank::Exact, "{name}");
        let page = store.search(&name, 0, 1000).unwrap();
        assert!(page.hits.iter().all(|h| h.name.contains(&name)), "{name}");
        assert_indexed(&store, &name);
    }
}

#[test]
fn one_character_matches_surnames_and_given_name_starts() {
    let store = store();
    let (uid, name, ..) = sample(&store, "name LIKE '王%' AND length(name) = 3", 1).remove(0);
    assert_eq!(finds(&store, "王", &uid), Rank::Prefix, "{name}");
    let page = store.search("王", 0, 1000).unwrap();
    assert!(page.total > 50, "王 is common: {}", page.total);
    for hit in &page.hits {
        let chars: Vec<char> = hit.name.chars().collect();
        // After the names: workers whose employer's name holds 王 (西青区王稳庄…, issue 14).
        let by_employer = hit.rank == Rank::Workplace && hit.employer.contains('王');
        assert!(
            chars[0] == '王'
                || chars.get(1) == Some(&'王')
                || chars.get(2) == Some(&'王')
                || by_employer,
            "{} does not start a surname or given name with 王",
            hit.name
        );
    }
    // A given name's first character finds the worker too.
    let given: String = name.chars().nth(1).unwrap().to_string();
    assert_ne!(finds(&store, &given, &uid), Rank::Exact);
    assert_indexed(&store, "王");
}

#[test]
fn inner_two_characters_of_a_given_name_find_the_worker() {
    let store = store();
    for (uid, name, ..) in sample(&store, "length(name) = 3 AND name NOT LIKE '%·%'", 20) {
        let given: String = name.chars().skip(1).collect();
        finds(&store, &given, &uid);
        let page = store.search(&given, 0, 1000).unwrap();
        assert!(page.hits.iter().all(|h| h.name.contains(&given)), "{given}");
        assert_indexed(&store, &given);
    }
}

#[test]
fn minority_names_are_found_by_any_part() {
    let store = store();
    let (uid, name, ..) = sample(&store, "name LIKE '%·%'", 1).remove(0);
    let after_dot: String = name.split('·').nth(1).unwrap().to_string();
    finds(&store, &name, &uid);
    finds(&store, &after_dot, &uid);
}

#[test]
fn pinyin_initials_and_full_pinyin_prefix_find_the_worker() {
    let store = store();
    for (uid, name, _, _, pinyin, initials) in sample(&store, "1", 20) {
        assert_eq!(
            finds(&store, &initials, &uid),
            Rank::Exact,
            "{name} {initials}"
        );
        assert_eq!(finds(&store, &pinyin, &uid), Rank::Exact, "{name} {pinyin}");
        let upper = pinyin.to_uppercase();
        assert_eq!(finds(&store, &upper, &uid), Rank::Exact, "case-insensitive");
        assert_indexed(&store, &initials);
        assert_indexed(&store, &pinyin[..3.min(pinyin.len())]);
    }
    let page = store.search("zhang", 0, 1000).unwrap();
    assert!(page.total > 10);
    for hit in &page.hits {
        let keys = jingong::domain::pinyin::pinyin_keys(&hit.name);
        assert!(
            keys.full_variants.iter().any(|p| p.starts_with("zhang")),
            "{} does not read zhang…",
            hit.name
        );
    }
}

#[test]
fn a_misread_surname_is_found_by_both_readings() {
    let store = store();
    let zeng = store
        .worker_by_id_number("120101196610251103")
        .unwrap()
        .unwrap();
    assert_eq!(zeng.input.name, "曾盛");
    for query in ["zs", "cs", "zengsheng", "cengsheng", "zeng"] {
        finds(&store, query, &zeng.uid);
    }
}

#[test]
fn id_number_prefix_and_tails_find_the_worker() {
    let store = store();
    for (uid, _, id, ..) in sample(&store, "1", 20) {
        assert_eq!(finds(&store, &id, &uid), Rank::Exact);
        assert_eq!(finds(&store, &id.to_lowercase(), &uid), Rank::Exact);
        finds(&store, &id[..10], &uid);
        finds(&store, &id[14..], &uid);
        finds(&store, &id[12..], &uid);
        let tail4 = &id[14..];
        let page = store.search(tail4, 0, 1000).unwrap();
        assert!(
            page.hits.iter().all(|h| h.id_number.ends_with(tail4)
                || h.id_number.starts_with(tail4)
                || h.phone.ends_with(tail4)
                || h.phone.starts_with(tail4)),
            "{tail4}"
        );
        assert_indexed(&store, &id[..10]);
        assert_indexed(&store, &id[14..]);
        assert_indexed(&store, &id[12..]);
    }
}

#[test]
fn phone_prefix_and_last_four_find_the_worker() {
    let store = store();
    for (uid, _, _, phone, ..) in sample(&store, "phone <> ''", 20) {
        assert_eq!(finds(&store, &phone, &uid), Rank::Exact);
        finds(&store, &phone[..7], &uid);
        finds(&store, &phone[7..], &uid);
        assert_indexed(&store, &phone[..7]);
        assert_indexed(&store, &phone[7..]);
        assert_indexed(&store, &phone);
    }
}

#[test]
fn deleted_workers_are_never_found_and_counts_are_capped() {
    let store = store();
    assert!(store.search("删除人", 0, 10).unwrap().hits.is_empty());
    assert!(
        store
            .search("371302200002160228", 0, 10)
            .unwrap()
            .hits
            .is_empty()
    );
    assert!(store.search("13800002222", 0, 10).unwrap().hits.is_empty());
    // A one-digit query matches most ID numbers: the count stops at the cap.
    let page = store.search("1", 0, 50).unwrap();
    assert_eq!(page.hits.len(), 50);
    assert!(page.more);
    assert_eq!(page.total, jingong::store::search::COUNT_CAP);
    // Paging walks the same ranked list.
    let first = store.search("1", 0, 100).unwrap();
    let second = store.search("1", 50, 50).unwrap();
    assert_eq!(first.hits[50..], second.hits[..]);
}

#[test]
fn an_empty_query_pages_through_every_live_worker_newest_first() {
    let store = store();
    let page = store.search("", 0, 30).unwrap();
    assert_eq!(page.total as i64, store.live_worker_count().unwrap());
    assert_eq!(page.hits.len(), 30);
    assert!(page.hits.windows(2).all(|w| w[0].id > w[1].id));
    let last = store.search("", page.total - 5, 30).unwrap();
    assert_eq!(last.hits.len(), 5);
}
