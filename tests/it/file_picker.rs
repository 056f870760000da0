//! The file chooser of the roster import and the batch and receipt imports: drawn over a
//! temporary folder in both languages, driven by keys (drives one key away, hidden files left
//! out, a folder of thousands read only in part and saying so); and in the real program, a
//! roster chosen with keys only from the events screen.

use crate::support::tui::{langs, plain_screen};
use jingong::text::Lang;
use jingong::tui::action::{Action, Input, TextEdit};
use jingong::tui::keymap::Keymap;
use jingong::tui::screens::View;
use jingong::tui::widgets::file_picker::{FileOutcome, FilePicker, MAX_READ, Wanted};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::fs;
use std::path::{Path, PathBuf};

struct Folders {
    dir: tempfile::TempDir,
}

impl Folders {
    /// home: 名单/ (with 三月.xlsx), roster.csv, b.xlsx, batch.zip, r.json, notes.txt and a
    /// hidden .old.csv; media/li/KINGSTON/ (a USB stick) with 花名册.xlsx.
    fn new() -> Folders {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        fs::create_dir_all(home.join("名单")).unwrap();
        for name in [
            "roster.csv",
            "b.xlsx",
            "batch.zip",
            "r.json",
            "notes.txt",
            ".old.csv",
            "名单/三月.xlsx",
        ] {
            fs::write(home.join(name), "x").unwrap();
        }
        let stick = dir.path().join("media/li/KINGSTON");
        fs::create_dir_all(&stick).unwrap();
        fs::write(stick.join("花名册.xlsx"), "x").unwrap();
        Folders { dir }
    }
    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    fn picker(&self, wanted: Wanted) -> FilePicker {
        FilePicker::starting_in(wanted, self.home(), vec![self.dir.path().join("media")])
    }
}

fn act(picker: &mut FilePicker, action: Action) -> FileOutcome {
    picker.handle(&Input::Action(action))
}

/// The temporary folder's path as the snapshots show it: `/tmp/TT…`, as long as the real one
/// (its length does not vary), so the drawing keeps its shape.
fn tmp_label(tmp: &Path) -> String {
    let len = tmp.display().to_string().chars().count();
    format!("/tmp/{}", "T".repeat(len.saturating_sub(5)))
}

/// The chooser drawn at `width`×`height`, the temporary folder's path as `tmp_label`.
fn drawn(picker: &FilePicker, lang: Lang, width: u16, height: u16, tmp: &Path) -> String {
    let keymap = Keymap::default_keymap().unwrap();
    let view = View {
        lang,
        keymap: &keymap,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| picker.render(frame, frame.area(), &view, "选择文件 / Choose a file"))
        .unwrap();
    plain_screen(terminal.backend().buffer()).replace(&tmp.display().to_string(), &tmp_label(tmp))
}

#[test]
fn the_chooser_lists_folders_and_wanted_files_and_reaches_the_drives_in_one_key() {
    let folders = Folders::new();
    for (lang, tag) in langs() {
        let mut picker = folders.picker(Wanted::Roster);
        let screen = drawn(&picker, lang, 80, 24, folders.dir.path());
        let tmp = tmp_label(folders.dir.path());
        assert!(screen.contains(&format!("{tmp}/home")), "{screen}");
        for shown in ["名单/", "roster.csv", "b.xlsx"] {
            assert!(screen.contains(shown), "{shown}: {screen}");
        }
        for hidden in ["batch.zip", "r.json", "notes.txt", ".old.csv"] {
            assert!(!screen.contains(hidden), "{hidden}: {screen}");
        }
        insta::assert_snapshot!(format!("file_picker_home_{tag}"), screen);

        // Ctrl-D (next tab in the picker keys): the USB stick, then into it and choose.
        assert_eq!(act(&mut picker, Action::NextTab), FileOutcome::Open);
        assert_eq!(picker.folder(), None);
        let screen = drawn(&picker, lang, 80, 24, folders.dir.path());
        assert!(
            screen.contains(&format!("{tmp}/media/li/KINGSTON/")),
            "{screen}"
        );
        insta::assert_snapshot!(format!("file_picker_drives_{tag}"), screen);
        act(&mut picker, Action::Confirm);
        let stick = folders.dir.path().join("media/li/KINGSTON");
        assert_eq!(picker.folder(), Some(stick.as_path()));
        // The cursor starts on the first entry below "..".
        assert_eq!(
            act(&mut picker, Action::Confirm),
            FileOutcome::Chosen(stick.join("花名册.xlsx"))
        );
        // Back home in one key too, and Esc cancels.
        let mut picker = folders.picker(Wanted::Roster);
        act(&mut picker, Action::NextTab);
        act(&mut picker, Action::NextTab);
        assert_eq!(picker.folder(), Some(folders.home().as_path()));
        assert_eq!(act(&mut picker, Action::Back), FileOutcome::Cancelled);
    }
}

#[test]
fn folders_open_with_enter_and_backspace_goes_up() {
    let folders = Folders::new();
    let mut picker = folders.picker(Wanted::Roster);
    // Folders come first: 名单/ is the first entry under "..".
    act(&mut picker, Action::Confirm);
    assert_eq!(picker.folder(), Some(folders.home().join("名单").as_path()));
    assert_eq!(
        act(&mut picker, Action::Confirm),
        FileOutcome::Chosen(folders.home().join("名单/三月.xlsx"))
    );
    picker.handle(&Input::Text(TextEdit::Backspace));
    assert_eq!(picker.folder(), Some(folders.home().as_path()));
    // "..": Up from the first entry, then Enter.
    act(&mut picker, Action::Up);
    act(&mut picker, Action::Confirm);
    assert_eq!(picker.folder(), Some(folders.dir.path()));
}

#[test]
fn batches_may_be_a_folder_or_a_zip_and_receipts_are_json() {
    let folders = Folders::new();
    let batch = folders.picker(Wanted::Batch);
    let screen = drawn(&batch, Lang::Zh, 80, 24, folders.dir.path());
    assert!(screen.contains("选择这个文件夹"), "{screen}");
    assert!(screen.contains("batch.zip"), "{screen}");
    assert!(!screen.contains("roster.csv"), "{screen}");
    let mut batch = folders.picker(Wanted::Batch);
    // "..", ".", 名单/: Up once from 名单/ is "choose this folder".
    act(&mut batch, Action::Up);
    assert_eq!(
        act(&mut batch, Action::Confirm),
        FileOutcome::Chosen(folders.home())
    );
    let receipt = folders.picker(Wanted::Receipt);
    let screen = drawn(&receipt, Lang::En, 80, 24, folders.dir.path());
    assert!(screen.contains("r.json"), "{screen}");
    assert!(!screen.contains("batch.zip"), "{screen}");
}

#[test]
fn a_folder_of_thousands_is_read_only_in_part_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let crowded = dir.path().join("crowded");
    fs::create_dir(&crowded).unwrap();
    for i in 0..MAX_READ + 300 {
        fs::write(crowded.join(format!("{i:05}.csv")), "").unwrap();
    }
    let mut picker = FilePicker::starting_in(Wanted::Roster, crowded, Vec::new());
    let screen = drawn(&picker, Lang::Zh, 80, 24, dir.path());
    assert!(
        screen.contains(&format!("只读取了前 {MAX_READ} 项")),
        "{screen}"
    );
    // The list holds what was read, no more: End reaches entry MAX_READ (after "..").
    act(&mut picker, Action::End);
    let en = drawn(&picker, Lang::En, 80, 24, dir.path());
    assert!(
        en.contains(&format!("only the first {MAX_READ} were read")),
        "{en}"
    );
    // Nothing listed but "..": no drives here.
    let mut picker = FilePicker::starting_in(Wanted::Roster, dir.path().into(), Vec::new());
    act(&mut picker, Action::NextTab);
    let screen = drawn(&picker, Lang::Zh, 80, 24, dir.path());
    assert!(screen.contains("没有找到移动磁盘"), "{screen}");
}

/// The real program in a terminal, HOME a temporary folder holding one roster: F6 events,
/// `i` import, F4 the chooser, Enter on the roster, F2 the dry run.
#[cfg(unix)]
#[test]
fn a_roster_is_chosen_with_keys_only() {
    let t = crate::support::fixture::TestDb::with_officer();
    let home = t.path().join("home");
    fs::create_dir_all(&home).unwrap();
    crate::support::fixture::write_generated_roster(&home.join("roster.csv"), 3);
    let data = t.path().join("data");
    let config = t.path().join("config");
    let mut pty = crate::support::pty::Pty::spawn(
        &["--db".as_ref(), t.db.as_os_str()],
        &[
            ("HOME", home.as_os_str()),
            ("JINGONG_CONFIG_DIR", config.as_os_str()),
            ("JINGONG_DATA_DIR", data.as_os_str()),
        ],
    );
    pty.wait_for("还没有登记职工");
    pty.send("\x1b[17~");
    pty.send("i");
    pty.wait_for("F4 选文件");
    pty.send("\x1bOS");
    pty.wait_for("roster.csv");
    pty.send("\r");
    pty.wait_for(&format!("{}", home.join("roster.csv").display()));
    pty.send("\x1bOQ");
    pty.wait_for("预演");
    pty.send("\x11");
    pty.wait_exit();
}

/// The batches screen: `i` then F4 offers the zip in HOME, Enter puts its path in the popup;
/// `r` then F4 offers the receipt.
#[cfg(unix)]
#[test]
fn batch_and_receipt_paths_are_chosen_with_keys_only() {
    let t = crate::support::fixture::TestDb::with_officer();
    let home = t.path().join("home");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join("from-xiqing.zip"), "x").unwrap();
    fs::write(home.join("receipt-1.json"), "{}").unwrap();
    let data = t.path().join("data");
    let config = t.path().join("config");
    let mut pty = crate::support::pty::Pty::spawn(
        &["--db".as_ref(), t.db.as_os_str()],
        &[
            ("HOME", home.as_os_str()),
            ("JINGONG_CONFIG_DIR", config.as_os_str()),
            ("JINGONG_DATA_DIR", data.as_os_str()),
        ],
    );
    pty.wait_for("还没有登记职工");
    pty.send("\x1b[18~");
    pty.send("i");
    pty.wait_for("从文件夹中选择");
    pty.send("\x1bOS");
    pty.wait_for("from-xiqing.zip");
    assert!(!pty.text().contains("receipt-1.json"), "{}", pty.text());
    // "..", "choose this folder", then the zip.
    pty.send("\r");
    pty.wait_for("home/from-xiqing.zip");
    pty.send("\x1b");
    pty.send("r");
    pty.send("\x1bOS");
    pty.wait_for("receipt-1.json");
    pty.send("\r");
    pty.wait_for("home/receipt-1.json");
    pty.send("\x11");
    pty.wait_exit();
}
