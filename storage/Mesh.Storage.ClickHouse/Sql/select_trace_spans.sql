SELECT
  trace_id, span_id, parent_span_id, trace_state, flags, name, kind,
  start_time_unix_nano, end_time_unix_nano, status_code, status_message,
  attributes, attr_text, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count,
  resource_attributes, resource_attr_text, resource_dropped_attributes_count, resource_schema_url,
  scope_name, scope_version, scope_attributes, scope_dropped_attributes_count, scope_schema_url
FROM {spans}
WHERE service IN ({services})
  AND timestamp >= {first_second} AND timestamp <= {last_second}
  AND trace_id = {trace_id}
ORDER BY start_time_unix_nano, span_id
FORMAT JSONEachRow
