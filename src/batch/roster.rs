//! Roster files as offices make them: CSV saved by Excel or WPS (UTF-8, UTF-8 with BOM, or
//! GBK/GB18030) and XLSX workbooks, with Chinese or English headers. This module only reads
//! and writes files; what the rows mean is decided by the store's roster import.

use super::roster_needs::needs_of_cell;
use crate::domain::mask_id_number;
use crate::domain::refdata;
use crate::domain::validate::WorkerDraft;
use crate::domain::{Field, FieldError, Rule};
use crate::store::roster_changes::WorkerChange;
use crate::store::roster_import::{CellProblem, RejectedRow, RosterEntry};
use crate::text::Lang;
use calamine::{Data, Reader};
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Header spellings per field, already in the folded form `fold_header` produces.
const HEADER_ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &["姓名", "职工姓名", "名字", "name", "fullname"],
    ),
    (
        Field::IdNumber,
        &[
            "身份证号",
            "公民身份号码",
            "身份证号码",
            "身份证",
            "证件号码",
            "idnumber",
            "idno",
            "idcard",
        ],
    ),
    (
        Field::Phone,
        &[
            "手机号",
            "联系电话",
            "手机",
            "手机号码",
            "电话",
            "phone",
            "mobile",
            "tel",
        ],
    ),
    (
        Field::Employer,
        &[
            "工作单位",
            "单位",
            "单位名称",
            "所在单位",
            "employer",
            "company",
        ],
    ),
    (
        Field::Worksite,
        &["工地", "工作地点", "场所", "项目", "worksite", "site"],
    ),
    (
        Field::Trade,
        &["工种", "职业", "岗位", "trade", "occupation"],
    ),
    (
        Field::District,
        &["所属区", "所在区", "区", "district", "districtcode"],
    ),
    (
        Field::Membership,
        &["会员状态", "是否会员", "会员", "membership", "member"],
    ),
    (
        Field::CardNo,
        &[
            "会员服务卡号",
            "会员卡号",
            "服务卡号",
            "卡号",
            "cardno",
            "card",
        ],
    ),
    (
        Field::Hardship,
        &["困难职工", "是否困难职工", "困难", "hardship"],
    ),
    (
        Field::Note,
        &["备注", "说明", "note", "notes", "remark", "remarks"],
    ),
];

const REQUIRED: [Field; 2] = [Field::Name, Field::IdNumber];

/// Spaces (of any width), underscores, hyphens and required-field stars do not matter, nor
/// does case: "ID_Number", "id number" and "*身份证号" all match.
fn fold_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | '＊'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn field_of_header(header: &str) -> Option<Field> {
    let folded = fold_header(header);
    HEADER_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&folded.as_str()))
        .map(|(field, _)| *field)
        .or_else(|| super::roster_needs::needs_header(&folded))
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

/// BOM means UTF-8; valid UTF-8 means UTF-8; anything else is taken as GB18030, the superset
/// of the GBK that Excel and WPS write on Chinese Windows, unless it is a UTF-8 file with some
/// lines that are not (see `mixed_encoding`): decoding those as GBK would garble the header or
/// the rows, and the officer would hear only "missing columns".
pub fn decode_text(bytes: &[u8]) -> Result<(RosterSource, String), RosterError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((RosterSource::Utf8Bom, text.to_string())),
            Err(_) => {
                Err(not_utf8_lines(bytes).unwrap_or(RosterError::NotUtf8Line { line: 1, more: 0 }))
            }
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((RosterSource::Utf8, text.to_string())),
        Err(_) => {
            if let Some(mixed) = mixed_encoding(bytes) {
                return Err(mixed);
            }
            let (text, _had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            Ok((RosterSource::Gb18030, text.into_owned()))
        }
    }
}

/// Lines (numbered from 1) that are not valid UTF-8, as an error naming the first.
fn not_utf8_lines(bytes: &[u8]) -> Option<RosterError> {
    let mut bad = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| std::str::from_utf8(line).is_err())
        .map(|(i, _)| i + 1);
    let line = bad.next()?;
    Some(RosterError::NotUtf8Line {
        line,
        more: bad.count(),
    })
}

/// A file whose lines with Chinese text are at least as often valid UTF-8 as not is a UTF-8
/// file with a few foreign lines. A GBK file practically never has a line of Chinese text that
/// happens to be valid UTF-8 (a lead byte would have to be followed by 0x80-0xBF each time).
fn mixed_encoding(bytes: &[u8]) -> Option<RosterError> {
    let (mut utf8, mut other) = (0usize, 0usize);
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(_) => utf8 += 1,
            Err(_) => other += 1,
        }
    }
    if utf8 >= other {
        not_utf8_lines(bytes)
    } else {
        None
    }
}

/// Comma unless the first line plainly uses tabs or semicolons (some "Unicode text" exports).
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [',', '\t', ';']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == ','))
        .map(|c| c as u8)
        .unwrap_or(b',')
}

fn read_csv(text: &str) -> Result<Vec<RosterRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The reader's own line numbers lag by one after a CRLF (it reports where the previous
    // terminator ended), so count lines up to the record's first character instead.
    let bytes = text.as_bytes();
    let (mut scanned, mut line) = (0, 1);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut start = record.position().map_or(scanned, |p| p.byte() as usize);
                while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                line += bytes[scanned..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                scanned = start;
                let row = line;
                rows.push(RosterRow {
                    row,
                    cells: record.iter().map(str::to_string).collect(),
                    number_cells: Vec::new(),
                });
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(rows)
}

enum WorkbookError {
    Calamine(String),
    Roster(RosterError),
}

fn read_workbook(
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(RosterSource, Vec<RosterRow>), WorkbookError> {
    let calamine = |e: calamine::Error| WorkbookError::Calamine(e.to_string());
    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(calamine)?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted || n.trim() == wanted.trim())
            .cloned()
            .ok_or_else(|| {
                WorkbookError::Roster(RosterError::NoSuchSheet {
                    name: wanted.to_string(),
                    available: names.clone(),
                })
            })?,
        None => names
            .first()
            .cloned()
            .ok_or(WorkbookError::Roster(RosterError::Empty))?,
    };
    let range = workbook.worksheet_range(&name).map_err(calamine)?;
    let sheet_is_blank = range
        .used_cells()
        .all(|(_, _, cell)| cell_text(cell).trim().is_empty());
    if sheet.is_none() && sheet_is_blank && names.len() > 1 {
        return Err(WorkbookError::Roster(RosterError::FirstSheetEmpty {
            sheet: name,
            others: names[1..].to_vec(),
        }));
    }
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            // Cells left of the used range are empty: keep columns where the sheet has them.
            let mut texts = vec![String::new(); first_col];
            texts.extend(cells.iter().map(cell_text));
            let number_cells = cells
                .iter()
                .enumerate()
                .filter_map(|(j, cell)| {
                    number_cell(cell).map(|exact_whole| NumberCell {
                        column: first_col + j,
                        exact_whole,
                    })
                })
                .collect();
            RosterRow {
                row: first_row + i + 1,
                cells: texts,
                number_cells,
            }
        })
        .collect();
    Ok((RosterSource::Workbook { sheet: name }, rows))
}

/// A cell as the officer typed it. Whole numbers lose Excel's ".0"; an ID number stored as a
/// number has already lost its last digits in Excel and is refused by the ID check.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        other => other.to_string(),
    }
}

/// `Some(exact_whole)` for a cell of a number or date type, `None` for text and blanks.
fn number_cell(cell: &Data) -> Option<bool> {
    match cell {
        Data::Int(_) => Some(true),
        // Every whole number below 2^53 round-trips through f64; beyond, digits were lost.
        Data::Float(f) => Some(f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Some(false),
        _ => None,
    }
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

/// Where rejects go unless `--rejects` says otherwise: next to the input, `<input>.rejects.csv`.
pub fn default_rejects_path(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".rejects.csv");
    PathBuf::from(name)
}

/// Where the full list of changes to registered workers goes unless `--changes` says
/// otherwise: next to the input, `<input>.changes.csv`.
pub fn default_changes_path(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".changes.csv");
    PathBuf::from(name)
}

/// A CSV writer on a new owner-only file (it holds personal data), BOM first so Excel and WPS
/// read it as UTF-8.
fn owner_only_csv(path: &Path) -> std::io::Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // An older file keeps its mode through truncation: tighten it too.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(b"\xEF\xBB\xBF")?;
    Ok(csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(std::io::BufWriter::new(file)))
}

fn finish_csv(writer: csv::Writer<std::io::BufWriter<std::fs::File>>) -> std::io::Result<()> {
    let file = writer
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    file.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?
        .sync_all()
}

/// A cell that a spreadsheet would run as a formula (`=HYPERLINK(…)` typed into a roster)
/// gets a leading apostrophe, as spreadsheet exporters do, so it opens as text.
fn inert(cell: &str) -> String {
    crate::safe_text::csv_cell(cell).into_owned()
}

/// Writes the refused rows as CSV in UTF-8 with BOM (so Excel and WPS open it): the original
/// cells, then the reason and the row number in the input. Owner-only, since it holds ID
/// numbers.
pub fn write_rejects(
    path: &Path,
    roster: &Roster,
    rejected: &[RejectedRow],
    lang: Lang,
) -> std::io::Result<()> {
    let mut writer = owner_only_csv(path)?;
    let width = roster.headers.len();
    let mut header: Vec<String> = roster.headers.iter().map(|h| inert(h)).collect();
    header.push(lang.pick("原因", "reason").to_string());
    header.push(lang.pick("原行号", "row").to_string());
    writer.write_record(&header)?;
    for reject in rejected {
        let row = &roster.rows[reject.index];
        let mut record: Vec<String> = row.cells.iter().map(|c| inert(c)).collect();
        // Pad short rows so the reason always sits under its header.
        if record.len() < width {
            record.resize(width, String::new());
        }
        record.push(inert(&reject.reason.message(lang)));
        record.push(row.row.to_string());
        writer.write_record(&record)?;
    }
    finish_csv(writer)
}

/// Writes every change to a registered worker, one line per field: row, name, ID number,
/// field, old value, new value. ID numbers and phones masked unless `reveal`, as on screen.
pub fn write_changes(
    path: &Path,
    changes: &[WorkerChange],
    lang: Lang,
    reveal: bool,
) -> std::io::Result<()> {
    let mut writer = owner_only_csv(path)?;
    writer.write_record(match lang {
        Lang::Zh => ["原行号", "姓名", "身份证号", "字段", "原值", "新值"],
        Lang::En => ["row", "name", "id_number", "field", "old", "new"],
    })?;
    for change in changes {
        let id = if reveal {
            change.id_number.clone()
        } else {
            mask_id_number(&change.id_number)
        };
        for field in &change.fields {
            writer.write_record([
                change.row.to_string(),
                inert(&change.name),
                id.clone(),
                field.field.label(lang).to_string(),
                inert(&field.shown_old(lang, reveal)),
                inert(&field.shown_new(lang, reveal)),
            ])?;
        }
    }
    finish_csv(writer)
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
