-- Statistics. Counting a million workers row by row takes longer than the statistics screen
-- may, so triggers keep small rollup tables in step with every write, whoever makes it (forms,
-- demo data, batch import). A worker's rollup rows are rebuilt from that worker's own rows
-- (a handful) through the `stat_refresh_*` views, which act as stored procedures. Only live
-- services of live workers count; a service counts in its worker's district.

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
