-- Merging batches from other laptops: records keep their origin, and the same ID number
-- under two worker uids is kept as a listed conflict instead of being overwritten.

ALTER TABLE worker ADD COLUMN origin_device TEXT NOT NULL DEFAULT '';
ALTER TABLE event ADD COLUMN origin_device TEXT NOT NULL DEFAULT '';
ALTER TABLE service ADD COLUMN origin_device TEXT NOT NULL DEFAULT '';

CREATE TABLE conflict (
    id             INTEGER PRIMARY KEY,
    detected_at    TEXT NOT NULL,
    id_number      TEXT NOT NULL,
    kept_uid       TEXT NOT NULL,
    incoming_uid   TEXT NOT NULL,
    incoming_batch TEXT NOT NULL,
    incoming_json  TEXT NOT NULL,
    resolved_at    TEXT
);
CREATE INDEX conflict_open ON conflict(id_number) WHERE resolved_at IS NULL;
