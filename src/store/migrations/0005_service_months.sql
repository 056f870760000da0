-- Services by month. On a large database the daily rollup holds a row for nearly every day,
-- kind and district (about 200,000), so a year read from it costs over 100 ms; whole months
-- are read from this one (a few thousand rows) and only the odd days at either end of a
-- period from the daily one. Kept in step with `stat_service_day` by triggers on it.

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
