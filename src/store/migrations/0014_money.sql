-- Money handed out, for the statistics: the amounts of live services by day, kind and
-- district (and by month, summed from the days as migration 5 does for the counts), and the
-- services and amounts of each event by district. Tables of their own, so the counting
-- triggers of migrations 4 to 6 stay as they are; the same kinds of change move them.
-- `IF NOT EXISTS`: the statistics upgrade test runs the migrations after 3 again.

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
