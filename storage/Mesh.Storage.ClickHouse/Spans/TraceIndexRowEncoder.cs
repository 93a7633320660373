using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>Writes a span's trace-id lookup row in the column order of <c>Sql/insert_trace_index.sql</c>.</summary>
internal sealed class TraceIndexRowEncoder : IRowEncoder<Span>
{
    private readonly TelemetryColumns _columns = new();

    public void Encode(RowBinaryWriter writer, Span row)
    {
        Span<byte> id = stackalloc byte[TraceId.ByteLength];
        writer.WriteUInt32(UnixTime.Seconds(row.StartTimeUnixNano));
        row.TraceId.WriteTo(id);
        writer.WriteHex(id);
        row.SpanId.WriteTo(id);
        writer.WriteHex(id[..SpanId.ByteLength]);
        writer.WriteRaw(_columns.Resource(row.Resource).Service);
        writer.WriteString(row.Name);
        writer.WriteUInt8(row.ParentSpanId.IsEmpty ? (byte)1 : (byte)0);
        writer.WriteInt64(row.StartTimeUnixNano);
        writer.WriteInt64(row.EndTimeUnixNano);
        writer.WriteInt32((int)row.StatusCode);
    }

    public void Dispose() => _columns.Dispose();
}
