-- The latest visit of each legal-aid case and its tallies, and the waiting follow-ups.
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
