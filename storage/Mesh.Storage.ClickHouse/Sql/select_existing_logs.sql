-- Which records of a replayed batch are stored, bounded by the batch's services and seconds.
-- batch_services and batch_log_ids arrive as external data with the query.
SELECT DISTINCT log_id
FROM {logs}
WHERE service IN batch_services
  AND timestamp >= {first_second} AND timestamp <= {last_second}
  AND log_id IN batch_log_ids
FORMAT JSONEachRow
