//! Roster files as offices make them: CSV saved by Excel or WPS (UTF-8, UTF-8 with BOM, or
//! GBK/GB18030) and XLSX workbooks, with Chinese or English headers. This module only reads
//! and writes files; what the rows mean is decided by the store's roster import.

use super::roster_needs::needs_of_cell;
use crate::domain::refdata;
use crate::domain::validate::WorkerDraft;
use crate::domain::{Field, FieldError, Rule};
use crate::store::roster_import::{CellProblem, RosterEntry};
use crate::text::Lang;
use std::path::{Path, PathBuf};

mod decode;
mod headers;
mod output_files;

pub use decode::decode_text;
use decode::{WorkbookError, read_csv, read_workbook};
use headers::{REQUIRED, field_of_header, fold_header};
pub use output_files::{default_changes_path, default_rejects_path, write_changes, write_rejects};

/// How the file was read, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterSource {
    Utf8,
    Utf8Bom,
    Gb18030,
    Workbook { sheet: String },
}

impl RosterSource {
    pub fn label(&self, lang: Lang) -> String {
        match self {
            RosterSource::Utf8 => "CSV UTF-8".into(),
            RosterSource::Utf8Bom => lang
                .pick("CSV UTF-8（带 BOM）", "CSV UTF-8 with BOM")
                .into(),
            RosterSource::Gb18030 => "CSV GBK/GB18030".into(),
            RosterSource::Workbook { sheet } => match lang {
                Lang::Zh => format!("工作簿，工作表「{sheet}」"),
                Lang::En => format!("workbook, sheet '{sheet}'"),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// Row number as a spreadsheet shows it (the first line of the file is row 1).
    pub row: usize,
    pub cells: Vec<String>,
    /// Workbook cells of a number (or date) type; CSV has none.
    pub number_cells: Vec<NumberCell>,
}

/// A workbook cell stored as a number, not as the text the officer typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberCell {
    pub column: usize,
    /// A whole number that f64 holds exactly, so its digits are the ones typed.
    pub exact_whole: bool,
}

#[derive(Debug, Clone)]
pub struct Roster {
    pub source: RosterSource,
    pub headers: Vec<String>,
    pub rows: Vec<RosterRow>,
    /// Which column holds which worker field.
    pub columns: Vec<(Field, usize)>,
    /// Header cells that name no known field (shown in the summary, otherwise ignored).
    pub ignored_columns: Vec<String>,
}

#[derive(Debug)]
pub enum RosterError {
    /// The file cannot be opened or is not a roster file at all.
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    /// `--sheet` names a sheet the workbook does not have.
    NoSuchSheet {
        name: String,
        available: Vec<String>,
    },
    /// No header row (empty file or sheet).
    Empty,
    /// A UTF-8 file with lines in another encoding (a GBK row pasted in): `line` is the first,
    /// `more` how many others.
    NotUtf8Line {
        line: usize,
        more: usize,
    },
    /// The workbook's first sheet is empty; the roster is perhaps on another one.
    FirstSheetEmpty {
        sheet: String,
        others: Vec<String>,
    },
    MissingColumns(Vec<Field>),
}

impl RosterError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RosterError::Unreadable { path, reason } => match lang {
                Lang::Zh => format!("无法读取名单文件 {}：{reason}", path.display()),
                Lang::En => format!("cannot read the roster file {}: {reason}", path.display()),
            },
            RosterError::NoSuchSheet { name, available } => match lang {
                Lang::Zh => format!(
                    "工作簿中没有名为「{name}」的工作表；现有：{}",
                    available.join("、")
                ),
                Lang::En => format!(
                    "the workbook has no sheet named '{name}'; it has: {}",
                    available.join(", ")
                ),
            },
            RosterError::Empty => lang
                .pick(
                    "名单文件是空的：第一行应为表头（姓名、身份证号……）",
                    "the roster is empty: its first row should be the header (name, id_number …)",
                )
                .into(),
            RosterError::NotUtf8Line { line, more } => {
                let others = match (lang, *more) {
                    (_, 0) => String::new(),
                    (Lang::Zh, n) => format!("（另有 {n} 行同样）"),
                    (Lang::En, n) => format!(" ({n} more lines like it)"),
                };
                match lang {
                    Lang::Zh => format!(
                        "第 {line} 行不是 UTF-8 文本{others}，而文件其余部分是 UTF-8（可能是从 \
                         GBK 文件粘贴的行）；请在 Excel/WPS 中把整个文件另存为「CSV UTF-8」后重新导入"
                    ),
                    Lang::En => format!(
                        "line {line} is not UTF-8 text{others}, while the rest of the file is \
                         (perhaps a row pasted from a GBK file); save the whole file again as \
                         \"CSV UTF-8\" in Excel or WPS and import it again"
                    ),
                }
            }
            RosterError::FirstSheetEmpty { sheet, others } => match lang {
                Lang::Zh => format!(
                    "工作簿的第一个工作表「{sheet}」是空的；其他工作表：{}。\
                     请把名单移到第一个工作表，或在命令行用 --sheet 指定工作表",
                    others.join("、")
                ),
                Lang::En => format!(
                    "the workbook's first sheet '{sheet}' is empty; its other sheets: {}. \
                     Move the roster to the first sheet, or name its sheet with --sheet",
                    others.join(", ")
                ),
            },
            RosterError::MissingColumns(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.label(lang)).collect();
                match lang {
                    Lang::Zh => format!(
                        "名单缺少必需的列：{}（表头可写 姓名、身份证号 或 公民身份号码）",
                        names.join("、")
                    ),
                    Lang::En => format!(
                        "the roster lacks required columns: {} (headers such as name, id_number)",
                        names.join(", ")
                    ),
                }
            }
        }
    }

    /// Errors the officer fixes in the file or the command line (exit 2), as opposed to a
    /// file that cannot be read at all (exit 1).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, RosterError::Unreadable { .. })
    }
}

/// Reads a roster file: a workbook when it is one (by content, not by name), else CSV.
pub fn read_roster(path: &Path, sheet: Option<&str>) -> Result<Roster, RosterError> {
    let bytes = std::fs::read(path).map_err(|e| RosterError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    roster_from_bytes(bytes, sheet, path)
}

/// The same as `read_roster` on bytes already in memory; `path` only names the file in
/// messages. The fuzz target enters here, so it runs exactly what an import runs.
pub fn roster_from_bytes(
    bytes: Vec<u8>,
    sheet: Option<&str>,
    path: &Path,
) -> Result<Roster, RosterError> {
    let unreadable = |reason: String| RosterError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let is_workbook = bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let (source, table) = if is_workbook {
        read_workbook(bytes, sheet).map_err(|e| match e {
            WorkbookError::Calamine(reason) => unreadable(reason),
            WorkbookError::Roster(e) => e,
        })?
    } else {
        let (source, text) = decode_text(&bytes)?;
        (source, read_csv(&text).map_err(unreadable)?)
    };
    build_roster(source, table)
}

fn is_blank(row: &RosterRow) -> bool {
    row.cells.iter().all(|c| c.trim().is_empty())
}

/// Offices often put a title line ("某某公司集中入会名单") above the header: the header is the
/// first of the leading rows that names both required columns.
const HEADER_SEARCH_ROWS: usize = 10;

fn build_roster(source: RosterSource, mut rows: Vec<RosterRow>) -> Result<Roster, RosterError> {
    rows.retain(|r| !is_blank(r));
    let header_at = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| {
            let fields: Vec<Field> = r.cells.iter().filter_map(|h| field_of_header(h)).collect();
            REQUIRED.iter().all(|f| fields.contains(f))
        })
        .unwrap_or(0);
    if rows.is_empty() {
        return Err(RosterError::Empty);
    }
    let header = rows.remove(header_at);
    rows.drain(..header_at);
    let mut columns: Vec<(Field, usize)> = Vec::new();
    let mut ignored_columns = Vec::new();
    for (index, text) in header.cells.iter().enumerate() {
        match field_of_header(text) {
            Some(field) if !columns.iter().any(|(f, _)| *f == field) => {
                columns.push((field, index))
            }
            _ if text.trim().is_empty() => {}
            _ => ignored_columns.push(text.trim().trim_start_matches('\u{feff}').to_string()),
        }
    }
    let missing: Vec<Field> = REQUIRED
        .into_iter()
        .filter(|f| !columns.iter().any(|(c, _)| c == f))
        .collect();
    if !missing.is_empty() {
        return Err(RosterError::MissingColumns(missing));
    }
    Ok(Roster {
        source,
        headers: header.cells,
        rows,
        columns,
        ignored_columns,
    })
}

/// Membership as rosters write it, in words or as the stored code. Anything else is passed on
/// unchanged for validation to refuse with the value named.
fn membership_code(cell: &str) -> String {
    let folded = fold_header(cell);
    let code = match folded.as_str() {
        "会员" | "是" | "已入会" | "老会员" | "member" | "yes" | "y" => "member",
        "本次入会" | "新入会" | "新会员" | "现场入会" | "集中入会" | "joinedhere" | "joined" => {
            "joined_here"
        }
        "非会员" | "否" | "未入会" | "notmember" | "no" | "n" => "not_member",
        _ => return cell.trim().to_string(),
    };
    code.to_string()
}

/// A Tianjin district by code or by name ("和平区", "和平"); unknown text is left for
/// validation to refuse.
fn district_code(cell: &str) -> String {
    let cell = cell.trim();
    if cell.is_empty() || refdata::district(cell).is_some() {
        return cell.to_string();
    }
    refdata::tianjin_districts()
        .iter()
        .find(|d| d.zh == cell || d.zh.trim_end_matches('区') == cell)
        .map(|d| d.code.clone())
        .unwrap_or_else(|| cell.to_string())
}

fn hardship_flag(cell: &str) -> Result<Option<bool>, FieldError> {
    match fold_header(cell).as_str() {
        "" => Ok(None),
        "是" | "困难" | "困难职工" | "√" | "✓" | "1" | "yes" | "y" | "true" => {
            Ok(Some(true))
        }
        "否" | "非困难" | "0" | "no" | "n" | "false" => Ok(Some(false)),
        _ => Err(FieldError::new(
            Field::Hardship,
            Rule::UnknownCode {
                code: cell.trim().to_string(),
            },
        )),
    }
}

impl Roster {
    fn column(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, index)| *index)
    }

    /// Number-typed cells that cannot be taken as typed: any in the ID-number column; in the
    /// phone column, any but a whole 11-digit number.
    fn cell_problems(&self, row: &RosterRow) -> Vec<CellProblem> {
        let number = |field| {
            self.column(field)
                .and_then(|c| row.number_cells.iter().find(|n| n.column == c))
        };
        let mut problems = Vec::new();
        if number(Field::IdNumber).is_some() {
            problems.push(CellProblem::IdNumberIsNumber);
        }
        if let Some(phone) = number(Field::Phone) {
            let text = self.cell(row, Field::Phone);
            let eleven_digits = text.len() == 11 && text.bytes().all(|b| b.is_ascii_digit());
            if !(phone.exact_whole && eleven_digits) {
                problems.push(CellProblem::PhoneNotExactNumber);
            }
        }
        problems
    }

    fn cell<'a>(&self, row: &'a RosterRow, field: Field) -> &'a str {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, index)| row.cells.get(*index))
            .map_or("", String::as_str)
    }

    /// The rows as raw worker drafts for the store's import, in file order.
    pub fn entries(&self) -> Vec<RosterEntry> {
        self.rows
            .iter()
            .map(|row| {
                let text = |field| self.cell(row, field).to_string();
                let mut cell_errors = Vec::new();
                let hardship = hardship_flag(self.cell(row, Field::Hardship)).unwrap_or_else(|e| {
                    cell_errors.push(e);
                    None
                });
                RosterEntry {
                    row: row.row,
                    draft: WorkerDraft {
                        name: text(Field::Name),
                        // Excel users force text with a leading apostrophe.
                        id_number: self
                            .cell(row, Field::IdNumber)
                            .trim()
                            .trim_start_matches(['\'', '‘', '’'])
                            .to_string(),
                        phone: text(Field::Phone),
                        employer: text(Field::Employer),
                        worksite: text(Field::Worksite),
                        trade: text(Field::Trade),
                        district_code: district_code(self.cell(row, Field::District)),
                        membership: membership_code(self.cell(row, Field::Membership)),
                        card_no: text(Field::CardNo),
                        hardship: hardship.unwrap_or(false),
                        note: text(Field::Note),
                    },
                    hardship,
                    needs: needs_of_cell(self.cell(row, Field::NeedKind), &mut cell_errors),
                    cell_errors,
                    cell_problems: self.cell_problems(row),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_ignoring_spaces_case_and_stars() {
        assert_eq!(field_of_header(" ID_Number "), Some(Field::IdNumber));
        assert_eq!(field_of_header("*公民身份号码"), Some(Field::IdNumber));
        assert_eq!(field_of_header("手 机"), Some(Field::Phone));
        assert_eq!(field_of_header("\u{feff}姓名"), Some(Field::Name));
        assert_eq!(field_of_header("血型"), None);
    }

    #[test]
    fn gbk_bytes_are_decoded_and_utf8_kept() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,身份证号\n张三,1\n");
        assert_eq!(
            decode_text(&gbk).expect("gbk"),
            (RosterSource::Gb18030, "姓名,身份证号\n张三,1\n".to_string())
        );
        assert_eq!(
            decode_text("姓名".as_bytes()).expect("utf8").0,
            RosterSource::Utf8
        );
        assert_eq!(
            decode_text("\u{feff}姓名".as_bytes()).expect("bom"),
            (RosterSource::Utf8Bom, "姓名".to_string())
        );
    }

    #[test]
    fn a_gbk_row_in_a_utf8_file_is_named_by_its_line() {
        let (gbk_row, _, _) = encoding_rs::GBK.encode("孙丽,620102199708155206\n");
        for bom in [&b""[..], b"\xEF\xBB\xBF"] {
            let mut bytes = bom.to_vec();
            bytes.extend_from_slice("姓名,身份证号\n毛洋,620102199708155206\n".as_bytes());
            bytes.extend_from_slice(&gbk_row);
            bytes.extend_from_slice("武春军,120111200007156699\n".as_bytes());
            match decode_text(&bytes) {
                Err(e @ RosterError::NotUtf8Line { line: 3, more: 0 }) => {
                    assert!(e.message(Lang::Zh).starts_with("第 3 行不是 UTF-8 文本"));
                    assert!(e.message(Lang::En).starts_with("line 3 is not UTF-8"));
                }
                other => panic!("expected line 3 named, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_title_line_above_the_header_is_skipped() {
        let rows = read_csv(
            "某公司集中入会名单,,\r\n姓名,身份证号,血型\r\n\r\n张三,620102199708155206,A\r\n",
        )
        .expect("csv");
        let roster = build_roster(RosterSource::Utf8, rows).expect("roster");
        assert_eq!(roster.rows.len(), 1);
        assert_eq!(
            roster.rows[0].row, 4,
            "row numbers as the spreadsheet shows them"
        );
        assert_eq!(roster.ignored_columns, vec!["血型".to_string()]);
    }

    #[test]
    fn missing_required_columns_are_named() {
        let rows = read_csv("名字,电话\n张三,13812345678\n").expect("csv");
        match build_roster(RosterSource::Utf8, rows) {
            Err(RosterError::MissingColumns(missing)) => {
                assert_eq!(missing, vec![Field::IdNumber])
            }
            other => panic!("expected missing columns, got {other:?}"),
        }
    }

    #[test]
    fn membership_district_and_hardship_words_become_codes() {
        assert_eq!(membership_code("本次入会"), "joined_here");
        assert_eq!(membership_code("是"), "member");
        assert_eq!(membership_code("会长"), "会长");
        assert_eq!(district_code("和平区"), "120101");
        assert_eq!(district_code("和平"), "120101");
        assert_eq!(hardship_flag("是"), Ok(Some(true)));
        assert_eq!(hardship_flag(""), Ok(None));
        assert!(hardship_flag("也许").is_err());
    }
}
