-- One person on two laptops (the same ID number under two worker uids) is one person at the
-- merge: the worker row shows one of the records (chosen by the merge rule in
-- docs/batch-format.md) and `worker_link` keeps each other record's latest version, linked to
-- that row, so services of every record attach to the one person. A disagreement between the
-- records is a `same_person` conflict naming its fields; its `signature` (the two records and
-- versions) keeps a resolved one from being listed again. The conflict table is copied to
-- widen its CHECK, as migration 7 did. `IF NOT EXISTS`: the statistics upgrade test runs the
-- migrations after 3 again on a database that has them.

CREATE TABLE IF NOT EXISTS worker_link (
    uid            TEXT PRIMARY KEY,
    worker_id      INTEGER NOT NULL REFERENCES worker(id),
    version        INTEGER NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted        INTEGER NOT NULL,
    -- The device whose batch carried this version: its officer is that laptop's.
    officer_device TEXT NOT NULL,
    record_json    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS worker_link_person ON worker_link(worker_id);
-- A withdrawn record is still the person's: a record of the same ID number arriving later
-- links to it (the few withdrawn rows, so the index is small).
CREATE INDEX IF NOT EXISTS worker_withdrawn_id_number ON worker(id_number) WHERE deleted_at IS NOT NULL;

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
                   CHECK (reason IN ('id_number', 'diverged', 'worker_in_conflict', 'local_edit',
                                     'same_person')),
    record_table   TEXT NOT NULL DEFAULT 'worker',
    fields         TEXT NOT NULL DEFAULT '',
    signature      TEXT NOT NULL DEFAULT ''
);
INSERT INTO conflict_new(id, detected_at, id_number, kept_uid, incoming_uid, incoming_batch,
        incoming_json, resolved_at, reason, record_table)
    SELECT id, detected_at, id_number, kept_uid, incoming_uid, incoming_batch, incoming_json,
        resolved_at, reason, record_table
    FROM conflict;
DROP TABLE conflict;
ALTER TABLE conflict_new RENAME TO conflict;
CREATE INDEX conflict_open ON conflict(id_number) WHERE resolved_at IS NULL;
CREATE INDEX conflict_signature ON conflict(signature) WHERE signature <> '';
