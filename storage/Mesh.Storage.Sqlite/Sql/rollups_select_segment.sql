SELECT edge_id, requests, errors, bytes_in, bytes_out, mtls, retries, rate_limited, circuit_broken, latency_sum, histogram
FROM rollups
WHERE resolution = ?1 AND bucket >= ?2 AND bucket < ?3
