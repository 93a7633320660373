using System.Buffers.Binary;
using Mesh.Otlp.Wire;
using static Mesh.Otlp.Wire.ProtoWireReader;

namespace Mesh.Ingest.Validation;

/// <summary>
/// The fast path of OTLP validation: one pass over the protobuf bytes of an export request, without building
/// messages, that answers "clean" only when the request would parse and <see cref="TraceRequestValidator"/> /
/// <see cref="LogRequestValidator"/> would accept every item and change nothing. Then the original bytes can be
/// spooled as they are. Any other answer means "don't know": the caller parses and validates as before, so the
/// errors, partial successes and truncations a client sees never depend on this class.
/// </summary>
/// <remarks>
/// "Clean" must never be wrong; "not clean" may be. So the scanner gives up on anything it does not need to
/// understand: groups, a known field number with an unexpected wire type (Google.Protobuf would keep it as an
/// unknown field, and the field would read as unset), a singular message, id or oneof value seen twice
/// (Google.Protobuf would merge or overwrite: two resources would pool their attributes), a reserved field
/// number, values nested deeper than <see cref="MaxValueDepth"/> (Google.Protobuf stops at 100 messages), and a
/// string whose UTF-8 length exceeds the limit (its UTF-16 length, which the limit counts, may not).
/// Unknown field numbers are skipped as Google.Protobuf skips them. Strings are not checked for valid UTF-8:
/// Google.Protobuf replaces bad sequences with U+FFFD rather than failing, and a replacement character never
/// makes a string longer in UTF-16 than its byte length.
/// The validators and this scanner state the same rules twice: a rule added to one must be added to the other
/// (with a case in <c>OtlpWireScannerTests</c>), or requests that break it would pass the fast path.
/// </remarks>
internal sealed partial class OtlpWireScanner
{
    /// <summary>How deep attribute values may nest (arrays, key-value lists) before the scanner gives up.</summary>
    public const int MaxValueDepth = 32;

    private readonly int _maxAttributes;
    private readonly int _maxValueLength;
    private readonly int _maxEventsPerSpan;
    private readonly int _maxLinksPerSpan;

    public OtlpWireScanner(TelemetryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _maxAttributes = limits.MaxAttributes;
        _maxValueLength = limits.MaxValueLength;
        _maxEventsPerSpan = limits.MaxEventsPerSpan;
        _maxLinksPerSpan = limits.MaxLinksPerSpan;
    }

    /// <summary>
    /// True when <paramref name="request"/> is an <c>ExportTraceServiceRequest</c> that parses and passes validation
    /// unmodified; <paramref name="spans"/> is then the number of spans in it. False means "take the slow path".
    /// </summary>
    public bool TryScanTraces(ReadOnlySpan<byte> request, out long spans) => TryScanRequest(request, logs: false, out spans);

    /// <summary>
    /// Both signals share one envelope: request → resource-level message (resource, scope-level messages,
    /// schema_url) → scope-level message (scope, items, schema_url). Only the item differs: a span or a log record.
    /// </summary>
    private bool TryScanRequest(ReadOnlySpan<byte> request, bool logs, out long items)
    {
        items = 0;
        var reader = new ProtoWireReader(request);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag == ((1 << 3) | Len)
                ? reader.TryReadLengthDelimited(out var resourceLevel) && TryScanResourceLevel(resourceLevel, logs, ref items)
                : TrySkipUnknown(ref reader, tag, maxKnownField: 1);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanResourceLevel(ReadOnlySpan<byte> message, bool logs, ref long items)
    {
        var reader = new ProtoWireReader(message);
        var seen = 0u;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (1 << 3) | Len => Once(ref seen, 1) && reader.TryReadLengthDelimited(out var resource) && TryScanResource(resource),
                (2 << 3) | Len => reader.TryReadLengthDelimited(out var scopeLevel) && TryScanScopeLevel(scopeLevel, logs, ref items),
                (3 << 3) | Len => reader.TryReadLengthDelimited(out _), // schema_url
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 3),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanScopeLevel(ReadOnlySpan<byte> message, bool logs, ref long items)
    {
        var reader = new ProtoWireReader(message);
        var seen = 0u;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (1 << 3) | Len => Once(ref seen, 1) && reader.TryReadLengthDelimited(out var scope) && TryScanScope(scope),
                (2 << 3) | Len => reader.TryReadLengthDelimited(out var item) && (logs ? TryScanLogRecord(item) : TryScanSpan(item)) && Counted(ref items),
                (3 << 3) | Len => reader.TryReadLengthDelimited(out _), // schema_url
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 3),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanSpan(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoWireReader(message);
        var seen = 0u;
        int attributes = 0, events = 0, links = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                // All-zero ids are valid protobuf but make the validator drop the span: not clean.
                (1 << 3) | Len => Once(ref seen, 1) && reader.TryReadLengthDelimited(out var traceId) && traceId.Length == 16 && !IsZero(traceId),
                (2 << 3) | Len => Once(ref seen, 2) && reader.TryReadLengthDelimited(out var spanId) && spanId.Length == 8 && !IsZero(spanId),
                (4 << 3) | Len => Once(ref seen, 4) && reader.TryReadLengthDelimited(out var parent) && parent.Length is 0 or 8,
                (3 << 3) | Len or (5 << 3) | Len => reader.TryReadLengthDelimited(out _), // trace_state, name
                (6 << 3) | Varint or (10 << 3) | Varint or (12 << 3) | Varint or (14 << 3) | Varint => reader.TryReadVarint(out _),
                (7 << 3) | Fixed64 or (8 << 3) | Fixed64 or (16 << 3) | Fixed32 => reader.TrySkip(tag & 7),
                (9 << 3) | Len => ++attributes <= _maxAttributes && reader.TryReadLengthDelimited(out var kv) && TryScanKeyValue(kv, 1),
                (11 << 3) | Len => ++events <= _maxEventsPerSpan && reader.TryReadLengthDelimited(out var ev) && TryScanEvent(ev),
                (13 << 3) | Len => ++links <= _maxLinksPerSpan && reader.TryReadLengthDelimited(out var link) && TryScanLink(link),
                (15 << 3) | Len => Once(ref seen, 15) && reader.TryReadLengthDelimited(out var status) && TryScanStatus(status),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 16),
            };
            if (!ok)
            {
                return false;
            }
        }

        // An absent id reads as empty, which the validator rejects.
        return (seen & 0b110) == 0b110;
    }

    private bool TryScanEvent(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoWireReader(message);
        var attributes = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (1 << 3) | Fixed64 => reader.TrySkip(Fixed64),
                (2 << 3) | Len => reader.TryReadLengthDelimited(out _), // name
                (3 << 3) | Len => ++attributes <= _maxAttributes && reader.TryReadLengthDelimited(out var kv) && TryScanKeyValue(kv, 1),
                (4 << 3) | Varint => reader.TryReadVarint(out _),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 4),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanLink(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoWireReader(message);
        var seen = 0u;
        var attributes = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                // Links are only checked for width: an all-zero link id is kept as it is.
                (1 << 3) | Len => Once(ref seen, 1) && reader.TryReadLengthDelimited(out var traceId) && traceId.Length == 16,
                (2 << 3) | Len => Once(ref seen, 2) && reader.TryReadLengthDelimited(out var spanId) && spanId.Length == 8,
                (3 << 3) | Len => reader.TryReadLengthDelimited(out _), // trace_state
                (4 << 3) | Len => ++attributes <= _maxAttributes && reader.TryReadLengthDelimited(out var kv) && TryScanKeyValue(kv, 1),
                (5 << 3) | Varint => reader.TryReadVarint(out _),
                (6 << 3) | Fixed32 => reader.TrySkip(Fixed32),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 6),
            };
            if (!ok)
            {
                return false;
            }
        }

        return (seen & 0b110) == 0b110;
    }

    private static bool TryScanStatus(ReadOnlySpan<byte> message)
    {
        // Nothing in a status is validated, but Google.Protobuf parses it, so it must be well-formed.
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (2 << 3) | Len => reader.TryReadLengthDelimited(out _), // message
                (3 << 3) | Varint => reader.TryReadVarint(out _), // code
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 3), // field 1 is reserved: gives up
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Counted(ref long items)
    {
        items++;
        return true;
    }

    private static bool IsZero(ReadOnlySpan<byte> id) => id.Length == 16
        ? (BinaryPrimitives.ReadUInt64LittleEndian(id) | BinaryPrimitives.ReadUInt64LittleEndian(id[8..])) == 0
        : BinaryPrimitives.ReadUInt64LittleEndian(id) == 0;
}
