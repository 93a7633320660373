using Mesh.Core.Rollups;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite.Rollups;

/// <summary>
/// A window summed per edge: each segment is one range of the primary key (resolution, bucket, edge), stepped through
/// SQLite's C API, and every row is added to its edge's running sums in place: measures as longs, the histogram blob
/// straight into a dense accumulator. Nothing is allocated per row, so an unaligned hour (~20 buckets per edge) costs
/// little more than reading its pages.
/// </summary>
internal static class SqliteRollupWindowRead
{
    private static readonly string Select = SqliteSchema.ReadSql("rollups_select_segment.sql");

    public static List<RollupRow> Run(SqliteConnection connection, SqliteRollupEdges edges, RollupWindowQuery query, CancellationToken cancellationToken)
    {
        var wanted = query.SourceService is null && query.DestinationService is null
            ? null
            : edges.IdsWhere(connection, query.SourceService, query.DestinationService);
        var slots = new Dictionary<long, int>();
        var sums = new List<Sum>();
        using var statement = new RawStatement(connection, Select);
        var n = 0;
        foreach (var segment in query.Segments)
        {
            if (segment.EndUnixSeconds <= segment.StartUnixSeconds)
            {
                continue;
            }

            statement.Reset();
            statement.Bind(1, segment.ResolutionSeconds);
            statement.Bind(2, segment.StartUnixSeconds);
            statement.Bind(3, segment.EndUnixSeconds);
            while (statement.Step())
            {
                if ((++n & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var edge = statement.ColumnInt64(0);
                if (wanted is not null && !wanted.Contains(edge))
                {
                    continue;
                }

                if (!slots.TryGetValue(edge, out var slot))
                {
                    slots.Add(edge, slot = sums.Count);
                    sums.Add(new Sum(edge));
                }

                sums[slot].Add(statement);
            }
        }

        var start = query.StartUnixSeconds;
        var rows = new List<RollupRow>(sums.Count);
        foreach (var sum in sums)
        {
            rows.Add(sum.ToRow(edges.KeyOf(connection, sum.Edge), start));
        }

        return rows;
    }

    private sealed class Sum(long edge)
    {
        private readonly HistogramAccumulator _histogram = new();
        private long _requests;
        private long _errors;
        private long _bytesIn;
        private long _bytesOut;
        private long _mtls;
        private long _retries;
        private long _rateLimited;
        private long _circuitBroken;
        private long _latencySum;

        public long Edge { get; } = edge;

        public void Add(RawStatement row)
        {
            _requests += row.ColumnInt64(1);
            _errors += row.ColumnInt64(2);
            _bytesIn += row.ColumnInt64(3);
            _bytesOut += row.ColumnInt64(4);
            _mtls += row.ColumnInt64(5);
            _retries += row.ColumnInt64(6);
            _rateLimited += row.ColumnInt64(7);
            _circuitBroken += row.ColumnInt64(8);
            _latencySum += row.ColumnInt64(9);

            // A blob this store did not write (it only writes Encode's form) adds no latencies rather than failing the map.
            _ = _histogram.TryAddEncoded(row.ColumnBlob(10));
        }

        public RollupRow ToRow(EdgeKey key, long start) => new()
        {
            ResolutionSeconds = RollupResolutions.Finest,
            BucketStartUnixSeconds = start,
            Key = key,
            Requests = _requests,
            Errors = _errors,
            BytesIn = _bytesIn,
            BytesOut = _bytesOut,
            MtlsRequests = _mtls,
            Retries = _retries,
            RateLimited = _rateLimited,
            CircuitBroken = _circuitBroken,
            LatencySumNanos = _latencySum,
            Histogram = _histogram.ToCounts(),
        };
    }
}
