-- Migration 14, after its amounts are filled.
CREATE TRIGGER stat_amount_day_added AFTER INSERT ON stat_amount_day BEGIN
    INSERT INTO stat_amount_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.amount_fen)
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_day_changed AFTER UPDATE ON stat_amount_day BEGIN
    UPDATE stat_amount_month SET amount_fen = amount_fen - OLD.amount_fen
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
    INSERT INTO stat_amount_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.amount_fen)
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_day_removed AFTER DELETE ON stat_amount_day BEGIN
    UPDATE stat_amount_month SET amount_fen = amount_fen - OLD.amount_fen
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
END;

-- A service's part: its amount on its day and kind, and one service with its amount at its
-- event, both in its worker's district, while service and worker are live.
CREATE TRIGGER stat_amount_service_inserted AFTER INSERT ON service
WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_amount_day
        SELECT NEW.served_on, NEW.kind, w.district_code, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.amount_fen <> 0
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_event_amount
        SELECT NEW.event_id, w.district_code, 1, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.event_id IS NOT NULL
        ON CONFLICT DO UPDATE SET services = services + 1,
            amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_service_updated
AFTER UPDATE OF served_on, kind, deleted_at, worker_id, event_id, amount_fen ON service BEGIN
    UPDATE stat_amount_day SET amount_fen = amount_fen - OLD.amount_fen
    WHERE OLD.deleted_at IS NULL AND OLD.amount_fen <> 0
      AND served_on = OLD.served_on AND kind = OLD.kind
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_amount_day
        SELECT NEW.served_on, NEW.kind, w.district_code, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.deleted_at IS NULL AND NEW.amount_fen <> 0
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    UPDATE stat_event_amount
    SET services = services - 1, amount_fen = amount_fen - OLD.amount_fen
    WHERE OLD.deleted_at IS NULL AND event_id = OLD.event_id
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_event_amount
        SELECT NEW.event_id, w.district_code, 1, NEW.amount_fen
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.deleted_at IS NULL AND NEW.event_id IS NOT NULL
        ON CONFLICT DO UPDATE SET services = services + 1,
            amount_fen = amount_fen + excluded.amount_fen;
END;
CREATE TRIGGER stat_amount_service_deleted AFTER DELETE ON service
WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE stat_amount_day SET amount_fen = amount_fen - OLD.amount_fen
    WHERE served_on = OLD.served_on AND kind = OLD.kind
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
    UPDATE stat_event_amount
    SET services = services - 1, amount_fen = amount_fen - OLD.amount_fen
    WHERE event_id = OLD.event_id
      AND district_code = (SELECT district_code FROM worker
                           WHERE id = OLD.worker_id AND deleted_at IS NULL);
END;
-- A worker who moves district, is withdrawn or restored takes their amounts along.
CREATE TRIGGER stat_amount_worker_moved AFTER UPDATE OF district_code, deleted_at ON worker
WHEN OLD.district_code IS NOT NEW.district_code
  OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO stat_amount_day
        SELECT served_on, kind, OLD.district_code, -sum(amount_fen) FROM service
        WHERE worker_id = OLD.id AND deleted_at IS NULL AND OLD.deleted_at IS NULL
          AND amount_fen <> 0
        GROUP BY served_on, kind
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_amount_day
        SELECT served_on, kind, NEW.district_code, sum(amount_fen) FROM service
        WHERE worker_id = NEW.id AND deleted_at IS NULL AND NEW.deleted_at IS NULL
          AND amount_fen <> 0
        GROUP BY served_on, kind
        ON CONFLICT DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_event_amount
        SELECT event_id, OLD.district_code, -count(*), -sum(amount_fen) FROM service
        WHERE worker_id = OLD.id AND deleted_at IS NULL AND OLD.deleted_at IS NULL
          AND event_id IS NOT NULL
        GROUP BY event_id
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            amount_fen = amount_fen + excluded.amount_fen;
    INSERT INTO stat_event_amount
        SELECT event_id, NEW.district_code, count(*), sum(amount_fen) FROM service
        WHERE worker_id = NEW.id AND deleted_at IS NULL AND NEW.deleted_at IS NULL
          AND event_id IS NOT NULL
        GROUP BY event_id
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            amount_fen = amount_fen + excluded.amount_fen;
END;
