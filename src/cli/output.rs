//! Printing for people (aligned columns, masked personal data) and for scripts (JSON).

use crate::domain::refdata;
use crate::domain::{mask_id_number, mask_phone};
use crate::text::Lang;
use unicode_width::UnicodeWidthStr;

/// Pads to `width` terminal cells (Chinese characters take two).
pub fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}

pub fn shown_id(id_number: &str, reveal: bool) -> String {
    if reveal {
        id_number.to_string()
    } else {
        mask_id_number(id_number)
    }
}

pub fn shown_phone(phone: &str, reveal: bool) -> String {
    if reveal || phone.is_empty() {
        phone.to_string()
    } else {
        mask_phone(phone)
    }
}

pub fn gender_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "male" => lang.pick("男", "M"),
        _ => lang.pick("女", "F"),
    }
}

pub fn kind_label(code: &str, lang: Lang) -> String {
    refdata::service_kind(code)
        .map(|k| lang.pick(&k.zh, &k.en).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("values built here serialise")
    );
}
