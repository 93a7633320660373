-- Schema 1 (no user_version) found spans by a unique (trace_id, span_id) index. Runs after schema.sql has
-- created trace_runs, in the same transaction. Old rows are not grouped by trace, so each gets a run of its
-- own; inserting them in key order keeps the B-tree build sequential.
INSERT INTO trace_runs (trace_key, first_rowid, last_rowid)
SELECT mesh_trace_key(trace_id), rowid, rowid FROM spans ORDER BY 1, 2;

DROP INDEX IF EXISTS spans_trace;
