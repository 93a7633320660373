INSERT INTO {trace_index} (timestamp, trace_id, span_id, service, name, is_root, start_time_unix_nano, end_time_unix_nano, status_code) FORMAT RowBinary
