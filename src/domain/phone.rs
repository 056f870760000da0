//! Mainland mobile numbers.

use super::error::FieldError;

/// Strips `+86`/`0086`, spaces and hyphens, then requires `^1[3-9]\d{9}$`.
pub fn normalize_phone(input: &str) -> Result<String, FieldError> {
    let _ = input;
    todo!()
}

/// `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let _ = phone;
    todo!()
}
