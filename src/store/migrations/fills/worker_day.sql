-- Live workers by district, registration day, membership and hardship.
INSERT INTO stat_worker_day
    SELECT district_code, substr(created_at, 1, 10), membership, hardship, count(*)
    FROM worker WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4;
