-- Search by employer and worksite, and the given-name readings (issue 14). Employer and
-- worksite names are indexed once each with their pieces: every character and every
-- two-character piece (a worker has one employer, but a million workers share a few thousand
-- names, so the pieces of names cost little where pieces per worker would add tens of rows
-- each); the workers of a name are then found by the worker indexes on the two columns. The
-- pinyin keys are rebuilt because a given name's polyphonic characters now add readings.

CREATE TABLE IF NOT EXISTS workplace (
    name TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS workplace_term (
    term TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (term, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS worker_live_employer ON worker(employer)
    WHERE deleted_at IS NULL AND employer <> '';
CREATE INDEX IF NOT EXISTS worker_live_worksite ON worker(worksite)
    WHERE deleted_at IS NULL AND worksite <> '';
