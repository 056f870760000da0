//! Numbered migrations under `PRAGMA user_version`. Each runs in its own transaction; a
//! database newer than this build is refused rather than guessed at.

use super::search_keys::rebuild_search_keys;
use super::stats::{Fill, fill_served_months};
use rusqlite::Connection;

/// Migration n (1-based) is `MIGRATIONS[n - 1]`. Never edit a shipped migration: add one.
pub const MIGRATIONS: &[&str] = &[
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
    MIGRATION_6,
    MIGRATION_7,
    MIGRATION_8,
    MIGRATION_9,
    MIGRATION_10,
    MIGRATION_11,
    MIGRATION_12,
    MIGRATION_13,
    MIGRATION_14,
    MIGRATION_15,
    MIGRATION_16,
];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The base schema. Every record table carries uid, version, exported_version, timestamps,
/// the officer and a tombstone; rows are never hard-deleted.
const MIGRATION_1: &str = r#"
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
"#;

/// Merging batches from other laptops: records keep their origin, and the same ID number
/// under two worker uids is kept as a listed conflict instead of being overwritten.
const MIGRATION_2: &str = r#"
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
"#;

/// Batches: an export announces itself with a `writing` row before its first file, so a
/// crash between writing the folder and marking the records can be finished or undone at the
/// next export; conflicts say what kind they are and which table the kept copy is in.
const MIGRATION_3: &str = r#"
ALTER TABLE batch ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
    CHECK (status IN ('writing', 'complete'));
CREATE INDEX batch_writing ON batch(id) WHERE status = 'writing';
ALTER TABLE conflict ADD COLUMN reason TEXT NOT NULL DEFAULT 'id_number'
    CHECK (reason IN ('id_number', 'diverged', 'worker_in_conflict'));
ALTER TABLE conflict ADD COLUMN record_table TEXT NOT NULL DEFAULT 'worker';
"#;

/// Statistics. Counting a million workers row by row takes longer than the statistics screen
/// may, so triggers keep small rollup tables in step with every write, whoever makes it (forms,
/// demo data, batch import). A worker's rollup rows are rebuilt from that worker's own rows
/// (a handful) through the `stat_refresh_*` views, which act as stored procedures. Only live
/// services of live workers count; a service counts in its worker's district.
const MIGRATION_4: &str = r#"
-- Exact lookups: the hardship list, reach over periods that are not whole months, the chains
-- of legal-aid visits.
CREATE INDEX service_live_worker ON service(worker_id, served_on, kind) WHERE deleted_at IS NULL;
CREATE INDEX worker_live_district ON worker(district_code) WHERE deleted_at IS NULL;
CREATE INDEX worker_live_hardship ON worker(district_code) WHERE deleted_at IS NULL AND hardship = 1;
CREATE INDEX legal_aid_follows ON legal_aid(follows_uid) WHERE follows_uid IS NOT NULL;

-- Live workers by district, China-time registration day, membership and hardship.
CREATE TABLE stat_worker_day (
    district_code TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    membership    TEXT NOT NULL,
    hardship      INTEGER NOT NULL,
    workers       INTEGER NOT NULL,
    PRIMARY KEY (district_code, registered_on, membership, hardship)
) WITHOUT ROWID;

-- Live services by day, kind and district, with how many carry a health-check referral.
CREATE TABLE stat_service_day (
    served_on     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    services      INTEGER NOT NULL,
    referred      INTEGER NOT NULL,
    PRIMARY KEY (served_on, kind, district_code)
) WITHOUT ROWID;
CREATE INDEX stat_service_day_district
    ON stat_service_day(district_code, served_on, kind, services, referred);

-- Each month in which a live worker had a live service, with the worker's previous such month
-- ('' for none). Workers served in months m1..m2 are then the rows of those months whose
-- previous month is before m1: one row per worker, so distinct workers are a plain sum.
CREATE TABLE stat_worker_month (
    worker_id     INTEGER NOT NULL,
    month         TEXT NOT NULL,
    prev_month    TEXT NOT NULL,
    district_code TEXT NOT NULL,
    hardship      INTEGER NOT NULL,
    PRIMARY KEY (worker_id, month)
) WITHOUT ROWID;
CREATE TABLE stat_reach (
    district_code TEXT NOT NULL,
    month         TEXT NOT NULL,
    prev_month    TEXT NOT NULL,
    hardship      INTEGER NOT NULL,
    workers       INTEGER NOT NULL,
    PRIMARY KEY (district_code, month, prev_month, hardship)
) WITHOUT ROWID;

-- The latest visit of each legal-aid case (no live visit follows it), of live workers.
CREATE TABLE stat_legal_head (
    service_id    INTEGER PRIMARY KEY,
    worker_id     INTEGER NOT NULL,
    district_code TEXT NOT NULL,
    category      TEXT NOT NULL,
    is_open       INTEGER NOT NULL,
    served_on     TEXT NOT NULL,
    claimed_fen   INTEGER NOT NULL,
    recovered_fen INTEGER NOT NULL
);
CREATE INDEX stat_legal_head_worker ON stat_legal_head(worker_id);
CREATE TABLE stat_legal_open (
    district_code TEXT NOT NULL,
    category      TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    PRIMARY KEY (district_code, category)
) WITHOUT ROWID;
CREATE TABLE stat_legal_day (
    served_on     TEXT NOT NULL,
    district_code TEXT NOT NULL,
    cases         INTEGER NOT NULL,
    claimed_fen   INTEGER NOT NULL,
    recovered_fen INTEGER NOT NULL,
    PRIMARY KEY (served_on, district_code)
) WITHOUT ROWID;

-- Follow-up dates of health checks not followed by a later health check of the same worker
-- (only a worker's latest checks can be waiting), of live workers.
CREATE TABLE stat_follow_up (
    service_id    INTEGER PRIMARY KEY,
    worker_id     INTEGER NOT NULL,
    district_code TEXT NOT NULL,
    follow_up_on  TEXT NOT NULL
);
CREATE INDEX stat_follow_up_worker ON stat_follow_up(worker_id);
CREATE INDEX stat_follow_up_date ON stat_follow_up(follow_up_on);
CREATE INDEX stat_follow_up_district ON stat_follow_up(district_code, follow_up_on);

-- Fill the rollups from the rows already there, before any trigger exists.
-- (rollup fill begins)
INSERT INTO stat_worker_day
    SELECT district_code, substr(created_at, 1, 10), membership, hardship, count(*)
    FROM worker WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4;
-- (service day fill begins)
INSERT INTO stat_service_day
    SELECT s.served_on, s.kind, w.district_code, count(*), sum(coalesce(h.referral, 0))
    FROM service s JOIN worker w ON w.id = s.worker_id
         LEFT JOIN health_check h ON h.service_id = s.id
    WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL
    GROUP BY 1, 2, 3;
-- (service day fill ends)
-- (reach fill begins)
INSERT INTO stat_worker_month
    SELECT worker_id, month,
           coalesce(lag(month) OVER (PARTITION BY worker_id ORDER BY month), ''),
           district_code, hardship
    FROM (SELECT DISTINCT s.worker_id, substr(s.served_on, 1, 7) AS month,
                 w.district_code, w.hardship
          FROM service s JOIN worker w ON w.id = s.worker_id
          WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL);
INSERT INTO stat_reach
    SELECT district_code, month, prev_month, hardship, count(*)
    FROM stat_worker_month GROUP BY 1, 2, 3, 4;
-- (reach fill ends)
INSERT INTO stat_legal_head
    SELECT s.id, s.worker_id, w.district_code, l.category,
           l.status NOT IN ('resolved', 'referred'), s.served_on, l.claimed_fen, l.recovered_fen
    FROM legal_aid l JOIN service s ON s.id = l.service_id JOIN worker w ON w.id = s.worker_id
    WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM legal_aid f JOIN service fs ON fs.id = f.service_id
                      WHERE f.follows_uid = s.uid AND fs.deleted_at IS NULL);
INSERT INTO stat_legal_open
    SELECT district_code, category, count(*) FROM stat_legal_head WHERE is_open GROUP BY 1, 2;
INSERT INTO stat_legal_day
    SELECT served_on, district_code, count(*), sum(claimed_fen), sum(recovered_fen)
    FROM stat_legal_head GROUP BY 1, 2;
INSERT INTO stat_follow_up
    SELECT s.id, s.worker_id, w.district_code, h.follow_up_on
    FROM health_check h JOIN service s ON s.id = h.service_id JOIN worker w ON w.id = s.worker_id
    WHERE h.follow_up_on IS NOT NULL AND s.deleted_at IS NULL AND w.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM service later JOIN health_check lh ON lh.service_id = later.id
                      WHERE later.worker_id = s.worker_id AND later.deleted_at IS NULL
                        AND later.served_on > s.served_on);

-- (rollup fill ends)

-- Tallies follow their detail rows.
CREATE TRIGGER stat_worker_month_added AFTER INSERT ON stat_worker_month BEGIN
    INSERT INTO stat_reach VALUES (NEW.district_code, NEW.month, NEW.prev_month, NEW.hardship, 1)
        ON CONFLICT DO UPDATE SET workers = workers + 1;
END;
CREATE TRIGGER stat_worker_month_removed AFTER DELETE ON stat_worker_month BEGIN
    UPDATE stat_reach SET workers = workers - 1
    WHERE district_code = OLD.district_code AND month = OLD.month
      AND prev_month = OLD.prev_month AND hardship = OLD.hardship;
END;
CREATE TRIGGER stat_legal_head_added AFTER INSERT ON stat_legal_head BEGIN
    INSERT INTO stat_legal_open SELECT NEW.district_code, NEW.category, 1 WHERE NEW.is_open
        ON CONFLICT DO UPDATE SET cases = cases + 1;
    INSERT INTO stat_legal_day
        VALUES (NEW.served_on, NEW.district_code, 1, NEW.claimed_fen, NEW.recovered_fen)
        ON CONFLICT DO UPDATE SET cases = cases + 1,
            claimed_fen = claimed_fen + excluded.claimed_fen,
            recovered_fen = recovered_fen + excluded.recovered_fen;
END;
CREATE TRIGGER stat_legal_head_removed AFTER DELETE ON stat_legal_head BEGIN
    UPDATE stat_legal_open SET cases = cases - 1
    WHERE OLD.is_open AND district_code = OLD.district_code AND category = OLD.category;
    UPDATE stat_legal_day SET cases = cases - 1, claimed_fen = claimed_fen - OLD.claimed_fen,
        recovered_fen = recovered_fen - OLD.recovered_fen
    WHERE served_on = OLD.served_on AND district_code = OLD.district_code;
END;

-- Stored procedures: INSERT INTO stat_refresh_months(worker_id) rebuilds that worker's months;
-- stat_refresh_cases its legal-aid case heads and waiting follow-ups.
CREATE VIEW stat_refresh_months AS SELECT 0 AS worker_id WHERE 0;
CREATE TRIGGER stat_refresh_months_run INSTEAD OF INSERT ON stat_refresh_months BEGIN
    DELETE FROM stat_worker_month WHERE worker_id = NEW.worker_id;
    INSERT INTO stat_worker_month
        SELECT w.id, m.month, coalesce(lag(m.month) OVER (ORDER BY m.month), ''),
               w.district_code, w.hardship
        FROM worker w
             JOIN (SELECT DISTINCT substr(served_on, 1, 7) AS month FROM service
                   WHERE worker_id = NEW.worker_id AND deleted_at IS NULL) m
        WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL;
END;
CREATE VIEW stat_refresh_cases AS SELECT 0 AS worker_id WHERE 0;
CREATE TRIGGER stat_refresh_cases_run INSTEAD OF INSERT ON stat_refresh_cases BEGIN
    DELETE FROM stat_legal_head WHERE worker_id = NEW.worker_id;
    INSERT INTO stat_legal_head
        SELECT s.id, s.worker_id, w.district_code, l.category,
               l.status NOT IN ('resolved', 'referred'), s.served_on, l.claimed_fen,
               l.recovered_fen
        FROM service s JOIN legal_aid l ON l.service_id = s.id JOIN worker w ON w.id = s.worker_id
        WHERE s.worker_id = NEW.worker_id AND s.deleted_at IS NULL AND w.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM legal_aid f JOIN service fs ON fs.id = f.service_id
                          WHERE f.follows_uid = s.uid AND fs.deleted_at IS NULL);
    DELETE FROM stat_follow_up WHERE worker_id = NEW.worker_id;
    INSERT INTO stat_follow_up
        SELECT s.id, s.worker_id, w.district_code, h.follow_up_on
        FROM service s JOIN health_check h ON h.service_id = s.id
             JOIN worker w ON w.id = s.worker_id
        WHERE s.worker_id = NEW.worker_id AND h.follow_up_on IS NOT NULL
          AND s.deleted_at IS NULL AND w.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM service later
                               JOIN health_check lh ON lh.service_id = later.id
                          WHERE later.worker_id = s.worker_id AND later.deleted_at IS NULL
                            AND later.served_on > s.served_on);
END;

-- Workers.
CREATE TRIGGER stat_worker_inserted AFTER INSERT ON worker WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_worker_day VALUES (NEW.district_code, substr(NEW.created_at, 1, 10),
        NEW.membership, NEW.hardship, 1)
        ON CONFLICT DO UPDATE SET workers = workers + 1;
END;
CREATE TRIGGER stat_worker_updated
AFTER UPDATE OF district_code, created_at, membership, hardship, deleted_at ON worker BEGIN
    UPDATE stat_worker_day SET workers = workers - 1
    WHERE OLD.deleted_at IS NULL AND district_code = OLD.district_code
      AND registered_on = substr(OLD.created_at, 1, 10) AND membership = OLD.membership
      AND hardship = OLD.hardship;
    INSERT INTO stat_worker_day SELECT NEW.district_code, substr(NEW.created_at, 1, 10),
        NEW.membership, NEW.hardship, 1 WHERE NEW.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET workers = workers + 1;
END;
CREATE TRIGGER stat_worker_deleted AFTER DELETE ON worker WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE stat_worker_day SET workers = workers - 1
    WHERE district_code = OLD.district_code AND registered_on = substr(OLD.created_at, 1, 10)
      AND membership = OLD.membership AND hardship = OLD.hardship;
END;
-- A worker who moves district, is deleted or restored takes their services along.
CREATE TRIGGER stat_worker_services_moved AFTER UPDATE OF district_code, deleted_at ON worker
WHEN OLD.district_code IS NOT NEW.district_code
  OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO stat_service_day
        SELECT s.served_on, s.kind, OLD.district_code, -count(*), -sum(coalesce(h.referral, 0))
        FROM service s LEFT JOIN health_check h ON h.service_id = s.id
        WHERE s.worker_id = OLD.id AND s.deleted_at IS NULL AND OLD.deleted_at IS NULL
        GROUP BY s.served_on, s.kind
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            referred = referred + excluded.referred;
    INSERT INTO stat_service_day
        SELECT s.served_on, s.kind, NEW.district_code, count(*), sum(coalesce(h.referral, 0))
        FROM service s LEFT JOIN health_check h ON h.service_id = s.id
        WHERE s.worker_id = NEW.id AND s.deleted_at IS NULL AND NEW.deleted_at IS NULL
        GROUP BY s.served_on, s.kind
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            referred = referred + excluded.referred;
END;
CREATE TRIGGER stat_worker_refreshed AFTER UPDATE OF district_code, hardship, deleted_at ON worker
WHEN OLD.district_code IS NOT NEW.district_code OR OLD.hardship IS NOT NEW.hardship
  OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO stat_refresh_months VALUES (NEW.id);
    INSERT INTO stat_refresh_cases VALUES (NEW.id);
END;

-- Services. A service's contribution: +1 in its worker's district when both are live.
CREATE TRIGGER stat_service_inserted AFTER INSERT ON service WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_service_day
        SELECT NEW.served_on, NEW.kind, w.district_code, 1, 0
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET services = services + 1;
    INSERT INTO stat_refresh_months SELECT NEW.worker_id WHERE NOT EXISTS (
        SELECT 1 FROM stat_worker_month
        WHERE worker_id = NEW.worker_id AND month = substr(NEW.served_on, 1, 7));
END;
CREATE TRIGGER stat_service_updated
AFTER UPDATE OF served_on, kind, deleted_at, worker_id ON service BEGIN
    UPDATE stat_service_day
    SET services = services - 1,
        referred = referred - coalesce(
            (SELECT referral FROM health_check WHERE service_id = OLD.id), 0)
    WHERE OLD.deleted_at IS NULL AND served_on = OLD.served_on AND kind = OLD.kind
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_service_day
        SELECT NEW.served_on, NEW.kind, w.district_code, 1,
               coalesce((SELECT referral FROM health_check WHERE service_id = NEW.id), 0)
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET services = services + 1,
            referred = referred + excluded.referred;
END;
CREATE TRIGGER stat_service_refreshed AFTER UPDATE OF served_on, deleted_at, worker_id ON service
WHEN OLD.served_on IS NOT NEW.served_on OR OLD.worker_id IS NOT NEW.worker_id
  OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO stat_refresh_months VALUES (OLD.worker_id);
    INSERT INTO stat_refresh_months SELECT NEW.worker_id WHERE NEW.worker_id IS NOT OLD.worker_id;
    INSERT INTO stat_refresh_cases VALUES (OLD.worker_id);
    INSERT INTO stat_refresh_cases SELECT NEW.worker_id WHERE NEW.worker_id IS NOT OLD.worker_id;
END;
CREATE TRIGGER stat_service_deleted AFTER DELETE ON service WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE stat_service_day SET services = services - 1
    WHERE served_on = OLD.served_on AND kind = OLD.kind
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_refresh_months VALUES (OLD.worker_id);
    INSERT INTO stat_refresh_cases VALUES (OLD.worker_id);
END;

-- Health-check and legal-aid details, written after their service row.
CREATE TRIGGER stat_health_check_inserted AFTER INSERT ON health_check BEGIN
    UPDATE stat_service_day SET referred = referred + 1
    WHERE NEW.referral AND (served_on, kind, district_code) = (
        SELECT s.served_on, s.kind, w.district_code
        FROM service s JOIN worker w ON w.id = s.worker_id
        WHERE s.id = NEW.service_id AND s.deleted_at IS NULL AND w.deleted_at IS NULL);
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service WHERE id = NEW.service_id;
END;
CREATE TRIGGER stat_health_check_updated
AFTER UPDATE OF referral, follow_up_on, service_id ON health_check BEGIN
    UPDATE stat_service_day SET referred = referred - 1
    WHERE OLD.referral AND (served_on, kind, district_code) = (
        SELECT s.served_on, s.kind, w.district_code
        FROM service s JOIN worker w ON w.id = s.worker_id
        WHERE s.id = OLD.service_id AND s.deleted_at IS NULL AND w.deleted_at IS NULL);
    UPDATE stat_service_day SET referred = referred + 1
    WHERE NEW.referral AND (served_on, kind, district_code) = (
        SELECT s.served_on, s.kind, w.district_code
        FROM service s JOIN worker w ON w.id = s.worker_id
        WHERE s.id = NEW.service_id AND s.deleted_at IS NULL AND w.deleted_at IS NULL);
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service WHERE id = OLD.service_id;
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service
        WHERE id = NEW.service_id AND NEW.service_id IS NOT OLD.service_id;
END;
CREATE TRIGGER stat_health_check_deleted AFTER DELETE ON health_check BEGIN
    UPDATE stat_service_day SET referred = referred - 1
    WHERE OLD.referral AND (served_on, kind, district_code) = (
        SELECT s.served_on, s.kind, w.district_code
        FROM service s JOIN worker w ON w.id = s.worker_id
        WHERE s.id = OLD.service_id AND s.deleted_at IS NULL AND w.deleted_at IS NULL);
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service WHERE id = OLD.service_id;
END;
-- A visit changes its own case head and, through follows_uid, the one it continues (normally
-- the same worker's; a batch from elsewhere may link across, so refresh both).
CREATE TRIGGER stat_legal_aid_inserted AFTER INSERT ON legal_aid BEGIN
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service WHERE id = NEW.service_id;
    INSERT INTO stat_refresh_cases SELECT s.worker_id FROM service s
        WHERE s.uid = NEW.follows_uid
          AND s.worker_id IS NOT (SELECT worker_id FROM service WHERE id = NEW.service_id);
END;
CREATE TRIGGER stat_legal_aid_updated AFTER UPDATE ON legal_aid BEGIN
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service WHERE id = NEW.service_id;
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service
        WHERE id = OLD.service_id AND OLD.service_id IS NOT NEW.service_id;
    INSERT INTO stat_refresh_cases SELECT s.worker_id FROM service s
        WHERE s.uid IN (OLD.follows_uid, NEW.follows_uid);
END;
CREATE TRIGGER stat_legal_aid_deleted AFTER DELETE ON legal_aid BEGIN
    INSERT INTO stat_refresh_cases SELECT worker_id FROM service WHERE id = OLD.service_id;
    INSERT INTO stat_refresh_cases SELECT s.worker_id FROM service s WHERE s.uid = OLD.follows_uid;
END;
"#;

/// Services by month. On a large database the daily rollup holds a row for nearly every day,
/// kind and district (about 200,000), so a year read from it costs over 100 ms; whole months
/// are read from this one (a few thousand rows) and only the odd days at either end of a
/// period from the daily one. Kept in step with `stat_service_day` by triggers on it.
const MIGRATION_5: &str = r#"
CREATE TABLE stat_service_month (
    month         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    services      INTEGER NOT NULL,
    referred      INTEGER NOT NULL,
    PRIMARY KEY (month, kind, district_code)
) WITHOUT ROWID;
CREATE INDEX stat_service_month_district
    ON stat_service_month(district_code, month, kind, services, referred);
-- The few deleted workers, whose services an exact count of served workers takes back out.
CREATE INDEX worker_deleted ON worker(id) WHERE deleted_at IS NOT NULL;

-- (rollup fill begins)
INSERT INTO stat_service_month
    SELECT substr(served_on, 1, 7), kind, district_code, sum(services), sum(referred)
    FROM stat_service_day GROUP BY 1, 2, 3;
-- (rollup fill ends)

CREATE TRIGGER stat_service_day_added AFTER INSERT ON stat_service_day BEGIN
    INSERT INTO stat_service_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.services, NEW.referred)
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            referred = referred + excluded.referred;
END;
CREATE TRIGGER stat_service_day_changed AFTER UPDATE ON stat_service_day BEGIN
    UPDATE stat_service_month
    SET services = services - OLD.services, referred = referred - OLD.referred
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
    INSERT INTO stat_service_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.services, NEW.referred)
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            referred = referred + excluded.referred;
END;
CREATE TRIGGER stat_service_day_removed AFTER DELETE ON stat_service_day BEGIN
    UPDATE stat_service_month
    SET services = services - OLD.services, referred = referred - OLD.referred
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
END;
"#;

/// Reach over a period that is not whole months. Each served month of a worker also keeps its
/// first and last service day, the last service day of the worker's previous served month and
/// the next served month. A period then splits into a head month (from its first day on), whole
/// months and a tail month (up to its last day), and its distinct served workers are:
/// head rows whose last day is in the period or whose next month is one of the whole months'
/// (`stat_reach` counts the rest of the whole months' workers); and tail rows whose first day is
/// in the period and whose worker's previous service day is before it. One scan of two months'
/// rows through `stat_worker_month_by_month` instead of every service (806 ms on 1,000,000
/// workers and 3,000,000 services).
const MIGRATION_6: &str = r#"
DROP TRIGGER stat_worker_month_added;
DROP TRIGGER stat_worker_month_removed;
DROP TRIGGER stat_refresh_months_run;
DROP TRIGGER stat_service_inserted;
DROP TABLE stat_worker_month;
DELETE FROM stat_reach;
-- Counted from the months now; a deleted worker's services leave them.
DROP INDEX worker_deleted;

CREATE TABLE stat_worker_month (
    worker_id     INTEGER NOT NULL,
    month         TEXT NOT NULL,
    prev_month    TEXT NOT NULL,
    district_code TEXT NOT NULL,
    hardship      INTEGER NOT NULL,
    first_day     TEXT NOT NULL,
    last_day      TEXT NOT NULL,
    prev_last_day TEXT NOT NULL,
    next_month    TEXT NOT NULL,
    PRIMARY KEY (worker_id, month)
) WITHOUT ROWID;
CREATE INDEX stat_worker_month_by_month ON stat_worker_month(
    month, district_code, last_day, next_month, first_day, prev_last_day, hardship);

-- (served months are filled here)

CREATE TRIGGER stat_worker_month_added AFTER INSERT ON stat_worker_month BEGIN
    INSERT INTO stat_reach VALUES (NEW.district_code, NEW.month, NEW.prev_month, NEW.hardship, 1)
        ON CONFLICT DO UPDATE SET workers = workers + 1;
END;
CREATE TRIGGER stat_worker_month_removed AFTER DELETE ON stat_worker_month BEGIN
    UPDATE stat_reach SET workers = workers - 1
    WHERE district_code = OLD.district_code AND month = OLD.month
      AND prev_month = OLD.prev_month AND hardship = OLD.hardship;
END;
CREATE TRIGGER stat_refresh_months_run INSTEAD OF INSERT ON stat_refresh_months BEGIN
    DELETE FROM stat_worker_month WHERE worker_id = NEW.worker_id;
    INSERT INTO stat_worker_month
        SELECT w.id, m.month, coalesce(lag(m.month) OVER months, ''), w.district_code,
               w.hardship, m.first_day, m.last_day, coalesce(lag(m.last_day) OVER months, ''),
               coalesce(lead(m.month) OVER months, '')
        FROM worker w
             JOIN (SELECT substr(served_on, 1, 7) AS month, min(served_on) AS first_day,
                          max(served_on) AS last_day
                   FROM service WHERE worker_id = NEW.worker_id AND deleted_at IS NULL
                   GROUP BY 1) m
        WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
        WINDOW months AS (ORDER BY m.month);
END;
-- A service inside the days its month already spans changes no month row.
CREATE TRIGGER stat_service_inserted AFTER INSERT ON service WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_service_day
        SELECT NEW.served_on, NEW.kind, w.district_code, 1, 0
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET services = services + 1;
    INSERT INTO stat_refresh_months SELECT NEW.worker_id WHERE NOT EXISTS (
        SELECT 1 FROM stat_worker_month
        WHERE worker_id = NEW.worker_id AND month = substr(NEW.served_on, 1, 7)
          AND first_day <= NEW.served_on AND last_day >= NEW.served_on);
END;
"#;

/// A conflict for a local edit not yet exported that an imported batch would overwrite with a
/// higher version of the same record (`local_edit`). SQLite cannot widen a CHECK in place, so
/// the table is copied; nothing refers to it.
const MIGRATION_7: &str = r#"
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
"#;

/// One person on two laptops (the same ID number under two worker uids) is one person at the
/// merge: the worker row shows one of the records (chosen by the merge rule in
/// docs/batch-format.md) and `worker_link` keeps each other record's latest version, linked to
/// that row, so services of every record attach to the one person. A disagreement between the
/// records is a `same_person` conflict naming its fields; its `signature` (the two records and
/// versions) keeps a resolved one from being listed again. The conflict table is copied to
/// widen its CHECK, as migration 7 did. `IF NOT EXISTS`: the statistics upgrade test runs the
/// migrations after 3 again on a database that has them.
const MIGRATION_8: &str = r#"
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
"#;

/// Corrections: a withdrawal keeps the record as a tombstone carrying the officer's reason; the
/// audit row of the withdrawal carries it too (who, when, why); a legal-aid visit that closes
/// its case names the outcome. Empty text means "none", so older rows need no rewrite.
const MIGRATION_9: &str = r#"
ALTER TABLE worker ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE event ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE service ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE legal_aid ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
-- Cases closed in a period, for the statistics: a few rows of the case heads, not all.
CREATE INDEX stat_legal_head_closed ON stat_legal_head(served_on, district_code) WHERE NOT is_open;
"#;

/// The city's receipt for an exported batch: `received`, `held` or `returned` (refused, with
/// the reasons as JSON), and when it was imported here. A table of its own (not columns of
/// `batch`) so the migration can run again over a database an older test rewound.
const MIGRATION_10: &str = r#"
CREATE TABLE IF NOT EXISTS batch_receipt (
    batch_uid   TEXT PRIMARY KEY REFERENCES batch(uid),
    status      TEXT NOT NULL CHECK (status IN ('received', 'held', 'returned')),
    reasons     TEXT NOT NULL DEFAULT '[]',
    imported_at TEXT NOT NULL
);
"#;

/// Erasure on request (PIPL art. 47): an erased worker or service keeps its row as a tombstone
/// with no personal data, and the reason code (`request`, `consent_withdrawn`,
/// `retention_expired`) that its erasure line carries in the next batch. '' for none.
const MIGRATION_11: &str = r#"
ALTER TABLE worker ADD COLUMN erase_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE service ADD COLUMN erase_reason TEXT NOT NULL DEFAULT '';
"#;

/// Records the city returned: one row per record a returned batch carried that the city
/// refused (or, for a batch refused whole, per record it must receive again), with the city's
/// reason. The row stays as history; the record counts as "to correct" while its exported
/// version is still below the version the batch carried (`record_version`).
const MIGRATION_12: &str = r#"
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
"#;

/// The last failed verification of a batch, by its path (issue 14): the batch list shows it
/// until a later verification passes. No personal data: a count and a file:line.
const MIGRATION_13: &str = r#"
CREATE TABLE IF NOT EXISTS batch_check (
    path        TEXT PRIMARY KEY,
    checked_at  TEXT NOT NULL,
    problems    INTEGER NOT NULL CHECK (problems >= 0),
    first_place TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
"#;

/// Money handed out, for the statistics: the amounts of live services by day, kind and
/// district (and by month, summed from the days as migration 5 does for the counts), and the
/// services and amounts of each event by district. Tables of their own, so the counting
/// triggers of migrations 4 to 6 stay as they are; the same kinds of change move them.
/// `IF NOT EXISTS`: the statistics upgrade test runs the migrations after 3 again.
const MIGRATION_14: &str = r#"
CREATE TABLE IF NOT EXISTS stat_amount_day (
    served_on     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    PRIMARY KEY (served_on, kind, district_code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stat_amount_month (
    month         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    PRIMARY KEY (month, kind, district_code)
) WITHOUT ROWID;
-- Live services of live workers per event and workplace district, whatever day served.
CREATE TABLE IF NOT EXISTS stat_event_amount (
    event_id      INTEGER NOT NULL,
    district_code TEXT NOT NULL,
    services      INTEGER NOT NULL,
    amount_fen    INTEGER NOT NULL,
    PRIMARY KEY (event_id, district_code)
) WITHOUT ROWID;

-- (amount day fill begins)
INSERT INTO stat_amount_day
    SELECT s.served_on, s.kind, w.district_code, sum(s.amount_fen)
    FROM service s JOIN worker w ON w.id = s.worker_id
    WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL AND s.amount_fen <> 0
    GROUP BY 1, 2, 3;
INSERT INTO stat_event_amount
    SELECT s.event_id, w.district_code, count(*), sum(s.amount_fen)
    FROM service s JOIN worker w ON w.id = s.worker_id
    WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL AND s.event_id IS NOT NULL
    GROUP BY 1, 2;
-- (amount day fill ends)
-- (amount month fill begins)
INSERT INTO stat_amount_month
    SELECT substr(served_on, 1, 7), kind, district_code, sum(amount_fen)
    FROM stat_amount_day GROUP BY 1, 2, 3;
-- (amount month fill ends)

CREATE TRIGGER stat_amount_day_added AFTER INSERT ON stat_amount_day BEGIN
    INSERT INTO stat_amount_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.amount_fen)
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_day_changed AFTER UPDATE ON stat_amount_day BEGIN
    UPDATE stat_amount_month SET amount_fen = amount_fen - OLD.amount_fen
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
    INSERT INTO stat_amount_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.amount_fen)
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_day_removed AFTER DELETE ON stat_amount_day BEGIN
    UPDATE stat_amount_month SET amount_fen = amount_fen - OLD.amount_fen
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
END;

-- A service's part: its amount on its day and kind, and one service with its amount at its
-- event, both in its worker's district, while service and worker are live.
CREATE TRIGGER stat_amount_service_inserted AFTER INSERT ON service
WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_amount_day
        SELECT NEW.served_on, NEW.kind, w.district_code, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.amount_fen <> 0
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_event_amount
        SELECT NEW.event_id, w.district_code, 1, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.event_id IS NOT NULL
        ON CONFLICT DO UPDATE SET services = services + 1,
            amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_service_updated
AFTER UPDATE OF served_on, kind, deleted_at, worker_id, event_id, amount_fen ON service BEGIN
    UPDATE stat_amount_day SET amount_fen = amount_fen - OLD.amount_fen
    WHERE OLD.deleted_at IS NULL AND OLD.amount_fen <> 0
      AND served_on = OLD.served_on AND kind = OLD.kind
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_amount_day
        SELECT NEW.served_on, NEW.kind, w.district_code, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.deleted_at IS NULL AND NEW.amount_fen <> 0
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    UPDATE stat_event_amount
    SET services = services - 1, amount_fen = amount_fen - OLD.amount_fen
    WHERE OLD.deleted_at IS NULL AND event_id = OLD.event_id
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_event_amount
        SELECT NEW.event_id, w.district_code, 1, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.deleted_at IS NULL AND NEW.event_id IS NOT NULL
        ON CONFLICT DO UPDATE SET services = services + 1,
            amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_service_deleted AFTER DELETE ON service
WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE stat_amount_day SET amount_fen = amount_fen - OLD.amount_fen
    WHERE served_on = OLD.served_on AND kind = OLD.kind
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    UPDATE stat_event_amount
    SET services = services - 1, amount_fen = amount_fen - OLD.amount_fen
    WHERE event_id = OLD.event_id
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
END;
-- A worker who moves district, is withdrawn or restored takes their amounts along.
CREATE TRIGGER stat_amount_worker_moved AFTER UPDATE OF district_code, deleted_at ON worker
WHEN OLD.district_code IS NOT NEW.district_code
  OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO stat_amount_day
        SELECT served_on, kind, OLD.district_code, -sum(amount_fen) FROM service
        WHERE worker_id = OLD.id AND deleted_at IS NULL AND OLD.deleted_at IS NULL
          AND amount_fen <> 0
        GROUP BY served_on, kind
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_amount_day
        SELECT served_on, kind, NEW.district_code, sum(amount_fen) FROM service
        WHERE worker_id = NEW.id AND deleted_at IS NULL AND NEW.deleted_at IS NULL
          AND amount_fen <> 0
        GROUP BY served_on, kind
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_event_amount
        SELECT event_id, OLD.district_code, -count(*), -sum(amount_fen) FROM service
        WHERE worker_id = OLD.id AND deleted_at IS NULL AND OLD.deleted_at IS NULL
          AND event_id IS NOT NULL
        GROUP BY event_id
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_event_amount
        SELECT event_id, NEW.district_code, count(*), sum(amount_fen) FROM service
        WHERE worker_id = NEW.id AND deleted_at IS NULL AND NEW.deleted_at IS NULL
          AND event_id IS NOT NULL
        GROUP BY event_id
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            amount_fen = amount_fen + excluded.amount_fen;
END;
"#;

/// What workers ask for (`need`) and the mutual-aid claims of card-holding members
/// (`claim`), record tables like `service` (uid, version, tombstone, officer, origin); the
/// member card's protection period on the worker. A need is `open` until a service of a kind
/// that answers it is recorded (`answered`, naming the service) or an officer closes it
/// (`closed`). Claim documents are the ticked checklist codes joined by commas.
const MIGRATION_15: &str = r#"
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
"#;

/// Search by employer and worksite, and the given-name readings (issue 14). Employer and
/// worksite names are indexed once each with their pieces: every character and every
/// two-character piece (a worker has one employer, but a million workers share a few thousand
/// names, so the pieces of names cost little where pieces per worker would add tens of rows
/// each); the workers of a name are then found by the worker indexes on the two columns. The
/// pinyin keys are rebuilt because a given name's polyphonic characters now add readings.
const MIGRATION_16: &str = r#"
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
-- (search keys are rebuilt here)
"#;

/// Where a migration hands over to `search_keys::rebuild_search_keys`, which reads every
/// name with this build's pinyin rules (SQL cannot).
const SEARCH_KEYS_REBUILD: &str = "-- (search keys are rebuilt here)";

/// Where a migration hands over to `fill_served_months`, which does in one ordered pass what
/// SQL would do with two sorts of every service.
const SERVED_MONTHS_FILL: &str = "-- (served months are filled here)";

/// Fills the (empty) rollup tables from the records, as migrations 4 to 6 did: run again after
/// a bulk load that went in with the statistics triggers suspended. The daily service rollup
/// is counted in the same ordered pass as the served months (migration 4's SQL looked up each
/// service's worker at random: 7 s of 31 for a 200,000-worker demo), before migration 5's
/// monthly rollup is summed from it.
pub(crate) fn fill_rollups(conn: &Connection) -> rusqlite::Result<()> {
    let first = without_superseded_fill(section(MIGRATION_4, "rollup fill"));
    let first = first.replace(section(MIGRATION_4, "service day fill"), "");
    conn.execute_batch(&first)?;
    fill_served_months(conn, Fill::ServedMonthsAndDays)?;
    conn.execute_batch(section(MIGRATION_5, "rollup fill"))?;
    // The daily amounts and the events were counted in the same pass as the days.
    conn.execute_batch(section(MIGRATION_14, "amount month fill"))
}

/// `sql` less migration 4's fill of the served months and reach, which migration 6 empties and
/// fills again (on a million workers the first fill alone took over a minute).
fn without_superseded_fill(sql: &str) -> String {
    if sql.contains("-- (reach fill begins)") {
        sql.replace(section(sql, "reach fill"), "")
    } else {
        sql.to_string()
    }
}

/// The text of `migration` between `-- (NAME begins)` and `-- (NAME ends)`.
fn section<'m>(migration: &'m str, name: &str) -> &'m str {
    let start = migration
        .find(&format!("-- ({name} begins)"))
        .expect("the migration marks where the section begins");
    let end = migration
        .find(&format!("-- ({name} ends)"))
        .expect("the migration marks where the section ends");
    &migration[start..end]
}

/// The schema version of the database file at `path`, read without changing it; None when it
/// cannot be read that way (absent, not a database, encrypted). Lets a caller say before
/// opening that an upgrade, possibly minutes long on a large file, is about to run.
pub fn version_on_disk(path: &std::path::Path) -> Option<i64> {
    if !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .ok()
}

/// Brings `conn` to the latest schema. Returns the version found before upgrading.
pub fn migrate(conn: &mut Connection) -> Result<i64, MigrateError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > LATEST {
        return Err(MigrateError::Newer { found });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        let sql = without_superseded_fill(sql);
        let tx = conn.transaction()?;
        if let Some((before, after)) = sql.split_once(SERVED_MONTHS_FILL) {
            tx.execute_batch(before)?;
            fill_served_months(&tx, Fill::ServedMonths)?;
            tx.execute_batch(after)?;
        } else if let Some((before, after)) = sql.split_once(SEARCH_KEYS_REBUILD) {
            tx.execute_batch(before)?;
            rebuild_search_keys(&tx)?;
            tx.execute_batch(after)?;
        } else {
            tx.execute_batch(&sql)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(found)
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("database schema {found} is newer than this program knows")]
    Newer { found: i64 },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}
