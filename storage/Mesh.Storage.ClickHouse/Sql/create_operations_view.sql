-- Runs on every block inserted into spans; the GROUP BY shrinks a batch to its few distinct operations.
CREATE MATERIALIZED VIEW IF NOT EXISTS {operations_view} TO {operations}
AS SELECT service, name, kind
FROM {spans}
GROUP BY service, name, kind
