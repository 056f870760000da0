//! `jingong event sheet EVENT_UID --kind signin|payout --out FILE.xlsx`: the paperwork of an
//! event, ready to print. Reads the database only (a read-only connection), so printing a sheet
//! never changes a record, even with `--expected`.
//!
//! Exit 0 when the sheet is written; 1 when it cannot be made (no such event, no attendee,
//! unreadable roster); 2 for bad usage (`--expected` with a payout sheet, not an .xlsx name,
//! a roster without its required columns).

use super::args::{Cli, SheetArgs};
use super::{CmdResult, Failure, db_path, open_reader};
use crate::batch::roster::read_roster;
use crate::domain::format_fen;
use crate::paperwork::{SheetError, SheetKind, SheetRequest, write_event_sheet};
use crate::text::Lang;

pub fn run(cli: &Cli, a: &SheetArgs) -> CmdResult {
    let lang = cli.lang;
    if a.expected.is_some() && a.kind == SheetKind::Payout {
        return Err(sheet_failure(SheetError::ExpectedNeedsSignIn, lang));
    }
    let entries = match &a.expected {
        Some(path) => {
            let roster = read_roster(path, None).map_err(|e| {
                if e.is_invalid_input() {
                    Failure::invalid(e.message(lang))
                } else {
                    Failure::refused(e.message(lang))
                }
            })?;
            Some(roster.entries())
        }
        None => None,
    };
    let path = db_path(cli)?;
    if !path.exists() {
        return Err(Failure::refused(match lang {
            Lang::Zh => format!("数据库文件不存在：{}", path.display()),
            Lang::En => format!("no database at {}", path.display()),
        }));
    }
    let store = open_reader(&path, lang)?;
    let summary = write_event_sheet(
        &store,
        &SheetRequest {
            event_uid: &a.event,
            kind: a.kind,
            out: &a.out,
            reveal: a.reveal,
            expected: entries.as_deref(),
        },
    )
    .map_err(|e| sheet_failure(e, lang))?;
    let out = a.out.display();
    let (lines, total) = (summary.lines, format_fen(summary.total_fen));
    println!(
        "{}",
        match (lang, a.kind) {
            (Lang::Zh, SheetKind::Payout) =>
                format!("已写入发放签领表 {out}：{lines} 人，合计 {total} 元"),
            (Lang::Zh, SheetKind::SignIn) => format!("已写入签到表 {out}：{lines} 人"),
            (Lang::En, SheetKind::Payout) =>
                format!("payout sheet written to {out}: {lines} people, {total} yuan in all"),
            (Lang::En, SheetKind::SignIn) =>
                format!("sign-in sheet written to {out}: {lines} people"),
        }
    );
    Ok(())
}

fn sheet_failure(e: SheetError, lang: Lang) -> Failure {
    if e.is_invalid_input() {
        Failure::invalid(e.message(lang))
    } else {
        Failure::refused(e.message(lang))
    }
}
