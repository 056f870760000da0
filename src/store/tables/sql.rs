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
