-- A conflict for a local edit not yet exported that an imported batch would overwrite with a
-- higher version of the same record (`local_edit`). SQLite cannot widen a CHECK in place, so
-- the table is copied; nothing refers to it.

CREATE TABLE conflict_new (
    id             INTEGER PRIMARY KEY,
    detected_at    TEXT NOT NULL,
    id_number      TEXT NOT NULL,
    kept_uid       TEXT NOT NULL,
    incoming_uid   TEXT NOT NULL,
    incoming_batch TEXT NOT NULL,
    incoming_json  TEXT NOT NULL,
    resolved_at    TEXT,
    reason         TEXT NOT NULL DEFAULT 'id_number'
                   CHECK (reason IN ('id_number', 'diverged', 'worker_in_conflict', 'local_edit')),
    record_table   TEXT NOT NULL DEFAULT 'worker'
);
INSERT INTO conflict_new(id, detected_at, id_number, kept_uid, incoming_uid, incoming_batch,
        incoming_json, resolved_at, reason, record_table)
    SELECT id, detected_at, id_number, kept_uid, incoming_uid, incoming_batch, incoming_json,
        resolved_at, reason, record_table
    FROM conflict;
DROP TABLE conflict;
ALTER TABLE conflict_new RENAME TO conflict;
CREATE INDEX conflict_open ON conflict(id_number) WHERE resolved_at IS NULL;
