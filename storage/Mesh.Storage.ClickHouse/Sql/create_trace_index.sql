-- The trace-id lookup: small rows ordered by trace id. It answers "where (which days, which services)
-- does this trace live" for GetTrace, "which spans are already stored" for replays, and holds what a
-- trace summary needs, so summaries never scan the wide spans table.
CREATE TABLE IF NOT EXISTS {trace_index}
(
  timestamp DateTime,
  trace_id FixedString(32),
  span_id FixedString(16),
  service {low_cardinality_string},
  name {low_cardinality_string},
  is_root UInt8,
  start_time_unix_nano Int64,
  end_time_unix_nano Int64,
  status_code Int32
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (trace_id, span_id)
SETTINGS index_granularity = 8192
