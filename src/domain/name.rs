//! Person names, and the plain-text rules every free-text field shares.

use super::error::{Field, FieldError};

/// Trimmed, 1 to 30 characters, Chinese or Latin letters, the middle dot allowed.
pub fn validate_name(input: &str) -> Result<String, FieldError> {
    let _ = input;
    todo!()
}

/// Free text (employer, note, place …): trimmed, at most `max` characters, no control or
/// bidi/invisible characters. Empty is allowed.
pub fn validate_text(field: Field, input: &str, max: usize) -> Result<String, FieldError> {
    let _ = (field, input, max);
    todo!()
}
