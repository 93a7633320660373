using System.Runtime.CompilerServices;
using Mesh.Otlp.Wire;
using static Mesh.Otlp.Wire.ProtoWireReader;

namespace Mesh.Ingest.Validation;

/// <summary>The messages both signals share: resource, scope, attributes and their values.</summary>
internal sealed partial class OtlpWireScanner
{
    private bool TryScanResource(ReadOnlySpan<byte> message)
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
                (1 << 3) | Len => ++attributes <= _maxAttributes && reader.TryReadLengthDelimited(out var kv) && TryScanKeyValue(kv, 1),
                (2 << 3) | Varint => reader.TryReadVarint(out _),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 2), // entity_refs (3) is not in our schema: unknown
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanScope(ReadOnlySpan<byte> message)
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
                (1 << 3) | Len or (2 << 3) | Len => reader.TryReadLengthDelimited(out _), // name, version
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

    private bool TryScanKeyValue(ReadOnlySpan<byte> message, int depth)
    {
        if (depth > MaxValueDepth)
        {
            return false;
        }

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
                (1 << 3) | Len => reader.TryReadLengthDelimited(out _), // keys are not limited
                (2 << 3) | Len => Once(ref seen, 2) && reader.TryReadLengthDelimited(out var value) && TryScanAnyValue(value, depth + 1),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 2),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An <c>AnyValue</c>: strings and bytes within the length limit, at any depth of arrays and lists.</summary>
    private bool TryScanAnyValue(ReadOnlySpan<byte> message, int depth)
    {
        if (depth > MaxValueDepth)
        {
            return false;
        }

        var reader = new ProtoWireReader(message);
        var seen = 0u;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            // A oneof: a second value would replace (or merge into) the first, so one value at most.
            if (tag >> 3 <= 7 && !Once(ref seen, 0))
            {
                return false;
            }

            var ok = tag switch
            {
                // UTF-8 bytes >= UTF-16 code units, so a byte length within the limit is within it in either unit.
                (1 << 3) | Len or (7 << 3) | Len => reader.TryReadLengthDelimited(out var text) && text.Length <= _maxValueLength,
                (2 << 3) | Varint or (3 << 3) | Varint => reader.TryReadVarint(out _),
                (4 << 3) | Fixed64 => reader.TrySkip(Fixed64),
                (5 << 3) | Len => reader.TryReadLengthDelimited(out var array) && TryScanArrayValue(array, depth + 1),
                (6 << 3) | Len => reader.TryReadLengthDelimited(out var list) && TryScanKeyValueList(list, depth + 1),
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 7),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanArrayValue(ReadOnlySpan<byte> message, int depth)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag == ((1 << 3) | Len)
                ? reader.TryReadLengthDelimited(out var value) && TryScanAnyValue(value, depth + 1)
                : TrySkipUnknown(ref reader, tag, maxKnownField: 1);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScanKeyValueList(ReadOnlySpan<byte> message, int depth)
    {
        var reader = new ProtoWireReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            // Lists inside values have no count limit: only top-level attribute lists are capped.
            var ok = tag == ((1 << 3) | Len)
                ? reader.TryReadLengthDelimited(out var kv) && TryScanKeyValue(kv, depth + 1)
                : TrySkipUnknown(ref reader, tag, maxKnownField: 1);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Skips a field this scanner has no case for. A number above the message's known fields is an unknown field,
    /// skipped as Google.Protobuf skips it; a known (or reserved) number with an unexpected wire type gives up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TrySkipUnknown(ref ProtoWireReader reader, uint tag, int maxKnownField) =>
        tag >> 3 > (uint)maxKnownField && reader.TrySkip(tag & 7);

    /// <summary>Marks a singular field as seen; false when it already was (a repeat would merge or overwrite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Once(ref uint seen, int field)
    {
        var bit = 1u << field;
        if ((seen & bit) != 0)
        {
            return false;
        }

        seen |= bit;
        return true;
    }
}
