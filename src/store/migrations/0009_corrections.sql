-- Corrections: a withdrawal keeps the record as a tombstone carrying the officer's reason; the
-- audit row of the withdrawal carries it too (who, when, why); a legal-aid visit that closes
-- its case names the outcome. Empty text means "none", so older rows need no rewrite.

ALTER TABLE worker ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE event ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE service ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE legal_aid ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
-- Cases closed in a period, for the statistics: a few rows of the case heads, not all.
CREATE INDEX stat_legal_head_closed ON stat_legal_head(served_on, district_code) WHERE NOT is_open;
