using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Rows;

/// <summary>A replayed batch's keys as external tables, named as the <c>select_existing_*</c> statements expect.</summary>
internal static class BatchTables
{
    public static ExternalTable Services(IEnumerable<string> services)
    {
        using var rows = new RowBinaryWriter(1024);
        foreach (var service in services)
        {
            rows.WriteString(service);
        }

        return new ExternalTable("batch_services", "service String", rows.WrittenMemory.ToArray());
    }

    /// <summary>Trace ids as the tables hold them: <c>FixedString(32)</c> lower-case hex (IN wants the same type).</summary>
    public static ExternalTable TraceIds(IEnumerable<TraceId> traceIds)
    {
        using var rows = new RowBinaryWriter(64 * 1024);
        Span<byte> id = stackalloc byte[TraceId.ByteLength];
        foreach (var traceId in traceIds)
        {
            traceId.WriteTo(id);
            rows.WriteHex(id);
        }

        return new ExternalTable("batch_trace_ids", "trace_id FixedString(32)", rows.WrittenMemory.ToArray());
    }

    public static ExternalTable LogIds(IEnumerable<ulong> logIds)
    {
        using var rows = new RowBinaryWriter(64 * 1024);
        foreach (var logId in logIds)
        {
            rows.WriteUInt64(logId);
        }

        return new ExternalTable("batch_log_ids", "log_id UInt64", rows.WrittenMemory.ToArray());
    }
}
