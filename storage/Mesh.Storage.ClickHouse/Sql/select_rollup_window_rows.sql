-- A short window of the application map (a few dozen buckets per edge, see ClickHouseRollupStore) as its stored
-- rows, summed per edge by the reader (RollupWindowRows). No GROUP BY: on 18.16 sumMap costs ~250 ns per histogram
-- bucket (a map of Fields per group), about 5x the cost of reading and sending the rows, and the reader adds a
-- row's histogram into a dense array per edge in a few ns per bucket. Each segment is a range of the sort key's
-- prefix (resolution, bucket). Same text and reply from 18.16 to current releases.
SELECT
  src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route,
  requests, errors, bytes_in, bytes_out, mtls, retries, rate_limited, circuit_broken, latency_sum,
  histogramMap.idx, histogramMap.count
FROM {rollups}
WHERE ({segments}){filters}
FORMAT RowBinary
