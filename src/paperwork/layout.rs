//! The printed shape of a sign-in or payout sheet: columns, formats, the heading block that
//! repeats on every page, the totals, and the page setup (A4 portrait, one page wide, page
//! numbers). Rows are written as they come, so a long sheet never sits in memory.

use super::SheetKind;
use crate::domain::capital::capital_yuan;
use crate::domain::format_fen;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// The paper form: Chinese whatever the UI language, as the finance office files it.
pub const SHEET_NAME: &str = "签领表";
/// Rows 1-4 (title, two information lines, column headings) repeat on every printed page.
pub const HEADING_ROWS: u32 = 4;
/// Excel's code for A4.
const PAPER_A4: u8 = 9;
pub const PAGE_FOOTER: &str = "&C第 &P 页 共 &N 页";
/// Points: tall enough for a handwritten signature.
const SIGNING_ROW_HEIGHT: f64 = 30.0;
/// Song typeface is what Chinese official forms use; Excel and WPS on Chinese Windows have it,
/// and other programs substitute their own serif CJK face.
const FONT: &str = "宋体";

struct Column {
    heading: &'static str,
    width: f64,
}

const fn column(heading: &'static str, width: f64) -> Column {
    Column { heading, width }
}

const PAYOUT_COLUMNS: [Column; 8] = [
    column("序号", 5.0),
    column("姓名", 9.0),
    column("身份证号", 20.0),
    column("工作单位", 22.0),
    column("数量", 6.0),
    column("金额（元）", 12.0),
    column("签字", 13.0),
    column("备注", 9.0),
];

const SIGN_IN_COLUMNS: [Column; 8] = [
    column("序号", 5.0),
    column("姓名", 9.0),
    column("身份证号", 20.0),
    column("工作单位", 22.0),
    column("联系电话", 13.0),
    column("签字", 13.0),
    column("签到时间", 16.0),
    column("备注", 9.0),
];

const LAST_COL: u16 = 7;

/// What the heading block says about the event.
pub struct Heading<'a> {
    pub event_name: &'a str,
    pub organisation: &'a str,
    pub date: &'a str,
    pub place: &'a str,
    pub kind: &'a str,
}

/// One worker's line, already masked as it is to be printed.
pub struct Line<'a> {
    pub name: &'a str,
    pub id_number: &'a str,
    pub employer: &'a str,
    pub phone: &'a str,
    pub quantity: i64,
    pub amount_fen: i64,
    pub signed_in_at: &'a str,
    pub note: &'a str,
}

/// The sums printed under the lines.
pub struct Totals {
    pub count: u64,
    pub quantity: i64,
    pub amount_fen: i64,
    /// A sheet printed before the event counts who is expected, not who came.
    pub expected: bool,
}

struct Formats {
    title: Format,
    info: Format,
    heading: Format,
    cell: Format,
    centred: Format,
    amount: Format,
    total_label: Format,
    total_amount: Format,
    capital: Format,
    sign_off: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        // Text and figures kept one indent off the borders: printed, they otherwise touch them.
        let left = boxed.clone().set_align(FormatAlign::Left).set_indent(1);
        let figure = boxed
            .clone()
            .set_align(FormatAlign::Right)
            .set_indent(1)
            .set_num_format("0.00");
        Formats {
            title: base
                .clone()
                .set_font_size(18)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            info: base.clone().set_align(FormatAlign::VerticalCenter),
            heading: boxed.clone().set_bold().set_align(FormatAlign::Center),
            cell: left.clone(),
            centred: boxed.clone().set_align(FormatAlign::Center),
            amount: figure.clone(),
            total_label: boxed.set_bold().set_align(FormatAlign::Center),
            total_amount: figure.set_bold(),
            capital: left.set_bold(),
            sign_off: base.set_align(FormatAlign::VerticalCenter),
        }
    }
}

/// Writes one sheet row by row; `finish` adds the totals and the sign-off line.
pub struct SheetWriter {
    kind: SheetKind,
    formats: Formats,
    next_row: u32,
    sheet_index: usize,
}

impl SheetWriter {
    pub fn start(
        workbook: &mut Workbook,
        kind: SheetKind,
        heading: &Heading,
    ) -> Result<SheetWriter, XlsxError> {
        let formats = Formats::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(SHEET_NAME)?;
        page_setup(sheet)?;
        let columns = columns(kind);
        for (col, c) in columns.iter().enumerate() {
            sheet.set_column_width(col as u16, c.width)?;
        }
        let title = format!("{}{}", heading.event_name, kind.title());
        sheet.set_row_height(0, 36)?;
        sheet.merge_range(0, 0, 0, LAST_COL, &title, &formats.title)?;
        let (unit, item, date, place) = kind.info_labels();
        sheet.set_row_height(1, 22)?;
        sheet.merge_range(
            1,
            0,
            1,
            3,
            &format!("{unit}{}", heading.organisation),
            &formats.info,
        )?;
        sheet.merge_range(
            1,
            4,
            1,
            LAST_COL,
            &format!("{item}{}", heading.kind),
            &formats.info,
        )?;
        sheet.set_row_height(2, 22)?;
        sheet.merge_range(
            2,
            0,
            2,
            3,
            &format!("{date}{}", heading.date),
            &formats.info,
        )?;
        sheet.merge_range(
            2,
            4,
            2,
            LAST_COL,
            &format!("{place}{}", heading.place),
            &formats.info,
        )?;
        sheet.set_row_height(3, 24)?;
        for (col, c) in columns.iter().enumerate() {
            sheet.write_string_with_format(3, col as u16, c.heading, &formats.heading)?;
        }
        Ok(SheetWriter {
            kind,
            formats,
            next_row: HEADING_ROWS,
            sheet_index: workbook.worksheets().len() - 1,
        })
    }

    /// Writes the next worker's line; `number` is the 序号.
    pub fn line(
        &mut self,
        workbook: &mut Workbook,
        number: u64,
        line: &Line,
    ) -> Result<(), XlsxError> {
        let row = self.next_row;
        let f = &self.formats;
        let sheet = workbook.worksheet_from_index(self.sheet_index)?;
        sheet.set_row_height(row, SIGNING_ROW_HEIGHT)?;
        sheet.write_number_with_format(row, 0, number as f64, &f.centred)?;
        sheet.write_string_with_format(row, 1, line.name, &f.centred)?;
        sheet.write_string_with_format(row, 2, line.id_number, &f.centred)?;
        sheet.write_string_with_format(row, 3, line.employer, &f.cell)?;
        match self.kind {
            SheetKind::Payout => {
                sheet.write_number_with_format(row, 4, line.quantity as f64, &f.centred)?;
                sheet.write_number_with_format(row, 5, yuan(line.amount_fen), &f.amount)?;
                sheet.write_blank(row, 6, &f.cell)?;
                sheet.write_string_with_format(row, 7, line.note, &f.cell)?;
            }
            SheetKind::SignIn => {
                sheet.write_string_with_format(row, 4, line.phone, &f.centred)?;
                sheet.write_blank(row, 5, &f.cell)?;
                sheet.write_string_with_format(row, 6, line.signed_in_at, &f.centred)?;
                sheet.write_string_with_format(row, 7, line.note, &f.cell)?;
            }
        }
        self.next_row += 1;
        Ok(())
    }

    /// The totals row, the amount in capital numerals (payout), and the sign-off line.
    pub fn finish(self, workbook: &mut Workbook, totals: &Totals) -> Result<(), XlsxError> {
        let f = &self.formats;
        let sheet = workbook.worksheet_from_index(self.sheet_index)?;
        let mut row = self.next_row;
        sheet.set_row_height(row, 26)?;
        sheet.merge_range(row, 0, row, 1, "合计", &f.total_label)?;
        let people = if totals.expected { "应到" } else { "共" };
        let count = format!("{people} {} 人", totals.count);
        match self.kind {
            SheetKind::Payout => {
                sheet.merge_range(row, 2, row, 3, &count, &f.total_label)?;
                sheet.write_number_with_format(row, 4, totals.quantity as f64, &f.total_label)?;
                sheet.write_number_with_format(row, 5, yuan(totals.amount_fen), &f.total_amount)?;
                sheet.merge_range(row, 6, row, LAST_COL, "", &f.cell)?;
                row += 1;
                let capital = capital_yuan(totals.amount_fen).unwrap_or_default();
                let text = format!(
                    "合计金额（大写）：{capital}　　（小写）：¥{}",
                    format_fen(totals.amount_fen)
                );
                sheet.set_row_height(row, 26)?;
                sheet.merge_range(row, 0, row, LAST_COL, &text, &f.capital)?;
            }
            SheetKind::SignIn => {
                sheet.merge_range(row, 2, row, LAST_COL, &count, &f.total_label)?;
            }
        }
        // One empty row, then the lines the officers sign by hand.
        row += 2;
        sheet.set_row_height(row, 30)?;
        sheet.merge_range(row, 0, row, 2, "经办人：", &f.sign_off)?;
        sheet.merge_range(row, 3, row, 4, "审核人：", &f.sign_off)?;
        sheet.merge_range(
            row,
            5,
            row,
            LAST_COL,
            "日期：　　年　　月　　日",
            &f.sign_off,
        )?;
        Ok(())
    }
}

fn columns(kind: SheetKind) -> &'static [Column; 8] {
    match kind {
        SheetKind::Payout => &PAYOUT_COLUMNS,
        SheetKind::SignIn => &SIGN_IN_COLUMNS,
    }
}

/// Exact for every amount a sheet can hold: yuan with two decimals stay far below 2^53 fen.
fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

fn page_setup(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_paper_size(PAPER_A4);
    sheet.set_portrait();
    // One page wide, as many pages long as the lines need.
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    // Inches. Wider than Excel's narrow preset, because LibreOffice and WPS paginate a little
    // differently and a sheet cut at the edge cannot be signed.
    sheet.set_margins(0.5, 0.5, 0.6, 0.75, 0.3, 0.35);
    sheet.set_repeat_rows(0, HEADING_ROWS - 1)?;
    sheet.set_footer(PAGE_FOOTER);
    Ok(())
}
