//! Why a roster row was left out, in both languages: a refused field, a repeated ID number, a
//! rename not accepted, or a workbook cell whose number type lost what was typed.

use crate::domain::FieldError;
use crate::text::Lang;

/// A workbook cell whose number type already lost or may have lost what the officer typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellProblem {
    /// Excel keeps 15 significant digits: an 18-digit ID number typed into a number cell has
    /// lost its last digits, and one in eleven of the damaged numbers still passes the check
    /// digit. Refused whatever its check digit.
    IdNumberIsNumber,
    /// A phone in a number cell that is not a whole 11-digit number held exactly.
    PhoneNotExactNumber,
}

impl CellProblem {
    pub fn message(self, lang: Lang) -> String {
        match self {
            CellProblem::IdNumberIsNumber => lang
                .pick(
                    "身份证号：该单元格是数字格式，Excel 只保留 15 位有效数字，号码已不可信；\
                     请把身份证号列设为「文本」格式后重新输入号码",
                    "ID number: the cell is a number, and Excel keeps only 15 significant \
                     digits, so the number cannot be trusted; format the ID-number column as \
                     Text and type the number again",
                )
                .into(),
            CellProblem::PhoneNotExactNumber => lang
                .pick(
                    "手机号：该单元格是数字格式且不是 11 位整数；请把手机号列设为「文本」格式后重新输入",
                    "phone: the cell is a number that is not a whole 11-digit number; format \
                     the phone column as Text and type the number again",
                )
                .into(),
        }
    }
}

/// Why a row was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    Invalid(Vec<FieldError>),
    /// The same ID number already appeared in an earlier row of this file.
    RepeatedInFile {
        first_row: usize,
    },
    /// A registered ID number with another name: never renamed unless the officer accepts it.
    Renamed {
        registered: String,
        given: String,
    },
    /// Number-typed workbook cells (see `CellProblem`).
    NumberCells(Vec<CellProblem>),
}

impl RejectReason {
    /// "身份证号：校验位应为 7，实为 6（请核对号码）；手机号：必填".
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RejectReason::Invalid(errors) => errors
                .iter()
                .map(|e| e.message(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
            RejectReason::RepeatedInFile { first_row } => match lang {
                Lang::Zh => format!("身份证号：与第 {first_row} 行重复"),
                Lang::En => format!("ID number: same as row {first_row}"),
            },
            RejectReason::Renamed { registered, given } => match lang {
                Lang::Zh => format!(
                    "姓名：该身份证号已登记为 {registered}，名单写作 {given}；\
                     确为改名时请确认该行改名（命令行 --accept-renames）"
                ),
                Lang::En => format!(
                    "name: this ID number is registered as {registered}, the roster says \
                     {given}; accept the rename if it is one (--accept-renames on the command line)"
                ),
            },
            RejectReason::NumberCells(problems) => problems
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
        }
    }
}
