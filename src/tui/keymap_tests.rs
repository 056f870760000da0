//! The keymap's parsing, the shipped files and user overrides.

use super::*;

#[test]
fn key_specs_parse_and_normalise() {
    let ctrl_s = Chord::parse("ctrl-s").unwrap();
    assert_eq!(
        ctrl_s,
        Chord::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
    );
    assert_eq!(
        Chord::parse("shift-tab").unwrap(),
        Chord::new(KeyCode::BackTab, KeyModifiers::SHIFT)
    );
    assert_eq!(Chord::parse("F2").unwrap().code, KeyCode::F(2));
    assert_eq!(Chord::parse("-").unwrap().code, KeyCode::Char('-'));
    assert_eq!(Chord::parse("?").unwrap().to_string(), "?");
    assert_eq!(ctrl_s.to_string(), "Ctrl-S");
    assert!(Chord::parse("hyper-x").is_err());
    assert!(Chord::parse("f13").is_err());
    assert!(Chord::parse("banana").is_err());
}

#[test]
fn shipped_keymaps_load_without_clashes() {
    let default = Keymap::default_keymap().unwrap();
    let mut vim = Keymap::default();
    vim.apply_text("keymaps/vim.toml", VIM_KEYMAP, true)
        .unwrap();
    for keymap in [&default, &vim] {
        for context in Context::ALL {
            let mut seen = HashMap::new();
            for b in keymap.bindings(context) {
                for k in &b.keys {
                    assert_eq!(seen.insert(*k, b.action), None, "{context:?} {k}");
                }
            }
        }
        assert_eq!(
            keymap.lookup(Context::Form, Chord::parse("ctrl-s").unwrap()),
            Some(Action::Save)
        );
    }
}

#[test]
fn user_entries_override_and_no_op_unbinds() {
    let mut keymap = Keymap::default_keymap().unwrap();
    keymap
        .apply_text(
            "user.toml",
            r#"form = [
                 { action = "save", keys = ["ctrl-w"] },
                 { action = "no_op", keys = ["f2"] },
               ]"#,
            false,
        )
        .unwrap();
    let key = |s| Chord::parse(s).unwrap();
    assert_eq!(
        keymap.lookup(Context::Form, key("ctrl-w")),
        Some(Action::Save)
    );
    assert_eq!(keymap.lookup(Context::Form, key("ctrl-s")), None);
    assert_eq!(keymap.lookup(Context::Form, key("f2")), None);
    let save = keymap
        .bindings(Context::Form)
        .iter()
        .find(|b| b.action == Action::Save)
        .unwrap();
    assert_eq!(save.desc_zh, "保存");
}
