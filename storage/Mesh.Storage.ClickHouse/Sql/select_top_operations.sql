-- The busiest operations of one service's server spans in a window, the mesh proxies' spans and the app's own
-- apart ({proxy}), each with its requests, failures ({error}) and nearest-rank p99 (rank ceil(0.99 n)). Read along
-- the (service, timestamp) key; on a cluster each shard aggregates its part and the initiator merges them.
SELECT
  name,
  {proxy} AS proxy,
  count() AS requests,
  sum({error}) AS errors,
  arrayElement(arraySort(groupArray(duration_nanos)), intDiv(99 * count() + 99, 100)) AS p99_nanos
FROM {spans}
WHERE service = {service} AND kind = 2
  AND timestamp >= {first_second} AND timestamp <= {last_second}
  AND start_time_unix_nano >= {start} AND start_time_unix_nano < {end}
GROUP BY name, proxy
ORDER BY proxy DESC, requests DESC, name ASC
LIMIT {limit} BY proxy
FORMAT JSONEachRow
