-- One self-contained row per log record, for a service over a time range. body is the display text
-- (what "contains" searches); body_json is the typed body as AttributeJson, left empty for string
-- bodies, whose display text is the value itself.
CREATE TABLE IF NOT EXISTS {logs}
(
  timestamp DateTime,
  service {low_cardinality_string},
  effective_time_unix_nano Int64,
  log_id UInt64,
  time_unix_nano Int64,
  observed_time_unix_nano Int64,
  severity_number Int32,
  severity_text {low_cardinality_string},
  body String,
  body_json String,
  event_name String,
  attributes String,
  dropped_attributes_count UInt32,
  flags UInt32,
  trace_id String,
  span_id String,
  resource_attributes String,
  resource_dropped_attributes_count UInt32,
  resource_schema_url String,
  scope_name String,
  scope_version String,
  scope_attributes String,
  scope_dropped_attributes_count UInt32,
  scope_schema_url String
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (service, timestamp)
SETTINGS index_granularity = 8192
