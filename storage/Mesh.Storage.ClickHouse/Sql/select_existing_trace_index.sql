-- Which spans of a replayed batch the trace-id lookup already holds (a point lookup per trace id).
SELECT DISTINCT trace_id, span_id
FROM {trace_index}
WHERE timestamp >= {first_second} AND timestamp <= {last_second}
  AND trace_id IN ({trace_ids})
FORMAT JSONEachRow
