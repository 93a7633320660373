using Mesh.Core.Rollups;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite.Rollups;

/// <summary>One contribution, in one transaction: its id first (nothing happens if it is known), then every row added.</summary>
internal static class SqliteRollupWrite
{
    private static readonly string Upsert = SqliteSchema.ReadSql("rollups_upsert.sql");

    public static void Run(SqliteConnection connection, SqliteRollupEdges edges, IReadOnlyList<RollupRow> rows, string contributionId)
    {
        using var transaction = connection.BeginTransaction();
        using (var mark = connection.CreateCommand())
        {
            mark.Transaction = transaction;
            mark.CommandText = "INSERT OR IGNORE INTO rollup_contributions (id, written_at) VALUES ($id, unixepoch())";
            mark.Parameters.AddWithValue("$id", contributionId);
            if (mark.ExecuteNonQuery() == 0)
            {
                // Written before (a retry after a lost reply): adding again would double it.
                return;
            }
        }

        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = Upsert;
        var p = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in new[] { "resolution", "bucket", "edge", "requests", "errors", "bytes_in", "bytes_out", "mtls", "retries", "rate_limited", "circuit_broken", "latency_sum", "histogram" })
        {
            p[name] = upsert.Parameters.Add("$" + name, name == "histogram" ? SqliteType.Blob : SqliteType.Integer);
        }

        upsert.Prepare();

        // Edge ids inserted by this transaction join the shared cache only once it commits: a rolled-back id is reused.
        var fresh = new Dictionary<EdgeKey, long>();
        foreach (var row in rows)
        {
            p["resolution"].Value = row.ResolutionSeconds;
            p["bucket"].Value = row.BucketStartUnixSeconds;
            p["edge"].Value = EdgeId(connection, transaction, edges, fresh, row.Key);
            p["requests"].Value = row.Requests;
            p["errors"].Value = row.Errors;
            p["bytes_in"].Value = row.BytesIn;
            p["bytes_out"].Value = row.BytesOut;
            p["mtls"].Value = row.MtlsRequests;
            p["retries"].Value = row.Retries;
            p["rate_limited"].Value = row.RateLimited;
            p["circuit_broken"].Value = row.CircuitBroken;
            p["latency_sum"].Value = row.LatencySumNanos;
            p["histogram"].Value = row.Histogram.Encode();
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
        foreach (var (key, id) in fresh)
        {
            edges.Add(id, key);
        }
    }

    private static long EdgeId(SqliteConnection connection, SqliteTransaction transaction, SqliteRollupEdges edges, Dictionary<EdgeKey, long> fresh, EdgeKey key)
    {
        if (edges.TryGetId(key, out var id) || fresh.TryGetValue(key, out id))
        {
            return id;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO rollup_edges (src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route)
            VALUES ($ss, $sv, $sn, $sk, $ds, $dv, $dn, $dk, $de, $r)
            ON CONFLICT DO UPDATE SET route = excluded.route
            RETURNING id
            """;
        command.Parameters.AddWithValue("$ss", key.SourceService);
        command.Parameters.AddWithValue("$sv", key.SourceVersion);
        command.Parameters.AddWithValue("$sn", key.SourceNamespace);
        command.Parameters.AddWithValue("$sk", (int)key.SourceKind);
        command.Parameters.AddWithValue("$ds", key.DestinationService);
        command.Parameters.AddWithValue("$dv", key.DestinationVersion);
        command.Parameters.AddWithValue("$dn", key.DestinationNamespace);
        command.Parameters.AddWithValue("$dk", (int)key.DestinationKind);
        command.Parameters.AddWithValue("$de", key.DestinationEndpoint);
        command.Parameters.AddWithValue("$r", key.Route);
        id = (long)command.ExecuteScalar()!;
        fresh.Add(key, id);
        return id;
    }
}
