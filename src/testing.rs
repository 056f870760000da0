//! What tests and benchmarks start from, built only with the `testing` feature (which
//! `cargo test` and `cargo bench` turn on): a database whose officer is 李明 of 和平区总工会,
//! its clock stopped where the caller says. One definition, so a change to the officer or to
//! how a store is opened is made once.

use crate::domain::Officer;
use crate::store::{Clock, Store};
use std::path::Path;

/// The officer every test and benchmark database is registered to.
pub fn officer() -> Officer {
    Officer {
        name: "李明".into(),
        organisation: "和平区总工会".into(),
        district_code: "120101".into(),
    }
}

/// A clock stopped at `rfc3339`; panics on a malformed instant (a mistake in the test).
pub fn clock_at(rfc3339: &str) -> Clock {
    Clock::fixed(chrono::DateTime::parse_from_rfc3339(rfc3339).expect("an RFC 3339 instant"))
}

/// The store on `db` (created if new; in memory for `None`), its clock stopped at `now` and
/// `officer()` set.
pub fn store_with_officer(db: Option<&Path>, now: &str) -> Store {
    let mut store = match db {
        Some(path) => Store::open(path).expect("open store"),
        None => Store::open_in_memory().expect("open store"),
    };
    store.set_clock(clock_at(now));
    store.set_officer(&officer()).expect("set officer");
    store
}

/// The store's own connection, for a test or a benchmark that looks at the tables beneath the
/// store's methods (a count, a raw row, a schema rewound to an older version).
pub fn connection(store: &Store) -> &rusqlite::Connection {
    store.conn()
}
