-- Erasure on request (PIPL art. 47): an erased worker or service keeps its row as a tombstone
-- with no personal data, and the reason code (`request`, `consent_withdrawn`,
-- `retention_expired`) that its erasure line carries in the next batch. '' for none.

ALTER TABLE worker ADD COLUMN erase_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE service ADD COLUMN erase_reason TEXT NOT NULL DEFAULT '';
