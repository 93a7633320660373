using System.Buffers.Binary;
using System.Globalization;
using Mesh.Core.Facts;
using Mesh.Core.Telemetry;

namespace Mesh.Otlp.Wire;

/// <summary>
/// Reads <see cref="SpanFacts"/> straight from a serialised <c>ExportTraceServiceRequest</c>, as
/// <see cref="OtlpTraceWire"/> walks it: only the keys <see cref="FactKeys"/> names are looked at, the rest of a
/// span is skipped, and no model is built. Gives the facts <see cref="SpanFacts.FromModel"/> gives for the same
/// request read the ordinary way. Reusable, not thread-safe.
/// </summary>
public sealed class WireSpanFacts : IWireSpanVisitor, IDisposable
{
    private readonly WireJson _json = new();
    private readonly WireStringPool _strings = new();
    private List<SpanFacts> _into = [];
    private ResourceFacts _resource = ResourceFacts.Unknown;
    private FactsBuilder _span = new();

    /// <summary>
    /// Adds the facts of every span of <paramref name="request"/> to <paramref name="into"/>. False, with nothing
    /// added, when the walker declines the request (malformed or truncated bytes, or a shape only protobuf's merge
    /// rules settle): read it the ordinary way then. Never throws for bad bytes.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> request, List<SpanFacts> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var count = into.Count;
        _into = into;
        try
        {
            if (OtlpTraceWire.TryWalk(request, this))
            {
                return true;
            }

            into.RemoveRange(count, into.Count - count);
            _span = new FactsBuilder();
            return false;
        }
        finally
        {
            _into = [];
        }
    }

    public void OnResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> schemaUrl)
    {
        var builder = new FactsBuilder();
        var attributes = WireJson.EnumerateAttributes(resource, 1);
        while (attributes.MoveNext())
        {
            Add(ref builder, FactKeys.OfResource(attributes.Key), attributes.Value);
        }

        _resource = builder.ToResource();
    }

    public void OnScope(ReadOnlySpan<byte> scope, ReadOnlySpan<byte> schemaUrl)
    {
    }

    public void OnSpan(scoped in WireSpan span)
    {
        var attributes = WireJson.EnumerateAttributes(span.Message, 9);
        while (attributes.MoveNext())
        {
            Add(ref _span, FactKeys.OfSpan(attributes.Key), attributes.Value);
        }

        var fields = new SpanFields(
            new TraceId(BinaryPrimitives.ReadUInt64BigEndian(span.TraceId), BinaryPrimitives.ReadUInt64BigEndian(span.TraceId[8..])),
            new SpanId(BinaryPrimitives.ReadUInt64BigEndian(span.SpanId)),
            span.ParentSpanId.IsEmpty ? SpanId.Empty : new SpanId(BinaryPrimitives.ReadUInt64BigEndian(span.ParentSpanId)),
            (SpanKind)span.Kind,
            _strings.Get(span.Name),
            span.StartTimeUnixNano,
            span.EndTimeUnixNano,
            (StatusCode)span.StatusCode);
        _into.Add(_span.ToSpan(_resource, fields));
    }

    public void Dispose() => _json.Dispose();

    private void Add(ref FactsBuilder builder, FactKey key, ReadOnlySpan<byte> value)
    {
        if (!builder.Takes(key))
        {
            return;
        }

        var kind = WireJson.ReadValue(value, out var payload, out var scalar);
        switch (FactKeys.ValueOf(key))
        {
            case FactValue.Number:
                builder.SetNumber(key, Number(kind, payload, scalar));
                break;
            case FactValue.Flag:
                builder.SetFlag(key, kind == AnyValueKind.Bool ? scalar != 0 : kind != AnyValueKind.Empty && _json.Display(value).SequenceEqual("true"u8));
                break;
            default:
                // Text as the model reads it: a string as it is, any other value as its display text.
                builder.SetText(key, kind == AnyValueKind.Empty ? null : _strings.Get(kind == AnyValueKind.String ? payload : _json.Display(value)));
                break;
        }
    }

    private static long? Number(AnyValueKind kind, ReadOnlySpan<byte> payload, ulong scalar)
    {
        switch (kind)
        {
            case AnyValueKind.Int:
                return unchecked((long)scalar);
            case AnyValueKind.Double:
                var value = BitConverter.UInt64BitsToDouble(scalar);
                return double.IsNaN(value) ? null : (long)value;
            case AnyValueKind.String:
                return long.TryParse(payload, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
            default:
                return null;
        }
    }
}
