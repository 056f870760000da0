//! The officer's full-screen interface: ratatui over crossterm, keys through the keymap,
//! searches on a background thread, every form change kept as a draft.

pub mod action;
pub mod app;
pub mod event;
pub mod keymap;
pub mod routes;
pub mod screens;
pub mod search;
pub mod text;
pub mod widgets;

use crate::failure::Failure;
use crate::session::Session;
use app::App;
use keymap::Keymap;
use ratatui::crossterm::event::{self as term_event, DisableBracketedPaste, EnableBracketedPaste};
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
    let store = session.open_store()?;
    // The first screen draws at once; the first page of workers follows from the search
    // thread, so even a million-worker database opens without a wait.
    let mut app = App::new(store, keymap, session.lang);

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
    let mut first_page_drawn = false;
    let mut dirty = false;
    loop {
        if dirty {
            terminal.draw(|frame| app.render(frame))?;
            dirty = false;
            if !first_page_drawn && !app.waiting() {
                first_page_drawn = true;
                tracing::info!(
                    millis = opened.elapsed().as_millis() as u64,
                    "first page of workers drawn"
                );
            }
        }
        if app.should_quit() {
            return Ok(());
        }
        // Short waits only while a search is out, so its answer shows as soon as it comes;
        // while a screen's own work runs (an export's gauge), often enough to look smooth.
        let timeout = if app.waiting() {
            Duration::from_millis(5)
        } else if app.working() {
            Duration::from_millis(50)
        } else {
            Duration::from_millis(250)
        };
        if term_event::poll(timeout)? {
            let started = Instant::now();
            let mut handled = 0u32;
            // Every pending event first, then one draw: fast typing never queues frames.
            loop {
                let ev = term_event::read()?;
                dirty |= app.handle_event(&ev);
                handled += 1;
                if app.should_quit() || !term_event::poll(Duration::ZERO)? {
                    break;
                }
            }
            if dirty {
                terminal.draw(|frame| app.render(frame))?;
                dirty = false;
                tracing::debug!(
                    events = handled,
                    micros = started.elapsed().as_micros() as u64,
                    "input handled and drawn"
                );
            }
        }
        dirty |= app.poll_background();
    }
}
