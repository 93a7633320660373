using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>Writes a span in the column order of <c>Sql/insert_spans.sql</c>.</summary>
internal sealed class SpanRowEncoder : IRowEncoder<Span>
{
    private static ReadOnlySpan<byte> EmptyArray => "[]"u8;

    private readonly TelemetryColumns _columns = new();

    public void Encode(RowBinaryWriter writer, Span row)
    {
        var resource = _columns.Resource(row.Resource);
        Span<byte> id = stackalloc byte[TraceId.ByteLength];

        writer.WriteUInt32(UnixTime.Seconds(row.StartTimeUnixNano));
        writer.WriteRaw(resource.Service);
        writer.WriteString(row.Name);
        writer.WriteInt32((int)row.Kind);
        row.TraceId.WriteTo(id);
        writer.WriteHex(id);
        row.SpanId.WriteTo(id);
        writer.WriteHex(id[..SpanId.ByteLength]);
        WriteOptionalSpanId(writer, row.ParentSpanId);
        writer.WriteString(row.TraceState);
        writer.WriteUInt32(row.Flags);
        writer.WriteInt64(row.StartTimeUnixNano);
        writer.WriteInt64(row.EndTimeUnixNano);
        writer.WriteInt64(row.DurationNanos);
        writer.WriteInt32((int)row.StatusCode);
        writer.WriteString(row.StatusMessage);
        _columns.WriteAttributeText(writer, row.Attributes);
        writer.WriteUInt32(row.DroppedAttributesCount);
        if (row.Events.Count == 0)
        {
            writer.WriteString(EmptyArray);
        }
        else
        {
            writer.WriteString(AttributeJson.SerializeEvents(row.Events));
        }

        writer.WriteUInt32(row.DroppedEventsCount);
        if (row.Links.Count == 0)
        {
            writer.WriteString(EmptyArray);
        }
        else
        {
            writer.WriteString(AttributeJson.SerializeLinks(row.Links));
        }

        writer.WriteUInt32(row.DroppedLinksCount);
        writer.WriteRaw(resource.SpanColumns);
        writer.WriteRaw(_columns.Scope(row.Scope));
    }

    /// <summary>An id as 16 hex characters, or an empty string for "none" (no parent, no span).</summary>
    public static void WriteOptionalSpanId(RowBinaryWriter writer, SpanId spanId)
    {
        if (spanId.IsEmpty)
        {
            writer.WriteUInt8(0);
            return;
        }

        Span<byte> id = stackalloc byte[SpanId.ByteLength];
        spanId.WriteTo(id);
        writer.WriteUInt8(SpanId.ByteLength * 2);
        writer.WriteHex(id);
    }

    public void Dispose() => _columns.Dispose();
}
