-- Which spans of a replayed batch the trace-id lookup holds: point reads on its trace_id key.
-- batch_trace_ids arrives as external data with the query.
SELECT DISTINCT trace_id, span_id
FROM {trace_index}
WHERE timestamp >= {first_second} AND timestamp <= {last_second}
  AND trace_id IN batch_trace_ids
FORMAT JSONEachRow
