-- Schema 1 (no user_version) found spans by a unique (trace_id, span_id) index. Runs after schema.sql has
-- created trace_runs, in the same transaction. Old rows are not grouped by trace, so each gets a run of its
-- own. Reading them in trace id order walks that old index (no sort of the whole table in memory) and hands
-- trace_runs its keys in two ascending sweeps (ids 00… to 7f…, then the negative keys 80… to ff…).
INSERT INTO trace_runs (trace_key, first_rowid, last_rowid)
SELECT mesh_trace_key(trace_id), rowid, rowid FROM spans ORDER BY trace_id;

DROP INDEX IF EXISTS spans_trace;
