-- Which records of a replayed batch are already stored, bounded by the batch's services and seconds.
SELECT DISTINCT log_id
FROM {logs}
WHERE service IN ({services})
  AND timestamp >= {first_second} AND timestamp <= {last_second}
  AND log_id IN ({log_ids})
FORMAT JSONEachRow
