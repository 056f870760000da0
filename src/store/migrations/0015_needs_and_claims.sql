-- What workers ask for (`need`) and the mutual-aid claims of card-holding members
-- (`claim`), record tables like `service` (uid, version, tombstone, officer, origin); the
-- member card's protection period on the worker. A need is `open` until a service of a kind
-- that answers it is recorded (`answered`, naming the service) or an officer closes it
-- (`closed`). Claim documents are the ticked checklist codes joined by commas.

ALTER TABLE worker ADD COLUMN protection_start TEXT;
ALTER TABLE worker ADD COLUMN protection_end TEXT;

CREATE TABLE IF NOT EXISTS need (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    version          INTEGER NOT NULL DEFAULT 1,
    exported_version INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officer(id),
    deleted_at       TEXT,
    withdraw_reason  TEXT NOT NULL DEFAULT '',
    origin_device    TEXT NOT NULL DEFAULT '',
    worker_id        INTEGER NOT NULL REFERENCES worker(id),
    kind             TEXT NOT NULL,
    raised_on        TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'closed')),
    answered_by      TEXT,
    settled_on       TEXT,
    close_note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS need_worker ON need(worker_id, raised_on);
-- A service looks up its worker's open needs; the open list pages by the day raised.
CREATE INDEX IF NOT EXISTS need_open_of_worker ON need(worker_id, kind)
    WHERE state = 'open' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS need_open_raised ON need(raised_on, id)
    WHERE state = 'open' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS need_pending ON need(id) WHERE version > exported_version;

CREATE TABLE IF NOT EXISTS claim (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    version          INTEGER NOT NULL DEFAULT 1,
    exported_version INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officer(id),
    deleted_at       TEXT,
    withdraw_reason  TEXT NOT NULL DEFAULT '',
    origin_device    TEXT NOT NULL DEFAULT '',
    worker_id        INTEGER NOT NULL REFERENCES worker(id),
    claim_type       TEXT NOT NULL,
    diagnosed_on     TEXT,
    accident_on      TEXT,
    died_on          TEXT,
    fire_on          TEXT,
    amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
    documents        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'collecting'
                     CHECK (status IN ('collecting', 'submitted', 'approved', 'paid', 'rejected')),
    reason           TEXT NOT NULL DEFAULT '',
    paid_fen         INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
    paid_on          TEXT,
    note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS claim_worker ON claim(worker_id, claim_type);
CREATE INDEX IF NOT EXISTS claim_status ON claim(status, created_at);
CREATE INDEX IF NOT EXISTS claim_pending ON claim(id) WHERE version > exported_version;
