//! A roster's need column (诉求): one or more needs per row, each a catalog code or its
//! Chinese or English name, separated by 、 , ; (full- or half-width). An unknown need refuses
//! the row, naming the need column and the text it did not know.

use crate::domain::needs::need_kinds;
use crate::domain::{Field, FieldError, Rule};

/// Header spellings of the need column, in the folded form `fold_header` produces.
const NEEDS_HEADERS: &[&str] = &[
    "诉求",
    "职工诉求",
    "需求",
    "诉求类别",
    "needs",
    "need",
    "requests",
];

/// The column's field, when `folded` (a folded header) names the need column.
pub(super) fn needs_header(folded: &str) -> Option<Field> {
    NEEDS_HEADERS.contains(&folded).then_some(Field::NeedKind)
}

/// Unknown needs named per row at most.
const MAX_NAMED_UNKNOWN: usize = 3;

const SEPARATORS: [char; 6] = ['、', ',', '，', ';', '；', '\n'];

/// Case, spaces, underscores and hyphens do not matter ("Unpaid wages", "unpaid_wages").
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The need codes a cell names, each once, in the order written. An empty cell names none.
pub fn need_codes(cell: &str) -> Result<Vec<String>, Vec<FieldError>> {
    let mut codes: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for part in cell.split(SEPARATORS) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let folded = fold(part);
        let known = need_kinds()
            .iter()
            .find(|k| fold(&k.code) == folded || fold(&k.zh) == folded || fold(&k.en) == folded);
        match known {
            Some(kind) if !codes.contains(&kind.code) => codes.push(kind.code.clone()),
            Some(_) => {}
            // A few named are enough to mend the row; a cell of garbage is not listed whole.
            None if errors.len() >= MAX_NAMED_UNKNOWN => {}
            None => errors.push(FieldError::new(
                Field::NeedKind,
                Rule::UnknownCode {
                    code: part.to_string(),
                },
            )),
        }
    }
    if errors.is_empty() {
        Ok(codes)
    } else {
        Err(errors)
    }
}

/// The row's needs for the entry; unknown ones join the row's cell errors (the row is
/// refused then, so the codes returned do not matter).
pub(super) fn needs_of_cell(cell: &str, cell_errors: &mut Vec<FieldError>) -> Vec<String> {
    need_codes(cell).unwrap_or_else(|errors| {
        cell_errors.extend(errors);
        Vec::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_in_either_language_with_any_separator() {
        assert_eq!(
            need_codes("欠薪维权、job；Skills training, 欠薪维权").unwrap(),
            ["wage_arrears", "job", "skills_training"]
        );
        assert_eq!(need_codes("  ").unwrap(), Vec::<String>::new());
        assert_eq!(need_codes("unpaid wages").unwrap(), ["wage_arrears"]);
    }

    #[test]
    fn an_unknown_need_is_named_with_the_need_field() {
        let errors = need_codes("住房、游艇").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, Field::NeedKind);
        assert_eq!(
            errors[0].rule,
            Rule::UnknownCode {
                code: "游艇".into()
            }
        );
    }

    #[test]
    fn a_cell_of_many_unknown_needs_names_only_the_first_few() {
        let cell = vec!["x"; 10_000].join("、");
        assert_eq!(need_codes(&cell).unwrap_err().len(), MAX_NAMED_UNKNOWN);
    }

    #[test]
    fn the_need_column_is_found_by_its_zh_and_en_headers() {
        assert_eq!(needs_header("诉求"), Some(Field::NeedKind));
        assert_eq!(needs_header("needs"), Some(Field::NeedKind));
        assert_eq!(needs_header("血型"), None);
    }
}
