-- Where a trace lives: its services and first/last second, so the spans query can use the spans
-- table's (service, timestamp) key and touch only the trace's partitions.
SELECT
  toUInt32(min(timestamp)) AS first_second,
  toUInt32(max(timestamp)) AS last_second,
  groupUniqArray(service) AS services
FROM {trace_index}
WHERE trace_id = {trace_id}
FORMAT JSONEachRow
