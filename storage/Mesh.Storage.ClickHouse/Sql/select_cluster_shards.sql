-- How many shards the server's remote_servers config gives the cluster (0: the server does not know it).
SELECT count(DISTINCT shard_num) AS shards
FROM system.clusters
WHERE cluster = {cluster}
FORMAT JSONEachRow
