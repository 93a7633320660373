SELECT
  log_id, time_unix_nano, observed_time_unix_nano, severity_number, severity_text, body, body_json,
  event_name, attributes, dropped_attributes_count, flags, trace_id, span_id,
  resource_attributes, resource_dropped_attributes_count, resource_schema_url,
  scope_name, scope_version, scope_attributes, scope_dropped_attributes_count, scope_schema_url
FROM {logs}
WHERE timestamp >= {first_second} AND timestamp <= {last_second}
  AND effective_time_unix_nano >= {start} AND effective_time_unix_nano < {end}{filters}
ORDER BY effective_time_unix_nano DESC, log_id DESC
LIMIT {limit}
FORMAT JSONEachRow
