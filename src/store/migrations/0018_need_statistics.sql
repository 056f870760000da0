-- Demand beside supply, for the statistics: live needs of live workers counted by the day
-- raised, kind, the worker's workplace district, the need's state and whether the worker is a
-- hardship worker (the open-longest list's total), and by month summed from the days as
-- migration 14 does for the amounts. Claims are few (card-holding members who claimed), so
-- their figures read the claims through the two indexes below instead of a rollup.
-- `IF NOT EXISTS`: the statistics upgrade test runs the migrations after 3 again.

CREATE TABLE IF NOT EXISTS stat_need_day (
    raised_on     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    state         TEXT NOT NULL,
    hardship      INTEGER NOT NULL,
    needs         INTEGER NOT NULL,
    PRIMARY KEY (raised_on, kind, district_code, state, hardship)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stat_need_month (
    month         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    district_code TEXT NOT NULL,
    state         TEXT NOT NULL,
    hardship      INTEGER NOT NULL,
    needs         INTEGER NOT NULL,
    PRIMARY KEY (month, kind, district_code, state, hardship)
) WITHOUT ROWID;
-- Claims by the day recorded (China time, the first ten characters of the stamp) and by the
-- day paid.
CREATE INDEX IF NOT EXISTS claim_recorded ON claim(created_at) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS claim_paid ON claim(paid_on) WHERE deleted_at IS NULL AND paid_on IS NOT NULL;
-- Rerunnable over its own tables (the upgrade tests put `user_version` back): the counts
-- start empty, without the triggers that would count the fill into the months twice.
DROP TRIGGER IF EXISTS stat_need_day_added;
DROP TRIGGER IF EXISTS stat_need_day_changed;
DROP TRIGGER IF EXISTS stat_need_day_removed;
DELETE FROM stat_need_day;
DELETE FROM stat_need_month;
