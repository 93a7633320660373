-- Which of a replayed batch's spans (those the trace-id lookup lacks) the spans table holds. The batch's
-- services and seconds bound the scan to the (service, timestamp) key ranges the batch can have reached;
-- batch_services and batch_trace_ids arrive as external data with the query.
SELECT DISTINCT trace_id, span_id
FROM {spans}
WHERE service IN batch_services
  AND timestamp >= {first_second} AND timestamp <= {last_second}
  AND trace_id IN batch_trace_ids
FORMAT JSONEachRow
