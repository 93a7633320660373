SELECT r.edge_id, r.bucket, r.requests, r.errors, r.bytes_in, r.bytes_out, r.mtls, r.retries, r.rate_limited, r.circuit_broken, r.latency_sum, r.histogram
FROM rollups r
WHERE r.resolution = $resolution AND r.bucket >= $start AND r.bucket < $end
