-- Application-map rollups (Mesh.Core.Rollups): sums per resolution, bucket and edge. Rows for one key and bucket
-- (from several ingest nodes, several flushes) are added up by SummingMergeTree's merges, the histogram bucket by
-- bucket (a Nested table whose name ends in Map sums by its first column). Merges are eventual, so readers still
-- GROUP BY and sum. Works on 18.16 and current releases alike. Granules of 2048 rows: a window reads a few
-- (resolution, bucket) ranges of ~edges rows each, and 8192-row granules read ~2.5x the rows it needs.
CREATE TABLE IF NOT EXISTS {rollups}
(
  resolution UInt32,
  bucket DateTime,
  src_service String,
  src_version String,
  src_namespace String,
  src_kind UInt8,
  dst_service String,
  dst_version String,
  dst_namespace String,
  dst_kind UInt8,
  dst_endpoint String,
  route String,
  requests UInt64,
  errors UInt64,
  bytes_in UInt64,
  bytes_out UInt64,
  mtls UInt64,
  retries UInt64,
  rate_limited UInt64,
  circuit_broken UInt64,
  latency_sum UInt64,
  histogramMap Nested(idx Int32, count UInt64)
)
ENGINE = SummingMergeTree()
PARTITION BY (resolution, toYYYYMM(bucket))
ORDER BY (resolution, bucket, dst_service, src_service, src_version, dst_version, src_namespace, dst_namespace, src_kind, dst_kind, dst_endpoint, route)
SETTINGS index_granularity = 2048
