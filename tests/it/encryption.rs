//! Encryption at rest (SQLCipher). Built with `--features encryption`, the tests prove a
//! database and its backups are unreadable without the key, that a wrong or missing key gets
//! a message in the officer's language, and that rekey, encrypt and decrypt keep every
//! record. Without the feature, they prove the commands say the build has no encryption.

use crate::support::fixture::TestDb;

#[cfg(feature = "encryption")]
mod with_feature {
    use crate::support::bin::stdout_of;
    use crate::support::fixture::{self, TestDb};
    use jingong::store::{Access, Key, Store};
    use std::path::Path;

    const KEY: &str = "和平区-2026-春";
    const ID: &str = "620102199708155206";
    const NAME: &str = "马晓燕";
    const PHONE: &str = "13812345678";

    fn head(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap().into_iter().take(16).collect()
    }

    fn holds(path: &Path, needle: &str) -> bool {
        let bytes = std::fs::read(path).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// `jingong --db DB` with the test's clock and folders (`t.cmd()` names `t.db`).
    fn on(t: &TestDb, db: &Path) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_jingong"));
        cmd.arg("--db")
            .arg(db)
            .env("JINGONG_NOW", fixture::NOW)
            .env("JINGONG_DATA_DIR", t.path().join("data"))
            .env("JINGONG_CONFIG_DIR", t.path().join("config"))
            .env_remove("JINGONG_DB")
            .env_remove("JINGONG_LANG")
            .env_remove("JINGONG_KEY")
            .env_remove("JINGONG_NEW_KEY");
        cmd
    }

    /// A database created encrypted with KEY, holding one worker and a legal-aid visit.
    fn encrypted() -> TestDb {
        let t = TestDb::new();
        t.cmd()
            .env("JINGONG_KEY", KEY)
            .args(["officer", "set", "--name", "李明", "--org", "和平区总工会"])
            .args(["--district", "120101"])
            .assert()
            .success();
        t.cmd()
            .env("JINGONG_KEY", KEY)
            .args(["worker", "add", "--name", NAME, "--id-number", ID])
            .args(["--phone", PHONE])
            .assert()
            .success();
        t.cmd()
            .env("JINGONG_KEY", KEY)
            .args(["service", "add", "--worker", ID, "--kind", "legal_aid"])
            .args(["--category", "wage_arrears", "--status", "open"])
            .args(["--claimed", "9000", "--description", "欠薪两个月"])
            .assert()
            .success();
        t
    }

    #[test]
    fn an_encrypted_database_reopens_with_its_key_and_shows_nothing_without_it() {
        let t = encrypted();
        assert_ne!(head(&t.db), b"SQLite format 3\0");
        let wal = t.db.with_extension("db-wal");
        for file in [&t.db, &wal] {
            for secret in [ID, NAME, PHONE, "欠薪两个月"] {
                assert!(!holds(file, secret), "{} holds {secret}", file.display());
            }
        }
        #[cfg(unix)]
        assert_eq!(mode(&t.db), 0o600);
        let shown = stdout_of(
            t.cmd()
                .env("JINGONG_KEY", KEY)
                .args(["worker", "show", ID, "--reveal"]),
        );
        assert!(shown.contains(NAME) && shown.contains(PHONE), "{shown}");
        // The second connection the screens use for searching gets the key too.
        let store = Store::open_keyed(&t.db, Access::ReadWrite, Key::new(KEY)).unwrap();
        assert!(store.is_encrypted());
        let reader = store.open_another_reader().unwrap();
        assert_eq!(reader.search(NAME, 0, 10).unwrap().hits.len(), 1);
    }

    #[test]
    fn a_wrong_or_missing_key_gets_a_clear_message_and_exit_2() {
        let t = encrypted();
        for (lang, key, expected) in [
            ("zh", Some("wrong"), "密钥不对"),
            ("en", Some("wrong"), "wrong key"),
            ("zh", None, "已加密"),
            ("en", None, "is encrypted"),
        ] {
            let mut cmd = t.cmd();
            cmd.args(["--lang", lang, "search", "马"]);
            if let Some(key) = key {
                cmd.env("JINGONG_KEY", key);
            }
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{stderr}");
            assert!(stderr.contains(expected), "{stderr}");
            assert!(!stderr.contains("file is not a database"), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
            // One line from jingong, nothing from SQLCipher's own log.
            assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
            assert!(out.stdout.is_empty());
        }
        // Nothing was changed by the failed attempts.
        assert!(stdout_of(t.cmd().env("JINGONG_KEY", KEY).args(["search", "马"])).contains(NAME));
    }

    #[test]
    fn a_key_for_a_plain_database_is_refused_rather_than_ignored() {
        let t = TestDb::with_officer();
        let out = t
            .cmd()
            .env("JINGONG_KEY", KEY)
            .args(["search", "x"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("未加密"), "{stderr}");
        assert_eq!(head(&t.db), b"SQLite format 3\0");
    }

    #[test]
    fn rekey_changes_the_key_and_keeps_the_records() {
        let t = encrypted();
        t.cmd()
            .env("JINGONG_KEY", KEY)
            .env("JINGONG_NEW_KEY", "新密钥-2027")
            .arg("rekey")
            .assert()
            .success();
        let old = t
            .cmd()
            .env("JINGONG_KEY", KEY)
            .args(["search", "马"])
            .output()
            .unwrap();
        assert_eq!(old.status.code(), Some(2));
        let shown = stdout_of(
            t.cmd()
                .env("JINGONG_KEY", "新密钥-2027")
                .args(["worker", "show", ID, "--reveal"]),
        );
        assert!(shown.contains(NAME), "{shown}");
        assert!(
            shown.contains("欠薪") || shown.contains("法律援助"),
            "{shown}"
        );
        assert_ne!(head(&t.db), b"SQLite format 3\0");
        // Without a new key and without a terminal, nothing happens.
        let out = t
            .cmd()
            .env("JINGONG_KEY", "新密钥-2027")
            .arg("rekey")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("JINGONG_NEW_KEY"));
    }

    #[test]
    fn encrypt_then_decrypt_round_trips_every_record() {
        let t = TestDb::with_officer();
        t.add_worker(NAME, ID, PHONE);
        t.cmd()
            .args(["demo", "--workers", "200", "--services-per-worker", "2"])
            .assert()
            .success();
        let plain_before = stdout_of(t.cmd().args(["stats", "--json"]));
        let enc = t.path().join("enc.db");
        t.cmd()
            .env("JINGONG_NEW_KEY", KEY)
            .args(["encrypt", "--out", enc.to_str().unwrap()])
            .assert()
            .success();
        assert_ne!(head(&enc), b"SQLite format 3\0");
        assert!(!holds(&enc, ID));
        #[cfg(unix)]
        assert_eq!(mode(&enc), 0o600);
        assert!(!t.path().join(".enc.db.partial").exists());
        // The source is left as it was.
        assert_eq!(head(&t.db), b"SQLite format 3\0");
        let encrypted_stats = stdout_of(
            on(&t, &enc)
                .env("JINGONG_KEY", KEY)
                .args(["stats", "--json"]),
        );
        assert_eq!(encrypted_stats, plain_before);

        // An existing file is never overwritten.
        let out = t
            .cmd()
            .env("JINGONG_NEW_KEY", KEY)
            .args(["encrypt", "--out", enc.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));

        let back = t.path().join("back.db");
        on(&t, &enc)
            .env("JINGONG_KEY", KEY)
            .args(["decrypt", "--out", back.to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(head(&back), b"SQLite format 3\0");
        #[cfg(unix)]
        assert_eq!(mode(&back), 0o600);
        let a = Store::open_reader(&t.db).unwrap();
        let b = Store::open_reader(&back).unwrap();
        assert_eq!(a.schema_version().unwrap(), b.schema_version().unwrap());
        assert_eq!(a.device_id().unwrap(), b.device_id().unwrap());
        for table in [
            "worker",
            "service",
            "legal_aid",
            "health_check",
            "audit",
            "event",
        ] {
            let dump = |s: &Store| -> Vec<String> {
                let mut stmt = jingong::testing::connection(s)
                    .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
                    .unwrap();
                let columns = stmt.column_count();
                stmt.query_map([], |row| {
                    let mut line = String::new();
                    for i in 0..columns {
                        let v: rusqlite::types::Value = row.get(i)?;
                        line.push_str(&format!("{v:?}|"));
                    }
                    Ok(line)
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
            };
            assert_eq!(dump(&a), dump(&b), "table {table}");
        }
        assert_eq!(
            stdout_of(on(&t, &back).args(["stats", "--json"])),
            plain_before
        );
    }

    #[test]
    fn a_backup_of_an_encrypted_database_stays_encrypted() {
        let t = encrypted();
        let copy = t.path().join("copy.db");
        t.cmd()
            .env("JINGONG_KEY", KEY)
            .args(["backup", copy.to_str().unwrap()])
            .assert()
            .success();
        assert_ne!(head(&copy), b"SQLite format 3\0");
        assert!(!holds(&copy, ID));
        let shown = stdout_of(
            on(&t, &copy)
                .env("JINGONG_KEY", KEY)
                .args(["worker", "show", ID, "--reveal"]),
        );
        assert!(shown.contains(NAME), "{shown}");
    }

    /// The prompt on a terminal: the key is asked for, not echoed, and opens the database.
    #[cfg(unix)]
    #[test]
    fn the_key_is_asked_for_on_a_terminal_and_not_echoed() {
        let t = encrypted();
        let data = t.path().join("data");
        let mut pty = crate::support::pty::Pty::spawn(
            &[
                "--db".as_ref(),
                t.db.as_os_str(),
                "search".as_ref(),
                "马".as_ref(),
                "--reveal".as_ref(),
            ],
            &[("JINGONG_DATA_DIR", data.as_os_str())],
        );
        pty.wait_for("请输入密钥");
        // The prompt is printed just before echo is turned off: a reply typed within that
        // instant would be echoed by the terminal, which a person never manages.
        std::thread::sleep(std::time::Duration::from_millis(500));
        pty.send(KEY);
        pty.send("\r");
        pty.wait_for(ID);
        assert_eq!(pty.wait_exit(), 0, "{}", pty.text());
        assert!(
            !pty.text().contains(KEY),
            "the key was echoed:\n{}",
            pty.text()
        );
    }

    /// A new database started in a terminal is offered a key, typed twice; two different
    /// entries change nothing, and Enter alone leaves the database plain.
    #[cfg(unix)]
    #[test]
    fn a_new_database_in_a_terminal_asks_for_a_key_twice() {
        let t = TestDb::new();
        let data = t.path().join("data");
        let officer = |db: &Path| -> crate::support::pty::Pty {
            crate::support::pty::Pty::spawn(
                &[
                    "--db".as_ref(),
                    db.as_os_str(),
                    "officer".as_ref(),
                    "set".as_ref(),
                    "--name".as_ref(),
                    "李明".as_ref(),
                    "--org".as_ref(),
                    "和平区总工会".as_ref(),
                    "--district".as_ref(),
                    "120101".as_ref(),
                ],
                &[("JINGONG_DATA_DIR", data.as_os_str())],
            )
        };
        let pause = || std::thread::sleep(std::time::Duration::from_millis(500));

        let mut pty = officer(&t.db);
        pty.wait_for("设置密钥以加密");
        pause();
        pty.send("k-1\r");
        pty.wait_for("请再输入一次");
        pause();
        pty.send("k-2\r");
        pty.wait_for("两次输入的密钥不一致");
        assert_eq!(pty.wait_exit(), 2);
        assert!(!t.db.exists() || std::fs::metadata(&t.db).unwrap().len() == 0);

        let mut pty = officer(&t.db);
        pty.wait_for("设置密钥以加密");
        pause();
        pty.send("k-1\r");
        pty.wait_for("请再输入一次");
        pause();
        pty.send("k-1\r");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.text());
        assert_ne!(head(&t.db), b"SQLite format 3\0");
        assert!(
            stdout_of(t.cmd().env("JINGONG_KEY", "k-1").args(["officer", "show"])).contains("李明")
        );

        let plain = t.path().join("plain.db");
        let mut pty = officer(&plain);
        pty.wait_for("设置密钥以加密");
        pause();
        pty.send("\r");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.text());
        assert_eq!(head(&plain), b"SQLite format 3\0");
    }

    /// The screens that work on threads of their own (batches, roster import) open their
    /// connection with the key: one opened by path alone cannot read the file.
    #[test]
    fn the_batches_screen_exports_an_encrypted_database_on_its_own_thread() {
        use jingong::text::Lang;
        use jingong::tui::app::App;
        use jingong::tui::keymap::{Chord, Keymap};
        use ratatui::crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};
        let t = encrypted();
        let store = Store::open_keyed(&t.db, Access::ReadWrite, Key::new(KEY)).unwrap();
        assert!(store.pending_counts().unwrap().total() > 0);
        let mut app = App::new(store, Keymap::default_keymap().unwrap(), Lang::En);
        app.settle();
        for spec in ["f7", "e", "f2"] {
            let chord = Chord::parse(spec).unwrap();
            app.press(KeyEvent {
                code: chord.code,
                modifiers: chord.mods,
                kind: KeyEventKind::Press,
                state: KeyEventState::NONE,
            });
            app.settle();
        }
        let reopened = Store::open_keyed(&t.db, Access::ReadOnly, Key::new(KEY)).unwrap();
        assert_eq!(reopened.pending_counts().unwrap().total(), 0);
        let batches = t.db.parent().unwrap().join("batches");
        let made: Vec<_> = std::fs::read_dir(&batches).unwrap().collect();
        assert_eq!(made.len(), 1, "one batch folder in {}", batches.display());
    }
}

#[cfg(not(feature = "encryption"))]
#[test]
fn without_the_feature_the_key_commands_say_the_build_has_no_encryption() {
    let t = TestDb::with_officer();
    let out_file = t.path().join("x.db");
    for args in [
        vec!["rekey"],
        vec!["encrypt", "--out", out_file.to_str().unwrap()],
        vec!["decrypt", "--out", out_file.to_str().unwrap()],
    ] {
        let out = t.cmd().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("未启用加密功能"), "{args:?}: {stderr}");
        assert!(!out_file.exists());
    }
    // A key in the environment is refused, not silently ignored.
    let out = t
        .cmd()
        .env("JINGONG_KEY", "k")
        .args(["search", "x"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("JINGONG_KEY"), "{stderr}");
}

#[cfg(feature = "encryption")]
#[test]
fn with_the_feature_a_new_database_is_encrypted_when_a_key_is_given() {
    let t = TestDb::new();
    t.cmd()
        .env("JINGONG_KEY", "k-1")
        .args(["officer", "set", "--name", "李明", "--org", "和平区总工会"])
        .args(["--district", "120101"])
        .assert()
        .success();
    let head: Vec<u8> = std::fs::read(&t.db).unwrap().into_iter().take(16).collect();
    assert_ne!(head, b"SQLite format 3\0");
}
