namespace Mesh.Otlp.Wire;

/// <summary>What stores read of a <c>Resource</c> or <c>InstrumentationScope</c> message as <see cref="OtlpTraceWire"/> hands it over.</summary>
public static class WireResource
{
    /// <summary>
    /// The AnyValue message of the resource's <c>service.name</c>: the first attribute of that key holding a non-empty
    /// string, as <c>Resource.ServiceName</c> reads the model; empty when there is none (the model's <c>unknown_service</c>).
    /// </summary>
    public static ReadOnlySpan<byte> ServiceNameValue(ReadOnlySpan<byte> resource)
    {
        var attributes = WireJson.EnumerateAttributes(resource, 1);
        while (attributes.MoveNext())
        {
            if (attributes.Key.SequenceEqual("service.name"u8) && IsNonEmptyString(attributes.Value))
            {
                return attributes.Value;
            }
        }

        return default;
    }

    /// <summary>The varint at <paramref name="field"/> (the last one, as protobuf keeps), or 0: a dropped-attributes count.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> message, uint field)
    {
        uint result = 0;
        var reader = new ProtoWireReader(message);
        while (!reader.End && reader.TryReadTag(out var tag))
        {
            if (tag == ((field << 3) | ProtoWireReader.Varint) && reader.TryReadVarint(out var value))
            {
                result = unchecked((uint)value);
            }
            else
            {
                _ = reader.TrySkip(tag & 7);
            }
        }

        return result;
    }

    /// <summary>How many times the length-delimited <paramref name="field"/> occurs: the attribute count of a container.</summary>
    public static int Count(ReadOnlySpan<byte> message, uint field)
    {
        var count = 0;
        var reader = new ProtoWireReader(message);
        while (!reader.End && reader.TryReadTag(out var tag))
        {
            count += tag == ((field << 3) | ProtoWireReader.Len) ? 1 : 0;
            _ = reader.TrySkip(tag & 7);
        }

        return count;
    }

    /// <summary>
    /// An <c>InstrumentationScope</c> message's fields: name (1), version (2), how many attributes (3) and
    /// dropped_attributes_count (4); a field seen twice keeps its last value, as protobuf does.
    /// </summary>
    public static void ReadScope(ReadOnlySpan<byte> scope, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> version, out int attributeCount, out uint droppedAttributes)
    {
        name = default;
        version = default;
        attributeCount = 0;
        droppedAttributes = 0;
        var reader = new ProtoWireReader(scope);
        while (!reader.End && reader.TryReadTag(out var tag))
        {
            switch (tag)
            {
                case (1 << 3) | ProtoWireReader.Len:
                    _ = reader.TryReadLengthDelimited(out name);
                    break;
                case (2 << 3) | ProtoWireReader.Len:
                    _ = reader.TryReadLengthDelimited(out version);
                    break;
                case (3 << 3) | ProtoWireReader.Len:
                    attributeCount++;
                    _ = reader.TrySkip(ProtoWireReader.Len);
                    break;
                case (4 << 3) | ProtoWireReader.Varint:
                    _ = reader.TryReadVarint(out var value);
                    droppedAttributes = unchecked((uint)value);
                    break;
                default:
                    _ = reader.TrySkip(tag & 7);
                    break;
            }
        }
    }

    private static bool IsNonEmptyString(ReadOnlySpan<byte> value)
    {
        // The last set member wins; the walker has made sure there is at most one.
        var reader = new ProtoWireReader(value);
        var nonEmptyString = false;
        while (!reader.End && reader.TryReadTag(out var tag))
        {
            if (tag == ((1 << 3) | ProtoWireReader.Len) && reader.TryReadLengthDelimited(out var text))
            {
                nonEmptyString = text.Length > 0;
            }
            else
            {
                nonEmptyString &= tag >> 3 is < 2 or > 7;
                _ = reader.TrySkip(tag & 7);
            }
        }

        return nonEmptyString;
    }
}
