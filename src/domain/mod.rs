//! Plain types, validation rules and reference data. No I/O here.

pub mod capital;
pub mod claims;
pub mod draft_of;
pub mod error;
pub mod idcard;
pub mod model;
pub mod money;
pub mod mutual_aid;
pub mod name;
pub mod needs;
pub mod phone;
pub mod pinyin;
pub mod records;
pub mod refdata;
pub mod validate;

pub use error::{Field, FieldError, Rule};
pub use idcard::{IdNumber, mask_id_number, parse_id_number};
pub use model::*;
pub use money::{format_fen, parse_yuan};
pub use name::validate_name;
pub use phone::{mask_phone, normalize_phone};
