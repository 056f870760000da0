-- The last failed verification of a batch, by its path (issue 14): the batch list shows it
-- until a later verification passes. No personal data: a count and a file:line.

CREATE TABLE IF NOT EXISTS batch_check (
    path        TEXT PRIMARY KEY,
    checked_at  TEXT NOT NULL,
    problems    INTEGER NOT NULL CHECK (problems >= 0),
    first_place TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
