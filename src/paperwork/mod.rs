//! Paper the union's accounts need from an event: the sign-in sheet (签到表) and the payout
//! sheet (发放签领表), as XLSX ready to print from Excel or WPS.
//!
//! Kept apart from `batch`: batches are the exchange format between laptops and the city,
//! checked by machines; these are documents for people, printed and signed, and share
//! nothing with the batch format but the store they read.

mod file;
pub mod layout;

use crate::domain::capital::{CAPITAL_LIMIT_FEN, capital_yuan};
use crate::domain::refdata;
use crate::domain::{Event, mask_phone};
use crate::store::roster_import::RosterEntry;
use crate::store::{Store, StoreError};
use crate::text::Lang;
use layout::{Heading, Line, SheetWriter, Totals};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::path::{Path, PathBuf};

/// Lines read from the store at a time.
const PAGE: usize = 500;
/// Longest roster cell printed; anything longer is a broken file, not a name or an employer.
pub const MAX_CELL_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetKind {
    /// 签到表: who came, with a phone and a sign-in time
    #[value(name = "signin")]
    SignIn,
    /// 发放签领表: who received what, with amounts and signatures
    Payout,
}

impl SheetKind {
    pub fn title(self) -> &'static str {
        match self {
            SheetKind::Payout => "发放签领表",
            SheetKind::SignIn => "签到表",
        }
    }

    /// Labels of the organisation, kind, date and place lines.
    fn info_labels(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            SheetKind::Payout => ("发放单位：", "发放项目：", "发放日期：", "发放地点："),
            SheetKind::SignIn => ("主办单位：", "活动项目：", "活动日期：", "活动地点："),
        }
    }
}

/// What to print.
pub struct SheetRequest<'a> {
    pub event_uid: &'a str,
    pub kind: SheetKind,
    pub out: &'a Path,
    /// Whole ID numbers and phones, when the finance office requires them.
    pub reveal: bool,
    /// A blank sign-in sheet for people expected, from a roster, instead of the attendees.
    pub expected: Option<&'a [RosterEntry]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSummary {
    pub lines: u64,
    pub total_fen: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no event {uid}")]
    NoSuchEvent { uid: String },
    #[error("event without attendees")]
    NoAttendees { event_name: String },
    #[error("roster without names")]
    EmptyRoster,
    #[error("roster cell too long")]
    RosterCellTooLong { row: usize, column: &'static str },
    #[error("--expected with a payout sheet")]
    ExpectedNeedsSignIn,
    #[error("{path}: not .xlsx")]
    NotXlsx { path: PathBuf },
    #[error("total too large")]
    TotalTooLarge,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Workbook { path: PathBuf, message: String },
}

impl SheetError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SheetError::Store(e) => e.message(lang),
            SheetError::NoSuchEvent { uid } => match lang {
                Lang::Zh => format!("找不到活动 {uid}（或该活动已撤销）"),
                Lang::En => format!("no event {uid} (or it was withdrawn)"),
            },
            SheetError::NoAttendees { event_name } => match lang {
                Lang::Zh => format!(
                    "活动「{event_name}」还没有任何参加人员，无法生成表格；活动前的空白签到表请用 --expected 名单文件"
                ),
                Lang::En => format!(
                    "the event '{event_name}' has no attendee yet, so there is no sheet to print; for a blank sign-in sheet before the event use --expected ROSTER_FILE"
                ),
            },
            SheetError::EmptyRoster => lang
                .pick(
                    "名单文件中没有任何姓名，无法生成签到表",
                    "the roster holds no name, so there is no sign-in sheet to print",
                )
                .into(),
            SheetError::RosterCellTooLong { row, column } => match lang {
                Lang::Zh => format!(
                    "名单第 {row} 行的「{column}」超过 {MAX_CELL_CHARS} 个字符，请检查文件"
                ),
                Lang::En => format!(
                    "roster row {row}: '{column}' is longer than {MAX_CELL_CHARS} characters; check the file"
                ),
            },
            SheetError::ExpectedNeedsSignIn => lang
                .pick(
                    "--expected 只用于签到表（--kind signin）：发放签领表只列已登记发放的人员",
                    "--expected only goes with a sign-in sheet (--kind signin): a payout sheet lists only people recorded as paid",
                )
                .into(),
            SheetError::NotXlsx { path } => match lang {
                Lang::Zh => format!(
                    "{}：--out 文件名须以 .xlsx 结尾（Excel/WPS 工作簿）",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: the --out file name must end in .xlsx (an Excel/WPS workbook)",
                    path.display()
                ),
            },
            SheetError::TotalTooLarge => match lang {
                Lang::Zh => format!(
                    "合计金额超过 {} 元，无法写成大写金额",
                    CAPITAL_LIMIT_FEN / 100
                ),
                Lang::En => format!(
                    "the total exceeds {} yuan and cannot be written in capital numerals",
                    CAPITAL_LIMIT_FEN / 100
                ),
            },
            SheetError::Io { path, source } => match lang {
                Lang::Zh => format!("{}：文件读写失败：{source}", path.display()),
                Lang::En => format!("{}: file error: {source}", path.display()),
            },
            SheetError::Workbook { path, message } => match lang {
                Lang::Zh => format!("{}：无法写入 Excel 文件：{message}", path.display()),
                Lang::En => format!("{}: cannot write the workbook: {message}", path.display()),
            },
        }
    }

    /// Input the officer fixes (exit 2), as opposed to a sheet that cannot be made (exit 1).
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            SheetError::ExpectedNeedsSignIn
                | SheetError::NotXlsx { .. }
                | SheetError::RosterCellTooLong { .. }
        )
    }
}

/// ID numbers on paper keep only the first four and last four characters
/// (`1201**********1234`): the sheet leaves the office, so even the county of issue and the
/// birth date stay hidden.
pub fn mask_id_on_paper(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// Writes the sheet to `request.out` (owner-only, atomically: a temporary file beside it is
/// renamed over it only once complete). Nothing in the database changes.
pub fn write_event_sheet(
    store: &Store,
    request: &SheetRequest,
) -> Result<SheetSummary, SheetError> {
    let out = request.out;
    let is_xlsx = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(SheetError::NotXlsx {
            path: out.to_path_buf(),
        });
    }
    if request.expected.is_some() && request.kind == SheetKind::Payout {
        return Err(SheetError::ExpectedNeedsSignIn);
    }
    let event = store
        .event_by_uid(request.event_uid)?
        .filter(|e| !e.deleted)
        .ok_or_else(|| SheetError::NoSuchEvent {
            uid: request.event_uid.to_string(),
        })?;
    match request.expected {
        Some(entries) => check_roster(entries)?,
        None if event.served_count == 0 => {
            return Err(SheetError::NoAttendees {
                event_name: event.input.name.clone(),
            });
        }
        None => {}
    }
    let organisation = store.officer()?.map(|o| o.organisation).unwrap_or_default();
    let date = event.held_on.format("%Y年%-m月%-d日").to_string();
    let kind = refdata::service_kind(&event.input.kind)
        .map_or_else(|| event.input.kind.clone(), |k| k.zh.clone());
    let heading = Heading {
        event_name: &event.input.name,
        organisation: &organisation,
        date: &date,
        place: &event.input.place,
        kind: &kind,
    };

    file::write_atomically(out, |dir, sink| {
        let workbook_error = workbook_error(out);
        let mut workbook = Workbook::new();
        // Constant-memory rows spill to unnamed temporary files: keep them beside the output.
        workbook.set_tempdir(dir).map_err(workbook_error)?;
        let mut sheet =
            SheetWriter::start(&mut workbook, request.kind, &heading).map_err(workbook_error)?;
        let totals = match request.expected {
            Some(entries) => write_expected(&mut workbook, &mut sheet, entries, request.reveal)
                .map_err(workbook_error)?,
            None => write_attendees(
                store,
                &event,
                &mut workbook,
                &mut sheet,
                request.reveal,
                out,
            )?,
        };
        if capital_yuan(totals.amount_fen).is_none() {
            return Err(SheetError::TotalTooLarge);
        }
        sheet
            .finish(&mut workbook, &totals)
            .map_err(workbook_error)?;
        workbook.save_to_writer(sink).map_err(workbook_error)?;
        Ok(SheetSummary {
            lines: totals.count,
            total_fen: totals.amount_fen,
        })
    })
}

fn write_attendees(
    store: &Store,
    event: &Event,
    workbook: &mut Workbook,
    sheet: &mut SheetWriter,
    reveal: bool,
    out: &Path,
) -> Result<Totals, SheetError> {
    let mut totals = Totals {
        count: 0,
        quantity: 0,
        amount_fen: 0,
        expected: false,
    };
    let mut after = 0;
    loop {
        let page = store.event_sheet_lines(&event.uid, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.service_id;
        for l in &page {
            totals.count += 1;
            totals.quantity = totals.quantity.saturating_add(l.quantity);
            totals.amount_fen = totals
                .amount_fen
                .checked_add(l.amount_fen)
                .ok_or(SheetError::TotalTooLarge)?;
            let id_number = shown(&l.id_number, reveal, mask_id_on_paper);
            let phone = shown(&l.phone, reveal, mask_phone);
            let signed_in_at = recorded_time(&l.recorded_at);
            let line = Line {
                name: &l.worker_name,
                id_number: &id_number,
                employer: &l.employer,
                phone: &phone,
                quantity: l.quantity,
                amount_fen: l.amount_fen,
                signed_in_at: &signed_in_at,
                note: &l.note,
            };
            sheet
                .line(workbook, totals.count, &line)
                .map_err(workbook_error(out))?;
        }
    }
    if totals.count == 0 {
        // Every attendee was withdrawn between the count and the read.
        return Err(SheetError::NoAttendees {
            event_name: event.input.name.clone(),
        });
    }
    Ok(totals)
}

fn write_expected(
    workbook: &mut Workbook,
    sheet: &mut SheetWriter,
    entries: &[RosterEntry],
    reveal: bool,
) -> Result<Totals, XlsxError> {
    let mut totals = Totals {
        count: 0,
        quantity: 0,
        amount_fen: 0,
        expected: true,
    };
    for entry in entries.iter().filter(|e| !is_blank(e)) {
        let d = &entry.draft;
        totals.count += 1;
        let id_number = shown(d.id_number.trim(), reveal, mask_id_on_paper);
        let phone = shown(d.phone.trim(), reveal, mask_phone);
        let line = Line {
            name: d.name.trim(),
            id_number: &id_number,
            employer: d.employer.trim(),
            phone: &phone,
            quantity: 0,
            amount_fen: 0,
            signed_in_at: "",
            note: "",
        };
        sheet.line(workbook, totals.count, &line)?;
    }
    Ok(totals)
}

fn workbook_error(out: &Path) -> impl Fn(XlsxError) -> SheetError + Copy + '_ {
    move |e| SheetError::Workbook {
        path: out.to_path_buf(),
        message: e.to_string(),
    }
}

fn is_blank(entry: &RosterEntry) -> bool {
    entry.draft.name.trim().is_empty() && entry.draft.id_number.trim().is_empty()
}

/// Refuses a roster that prints nothing, or whose cells cannot be a name, an ID number, a
/// phone or an employer, before anything is written.
fn check_roster(entries: &[RosterEntry]) -> Result<(), SheetError> {
    let mut any = false;
    for entry in entries.iter().filter(|e| !is_blank(e)) {
        any = true;
        let d = &entry.draft;
        for (column, text) in [
            ("姓名", &d.name),
            ("身份证号", &d.id_number),
            ("联系电话", &d.phone),
            ("工作单位", &d.employer),
        ] {
            if text.chars().count() > MAX_CELL_CHARS {
                return Err(SheetError::RosterCellTooLong {
                    row: entry.row,
                    column,
                });
            }
        }
    }
    if any {
        Ok(())
    } else {
        Err(SheetError::EmptyRoster)
    }
}

fn shown(value: &str, reveal: bool, mask: fn(&str) -> String) -> String {
    if reveal || value.is_empty() {
        value.to_string()
    } else {
        mask(value)
    }
}

/// "2026-07-15T09:32:10+08:00" -> "2026-07-15 09:32", in the offset it was recorded in.
fn recorded_time(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_masks_keep_four_characters_at_each_end() {
        assert_eq!(mask_id_on_paper("120101199001011234"), "1201**********1234");
        assert_eq!(mask_id_on_paper("12010119900101123X"), "1201**********123X");
        assert_eq!(mask_id_on_paper("123456789"), "1234*6789");
        assert_eq!(mask_id_on_paper("12345678"), "********");
        assert_eq!(mask_id_on_paper(""), "");
    }

    #[test]
    fn sign_in_time_is_shown_to_the_minute_in_its_own_offset() {
        assert_eq!(
            recorded_time("2026-07-15T09:32:10+08:00"),
            "2026-07-15 09:32"
        );
        assert_eq!(recorded_time("garbage"), "");
    }

    fn entry(row: usize, name: &str, id_number: &str) -> RosterEntry {
        RosterEntry {
            row,
            draft: crate::domain::validate::WorkerDraft {
                name: name.into(),
                id_number: id_number.into(),
                ..Default::default()
            },
            hardship: None,
            needs: Vec::new(),
            cell_errors: Vec::new(),
            cell_problems: Vec::new(),
        }
    }

    #[test]
    fn a_roster_must_name_someone_and_hold_no_overlong_cell() {
        assert!(matches!(
            check_roster(&[entry(2, " ", ""), entry(3, "", "")]),
            Err(SheetError::EmptyRoster)
        ));
        assert!(check_roster(&[entry(2, "", ""), entry(3, "毛洋", "")]).is_ok());
        let long = "名".repeat(MAX_CELL_CHARS + 1);
        assert!(matches!(
            check_roster(&[entry(2, "毛洋", ""), entry(7, &long, "")]),
            Err(SheetError::RosterCellTooLong {
                row: 7,
                column: "姓名"
            })
        ));
        assert!(check_roster(&[entry(2, &"名".repeat(MAX_CELL_CHARS), "")]).is_ok());
    }

    #[test]
    fn messages_exist_in_both_languages_and_differ() {
        let errors = [
            SheetError::NoSuchEvent { uid: "x".into() },
            SheetError::NoAttendees {
                event_name: "冬送温暖".into(),
            },
            SheetError::EmptyRoster,
            SheetError::RosterCellTooLong {
                row: 3,
                column: "姓名",
            },
            SheetError::ExpectedNeedsSignIn,
            SheetError::NotXlsx {
                path: "a.pdf".into(),
            },
            SheetError::TotalTooLarge,
        ];
        for e in errors {
            let (zh, en) = (e.message(Lang::Zh), e.message(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty());
            assert_ne!(zh, en, "{e:?}");
        }
    }
}
