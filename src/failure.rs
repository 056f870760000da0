//! How a run ends when it cannot do what was asked: the message for the user and the exit
//! code. Shared by the command line and the screens, so neither has to import the other.

use crate::store::StoreError;
use crate::text::Lang;

pub const EXIT_OK: i32 = 0;
pub const EXIT_REFUSED: i32 = 1;
pub const EXIT_INVALID: i32 = 2;

/// A failed command: what to tell the user and how to exit.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_REFUSED,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_INVALID,
        }
    }
    pub fn from_store(err: StoreError, lang: Lang) -> Failure {
        let code = match &err {
            StoreError::Invalid(e)
                if matches!(e.rule, crate::domain::Rule::DuplicateIdNumber { .. }) =>
            {
                EXIT_REFUSED
            }
            e if e.is_invalid_input() => EXIT_INVALID,
            // A wrong or missing key is the officer's input to fix, like a bad argument.
            StoreError::WrongKey { .. } | StoreError::KeyNeeded { .. } => EXIT_INVALID,
            _ => EXIT_REFUSED,
        };
        Failure {
            message: err.message(lang),
            code,
        }
    }
}
