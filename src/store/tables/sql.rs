//! Pieces of statements built from a table's column list.

/// `?first, ?first+1, …`, `count` of them.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `column = ?first, next = ?first+1, …` for an UPDATE.
pub fn assignments(columns: &[&str], first: usize) -> String {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ?{}", first + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A set of a table's own columns that a write binds in one order: the pieces of its INSERT
/// and UPDATE come from the one list.
pub trait Columns {
    fn columns() -> &'static [&'static str];

    /// `a, b, …` for an INSERT.
    fn column_list() -> String {
        Self::columns().join(", ")
    }

    /// `?first, ?first+1, …` matching `column_list`.
    fn placeholders(first: usize) -> String {
        placeholders(first, Self::columns().len())
    }

    /// `a = ?first, b = ?first+1, …` for an UPDATE.
    fn assignments(first: usize) -> String {
        assignments(Self::columns(), first)
    }

    /// The INSERT of a new record of `table` made here at version 1: uid `?1`, made at `?2`
    /// by officer `?3`, the columns from `?4`.
    fn insert_new_sql(table: &str) -> String {
        format!(
            "INSERT INTO {table}(uid, created_at, updated_at, officer_id, {})
             VALUES (?1, ?2, ?2, ?3, {})",
            Self::column_list(),
            Self::placeholders(4)
        )
    }
}
