//! The officer's full-screen interface: ratatui over crossterm, keys through the keymap,
//! searches and jobs on background threads reporting into one channel, every form change
//! kept as a draft.

pub mod action;
pub mod app;
pub mod event;
pub mod jobs;
pub mod keymap;
pub mod routes;
pub mod screens;
pub mod search;
pub mod text;
pub mod widgets;

use crate::failure::Failure;
use crate::session::Session;
use app::App;
use jobs::AppMsg;
use keymap::Keymap;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Opens the TUI on the database the session names.
pub fn run(session: &Session) -> Result<(), Failure> {
    // A bad keymap stops before the terminal is taken over, so the message stays readable.
    let keymap = Keymap::load(
        session.keymap.as_deref(),
        crate::session::config_dir().as_deref(),
    )
    .map_err(|e| {
        Failure::invalid(match session.lang {
            crate::text::Lang::Zh => format!("按键配置有误：{e}"),
            crate::text::Lang::En => format!("bad keymap: {e}"),
        })
    })?;
    // Without a terminal there is nothing to draw on: say so instead of failing inside the
    // terminal set-up.
    if !std::io::stdout().is_terminal() {
        return Err(Failure::refused(session.lang.pick(
            "jingong 的界面须在终端中运行；命令行用法见 jingong --help",
            "jingong's screens need a terminal; see jingong --help for the commands",
        )));
    }
    let opened = Instant::now();
    let new_database = session.db_path().is_ok_and(|p| !p.exists());
    let store = session.open_store()?;
    // The first screen draws at once; the first page of workers follows from the search
    // thread, so even a million-worker database opens without a wait.
    let mut app = App::new(store, keymap, session.lang);
    // Once a day, in the background: the first screen does not wait for it.
    app.start_backup(false);
    if new_database {
        app.suggest_restore();
    }

    // ratatui's set-up installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::try_init().map_err(|e| {
        Failure::refused(match session.lang {
            crate::text::Lang::Zh => format!("无法使用终端：{e}"),
            crate::text::Lang::En => format!("cannot use the terminal: {e}"),
        })
    })?;
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, opened);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result.map_err(|e| {
        Failure::refused(match session.lang {
            crate::text::Lang::Zh => format!("终端出错：{e}"),
            crate::text::Lang::En => format!("terminal error: {e}"),
        })
    })
}

/// At most one frame this often: a stream of progress messages is drawn, not queued.
const FRAME: Duration = Duration::from_millis(16);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    opened: Instant,
) -> std::io::Result<()> {
    terminal.draw(|frame| app.render(frame))?;
    tracing::info!(
        millis = opened.elapsed().as_millis() as u64,
        "first screen drawn"
    );
    jobs::forward_terminal(app.sender())?;
    let mut first_page_drawn = false;
    let mut last_draw = Instant::now();
    loop {
        if app.should_quit() {
            return Ok(());
        }
        // Sleep until a key, a search answer or a job's news arrives: no polling.
        let Some(first) = app.next_msg(Duration::MAX) else {
            return Ok(());
        };
        let started = Instant::now();
        let mut handled = 0u32;
        let mut dirty = false;
        let mut next = Some(first);
        // Everything already waiting first, and whatever comes before the next frame is due,
        // then one draw: fast typing never queues frames.
        while let Some(msg) = next.take() {
            if let AppMsg::TerminalFailed(e) = msg {
                return Err(e);
            }
            dirty |= app.handle_msg(msg);
            handled += 1;
            if app.should_quit() {
                return Ok(());
            }
            let until_frame = (last_draw + FRAME).saturating_duration_since(Instant::now());
            next = app.next_msg(until_frame);
        }
        if dirty {
            terminal.draw(|frame| app.render(frame))?;
            last_draw = Instant::now();
            tracing::debug!(
                messages = handled,
                micros = started.elapsed().as_micros() as u64,
                "messages handled and drawn"
            );
            if !first_page_drawn && !app.waiting() {
                first_page_drawn = true;
                tracing::info!(
                    millis = opened.elapsed().as_millis() as u64,
                    "first page of workers drawn"
                );
            }
        }
    }
}
