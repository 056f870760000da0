-- Live services of live workers by day, kind and district (migration 4; a bulk load
-- counts them in the ordered pass of `fill_served_months` instead).
INSERT INTO stat_service_day
    SELECT s.served_on, s.kind, w.district_code, count(*), sum(coalesce(h.referral, 0))
    FROM service s JOIN worker w ON w.id = s.worker_id
         LEFT JOIN health_check h ON h.service_id = s.id
    WHERE s.deleted_at IS NULL AND w.deleted_at IS NULL
    GROUP BY 1, 2, 3;
