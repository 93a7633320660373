using System.Buffers;
using System.Text;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Wire;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>
/// Encodes spans straight from OTLP protobuf bytes into rows of <c>spans</c> (the column order of
/// <c>Sql/insert_spans.sql</c>) and of the trace-id lookup (<c>Sql/insert_trace_index.sql</c>): the same bytes
/// <see cref="SpanRowEncoder"/> and <see cref="TraceIndexRowEncoder"/> write from the model, without building it.
/// Each resource and scope is encoded once, when the walk reaches it.
/// </summary>
internal sealed class OtlpSpanRows : IWireSpanVisitor, IDisposable
{
    private readonly WireJson _json = new();
    private readonly RowBinaryWriter _resourceColumns = new(1024);
    private readonly ArrayBufferWriter<byte> _text = new(1024);
    private readonly RowBinaryWriter _service = new(64);
    private readonly RowBinaryWriter _scope = new(256);

    public OtlpSpanRows(RowBinaryWriter spans, RowBinaryWriter traceIndex)
    {
        Spans = spans;
        TraceIndex = traceIndex;
    }

    public RowBinaryWriter Spans { get; }

    public RowBinaryWriter TraceIndex { get; }

    /// <summary>Spans encoded so far.</summary>
    public int Count { get; set; }

    /// <summary>Requests that could not be read at all (see <see cref="OtlpSpansContent"/>).</summary>
    public int Skipped { get; set; }

    public void OnResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> schemaUrl)
    {
        _service.Clear();
        _resourceColumns.Clear();

        _text.ResetWrittenCount();
        _ = WriteAttributeText(_text, resource, 1);
        var service = WireResource.ServiceNameValue(resource);
        if (service.IsEmpty)
        {
            _service.WriteString("unknown_service"u8);
        }
        else
        {
            WriteText(_service, _json.Display(service));
        }

        var dropped = WireResource.ReadUInt32(resource, 2);
        _resourceColumns.WriteString(_text.WrittenSpan);
        _resourceColumns.WriteUInt32(dropped);
        WriteText(_resourceColumns, schemaUrl);
    }

    public void OnScope(ReadOnlySpan<byte> scope, ReadOnlySpan<byte> schemaUrl)
    {
        WireResource.ReadScope(scope, out var name, out var version, out var attributeCount, out var dropped);
        _scope.Clear();
        WriteText(_scope, name);
        WriteText(_scope, version);
        _scope.WriteString(_json.Attributes(scope, 3, attributeCount));
        _scope.WriteUInt32(dropped);
        WriteText(_scope, schemaUrl);
    }

    public void OnSpan(scoped in WireSpan span)
    {
        var second = UnixTime.Seconds(span.StartTimeUnixNano);
        var service = _service.WrittenMemory.Span;
        var w = Spans;
        w.WriteUInt32(second);
        w.WriteRaw(service);
        WriteText(w, span.Name);
        w.WriteInt32(span.Kind);
        w.WriteHex(span.TraceId);
        w.WriteHex(span.SpanId);
        if (span.ParentSpanId.IsEmpty)
        {
            w.WriteUInt8(0);
        }
        else
        {
            w.WriteUInt8(SpanId.ByteLength * 2);
            w.WriteHex(span.ParentSpanId);
        }

        WriteText(w, span.TraceState);
        w.WriteUInt32(span.Flags);
        w.WriteInt64(span.StartTimeUnixNano);
        w.WriteInt64(span.EndTimeUnixNano);
        w.WriteInt64(span.DurationNanos);
        w.WriteInt32(span.StatusCode);
        WriteText(w, span.StatusMessage);
        _text.ResetWrittenCount();
        _ = WriteAttributeText(_text, span.Message, 9);
        w.WriteString(_text.WrittenSpan);
        w.WriteUInt32(span.DroppedAttributesCount);
        w.WriteString(_json.Events(span));
        w.WriteUInt32(span.DroppedEventsCount);
        w.WriteString(_json.Links(span));
        w.WriteUInt32(span.DroppedLinksCount);
        w.WriteRaw(_resourceColumns.WrittenMemory.Span);
        w.WriteRaw(_scope.WrittenMemory.Span);

        var t = TraceIndex;
        t.WriteUInt32(second);
        t.WriteHex(span.TraceId);
        t.WriteHex(span.SpanId);
        t.WriteRaw(service);
        WriteText(t, span.Name);
        t.WriteUInt8(span.ParentSpanId.IsEmpty ? (byte)1 : (byte)0);
        t.WriteInt64(span.StartTimeUnixNano);
        t.WriteInt64(span.EndTimeUnixNano);
        t.WriteInt32(span.StatusCode);
        Count++;
    }

    public void Dispose()
    {
        _json.Dispose();
        _resourceColumns.Dispose();
        _service.Dispose();
        _scope.Dispose();
    }

    /// <summary>The attributes at <paramref name="field"/> of <paramref name="message"/> as <see cref="AttributeText"/>; returns how many.</summary>
    private int WriteAttributeText(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> message, uint field)
    {
        var count = 0;
        var attributes = WireJson.EnumerateAttributes(message, field);
        while (attributes.MoveNext())
        {
            var key = attributes.Key;
            var display = _json.Display(attributes.Value);
            var kind = WireJson.KindOf(attributes.Value);
            if (WireText.IsValid(key))
            {
                AttributeText.Append(output, key, display, kind);
            }
            else
            {
                AttributeText.Append(output, Encoding.UTF8.GetBytes(WireText.Decode(key)), display, kind);
            }

            count++;
        }

        if (count > 0)
        {
            AttributeText.End(output);
        }

        return count;
    }

    /// <summary>A protobuf string as a <c>String</c> column, as the model would have decoded it.</summary>
    private static void WriteText(RowBinaryWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (WireText.IsValid(utf8))
        {
            writer.WriteString(utf8);
        }
        else
        {
            writer.WriteString(WireText.Decode(utf8));
        }
    }
}
