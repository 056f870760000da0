-- A need answered on this database by a service that arrived in a batch (or a need that
-- arrived open while such a service was here) is marked answered without a new version: the
-- state is derived from the records, the same on every receiver whatever the order of the
-- batches, and is not sent on. `answered_here` = 1 marks such a derived answer, so it can be
-- derived again when the need or one of the worker's services changes.
ALTER TABLE need ADD COLUMN answered_here INTEGER NOT NULL DEFAULT 0;
