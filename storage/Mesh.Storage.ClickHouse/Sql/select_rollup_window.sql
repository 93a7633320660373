-- A window of the application map summed per edge on the server: every segment (coarse buckets for the middle,
-- fine ones for the ragged ends) and every unmerged part add up in one GROUP BY, the histograms bucket by bucket
-- (sumMap), so the reply is one row per edge whatever the window. Each segment is a range of the sort key's
-- prefix (resolution, bucket). sumMap, sum and RowBinary replies are the same from 18.16 to current releases.
SELECT
  src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route,
  sum(requests), sum(errors), sum(bytes_in), sum(bytes_out), sum(mtls), sum(retries), sum(rate_limited), sum(circuit_broken),
  sum(latency_sum), sumMap(histogramMap.idx, histogramMap.count)
FROM {rollups}
WHERE ({segments}){filters}
GROUP BY src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route
FORMAT RowBinary
