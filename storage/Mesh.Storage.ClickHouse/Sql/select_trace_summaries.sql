-- Summaries over whole traces from the trace-id lookup. The root is a span without a parent, else the
-- earliest span: argMin over (not root, start, span id) picks exactly that, deterministically.
SELECT
  trace_id,
  min(start_time_unix_nano) AS start_time,
  max(end_time_unix_nano) AS end_time,
  count() AS span_count,
  countIf(status_code = 2) AS error_count,
  groupUniqArray(service) AS services,
  argMin(service, (1 - is_root, start_time_unix_nano, span_id)) AS root_service,
  argMin(name, (1 - is_root, start_time_unix_nano, span_id)) AS root_name
FROM {trace_index}
WHERE trace_id IN ({trace_ids})
GROUP BY trace_id
FORMAT JSONEachRow
