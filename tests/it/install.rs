//! What an installer ships beside the binary (issue 19): shell completions and the manual page,
//! generated from the parser's own definitions, and global options kept to those that apply
//! everywhere (`--keymap` is for the screens only).

use crate::support::bin::command;
use clap::CommandFactory;
use predicates::prelude::*;

/// Every command path under `jingong`, as words: ["worker", "add"], ["export"], …
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&jingong::cli::Cli::command(), &[], &mut out);
    out
}

fn generated(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    // Nothing for an installer's build step may land in a data or config folder.
    assert!(
        !dir.path().join("data").exists(),
        "{args:?} made a data folder"
    );
    assert!(
        !dir.path().join("config").exists(),
        "{args:?} made a config folder"
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_command_tree_has_the_commands_an_officer_uses() {
    let paths = command_paths();
    for expected in [
        vec!["worker", "add"],
        vec!["import", "roster"],
        vec!["export"],
        vec!["completions"],
        vec!["man"],
    ] {
        assert!(
            paths.iter().any(|p| p == &expected),
            "{expected:?} not in {paths:?}"
        );
    }
}

#[test]
fn every_completion_script_offers_every_command() {
    let paths = command_paths();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = generated(&["completions", shell]);
        for path in &paths {
            let name = path.last().unwrap();
            // Each shell quotes a command's name in its own way; bash lists the words
            // unquoted, separated by spaces, in its `opts=` lines.
            let offered = match shell {
                "bash" => {
                    script.contains(&format!(" {name} ")) || script.contains(&format!(" {name}\""))
                }
                "zsh" => script.contains(&format!("'{name}:")),
                "fish" => script.contains(&format!("-a \"{name}\"")),
                _ => script.contains(&format!("'{name}'")),
            };
            assert!(offered, "{shell} completion does not offer {path:?}");
        }
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    command(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tcsh").and(predicate::str::contains("powershell")));
}

/// Runs the generated bash completion the way bash does on Tab after `jingong <partial>`.
#[cfg(unix)]
#[test]
fn bash_completes_a_command_from_its_first_letters() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no bash here: the completion is only checked by generating it");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("jingong.bash");
    std::fs::write(&script, generated(&["completions", "bash"])).unwrap();
    let complete = |words: &str| {
        let line = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _jingong jingong \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &line])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let replies = complete("jingong wor");
    assert_eq!(replies.lines().collect::<Vec<_>>(), ["worker"], "{replies}");
    let replies = complete("jingong worker ''");
    for sub in ["add", "show", "edit", "withdraw", "erase"] {
        assert!(replies.lines().any(|l| l == sub), "{sub}: {replies}");
    }
}

#[test]
fn the_manual_page_has_a_section_for_every_command() {
    let page = generated(&["man"]);
    assert!(page.contains("\n.TH jingong 1 "), "{}", &page[..200]);
    // Exactly one page: one title, every command as a section of it.
    assert_eq!(page.matches(".TH ").count(), 1);
    for path in command_paths() {
        let heading = format!(".SH \"JINGONG {}\"", path.join(" ").to_uppercase());
        let bare = format!(".SH JINGONG {}", path.join(" ").to_uppercase());
        assert!(
            page.contains(&heading) || page.contains(&bare),
            "no section for {path:?}"
        );
    }
    // A nested command's own options are there, escaped for roff.
    assert!(
        page.contains(r"\-\-id\-number"),
        "worker add's --id-number missing"
    );
    assert!(
        page.contains(r"\-\-accept\-renames"),
        "import roster's option missing"
    );
    // The hidden timing switch of `stats` stays hidden.
    assert!(
        !page.contains(r"\-\-timing "),
        "a hidden option was documented"
    );
}

#[test]
fn keymap_is_offered_by_the_screens_start_only() {
    let dir = tempfile::tempdir().unwrap();
    command(dir.path())
        .args(["export", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--out").and(predicate::str::contains("--keymap").not()));
    command(dir.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--keymap"));
    // No command's help offers it, however deep.
    let mut root = jingong::cli::Cli::command();
    root.build();
    for path in command_paths() {
        let mut cmd = &mut root;
        for word in &path {
            cmd = cmd.find_subcommand_mut(word).unwrap();
        }
        let help = cmd.render_long_help().to_string();
        assert!(
            !help.contains("--keymap"),
            "{path:?} offers --keymap:\n{help}"
        );
    }
}

#[test]
fn keymap_with_a_command_is_refused_in_both_languages_before_anything_runs() {
    let t = crate::support::fixture::TestDb::with_officer();
    t.cmd()
        .args(["--keymap", "my.toml", "demo", "--workers", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--keymap").and(predicate::str::contains("界面")));
    t.cmd()
        .args([
            "--lang",
            "en",
            "--keymap",
            "my.toml",
            "demo",
            "--workers",
            "3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--keymap is for the screens only"));
    // After a subcommand clap itself refuses it, as for any unknown option.
    t.cmd()
        .args(["demo", "--workers", "3", "--keymap", "my.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--keymap"));
    // Nothing was written by the refused runs.
    t.cmd()
        .args(["--lang", "en", "search", "a"])
        .assert()
        .stderr(predicate::str::contains("matches: 0"));
}

/// The start of the screens still reads `--keymap` and stops on a bad one, as before the
/// option left the global ones (exit 2, file and line named).
#[test]
fn a_bad_keymap_still_stops_the_screens() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keymaps/unknown_action.toml");
    command(dir.path())
        .arg("--db")
        .arg(dir.path().join("x.db"))
        .arg("--keymap")
        .arg(&fixture)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:3: unknown action",
            fixture.display()
        )));
}
