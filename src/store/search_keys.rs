//! The search keys of a worker's name (`search_term` rows): every pinyin reading, the
//! initials, the inner two-character pieces and the first character of the given name.

use super::Result;
use crate::domain::pinyin::{PinyinKeys, pinyin_keys};
use rusqlite::{Connection, params};

/// Every search key of a name except the plain name prefix (the name index answers that).
pub fn search_terms(name: &str) -> Vec<String> {
    search_terms_with(name, &pinyin_keys(name))
}

pub(crate) fn search_terms_with(name: &str, keys: &PinyinKeys) -> Vec<String> {
    let mut terms: Vec<String> = Vec::with_capacity(8);
    for full in &keys.full_variants {
        terms.push(format!("p:{full}"));
    }
    for initials in &keys.initial_variants {
        terms.push(format!("i:{initials}"));
    }
    let chars: Vec<char> = name.chars().collect();
    // Inner two-character pieces: a query of 2+ characters that is not a prefix of the name
    // is looked up by its first piece, then checked against the whole name.
    for pair in chars.windows(2).skip(1) {
        terms.push(format!("b:{}{}", pair[0], pair[1]));
    }
    let given_start = surname_len(&chars);
    if let Some(c) = chars.get(given_start) {
        terms.push(format!("g:{c}"));
    }
    terms.sort();
    terms.dedup();
    terms
}

/// Characters of the surname: two for a known compound surname, else one.
fn surname_len(chars: &[char]) -> usize {
    if chars.len() > 2 {
        let two: String = chars[..2].iter().collect();
        if crate::domain::refdata::surname_readings()
            .iter()
            .any(|s| s.zh == two)
        {
            return 2;
        }
    }
    1
}

pub(crate) fn insert_search_terms(tx: &Connection, worker_id: i64, terms: &[String]) -> Result<()> {
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO search_term(term, worker_id) VALUES (?1, ?2)")?;
    for term in terms {
        insert.execute(params![term, worker_id])?;
    }
    Ok(())
}

/// Adds the search keys of `name` for a worker.
pub(crate) fn insert_search_terms_of(tx: &Connection, worker_id: i64, name: &str) -> Result<()> {
    insert_search_terms(tx, worker_id, &search_terms(name))
}

/// Removes the keys of `name`: they are derived from it, so no index by worker is needed.
pub(crate) fn delete_search_terms(tx: &Connection, worker_id: i64, name: &str) -> Result<()> {
    let mut delete =
        tx.prepare_cached("DELETE FROM search_term WHERE term = ?1 AND worker_id = ?2")?;
    for term in search_terms(name) {
        delete.execute(params![term, worker_id])?;
    }
    Ok(())
}
