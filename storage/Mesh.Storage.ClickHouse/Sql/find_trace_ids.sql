-- Traces with at least one span meeting every criterion, newest matching span first.
SELECT trace_id, max(start_time_unix_nano) AS newest_start
FROM {spans}
WHERE timestamp >= {first_second} AND timestamp <= {last_second}
  AND start_time_unix_nano >= {start} AND start_time_unix_nano < {end}{filters}
GROUP BY trace_id
ORDER BY newest_start DESC, trace_id DESC
LIMIT {limit}
FORMAT JSONEachRow
