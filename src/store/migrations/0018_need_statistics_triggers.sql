-- Migration 17, after its counts are filled. The monthly counts follow the daily ones.
CREATE TRIGGER IF NOT EXISTS stat_need_day_added AFTER INSERT ON stat_need_day BEGIN
    INSERT INTO stat_need_month VALUES (substr(NEW.raised_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.state, NEW.hardship, NEW.needs)
        ON CONFLICT DO UPDATE SET needs = needs + excluded.needs;
END;
CREATE TRIGGER IF NOT EXISTS stat_need_day_changed AFTER UPDATE ON stat_need_day BEGIN
    UPDATE stat_need_month SET needs = needs - OLD.needs
    WHERE month = substr(OLD.raised_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code AND state = OLD.state
      AND hardship = OLD.hardship;
    INSERT INTO stat_need_month VALUES (substr(NEW.raised_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.state, NEW.hardship, NEW.needs)
        ON CONFLICT DO UPDATE SET needs = needs + excluded.needs;
END;
CREATE TRIGGER IF NOT EXISTS stat_need_day_removed AFTER DELETE ON stat_need_day BEGIN
    UPDATE stat_need_month SET needs = needs - OLD.needs
    WHERE month = substr(OLD.raised_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code AND state = OLD.state
      AND hardship = OLD.hardship;
END;

-- A need counts once, on its day raised, in its live worker's district, while both are live;
-- answering or closing it moves it from one state to the other.
CREATE TRIGGER IF NOT EXISTS stat_need_inserted AFTER INSERT ON need WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO stat_need_day
        SELECT NEW.raised_on, NEW.kind, w.district_code, NEW.state, w.hardship <> 0, 1
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET needs = needs + 1;
END;
CREATE TRIGGER IF NOT EXISTS stat_need_updated
AFTER UPDATE OF raised_on, kind, state, deleted_at, worker_id ON need BEGIN
    UPDATE stat_need_day SET needs = needs - 1
    WHERE OLD.deleted_at IS NULL AND raised_on = OLD.raised_on AND kind = OLD.kind
      AND state = OLD.state
      AND (district_code, hardship) = (SELECT district_code, hardship <> 0 FROM worker
                                       WHERE id = OLD.worker_id AND deleted_at IS NULL);
    INSERT INTO stat_need_day
        SELECT NEW.raised_on, NEW.kind, w.district_code, NEW.state, w.hardship <> 0, 1
        FROM worker w WHERE w.id = NEW.worker_id AND w.deleted_at IS NULL
          AND NEW.deleted_at IS NULL
        ON CONFLICT DO UPDATE SET needs = needs + 1;
END;
CREATE TRIGGER IF NOT EXISTS stat_need_deleted AFTER DELETE ON need WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE stat_need_day SET needs = needs - 1
    WHERE raised_on = OLD.raised_on AND kind = OLD.kind AND state = OLD.state
      AND (district_code, hardship) = (SELECT district_code, hardship <> 0 FROM worker
                                       WHERE id = OLD.worker_id AND deleted_at IS NULL);
END;
-- A worker who moves district, becomes or stops being a hardship worker, is withdrawn or
-- restored takes their needs along.
CREATE TRIGGER IF NOT EXISTS stat_need_worker_moved AFTER UPDATE OF district_code, hardship, deleted_at ON worker
WHEN OLD.district_code IS NOT NEW.district_code
  OR (OLD.hardship <> 0) IS NOT (NEW.hardship <> 0)
  OR (OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO stat_need_day
        SELECT raised_on, kind, OLD.district_code, state, OLD.hardship <> 0, -count(*)
        FROM need
        WHERE worker_id = OLD.id AND deleted_at IS NULL AND OLD.deleted_at IS NULL
        GROUP BY raised_on, kind, state
        ON CONFLICT DO UPDATE SET needs = needs + excluded.needs;
    INSERT INTO stat_need_day
        SELECT raised_on, kind, NEW.district_code, state, NEW.hardship <> 0, count(*)
        FROM need
        WHERE worker_id = NEW.id AND deleted_at IS NULL AND NEW.deleted_at IS NULL
        GROUP BY raised_on, kind, state
        ON CONFLICT DO UPDATE SET needs = needs + excluded.needs;
END;
CREATE TRIGGER IF NOT EXISTS stat_need_worker_deleted AFTER DELETE ON worker WHEN OLD.deleted_at IS NULL
BEGIN
    INSERT INTO stat_need_day
        SELECT raised_on, kind, OLD.district_code, state, OLD.hardship <> 0, -count(*)
        FROM need WHERE worker_id = OLD.id AND deleted_at IS NULL
        GROUP BY raised_on, kind, state
        ON CONFLICT DO UPDATE SET needs = needs + excluded.needs;
END;
