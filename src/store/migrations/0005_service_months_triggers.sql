-- Migration 5, after its monthly rollup is filled.
CREATE TRIGGER stat_service_day_added AFTER INSERT ON stat_service_day BEGIN
    INSERT INTO stat_service_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.services, NEW.referred)
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            referred = referred + excluded.referred;
END;
CREATE TRIGGER stat_service_day_changed AFTER UPDATE ON stat_service_day BEGIN
    UPDATE stat_service_month
    SET services = services - OLD.services, referred = referred - OLD.referred
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
    INSERT INTO stat_service_month VALUES (substr(NEW.served_on, 1, 7), NEW.kind,
        NEW.district_code, NEW.services, NEW.referred)
        ON CONFLICT DO UPDATE SET services = services + excluded.services,
            referred = referred + excluded.referred;
END;
CREATE TRIGGER stat_service_day_removed AFTER DELETE ON stat_service_day BEGIN
    UPDATE stat_service_month
    SET services = services - OLD.services, referred = referred - OLD.referred
    WHERE month = substr(OLD.served_on, 1, 7) AND kind = OLD.kind
      AND district_code = OLD.district_code;
END;
