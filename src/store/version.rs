//! Record versions: the one place a version grows, so none can wrap.

use super::{Result, StoreError};

/// The largest version a record may carry: 2^53, the largest integer every JSON reader keeps
/// exactly (a batch is read by programs that parse numbers as doubles).
pub const MAX_VERSION: i64 = 1 << 53;

/// The version after `current`, refused past `MAX_VERSION` rather than wrapped: a wrapped
/// version would look older than the one already sent, and the edit would never be exported.
pub fn next_version(current: i64) -> Result<i64> {
    current
        .checked_add(1)
        .filter(|v| (1..=MAX_VERSION).contains(v))
        .ok_or(StoreError::VersionLimit { current })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_grow_by_one_up_to_the_limit_and_no_further() {
        assert_eq!(next_version(1).unwrap(), 2);
        assert_eq!(next_version(MAX_VERSION - 1).unwrap(), MAX_VERSION);
        assert!(matches!(
            next_version(MAX_VERSION),
            Err(StoreError::VersionLimit { .. })
        ));
        assert!(matches!(
            next_version(i64::MAX),
            Err(StoreError::VersionLimit { .. })
        ));
    }
}
