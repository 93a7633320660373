SELECT
  {bucket_expr} AS b,
  src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route,
  sum(requests) AS requests, sum(errors) AS errors, sum(bytes_in) AS bytes_in, sum(bytes_out) AS bytes_out,
  sum(mtls) AS mtls, sum(retries) AS retries, sum(rate_limited) AS rate_limited, sum(circuit_broken) AS circuit_broken,
  sum(latency_sum) AS latency_sum, sumMap(histogramMap.idx, histogramMap.count) AS histogram
FROM {rollups}
WHERE resolution = {resolution} AND bucket >= {start} AND bucket < {end}{filters}
GROUP BY b, src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route
FORMAT JSONEachRow
