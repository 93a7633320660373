INSERT INTO rollups (resolution, bucket, edge_id, requests, errors, bytes_in, bytes_out, mtls, retries, rate_limited, circuit_broken, latency_sum, histogram)
VALUES ($resolution, $bucket, $edge, $requests, $errors, $bytes_in, $bytes_out, $mtls, $retries, $rate_limited, $circuit_broken, $latency_sum, $histogram)
ON CONFLICT (resolution, bucket, edge_id) DO UPDATE SET
  requests = requests + excluded.requests,
  errors = errors + excluded.errors,
  bytes_in = bytes_in + excluded.bytes_in,
  bytes_out = bytes_out + excluded.bytes_out,
  mtls = mtls + excluded.mtls,
  retries = retries + excluded.retries,
  rate_limited = rate_limited + excluded.rate_limited,
  circuit_broken = circuit_broken + excluded.circuit_broken,
  latency_sum = latency_sum + excluded.latency_sum,
  histogram = mesh_hist_add(histogram, excluded.histogram)
