-- Which spans of a replayed batch the spans table already holds; the batch's services and seconds
-- bound the scan to the (service, timestamp) key ranges the batch can have reached.
SELECT DISTINCT trace_id, span_id
FROM {spans}
WHERE service IN ({services})
  AND timestamp >= {first_second} AND timestamp <= {last_second}
  AND trace_id IN ({trace_ids})
FORMAT JSONEachRow
