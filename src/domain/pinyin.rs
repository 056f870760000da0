//! Pinyin keys for searching names: full pinyin and initials, with every reading of a
//! polyphonic surname so that both `zs` and `cs` find 曾盛.

/// The search keys of one name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PinyinKeys {
    /// The preferred full pinyin without tones or spaces, lower-case ("zengsheng").
    pub full: String,
    /// The preferred initials ("zs").
    pub initials: String,
    /// Every full-pinyin variant, preferred first, without duplicates.
    pub full_variants: Vec<String>,
    /// Every initials variant, preferred first, without duplicates.
    pub initial_variants: Vec<String>,
}

/// Latin letters in the name are kept (lower-cased); the middle dot is dropped.
pub fn pinyin_keys(name: &str) -> PinyinKeys {
    let _ = name;
    todo!()
}
