-- The city's receipt for an exported batch: `received`, `held` or `returned` (refused, with
-- the reasons as JSON), and when it was imported here. A table of its own (not columns of
-- `batch`) so the migration can run again over a database an older test rewound.

CREATE TABLE IF NOT EXISTS batch_receipt (
    batch_uid   TEXT PRIMARY KEY REFERENCES batch(uid),
    status      TEXT NOT NULL CHECK (status IN ('received', 'held', 'returned')),
    reasons     TEXT NOT NULL DEFAULT '[]',
    imported_at TEXT NOT NULL
);
