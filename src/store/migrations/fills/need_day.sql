-- Live needs of live workers by day raised, kind, district, state and hardship.
INSERT INTO stat_need_day
    SELECT n.raised_on, n.kind, w.district_code, n.state, w.hardship <> 0, count(*)
    FROM need n JOIN worker w ON w.id = n.worker_id
    WHERE n.deleted_at IS NULL AND w.deleted_at IS NULL
    GROUP BY 1, 2, 3, 4, 5;
