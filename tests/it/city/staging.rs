//! The ingester types each line itself and computes the content hash the city tables hold
//! (`src/city/staging.rs`): the hash must stay PostgreSQL's `md5` of the line's `jsonb` text,
//! or an equal copy arriving again would count as a diverged one.

use super::cluster::*;
use crate::support::batch::*;
use jingong::city::staging::jsonb_text;
use md5::{Digest, Md5};

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_hash_is_the_md5_postgresql_gives_the_jsonb_text() {
    let Some(db) = CityDb::new() else { return };
    let mut client = db.client();
    let lines = [
        r#"{"uid":"a","version":3,"op":"upsert","hardship":false,"deleted_at":null}"#,
        r#"{"zz":1,"b":2,"aaa":3,"ab":4,"é":5,"ba":6,"bb":{"y":[1,[],{}],"x":"q"}}"#,
        r#"{"name":"方敏\u4e2d\u00e9","note":"tab\there \"q\" back\\slash \/ \u0001\u001f\u007f\u2028"}"#,
        r#"{"k":"\b\f\n\r","big":18446744073709551615,"neg":-9223372036854775808,"zero":-0}"#,
        r#"{"a":1,"a":{"b":2},"c":[true,false,null],"d":""}"#,
        r#"{"officer":{"name":"区干部","organisation":"区总工会","district_code":"120112"}}"#,
        r#"  {"spaced" : [ 1 , 2 ] }  "#,
    ];
    for line in lines {
        let ours = jsonb_text(line.as_bytes());
        let row = client
            .query_one(
                "SELECT $1::text::jsonb::text, md5($1::text::jsonb::text)",
                &[&line],
            )
            .unwrap();
        let theirs: String = row.get(0);
        match ours {
            Some(text) => {
                assert_eq!(text, theirs, "{line}");
                assert_eq!(md5_hex(&text), row.get::<_, String>(1), "{line}");
            }
            // Left to the database (staged whole): only numbers jsonb keeps as written.
            None => assert!(line.contains("-0"), "{line}: not printed here"),
        }
    }
}

#[test]
fn every_line_is_stored_with_the_databases_hash_whether_typed_here_or_there() {
    let Some(db) = CityDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = demo_db(dir.path(), "a.db", 4, 71);
    let batch = export(&laptop, &dir.path().join("out"), &[]);
    // A field jingong does not know, with a number jsonb keeps as written (1.50, 2E+1): such
    // lines are staged whole and typed in SQL.
    let odd = copy_batch(&batch, &dir.path().join("odd"));
    for (file, extra) in [("workers.jsonl", "1.50"), ("services.jsonl", "2E+1")] {
        let text = std::fs::read_to_string(odd.join(file)).unwrap();
        let text = text.replacen("{\"uid\"", &format!("{{\"x_extra\":{extra},\"uid\""), 1);
        std::fs::write(odd.join(file), text).unwrap();
    }
    rehash(&odd);
    db.init(dir.path());
    let output = db.ingest(dir.path(), &[&odd]);
    assert!(output.status.success(), "{}", stdout_text(&output));

    let mut client = db.client();
    let mut whole = 0;
    for (file, table) in [("workers.jsonl", "workers"), ("services.jsonl", "services")] {
        let text = std::fs::read_to_string(odd.join(file)).unwrap();
        for line in text.lines() {
            let doc: serde_json::Value = serde_json::from_str(line).unwrap();
            whole += usize::from(jsonb_text(line.as_bytes()).is_none());
            let row = client
                .query_one(
                    &format!(
                        "SELECT t.content_md5 = md5($1::text::jsonb::text), t.version,
                                t.updated_at
                           FROM {table} t WHERE t.uid = $2::text::uuid"
                    ),
                    &[&line, &doc["uid"].as_str().unwrap()],
                )
                .unwrap();
            assert!(row.get::<_, bool>(0), "{table}: {line}");
            assert_eq!(row.get::<_, i64>(1), doc["version"].as_i64().unwrap());
            assert_eq!(row.get::<_, String>(2), doc["updated_at"].as_str().unwrap());
        }
    }
    assert_eq!(whole, 2, "one line of each file went in whole");
    assert_eq!(db.count("SELECT count(*) FROM conflicts"), 0);
    db.assert_rollups_match();
}
