//! The keys the search looks workers up by, beyond plain column indexes: the pinyin readings,
//! initials and inner pieces of a worker's name (`search_term`), and the pieces of every
//! employer and worksite name (`workplace_term`). Every write of a worker keeps them in step.

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

/// The pieces an employer or worksite name is looked up by: each character (`1:中`), so a
/// one-character query finds it, and each two-character piece (`2:中建`), the first piece of
/// a longer query, whose hits are then checked against the whole query.
pub fn workplace_terms(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut terms: Vec<String> = chars.iter().map(|c| format!("1:{c}")).collect();
    terms.extend(chars.windows(2).map(|p| format!("2:{}{}", p[0], p[1])));
    terms.sort();
    terms.dedup();
    terms
}

/// Makes `employer` and `worksite` searchable. A name is indexed once, the first time any
/// worker carries it: the rows it adds grow with the distinct names, not with the workers.
/// A name no worker carries any more stays indexed and simply finds nobody.
pub(crate) fn note_workplaces(tx: &Connection, employer: &str, worksite: &str) -> Result<()> {
    index_workplace(tx, employer)?;
    index_workplace(tx, worksite)?;
    Ok(())
}

fn index_workplace(tx: &Connection, name: &str) -> rusqlite::Result<()> {
    let mut known = tx.prepare_cached("INSERT OR IGNORE INTO workplace(name) VALUES (?1)")?;
    if name.is_empty() || known.execute([name])? == 0 {
        return Ok(());
    }
    let mut piece =
        tx.prepare_cached("INSERT OR IGNORE INTO workplace_term(term, name) VALUES (?1, ?2)")?;
    for term in workplace_terms(name) {
        piece.execute(params![term, name])?;
    }
    Ok(())
}

/// Migration step: the pinyin keys of every live worker again, as this build reads names (a
/// given name's polyphonic characters gained readings), the stored preferred reading where it
/// changed, and the workplace index from every employer and worksite in use. Keys derived by
/// an older reading would otherwise linger after a rename, since removal derives them anew.
pub(crate) fn rebuild_search_keys(tx: &Connection) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM search_term WHERE term >= 'i:' AND term < 'i;';
         DELETE FROM search_term WHERE term >= 'p:' AND term < 'p;';",
    )?;
    let mut workers = tx.prepare(
        "SELECT id, name, name_pinyin, name_initials FROM worker WHERE deleted_at IS NULL",
    )?;
    let mut insert =
        tx.prepare("INSERT OR IGNORE INTO search_term(term, worker_id) VALUES (?1, ?2)")?;
    let mut preferred =
        tx.prepare("UPDATE worker SET name_pinyin = ?2, name_initials = ?3 WHERE id = ?1")?;
    let mut rows = workers.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let name: String = row.get(1)?;
        let keys = pinyin_keys(&name);
        for full in &keys.full_variants {
            insert.execute(params![format!("p:{full}"), id])?;
        }
        for initials in &keys.initial_variants {
            insert.execute(params![format!("i:{initials}"), id])?;
        }
        if row.get::<_, String>(2)? != keys.full || row.get::<_, String>(3)? != keys.initials {
            preferred.execute(params![id, keys.full, keys.initials])?;
        }
    }
    drop(rows);
    let names: Vec<String> = tx
        .prepare(
            "SELECT DISTINCT employer FROM worker WHERE deleted_at IS NULL AND employer <> ''
             UNION SELECT DISTINCT worksite FROM worker WHERE deleted_at IS NULL AND worksite <> ''",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in names {
        index_workplace(tx, &name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workplace_pieces_are_every_character_and_pair() {
        assert_eq!(
            workplace_terms("中建八局"),
            ["1:中", "1:八", "1:局", "1:建", "2:中建", "2:八局", "2:建八"]
        );
        assert!(workplace_terms("").is_empty());
    }
}
