using static Mesh.Otlp.Wire.ProtoWireReader;

namespace Mesh.Otlp.Wire;

/// <summary>
/// Walks a serialised <c>ExportTraceServiceRequest</c> without building messages, handing each resource, scope and
/// span to a visitor: the allocation-free path from spooled bytes to a store's rows.
/// </summary>
/// <remarks>
/// <para>
/// True means the request was read in full and every part a visitor may read later (attribute values, events, links)
/// is well formed, so <see cref="WireJson"/> can read them without checks. False means "read it the ordinary way"
/// (Google.Protobuf and the model): the walker declines anything whose meaning would take protobuf's merge rules to
/// settle (a singular message, id or oneof value seen twice), a known field with an unexpected wire type, an id of
/// the wrong length, a span without ids, values nested deeper than <see cref="MaxValueDepth"/>, and malformed bytes.
/// What it declines may already have reached the visitor in part; the caller discards that.
/// </para>
/// <para>
/// Field numbers are those of opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto. Unknown fields
/// are skipped, as Google.Protobuf skips them. A repeated scalar field seen twice keeps its last value, as in protobuf.
/// </para>
/// </remarks>
public static class OtlpTraceWire
{
    /// <summary>How deep attribute values (arrays, key-value lists) may nest before the walker declines.</summary>
    public const int MaxValueDepth = 32;

    public static bool TryWalk<TVisitor>(ReadOnlySpan<byte> request, TVisitor visitor)
        where TVisitor : IWireSpanVisitor
    {
        var reader = new ProtoWireReader(request);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag == ((1 << 3) | Len)
                ? reader.TryReadLengthDelimited(out var resourceSpans) && TryWalkResourceSpans(resourceSpans, visitor)
                : TrySkipUnknown(ref reader, tag, maxKnownField: 1);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Counts the span fields of a request, reading only its two outer levels (no span is looked into): cheap
    /// enough to size a batch by. False when those levels are malformed. A true answer does not mean
    /// <see cref="TryWalk"/> will accept the request, only that this many spans are in it if it parses.
    /// </summary>
    public static bool TryCountSpans(ReadOnlySpan<byte> request, out int spans)
    {
        spans = 0;
        var reader = new ProtoWireReader(request);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            if (tag != ((1 << 3) | Len))
            {
                if (!reader.TrySkip(tag & 7))
                {
                    return false;
                }

                continue;
            }

            if (!reader.TryReadLengthDelimited(out var resourceSpans) || !TryCountInLevel(resourceSpans, ref spans, depth: 1))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Field 2 of ResourceSpans (depth 1) holds ScopeSpans; field 2 of ScopeSpans (depth 2) holds spans.</summary>
    private static bool TryCountInLevel(ReadOnlySpan<byte> message, ref int spans, int depth)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            if (tag != ((2 << 3) | Len))
            {
                if (!reader.TrySkip(tag & 7))
                {
                    return false;
                }
            }
            else if (depth == 2)
            {
                if (!reader.TrySkip(Len))
                {
                    return false;
                }

                spans++;
            }
            else if (!reader.TryReadLengthDelimited(out var scopeSpans) || !TryCountInLevel(scopeSpans, ref spans, depth: 2))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryWalkResourceSpans<TVisitor>(ReadOnlySpan<byte> message, TVisitor visitor)
        where TVisitor : IWireSpanVisitor
    {
        // The resource and schema_url may follow the scopes on the wire (schema_url, field 3, does in field order):
        // find them first, then walk the scopes.
        if (!TryReadEnvelope(message, out var resource, out var schemaUrl) || !IsValidAttributeContainer(resource, attributesField: 1, maxKnownField: 2))
        {
            return false;
        }

        visitor.OnResource(resource, schemaUrl);
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            if (tag == ((2 << 3) | Len))
            {
                if (!reader.TryReadLengthDelimited(out var scopeSpans) || !TryWalkScopeSpans(scopeSpans, visitor))
                {
                    return false;
                }
            }
            else if (!reader.TrySkip(tag & 7))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryWalkScopeSpans<TVisitor>(ReadOnlySpan<byte> message, TVisitor visitor)
        where TVisitor : IWireSpanVisitor
    {
        if (!TryReadEnvelope(message, out var scope, out var schemaUrl) || !IsValidScope(scope))
        {
            return false;
        }

        visitor.OnScope(scope, schemaUrl);
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            if (tag == ((2 << 3) | Len))
            {
                if (!reader.TryReadLengthDelimited(out var spanBytes) || !TryReadSpan(spanBytes, out var span))
                {
                    return false;
                }

                visitor.OnSpan(span);
            }
            else if (!reader.TrySkip(tag & 7))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// ResourceSpans and ScopeSpans share a shape: a singular message (field 1), the repeated items (field 2, skipped
    /// here) and schema_url (field 3).
    /// </summary>
    private static bool TryReadEnvelope(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> inner, out ReadOnlySpan<byte> schemaUrl)
    {
        inner = default;
        schemaUrl = default;
        var seenInner = false;
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            switch (tag)
            {
                case (1 << 3) | Len:
                    if (seenInner || !reader.TryReadLengthDelimited(out inner))
                    {
                        return false;
                    }

                    seenInner = true;
                    break;
                case (2 << 3) | Len:
                    if (!reader.TrySkip(Len))
                    {
                        return false;
                    }

                    break;
                case (3 << 3) | Len:
                    if (!reader.TryReadLengthDelimited(out schemaUrl))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!TrySkipUnknown(ref reader, tag, maxKnownField: 3))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private static bool IsValidScope(ReadOnlySpan<byte> scope)
    {
        var reader = new ProtoWireReader(scope);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (1 << 3) | Len or (2 << 3) | Len => reader.TrySkip(Len),
                (3 << 3) | Len => reader.TryReadLengthDelimited(out var kv) && IsValidKeyValue(kv, depth: 0),
                (4 << 3) | Varint => reader.TrySkip(Varint),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 4),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A message whose field <paramref name="attributesField"/> is a repeated KeyValue and whose other known fields are varints.</summary>
    private static bool IsValidAttributeContainer(ReadOnlySpan<byte> message, uint attributesField, uint maxKnownField)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            bool ok;
            if (tag == ((attributesField << 3) | Len))
            {
                ok = reader.TryReadLengthDelimited(out var kv) && IsValidKeyValue(kv, depth: 0);
            }
            else if (tag >> 3 <= maxKnownField && (tag & 7) == Varint)
            {
                ok = reader.TrySkip(Varint);
            }
            else
            {
                ok = TrySkipUnknown(ref reader, tag, maxKnownField);
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadSpan(ReadOnlySpan<byte> message, out WireSpan span)
    {
        span = default;
        span.Message = message;
        var hasTraceId = false;
        var hasSpanId = false;
        var hasParent = false;
        var hasStatus = false;
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            // Every value is read by its wire type first; the field number then says what it is.
            if (!reader.TryReadTag(out var tag) || !TryReadValue(ref reader, tag, out var scalar, out var bytes))
            {
                return false;
            }

            var ok = true;
            switch (tag)
            {
                case (1 << 3) | Len:
                    ok = !hasTraceId && bytes.Length == 16;
                    span.TraceId = bytes;
                    hasTraceId = true;
                    break;
                case (2 << 3) | Len:
                    ok = !hasSpanId && bytes.Length == 8;
                    span.SpanId = bytes;
                    hasSpanId = true;
                    break;
                case (3 << 3) | Len:
                    span.TraceState = bytes;
                    break;
                case (4 << 3) | Len:
                    ok = !hasParent && bytes.Length is 0 or 8;
                    hasParent = true;

                    // All zero reads as "no parent" in the model (SpanId.Empty), as an absent field does.
                    span.ParentSpanId = bytes.IndexOfAnyExcept((byte)0) < 0 ? default : bytes;
                    break;
                case (5 << 3) | Len:
                    span.Name = bytes;
                    break;
                case (6 << 3) | Varint:
                    span.Kind = unchecked((int)scalar);
                    break;
                case (7 << 3) | Fixed64:
                    span.StartTimeUnixNano = ToSigned(scalar);
                    break;
                case (8 << 3) | Fixed64:
                    span.EndTimeUnixNano = ToSigned(scalar);
                    break;
                case (9 << 3) | Len:
                    ok = IsValidKeyValue(bytes, depth: 0);
                    span.AttributeCount++;
                    break;
                case (10 << 3) | Varint:
                    span.DroppedAttributesCount = unchecked((uint)scalar);
                    break;
                case (11 << 3) | Len:
                    ok = IsValidEvent(bytes);
                    span.EventCount++;
                    break;
                case (12 << 3) | Varint:
                    span.DroppedEventsCount = unchecked((uint)scalar);
                    break;
                case (13 << 3) | Len:
                    ok = IsValidLink(bytes);
                    span.LinkCount++;
                    break;
                case (14 << 3) | Varint:
                    span.DroppedLinksCount = unchecked((uint)scalar);
                    break;
                case (15 << 3) | Len:
                    ok = !hasStatus && TryReadStatus(bytes, ref span);
                    hasStatus = true;
                    break;
                case (16 << 3) | Fixed32:
                    span.Flags = unchecked((uint)scalar);
                    break;
                default:
                    // Unknown, and already skipped; a known field number with another wire type declines.
                    ok = tag >> 3 > 16;
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        return hasTraceId && hasSpanId;
    }

    /// <summary>Reads the value after <paramref name="tag"/>: a varint or fixed value into <paramref name="scalar"/>, a length-delimited one into <paramref name="bytes"/>.</summary>
    private static bool TryReadValue(scoped ref ProtoWireReader reader, uint tag, out ulong scalar, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        scalar = 0;
        switch (tag & 7)
        {
            case Varint:
                return reader.TryReadVarint(out scalar);
            case Fixed64:
                return reader.TryReadFixed64(out scalar);
            case Fixed32:
                var ok = reader.TryReadFixed32(out var value);
                scalar = value;
                return ok;
            default:
                return reader.TryReadLengthDelimited(out bytes);
        }
    }

    /// <summary>Status: message (field 2), code (field 3).</summary>
    private static bool TryReadStatus(ReadOnlySpan<byte> message, ref WireSpan span)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            switch (tag)
            {
                case (2 << 3) | Len:
                    if (!reader.TryReadLengthDelimited(out var text))
                    {
                        return false;
                    }

                    span.StatusMessage = text;
                    break;
                case (3 << 3) | Varint:
                    if (!reader.TryReadVarint(out var code))
                    {
                        return false;
                    }

                    span.StatusCode = unchecked((int)code);
                    break;
                default:
                    if (!TrySkipUnknown(ref reader, tag, maxKnownField: 3))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>Event: time_unix_nano (1, fixed64), name (2), attributes (3), dropped_attributes_count (4).</summary>
    private static bool IsValidEvent(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (1 << 3) | Fixed64 => reader.TrySkip(Fixed64),
                (2 << 3) | Len => reader.TrySkip(Len),
                (3 << 3) | Len => reader.TryReadLengthDelimited(out var kv) && IsValidKeyValue(kv, depth: 0),
                (4 << 3) | Varint => reader.TrySkip(Varint),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 4),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Link: trace_id (1), span_id (2), trace_state (3), attributes (4), dropped_attributes_count (5), flags (6, fixed32).</summary>
    private static bool IsValidLink(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoWireReader(message);
        var hasTraceId = false;
        var hasSpanId = false;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            ReadOnlySpan<byte> bytes;
            bool ok;
            switch (tag)
            {
                case (1 << 3) | Len:
                    ok = !hasTraceId && reader.TryReadLengthDelimited(out bytes) && bytes.Length is 0 or 16;
                    hasTraceId = true;
                    break;
                case (2 << 3) | Len:
                    ok = !hasSpanId && reader.TryReadLengthDelimited(out bytes) && bytes.Length is 0 or 8;
                    hasSpanId = true;
                    break;
                case (3 << 3) | Len:
                    ok = reader.TrySkip(Len);
                    break;
                case (4 << 3) | Len:
                    ok = reader.TryReadLengthDelimited(out bytes) && IsValidKeyValue(bytes, depth: 0);
                    break;
                case (5 << 3) | Varint:
                    ok = reader.TrySkip(Varint);
                    break;
                case (6 << 3) | Fixed32:
                    ok = reader.TrySkip(Fixed32);
                    break;
                default:
                    ok = TrySkipUnknown(ref reader, tag, maxKnownField: 6);
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>KeyValue: key (1), value (2, an AnyValue, singular).</summary>
    internal static bool IsValidKeyValue(ReadOnlySpan<byte> message, int depth)
    {
        var reader = new ProtoWireReader(message);
        var hasValue = false;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            bool ok;
            switch (tag)
            {
                case (1 << 3) | Len:
                    ok = reader.TrySkip(Len);
                    break;
                case (2 << 3) | Len:
                    ok = !hasValue && reader.TryReadLengthDelimited(out var value) && IsValidAnyValue(value, depth);
                    hasValue = true;
                    break;
                default:
                    ok = TrySkipUnknown(ref reader, tag, maxKnownField: 2);
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// AnyValue, a oneof: string (1), bool (2), int (3), double (4), array (5: ArrayValue, repeated AnyValue at 1),
    /// kvlist (6: KeyValueList, repeated KeyValue at 1), bytes (7). At most one may be set.
    /// </summary>
    private static bool IsValidAnyValue(ReadOnlySpan<byte> message, int depth)
    {
        if (depth >= MaxValueDepth)
        {
            return false;
        }

        var reader = new ProtoWireReader(message);
        var set = false;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            if (tag >> 3 is >= 1 and <= 7 && set)
            {
                return false;
            }

            ReadOnlySpan<byte> bytes;
            bool ok;
            switch (tag)
            {
                case (1 << 3) | Len or (7 << 3) | Len:
                    ok = reader.TrySkip(Len);
                    break;
                case (2 << 3) | Varint or (3 << 3) | Varint:
                    ok = reader.TrySkip(Varint);
                    break;
                case (4 << 3) | Fixed64:
                    ok = reader.TrySkip(Fixed64);
                    break;
                case (5 << 3) | Len:
                    ok = reader.TryReadLengthDelimited(out bytes) && IsValidList(bytes, depth + 1, keyValues: false);
                    break;
                case (6 << 3) | Len:
                    ok = reader.TryReadLengthDelimited(out bytes) && IsValidList(bytes, depth + 1, keyValues: true);
                    break;
                default:
                    ok = TrySkipUnknown(ref reader, tag, maxKnownField: 7);
                    break;
            }

            set |= tag >> 3 is >= 1 and <= 7;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>ArrayValue or KeyValueList: field 1 repeated (AnyValue or KeyValue).</summary>
    private static bool IsValidList(ReadOnlySpan<byte> message, int depth, bool keyValues)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag == ((1 << 3) | Len)
                ? reader.TryReadLengthDelimited(out var item) && (keyValues ? IsValidKeyValue(item, depth) : IsValidAnyValue(item, depth))
                : TrySkipUnknown(ref reader, tag, maxKnownField: 1);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Skips a field the caller does not read; a known field number with an unexpected wire type declines.</summary>
    private static bool TrySkipUnknown(ref ProtoWireReader reader, uint tag, uint maxKnownField) =>
        tag >> 3 > maxKnownField && reader.TrySkip(tag & 7);

    private static long ToSigned(ulong nanos) => nanos > long.MaxValue ? long.MaxValue : (long)nanos;
}
