-- Migration 4, after its rollups are filled from the rows already there.
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
