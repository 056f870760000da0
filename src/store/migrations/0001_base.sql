-- The base schema. Every record table carries uid, version, exported_version, timestamps,
-- the officer and a tombstone; rows are never hard-deleted.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE officer (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    district_code TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX officer_identity ON officer(device_id, name, organisation, district_code);

CREATE TABLE worker (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    version          INTEGER NOT NULL DEFAULT 1,
    exported_version INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officer(id),
    deleted_at       TEXT,
    id_number        TEXT NOT NULL,
    id_number_rev    TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_pinyin      TEXT NOT NULL,
    name_initials    TEXT NOT NULL,
    gender           TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date       TEXT NOT NULL,
    phone            TEXT NOT NULL DEFAULT '',
    phone_rev        TEXT NOT NULL DEFAULT '',
    hometown_code    TEXT NOT NULL,
    employer         TEXT NOT NULL DEFAULT '',
    worksite         TEXT NOT NULL DEFAULT '',
    trade            TEXT NOT NULL DEFAULT '',
    district_code    TEXT NOT NULL DEFAULT '',
    membership       TEXT NOT NULL DEFAULT 'not_member'
                     CHECK (membership IN ('member', 'joined_here', 'not_member')),
    card_no          TEXT NOT NULL DEFAULT '',
    hardship         INTEGER NOT NULL DEFAULT 0,
    note             TEXT NOT NULL DEFAULT ''
);
-- A live ID number belongs to one worker.
CREATE UNIQUE INDEX worker_live_id_number ON worker(id_number) WHERE deleted_at IS NULL;
CREATE INDEX worker_live_id_number_rev ON worker(id_number_rev) WHERE deleted_at IS NULL;
CREATE INDEX worker_live_name ON worker(name) WHERE deleted_at IS NULL;
CREATE INDEX worker_live_phone ON worker(phone) WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX worker_live_phone_rev ON worker(phone_rev) WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX worker_live_trade ON worker(trade) WHERE deleted_at IS NULL AND trade <> '';
CREATE INDEX worker_pending ON worker(id) WHERE version > exported_version;

-- Search keys that a plain column index cannot answer: every pinyin reading, initials, inner
-- two-character pieces of the name and the first character of the given name. `term` starts
-- with a one-letter class tag ('p:', 'i:', 'b:', 'g:') so one index serves every class.
CREATE TABLE search_term (
    term      TEXT NOT NULL,
    worker_id INTEGER NOT NULL REFERENCES worker(id),
    PRIMARY KEY (term, worker_id)
) WITHOUT ROWID;

CREATE TABLE event (
    id                 INTEGER PRIMARY KEY,
    uid                TEXT NOT NULL UNIQUE,
    version            INTEGER NOT NULL DEFAULT 1,
    exported_version   INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    officer_id         INTEGER NOT NULL REFERENCES officer(id),
    deleted_at         TEXT,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    held_on            TEXT NOT NULL,
    place              TEXT NOT NULL DEFAULT '',
    district_code      TEXT NOT NULL DEFAULT '',
    default_quantity   INTEGER NOT NULL DEFAULT 1,
    default_amount_fen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_held_on ON event(held_on);
CREATE INDEX event_pending ON event(id) WHERE version > exported_version;

CREATE TABLE service (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    version          INTEGER NOT NULL DEFAULT 1,
    exported_version INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    officer_id       INTEGER NOT NULL REFERENCES officer(id),
    deleted_at       TEXT,
    worker_id        INTEGER NOT NULL REFERENCES worker(id),
    kind             TEXT NOT NULL,
    event_id         INTEGER REFERENCES event(id),
    served_on        TEXT NOT NULL,
    place            TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 0),
    amount_fen       INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX service_worker ON service(worker_id, served_on);
CREATE INDEX service_event ON service(event_id, worker_id) WHERE event_id IS NOT NULL;
CREATE INDEX service_served_on ON service(served_on, kind);
CREATE INDEX service_pending ON service(id) WHERE version > exported_version;

CREATE TABLE health_check (
    service_id     INTEGER PRIMARY KEY REFERENCES service(id),
    provider       TEXT NOT NULL DEFAULT '',
    blood_pressure TEXT NOT NULL DEFAULT '',
    glucose_tenths INTEGER,
    findings       TEXT NOT NULL DEFAULT '',
    referral       INTEGER NOT NULL DEFAULT 0,
    follow_up_on   TEXT,
    consent_by     TEXT NOT NULL,
    consent_at     TEXT NOT NULL
);
CREATE INDEX health_check_follow_up ON health_check(follow_up_on) WHERE follow_up_on IS NOT NULL;

CREATE TABLE legal_aid (
    service_id    INTEGER PRIMARY KEY REFERENCES service(id),
    category      TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    claimed_fen   INTEGER NOT NULL DEFAULT 0 CHECK (claimed_fen >= 0),
    recovered_fen INTEGER NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
    follows_uid   TEXT
);
CREATE INDEX legal_aid_status ON legal_aid(status, category);

CREATE TABLE batch (
    id                 INTEGER PRIMARY KEY,
    uid                TEXT NOT NULL UNIQUE,
    previous_batch_uid TEXT,
    device_id          TEXT NOT NULL,
    officer_id         INTEGER REFERENCES officer(id),
    created_at         TEXT NOT NULL,
    path               TEXT NOT NULL,
    -- 'exported' (made here) or 'imported' (merged from another laptop)
    direction          TEXT NOT NULL,
    worker_count       INTEGER NOT NULL DEFAULT 0,
    event_count        INTEGER NOT NULL DEFAULT 0,
    service_count      INTEGER NOT NULL DEFAULT 0,
    manifest_sha256    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE batch_item (
    batch_id   INTEGER NOT NULL REFERENCES batch(id),
    table_name TEXT NOT NULL,
    record_uid TEXT NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (batch_id, table_name, record_uid)
) WITHOUT ROWID;

CREATE TABLE draft (
    form_key   TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    officer_id INTEGER REFERENCES officer(id),
    table_name TEXT NOT NULL,
    record_uid TEXT NOT NULL,
    version    INTEGER NOT NULL,
    action     TEXT NOT NULL,
    -- Names of the fields that changed (never their values: the audit holds no personal data).
    fields     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_record ON audit(record_uid);
