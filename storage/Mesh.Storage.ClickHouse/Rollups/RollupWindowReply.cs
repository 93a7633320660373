using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Rollups;

/// <summary>Reads <c>Sql/select_rollup_window.sql</c>'s RowBinary reply: one summed row per edge.</summary>
internal static class RollupWindowReply
{
    public static List<RollupRow> Read(ReadOnlySpan<byte> body, long start)
    {
        var rows = new List<RollupRow>();
        var reader = new RowBinaryReader(body);
        while (!reader.End)
        {
            var key = ReadKey(ref reader);
            var requests = reader.ReadUInt64AsInt64();
            var errors = reader.ReadUInt64AsInt64();
            var bytesIn = reader.ReadUInt64AsInt64();
            var bytesOut = reader.ReadUInt64AsInt64();
            var mtls = reader.ReadUInt64AsInt64();
            var retries = reader.ReadUInt64AsInt64();
            var rateLimited = reader.ReadUInt64AsInt64();
            var circuitBroken = reader.ReadUInt64AsInt64();
            var latencySum = reader.ReadUInt64AsInt64();
            rows.Add(new RollupRow
            {
                ResolutionSeconds = RollupResolutions.Finest,
                BucketStartUnixSeconds = start,
                Key = key,
                Requests = requests,
                Errors = errors,
                BytesIn = bytesIn,
                BytesOut = bytesOut,
                MtlsRequests = mtls,
                Retries = retries,
                RateLimited = rateLimited,
                CircuitBroken = circuitBroken,
                LatencySumNanos = latencySum,
                Histogram = ReadHistogram(ref reader),
            });
        }

        return rows;
    }

    /// <summary>The ten key columns of a row, as both window queries return them.</summary>
    public static EdgeKey ReadKey(ReadOnlySpan<byte> keyBytes)
    {
        var reader = new RowBinaryReader(keyBytes);
        return ReadKey(ref reader);
    }

    private static EdgeKey ReadKey(ref RowBinaryReader reader) => new()
    {
        SourceService = reader.ReadString(),
        SourceVersion = reader.ReadString(),
        SourceNamespace = reader.ReadString(),
        SourceKind = (NodeKind)reader.ReadUInt8(),
        DestinationService = reader.ReadString(),
        DestinationVersion = reader.ReadString(),
        DestinationNamespace = reader.ReadString(),
        DestinationKind = (NodeKind)reader.ReadUInt8(),
        DestinationEndpoint = reader.ReadString(),
        Route = reader.ReadString(),
    };

    /// <summary>sumMap's Tuple(Array(Int32), Array(UInt64)): keys ascending, counts in the same order.</summary>
    private static HistogramCounts ReadHistogram(ref RowBinaryReader reader)
    {
        var histogram = new HistogramAccumulator();
        AddHistogram(ref reader, histogram);
        return histogram.ToCounts();
    }

    /// <summary>
    /// A histogram as two arrays of the same length, bucket indexes then counts (sumMap's tuple, or the stored Nested
    /// column), added into <paramref name="into"/>.
    /// </summary>
    public static void AddHistogram(ref RowBinaryReader reader, HistogramAccumulator into)
    {
        var n = reader.ReadLength(minBytes: 4);
        Span<int> indexes = n <= 512 ? stackalloc int[n] : new int[n];
        for (var i = 0; i < n; i++)
        {
            indexes[i] = reader.ReadInt32();
        }

        if (reader.ReadLength(minBytes: 8) != n)
        {
            throw new InvalidDataException("a rollup histogram came back with unequal index and count arrays");
        }

        for (var i = 0; i < n; i++)
        {
            var count = reader.ReadUInt64AsInt64();
            if (indexes[i] < 0)
            {
                throw new InvalidDataException($"a rollup histogram came back with bucket index {indexes[i]}");
            }

            into.Add(indexes[i], count);
        }
    }
}
