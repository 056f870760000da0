-- Migration 6, after `fill_served_months` filled the served months and reach.
CREATE TRIGGER stat_worker_month_added AFTER INSERT ON stat_worker_month BEGIN
    INSERT INTO stat_reach VALUES (NEW.district_code, NEW.month, NEW.prev_month, NEW.hardship, 1)
        ON CONFLICT DO UPDATE SET workers = workers + 1;
END;
CREATE TRIGGER stat_worker_month_removed AFTER DELETE ON stat_worker_month BEGIN
    UPDATE stat_reach SET workers = workers - 1
    WHERE district_code = OLD.district_code AND month = OLD.month
      AND prev_month = OLD.prev_month AND hardship = OLD.hardship;
END;
CREATE TRIGGER stat_refresh_months_run INSTEAD OF INSERT ON stat_refresh_months BEGIN
    DELETE FROM stat_worker_month WHERE worker_id = NEW.worker_id;
    INSERT INTO stat_worker_month
        SELECT w.id, m.month, coalesce(lag(m.month) OVER months, ''), w.district_code,
               w.hardship, m.first_day, m.last_day, coalesce(lag(m.last_day) OVER months, ''),
               coalesce(lead(m.month) OVER months, '')
        FROM worker w
             JOIN (SELECT substr(served_on, 1, 7) AS month, min(served_on) AS first_day,
                          max(served_on) AS last_day
                   FROM service WHERE worker_id = NEW.worker_id AND deleted_at IS NULL
                   GROUP BY 1) m
        WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
        WINDOW months AS (ORDER BY m.month);
END;
-- A service inside the days its month already spans changes no month row.
CREATE TRIGGER stat_service_inserted AFTER INSERT ON service WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_service_day
        SELECT NEW.served_on, NEW.kind, w.district_code, 1, 0
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET services = services + 1;
    INSERT INTO stat_refresh_months SELECT NEW.worker_id WHERE NOT EXISTS (
        SELECT 1 FROM stat_worker_month
        WHERE worker_id = NEW.worker_id AND month = substr(NEW.served_on, 1, 7)
          AND first_day <= NEW.served_on AND last_day >= NEW.served_on);
END;
