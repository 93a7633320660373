using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Rollups;

/// <summary>
/// Reads <c>Sql/select_rollup_window_rows.sql</c>'s RowBinary reply (stored rows, any number per edge) and sums it
/// per edge. A row's key columns are contiguous in the reply, so rows are matched to their edge by those bytes: the
/// key's strings are decoded once per edge, and each row costs its numbers plus an array increment per histogram
/// bucket (<see cref="HistogramAccumulator"/>).
/// </summary>
internal static class RollupWindowRows
{
    public static List<RollupRow> Read(ReadOnlySpan<byte> body, long start)
    {
        var edges = new Dictionary<int, Edge>();
        var order = new List<Edge>();
        var reader = new RowBinaryReader(body);
        while (!reader.End)
        {
            var keyStart = reader.Position;
            SkipKey(ref reader);
            var keyBytes = reader.Since(keyStart);
            var edge = Find(edges, order, keyBytes);
            edge.Requests += reader.ReadUInt64AsInt64();
            edge.Errors += reader.ReadUInt64AsInt64();
            edge.BytesIn += reader.ReadUInt64AsInt64();
            edge.BytesOut += reader.ReadUInt64AsInt64();
            edge.Mtls += reader.ReadUInt64AsInt64();
            edge.Retries += reader.ReadUInt64AsInt64();
            edge.RateLimited += reader.ReadUInt64AsInt64();
            edge.CircuitBroken += reader.ReadUInt64AsInt64();
            edge.LatencySum += reader.ReadUInt64AsInt64();
            RollupWindowReply.AddHistogram(ref reader, edge.Histogram);
        }

        var rows = new List<RollupRow>(order.Count);
        foreach (var edge in order)
        {
            rows.Add(new RollupRow
            {
                ResolutionSeconds = RollupResolutions.Finest,
                BucketStartUnixSeconds = start,
                Key = edge.Key,
                Requests = edge.Requests,
                Errors = edge.Errors,
                BytesIn = edge.BytesIn,
                BytesOut = edge.BytesOut,
                MtlsRequests = edge.Mtls,
                Retries = edge.Retries,
                RateLimited = edge.RateLimited,
                CircuitBroken = edge.CircuitBroken,
                LatencySumNanos = edge.LatencySum,
                Histogram = edge.Histogram.ToCounts(),
            });
        }

        return rows;
    }

    /// <summary>The ten key columns: eight strings and two UInt8 kinds, in <see cref="RollupWindowReply"/>'s order.</summary>
    private static void SkipKey(ref RowBinaryReader reader)
    {
        reader.SkipString();
        reader.SkipString();
        reader.SkipString();
        _ = reader.ReadUInt8();
        reader.SkipString();
        reader.SkipString();
        reader.SkipString();
        _ = reader.ReadUInt8();
        reader.SkipString();
        reader.SkipString();
    }

    private static Edge Find(Dictionary<int, Edge> edges, List<Edge> order, ReadOnlySpan<byte> keyBytes)
    {
        var hash = new HashCode();
        hash.AddBytes(keyBytes);
        var code = hash.ToHashCode();
        ref var first = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(edges, code, out _);
        for (var edge = first; edge is not null; edge = edge.Next)
        {
            if (keyBytes.SequenceEqual(edge.KeyBytes))
            {
                return edge;
            }
        }

        var added = new Edge(keyBytes.ToArray(), RollupWindowReply.ReadKey(keyBytes)) { Next = first };
        first = added;
        order.Add(added);
        return added;
    }

    private sealed class Edge(byte[] keyBytes, EdgeKey key)
    {
        public byte[] KeyBytes { get; } = keyBytes;

        public EdgeKey Key { get; } = key;

        /// <summary>The next edge whose key bytes hash alike.</summary>
        public Edge? Next { get; set; }

        public HistogramAccumulator Histogram { get; } = new();

        public long Requests { get; set; }

        public long Errors { get; set; }

        public long BytesIn { get; set; }

        public long BytesOut { get; set; }

        public long Mtls { get; set; }

        public long Retries { get; set; }

        public long RateLimited { get; set; }

        public long CircuitBroken { get; set; }

        public long LatencySum { get; set; }
    }
}
