-- Amounts of live services by day, kind and district, and per event (migration 14; a bulk
-- load counts them in the ordered pass of `fill_served_months` instead).
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
