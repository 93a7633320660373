-- Mesh span/log store, embedded SQLite, schema version 2 (PRAGMA user_version). Idempotent: run at every start.
-- Resources and scopes repeat on every span of a batch, so they are stored once and referenced by id.
CREATE TABLE IF NOT EXISTS resources (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  attributes TEXT NOT NULL,
  dropped_attributes INTEGER NOT NULL,
  schema_url TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS scopes (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes INTEGER NOT NULL,
  schema_url TEXT NOT NULL
);

-- Append-only: a batch inserts its spans grouped by trace, so each trace's spans in a batch take consecutive
-- row ids. row_id is declared (an alias of the rowid) so that VACUUM keeps the ids trace_runs points at.
CREATE TABLE IF NOT EXISTS spans (
  row_id INTEGER PRIMARY KEY,
  trace_id BLOB NOT NULL,
  span_id INTEGER NOT NULL,
  parent_span_id INTEGER NOT NULL,
  trace_state TEXT NOT NULL,
  flags INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  status_message TEXT NOT NULL,
  service TEXT NOT NULL,
  resource_id INTEGER NOT NULL REFERENCES resources(id),
  scope_id INTEGER NOT NULL REFERENCES scopes(id),
  attributes TEXT NOT NULL,
  dropped_attributes INTEGER NOT NULL,
  events TEXT NOT NULL,
  dropped_events INTEGER NOT NULL,
  links TEXT NOT NULL,
  dropped_links INTEGER NOT NULL
);

-- The trace lookup: one entry per (trace, batch), not per span, pointing at the batch's run of that trace's spans.
-- trace_key is the trace id's high 8 bytes as a signed integer; keys can collide, so readers also match
-- spans.trace_id. Trace ids are random, so every entry lands on a random B-tree page: a per-span index
-- dirtied thousands of pages per batch, and one small entry per trace and batch dirties far fewer.
CREATE TABLE IF NOT EXISTS trace_runs (
  trace_key INTEGER NOT NULL,
  first_rowid INTEGER NOT NULL,
  last_rowid INTEGER NOT NULL,
  PRIMARY KEY (trace_key, first_rowid)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS spans_service_start ON spans (service, start_ns);
CREATE INDEX IF NOT EXISTS spans_start ON spans (start_ns);

-- Distinct services and operations, kept at write time so listing them never scans spans.
CREATE TABLE IF NOT EXISTS operations (
  service TEXT NOT NULL,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  PRIMARY KEY (service, name, kind)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS logs (
  log_id INTEGER PRIMARY KEY,
  time_ns INTEGER NOT NULL,
  observed_ns INTEGER NOT NULL,
  effective_ns INTEGER NOT NULL,
  service TEXT NOT NULL,
  severity_number INTEGER NOT NULL,
  severity_text TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body TEXT NOT NULL,
  event_name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  dropped_attributes INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  trace_id BLOB,
  span_id INTEGER NOT NULL,
  resource_id INTEGER NOT NULL REFERENCES resources(id),
  scope_id INTEGER NOT NULL REFERENCES scopes(id)
);

CREATE INDEX IF NOT EXISTS logs_service_time ON logs (service, effective_ns);
CREATE INDEX IF NOT EXISTS logs_time ON logs (effective_ns);
CREATE INDEX IF NOT EXISTS logs_trace ON logs (trace_id) WHERE trace_id IS NOT NULL;
