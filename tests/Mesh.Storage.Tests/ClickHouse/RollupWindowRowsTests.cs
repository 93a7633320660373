using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rollups;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

public sealed class RollupWindowRowsTests
{
    private static readonly EdgeKey AtoB = new() { SourceService = "a", DestinationService = "b", DestinationVersion = "v1", Route = "/x" };
    private static readonly EdgeKey AtoC = new() { SourceService = "a", DestinationService = "c", DestinationKind = NodeKind.Database };

    [Fact]
    public void Read_RowsOfSeveralEdges_SummedPerEdgeHistogramsBucketByBucket()
    {
        var body = Body(
            (AtoB, 10, [(100, 6), (200, 4)]),
            (AtoC, 3, [(50, 3)]),
            (AtoB, 5, [(200, 1), (300, 4)]),
            (AtoB, 0, []));

        var rows = RollupWindowRows.Read(body, 1_000).OrderBy(r => r.Key.DestinationService).ToList();

        Assert.Equal(2, rows.Count);
        Assert.Equal((AtoB, 15L, 30L, 45L, 1_000L, RollupResolutions.Finest), (rows[0].Key, rows[0].Requests, rows[0].Errors, rows[0].LatencySumNanos, rows[0].BucketStartUnixSeconds, rows[0].ResolutionSeconds));
        Assert.Equal(HistogramCounts.From([new(100, 6), new(200, 5), new(300, 4)]), rows[0].Histogram);
        Assert.Equal((AtoC, 3L, NodeKind.Database), (rows[1].Key, rows[1].Requests, rows[1].Key.DestinationKind));
        Assert.Equal(HistogramCounts.From([new(50, 3)]), rows[1].Histogram);
    }

    [Fact]
    public void Read_ReplyCutInsideARow_InvalidData()
    {
        var body = Body((AtoB, 10, [(100, 6)]));
        Assert.Throws<InvalidDataException>(() => RollupWindowRows.Read(body.AsSpan(0, body.Length - 3), 0));
    }

    [Fact]
    public void Read_UnequalHistogramArrays_InvalidData()
    {
        using var writer = new RowBinaryWriter(256);
        WriteKeyAndSums(writer, AtoB, 1);
        writer.WriteVarUInt(2);
        writer.WriteInt32(1);
        writer.WriteInt32(2);
        writer.WriteVarUInt(1);
        writer.WriteUInt64(1);
        var body = writer.WrittenMemory.ToArray();
        Assert.Throws<InvalidDataException>(() => RollupWindowRows.Read(body, 0));
    }

    private static byte[] Body(params (EdgeKey Key, long Requests, (int Index, long Count)[] Histogram)[] rows)
    {
        using var writer = new RowBinaryWriter(1024);
        foreach (var (key, requests, histogram) in rows)
        {
            WriteKeyAndSums(writer, key, requests);
            writer.WriteVarUInt((ulong)histogram.Length);
            foreach (var (index, _) in histogram)
            {
                writer.WriteInt32(index);
            }

            writer.WriteVarUInt((ulong)histogram.Length);
            foreach (var (_, count) in histogram)
            {
                writer.WriteUInt64((ulong)count);
            }
        }

        return writer.WrittenMemory.ToArray();
    }

    /// <summary>The columns of <c>select_rollup_window_rows.sql</c> before the histogram: key, then nine sums (errors 2x requests, latency 3x).</summary>
    private static void WriteKeyAndSums(RowBinaryWriter writer, EdgeKey key, long requests)
    {
        writer.WriteString(key.SourceService);
        writer.WriteString(key.SourceVersion);
        writer.WriteString(key.SourceNamespace);
        writer.WriteUInt8((byte)key.SourceKind);
        writer.WriteString(key.DestinationService);
        writer.WriteString(key.DestinationVersion);
        writer.WriteString(key.DestinationNamespace);
        writer.WriteUInt8((byte)key.DestinationKind);
        writer.WriteString(key.DestinationEndpoint);
        writer.WriteString(key.Route);
        writer.WriteUInt64((ulong)requests);
        writer.WriteUInt64((ulong)(2 * requests));
        for (var i = 0; i < 6; i++)
        {
            writer.WriteUInt64(0);
        }

        writer.WriteUInt64((ulong)(3 * requests));
    }
}
