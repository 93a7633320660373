using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;
using Mesh.Storage.ClickHouse.Spans;

namespace Mesh.Storage.ClickHouse.Logs;

/// <summary>Writes a log record in the column order of <c>Sql/insert_logs.sql</c>.</summary>
internal sealed class LogRowEncoder : IRowEncoder<LogRecord>
{
    private readonly TelemetryColumns _columns = new();

    public void Encode(RowBinaryWriter writer, LogRecord row)
    {
        var resource = _columns.Resource(row.Resource);
        var time = row.EffectiveTimeUnixNano;
        writer.WriteUInt32(UnixTime.Seconds(time));
        writer.WriteRaw(resource.Service);
        writer.WriteInt64(time);
        writer.WriteUInt64(row.LogId);
        writer.WriteInt64(row.TimeUnixNano);
        writer.WriteInt64(row.ObservedTimeUnixNano);
        writer.WriteInt32(row.SeverityNumber);
        writer.WriteString(row.SeverityText);
        TelemetryColumns.WriteDisplayValue(writer, row.Body);

        // A string body is its own display text; only other kinds need the typed form.
        if (row.Body.Kind == AnyValueKind.String)
        {
            writer.WriteUInt8(0);
        }
        else
        {
            writer.WriteString(AttributeJson.SerializeValue(row.Body));
        }

        writer.WriteString(row.EventName);
        _columns.WriteAttributes(writer, row.Attributes);
        writer.WriteUInt32(row.DroppedAttributesCount);
        writer.WriteUInt32(row.Flags);
        if (row.TraceId.IsEmpty)
        {
            writer.WriteUInt8(0);
        }
        else
        {
            Span<byte> id = stackalloc byte[TraceId.ByteLength];
            row.TraceId.WriteTo(id);
            writer.WriteUInt8(TraceId.ByteLength * 2);
            writer.WriteHex(id);
        }

        SpanRowEncoder.WriteOptionalSpanId(writer, row.SpanId);
        writer.WriteRaw(resource.Columns);
        writer.WriteRaw(_columns.Scope(row.Scope));
    }

    public void Dispose() => _columns.Dispose();
}
