//! The shape of the code, checked by reading the sources: `tui` does not reach into `cli`, a
//! screen does not import another screen (navigation belongs in one place), SQL lives in
//! `src/store`, no source file passes 600 lines, and every integration test sits in this one
//! binary.
//!
//! Today's known violations are in `ALLOWED`. The test fails on any violation not listed, and
//! also on a listed one that no longer exists, so the list can only shrink: whoever fixes one
//! removes its line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

/// Files in `src/tui/screens` that are shared building blocks, not screens: importing them is
/// how screens are made. `form_screen`: the generic form every form screen is; `service_form`:
/// what the service forms share (prefill, checks, saving); `batch_import`: the import work the
/// batches screen runs.
const SHARED_IN_SCREENS: &[&str] = &["form_screen", "service_form", "batch_import"];

/// Known violations on the day this test was written (issue 18), as (rule, file, detail).
/// Other branches are fixing most of them; shrink this list as they land, never grow it.
const ALLOWED: &[(&str, &str, &str)] = &[
    // tui starts from cli's options and store opener; a `Session` both start from replaces it.
    // Screens that build the next screen themselves; `tui/routes.rs` is to own these edges.
    // The import work reports into the batches screen's types.
];

/// Known SQL outside the store and files over 600 lines (issue 18), as (rule, file, detail).
const ALLOWED_SQL_AND_SIZE: &[(&str, &str, &str)] = &[
    // Long files, to split by job.
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    rule: &'static str,
    file: String,
    detail: String,
}

/// A source file split into its code (string literals and comments blanked out) and its
/// string literals, so that a rule about imports never matches text and a rule about SQL
/// never matches code or comments.
struct Lexed {
    code: String,
    strings: Vec<String>,
}

fn lex(source: &str) -> Lexed {
    let chars: Vec<char> = source.chars().collect();
    let mut code = String::new();
    let mut strings = Vec::new();
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if (c == 'r' || c == 'b') && (i == 0 || !ident(chars[i - 1])) && raw_start(&chars, i)
        {
            // r"…", r#"…"#, br"…": no escapes; ends at a quote followed by as many hashes.
            let mut j = i + 1 + usize::from(c == 'b');
            let mut hashes = 0;
            while chars[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let start = j;
            while j < chars.len()
                && !(chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')))
            {
                j += 1;
            }
            strings.push(chars[start..j.min(chars.len())].iter().collect());
            code.push_str("\"\"");
            i = j + 1 + hashes;
        } else if c == '"' {
            let mut j = i + 1;
            let mut text = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                if let Some(&ch) = chars.get(j) {
                    text.push(ch);
                }
                j += 1;
            }
            strings.push(text);
            code.push_str("\"\"");
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('"', '\'', '\u{..}') or a lifetime ('a): skip a literal whole.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                code.push(c);
                i += 1;
            }
        } else {
            code.push(c);
            i += 1;
        }
    }
    Lexed { code, strings }
}

fn raw_start(chars: &[char], i: usize) -> bool {
    let mut j = i + 1;
    if chars[i] == 'b' {
        if chars.get(j) != Some(&'r') {
            return false;
        }
        j += 1;
    }
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

/// Upper-case SQL as whole words: a statement keyword, or a pair that starts a schema change.
fn looks_like_sql(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let statement = ["SELECT", "INSERT", "UPDATE", "DELETE", "PRAGMA"];
    let schema = ["TABLE", "INDEX", "VIEW", "TRIGGER"];
    words.iter().any(|w| statement.contains(w))
        || words
            .windows(2)
            .any(|pair| ["CREATE", "DROP", "ALTER"].contains(&pair[0]) && schema.contains(&pair[1]))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// `super::NAME` or `screens::NAME` in code: the sibling modules a screen file names.
fn sibling_modules(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for prefix in ["super::", "screens::"] {
        for (at, _) in code.match_indices(prefix) {
            let rest = &code[at + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with("::") {
                names.insert(name);
            }
        }
    }
    names
}

/// `crate::cli` in code, or `cli` inside a `use crate::{…}` group.
fn names_cli(code: &str) -> bool {
    code.contains("crate::cli")
        || code.match_indices("crate::{").any(|(at, _)| {
            let group = &code[at..];
            let group = &group[..group.find(';').unwrap_or(group.len())];
            group
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|word| word == "cli")
        })
}

fn violations(root: &Path) -> BTreeSet<Violation> {
    let src = root.join("src");
    let screens_dir = src.join("tui/screens");
    let screen_names: BTreeSet<String> = rust_files(&screens_dir)
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "mod" && !SHARED_IN_SCREENS.contains(&n.as_str()))
        .collect();
    let mut found = BTreeSet::new();
    let mut add = |rule, file: &str, detail: &str| {
        found.insert(Violation {
            rule,
            file: file.to_string(),
            detail: detail.to_string(),
        });
    };
    for path in rust_files(&src) {
        let file = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let source = std::fs::read_to_string(&path).unwrap();
        let lexed = lex(&source);
        if source.lines().count() > MAX_LINES {
            add("file over 600 lines", &file, "");
        }
        if file.starts_with("src/tui/") && names_cli(&lexed.code) {
            add("tui imports cli", &file, "");
        }
        if path.parent() == Some(screens_dir.as_path()) {
            let own = path.file_stem().unwrap().to_string_lossy().into_owned();
            for name in sibling_modules(&lexed.code) {
                if name != own && screen_names.contains(&name) {
                    add("screen imports screen", &file, &name);
                }
            }
        }
        // The city side (feature `city`) is a store of its own, on PostgreSQL: its SQL stays in
        // src/city, as the laptop's stays in src/store.
        let a_store = file.starts_with("src/store/") || file.starts_with("src/city/");
        if !a_store && lexed.strings.iter().any(|s| looks_like_sql(s)) {
            add("SQL outside src/store", &file, "");
        }
    }
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let file = format!("tests/{}", path.file_name().unwrap().to_string_lossy());
            add("test outside tests/it", &file, "");
        }
    }
    found
}

fn allowed() -> BTreeSet<Violation> {
    ALLOWED
        .iter()
        .chain(ALLOWED_SQL_AND_SIZE)
        .map(|&(rule, file, detail)| Violation {
            rule,
            file: file.to_string(),
            detail: detail.to_string(),
        })
        .collect()
}

fn listed(set: &BTreeSet<&Violation>) -> String {
    set.iter()
        .map(|v| format!("  ({:?}, {:?}, {:?}),\n", v.rule, v.file, v.detail))
        .collect()
}

#[test]
fn the_sources_keep_their_layers_and_only_known_exceptions_remain() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = violations(root);
    let allowed = allowed();
    let new: BTreeSet<_> = found.difference(&allowed).collect();
    let fixed: BTreeSet<_> = allowed.difference(&found).collect();
    assert!(
        new.is_empty(),
        "new violations of the architecture rules (fix them; tests/it/main.rs says where tests \
         go):\n{}",
        listed(&new)
    );
    assert!(
        fixed.is_empty(),
        "fixed, so remove from ALLOWED in tests/it/architecture.rs:\n{}",
        listed(&fixed)
    );
}

#[test]
fn the_rules_see_what_they_are_meant_to_see() {
    let lexed = lex(concat!(
        "use crate::cli::Cli; // SELECT in a comment\n",
        "let q = \"SELECT id FROM worker\"; let c = '\"'; let l: &'static str = r#\"x \"DELETE\" y\"#;\n",
        "/* UPDATE */ let t = \"Select a worker\"; let u = super::detail::DetailScreen::new();\n",
    ));
    assert!(names_cli(&lexed.code));
    assert!(names_cli("use crate::{store::Store, cli::Failure};"));
    assert!(!names_cli("use crate::{store::Store, client};"));
    assert!(!lexed.code.contains("SELECT") && !lexed.code.contains("UPDATE"));
    assert_eq!(
        lexed.strings,
        ["SELECT id FROM worker", "x \"DELETE\" y", "Select a worker"]
    );
    assert!(looks_like_sql(&lexed.strings[0]) && looks_like_sql(&lexed.strings[1]));
    assert!(!looks_like_sql(&lexed.strings[2]));
    assert!(looks_like_sql("CREATE TABLE t (x)") && !looks_like_sql("CREATED TABLES"));
    assert!(!looks_like_sql("the UPDATED flag") && !looks_like_sql("CREATE a batch"));
    assert_eq!(
        sibling_modules(&lexed.code).into_iter().collect::<Vec<_>>(),
        ["detail"]
    );
}
