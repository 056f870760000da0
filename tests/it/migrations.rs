//! The shipped migrations, however they are stored, must build the schema they always built:
//! a database migrated from nothing is compared with `tests/fixtures/schema-latest.txt`, which
//! the code of main before migrations became SQL files wrote (regenerate it only when adding a
//! migration: `JINGONG_WRITE_SCHEMA_FIXTURE=1 cargo test --test it migrations::`).

use std::path::Path;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/schema-latest.txt"
);

/// Every object of `sqlite_master` as `type name ON table: sql` with runs of white space made
/// one space, sorted, plus the schema version: what two schemas must agree on.
fn schema_text(conn: &rusqlite::Connection) -> String {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
             ORDER BY type, name",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let sql: String = r.get(3)?;
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            Ok(format!(
                "{} {} ON {}: {sql}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    format!("user_version {version}\n{}\n", rows.join("\n"))
}

#[test]
fn a_database_migrated_from_nothing_has_the_schema_main_built() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    jingong::store::schema::migrate(&mut conn).unwrap();
    let built = schema_text(&conn);
    if std::env::var_os("JINGONG_WRITE_SCHEMA_FIXTURE").is_some() {
        std::fs::write(FIXTURE, &built).unwrap();
    }
    let expected = std::fs::read_to_string(Path::new(FIXTURE)).unwrap();
    let (built_lines, expected_lines): (Vec<_>, Vec<_>) =
        (built.lines().collect(), expected.lines().collect());
    for (got, want) in built_lines.iter().zip(&expected_lines) {
        assert_eq!(got, want, "first object that differs");
    }
    assert_eq!(built_lines.len(), expected_lines.len(), "number of objects");
}
