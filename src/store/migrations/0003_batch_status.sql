-- Batches: an export announces itself with a `writing` row before its first file, so a
-- crash between writing the folder and marking the records can be finished or undone at the
-- next export; conflicts say what kind they are and which table the kept copy is in.

ALTER TABLE batch ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
    CHECK (status IN ('writing', 'complete'));
CREATE INDEX batch_writing ON batch(id) WHERE status = 'writing';
ALTER TABLE conflict ADD COLUMN reason TEXT NOT NULL DEFAULT 'id_number'
    CHECK (reason IN ('id_number', 'diverged', 'worker_in_conflict'));
ALTER TABLE conflict ADD COLUMN record_table TEXT NOT NULL DEFAULT 'worker';
