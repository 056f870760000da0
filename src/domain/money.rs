//! Money typed in yuan, kept as integer fen.

use super::error::{Field, FieldError};

/// "12.5" -> 1250, "300" -> 30000. Empty input is an error (`Rule::Required`); the caller
/// decides whether the field is optional.
pub fn parse_yuan(field: Field, input: &str) -> Result<i64, FieldError> {
    let _ = (field, input);
    todo!()
}

/// 1250 -> "12.50".
pub fn format_fen(fen: i64) -> String {
    let _ = fen;
    todo!()
}
