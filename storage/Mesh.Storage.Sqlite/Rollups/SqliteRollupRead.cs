using Mesh.Core.Rollups;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite.Rollups;

/// <summary>
/// Reads rollup rows of one resolution and range by the primary key, and adds them up in memory (per edge, or
/// per edge and bucket): a blob histogram has no SQL sum, and a range of a coarse resolution is few rows.
/// </summary>
internal static class SqliteRollupRead
{
    private static readonly string Select = SqliteSchema.ReadSql("rollups_select.sql");

    public static List<RollupRow> Run(SqliteConnection connection, SqliteRollupEdges edges, RollupQuery query, CancellationToken cancellationToken)
    {
        var wanted = query.SourceService is null && query.DestinationService is null
            ? null
            : edges.IdsWhere(connection, query.SourceService, query.DestinationService);
        var sums = new Dictionary<(long Edge, long Bucket), RollupRow>();
        using var command = connection.CreateCommand();
        command.CommandText = Select;
        command.Parameters.AddWithValue("$resolution", query.ResolutionSeconds);
        command.Parameters.AddWithValue("$start", query.StartUnixSeconds);
        command.Parameters.AddWithValue("$end", query.EndUnixSeconds);
        using var reader = command.ExecuteReader();
        var n = 0;
        while (reader.Read())
        {
            if ((++n & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var edge = reader.GetInt64(0);
            if (wanted is not null && !wanted.Contains(edge))
            {
                continue;
            }

            var bucket = query.PerBucket ? reader.GetInt64(1) : query.StartUnixSeconds;
            var row = new RollupRow
            {
                ResolutionSeconds = query.ResolutionSeconds,
                BucketStartUnixSeconds = bucket,
                Key = edges.KeyOf(connection, edge),
                Requests = reader.GetInt64(2),
                Errors = reader.GetInt64(3),
                BytesIn = reader.GetInt64(4),
                BytesOut = reader.GetInt64(5),
                MtlsRequests = reader.GetInt64(6),
                Retries = reader.GetInt64(7),
                RateLimited = reader.GetInt64(8),
                CircuitBroken = reader.GetInt64(9),
                LatencySumNanos = reader.GetInt64(10),
                Histogram = HistogramCounts.TryDecode((byte[])reader.GetValue(11), out var h) ? h : HistogramCounts.Empty,
            };
            sums[(edge, bucket)] = sums.TryGetValue((edge, bucket), out var sum) ? sum.Add(row) : row;
        }

        return [.. sums.Values];
    }
}
