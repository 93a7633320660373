-- One self-contained row per span (resource and scope inline, typed values as AttributeJson), laid out
-- for the searches: a service over a time range. attr_text and resource_attr_text hold the span's and the
-- resource's attributes in AttributeText form: lossless, and an attr.key=value filter is one substring test.
-- attributes, resource_attributes, search_keys and search_values are how rows were written before (AttributeJson
-- and parallel display-text arrays, twice the bytes and about twice ClickHouse's insert time); new rows leave them
-- empty, and readers use them only for rows whose attr_text columns are empty and whose attributes are not.
CREATE TABLE IF NOT EXISTS {spans}
(
  timestamp DateTime,
  service {low_cardinality_string},
  name {low_cardinality_string},
  kind Int32,
  trace_id FixedString(32),
  span_id FixedString(16),
  parent_span_id String,
  trace_state String,
  flags UInt32,
  start_time_unix_nano Int64,
  end_time_unix_nano Int64,
  duration_nanos Int64,
  status_code Int32,
  status_message String,
  attributes String,
  dropped_attributes_count UInt32,
  events String,
  dropped_events_count UInt32,
  links String,
  dropped_links_count UInt32,
  resource_attributes String,
  resource_dropped_attributes_count UInt32,
  resource_schema_url String,
  scope_name String,
  scope_version String,
  scope_attributes String,
  scope_dropped_attributes_count UInt32,
  scope_schema_url String,
  search_keys Array(String),
  search_values Array(String),
  attr_text String,
  resource_attr_text String{spans_indexes}
)
ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (service, timestamp)
SETTINGS index_granularity = 8192
