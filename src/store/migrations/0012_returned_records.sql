-- Records the city returned: one row per record a returned batch carried that the city
-- refused (or, for a batch refused whole, per record it must receive again), with the city's
-- reason. The row stays as history; the record counts as "to correct" while its exported
-- version is still below the version the batch carried (`record_version`).

CREATE TABLE IF NOT EXISTS returned_record (
    batch_uid      TEXT NOT NULL REFERENCES batch(uid),
    table_name     TEXT NOT NULL CHECK (table_name IN ('worker', 'event', 'service')),
    record_uid     TEXT NOT NULL,
    record_version INTEGER NOT NULL,
    refused        INTEGER NOT NULL CHECK (refused IN (0, 1)),
    reason_zh      TEXT NOT NULL DEFAULT '',
    reason_en      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_uid, table_name, record_uid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS returned_record_uid ON returned_record(record_uid);
