using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Rollups;

/// <summary>Writes a rollup row in the column order of <c>Sql/insert_rollups.sql</c>.</summary>
internal sealed class RollupRowEncoder : IRowEncoder<RollupRow>
{
    public void Encode(RowBinaryWriter writer, RollupRow row)
    {
        var key = row.Key;
        writer.WriteUInt32((uint)row.ResolutionSeconds);
        writer.WriteUInt32((uint)Math.Clamp(row.BucketStartUnixSeconds, 0, uint.MaxValue));
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
        writer.WriteUInt64((ulong)row.Requests);
        writer.WriteUInt64((ulong)row.Errors);
        writer.WriteUInt64((ulong)row.BytesIn);
        writer.WriteUInt64((ulong)row.BytesOut);
        writer.WriteUInt64((ulong)row.MtlsRequests);
        writer.WriteUInt64((ulong)row.Retries);
        writer.WriteUInt64((ulong)row.RateLimited);
        writer.WriteUInt64((ulong)row.CircuitBroken);
        writer.WriteUInt64((ulong)row.LatencySumNanos);
        var histogram = row.Histogram;
        writer.WriteVarUInt((ulong)histogram.BucketCount);
        foreach (var index in histogram.Indexes)
        {
            writer.WriteInt32(index);
        }

        writer.WriteVarUInt((ulong)histogram.BucketCount);
        foreach (var count in histogram.Counts)
        {
            writer.WriteUInt64((ulong)count);
        }
    }

    public void Dispose()
    {
    }
}
