using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Mesh.Core.Telemetry;
using static Mesh.Otlp.Wire.ProtoWireReader;

namespace Mesh.Otlp.Wire;

/// <summary>
/// Writes <see cref="AttributeJson"/> and <see cref="AnyValue.ToDisplayString"/> text straight from protobuf bytes,
/// byte for byte what the model would give for the same message, without building it. Reads only what
/// <see cref="OtlpTraceWire.TryWalk"/> accepted: a malformed message here is a bug, and throws.
/// </summary>
public sealed class WireJson : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly ArrayBufferWriter<byte> _displayBuffer = new(256);
    private readonly Utf8JsonWriter _displayWriter;

    public WireJson()
    {
        _writer = new Utf8JsonWriter(_buffer, Options);
        _displayWriter = new Utf8JsonWriter(_displayBuffer, Options);
    }

    private static ReadOnlySpan<byte> EmptyObject => "{}"u8;

    private static ReadOnlySpan<byte> EmptyArray => "[]"u8;

    /// <summary>
    /// The attributes (repeated KeyValue at <paramref name="field"/> of <paramref name="message"/>) as an
    /// AttributeJson object. The returned text is valid until the next call on this instance.
    /// </summary>
    public ReadOnlySpan<byte> Attributes(ReadOnlySpan<byte> message, uint field, int count)
    {
        if (count == 0)
        {
            return EmptyObject;
        }

        Begin();
        WriteAttributes(_writer, message, field);
        return End();
    }

    /// <summary>A span's events (field 11) as AttributeJson's event array.</summary>
    public ReadOnlySpan<byte> Events(scoped in WireSpan span)
    {
        if (span.EventCount == 0)
        {
            return EmptyArray;
        }

        Begin();
        _writer.WriteStartArray();
        var reader = new ProtoWireReader(span.Message);
        while (Next(ref reader, out var tag))
        {
            if (tag == ((11 << 3) | Len))
            {
                WriteEvent(_writer, Slice(ref reader));
            }
            else
            {
                Skip(ref reader, tag);
            }
        }

        _writer.WriteEndArray();
        return End();
    }

    /// <summary>A span's links (field 13) as AttributeJson's link array.</summary>
    public ReadOnlySpan<byte> Links(scoped in WireSpan span)
    {
        if (span.LinkCount == 0)
        {
            return EmptyArray;
        }

        Begin();
        _writer.WriteStartArray();
        var reader = new ProtoWireReader(span.Message);
        while (Next(ref reader, out var tag))
        {
            if (tag == ((13 << 3) | Len))
            {
                WriteLink(_writer, Slice(ref reader));
            }
            else
            {
                Skip(ref reader, tag);
            }
        }

        _writer.WriteEndArray();
        return End();
    }

    /// <summary>
    /// A value's display text (<see cref="AnyValue.ToDisplayString"/>) as UTF-8; <paramref name="value"/> is the
    /// AnyValue message, empty when absent. Valid until the next call of this method.
    /// </summary>
    public ReadOnlySpan<byte> Display(ReadOnlySpan<byte> value)
    {
        var kind = ReadValue(value, out var payload, out var scalar);
        _displayBuffer.ResetWrittenCount();
        switch (kind)
        {
            case AnyValueKind.String:
                return WireText.IsValid(payload) ? payload : Copy(System.Text.Encoding.UTF8.GetBytes(WireText.Decode(payload)));
            case AnyValueKind.Bool:
                return scalar != 0 ? "true"u8 : "false"u8;
            case AnyValueKind.Int:
                return Format(unchecked((long)scalar));
            case AnyValueKind.Double:
                return Format(BitConverter.UInt64BitsToDouble(scalar));
            case AnyValueKind.Bytes:
                var base64 = _displayBuffer.GetSpan(Base64.GetMaxEncodedToUtf8Length(payload.Length));
                _ = Base64.EncodeToUtf8(payload, base64, out _, out var written);
                _displayBuffer.Advance(written);
                return _displayBuffer.WrittenSpan;
            case AnyValueKind.Array or AnyValueKind.KvList:
                _displayWriter.Reset(_displayBuffer);
                WriteValue(_displayWriter, value);
                _displayWriter.Flush();
                return _displayBuffer.WrittenSpan;
            default:
                return [];
        }
    }

    /// <summary>The kind of the value an AnyValue message (empty when absent) holds.</summary>
    public static AnyValueKind KindOf(ReadOnlySpan<byte> value) => ReadValue(value, out _, out _);

    /// <summary>Each attribute's key and value message, in wire order: for search columns.</summary>
    public static AttributeEnumerator EnumerateAttributes(ReadOnlySpan<byte> message, uint field) => new(message, field);

    public void Dispose()
    {
        _writer.Dispose();
        _displayWriter.Dispose();
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private ReadOnlySpan<byte> End()
    {
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    private ReadOnlySpan<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        _displayBuffer.Write(bytes);
        return _displayBuffer.WrittenSpan;
    }

    private ReadOnlySpan<byte> Format(long value)
    {
        var span = _displayBuffer.GetSpan(32);
        _ = value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _displayBuffer.Advance(written);
        return _displayBuffer.WrittenSpan;
    }

    private ReadOnlySpan<byte> Format(double value)
    {
        var span = _displayBuffer.GetSpan(64);
        _ = value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        _displayBuffer.Advance(written);
        return _displayBuffer.WrittenSpan;
    }

    private static void WriteAttributes(Utf8JsonWriter w, ReadOnlySpan<byte> message, uint field)
    {
        w.WriteStartObject();
        var attributes = new AttributeEnumerator(message, field);
        while (attributes.MoveNext())
        {
            WritePropertyName(w, attributes.Key);
            WriteValue(w, attributes.Value);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, ReadOnlySpan<byte> value)
    {
        var kind = ReadValue(value, out var payload, out var scalar);
        switch (kind)
        {
            case AnyValueKind.String:
                WriteStringValue(w, payload);
                break;
            case AnyValueKind.Bool:
                w.WriteBooleanValue(scalar != 0);
                break;
            case AnyValueKind.Int:
                w.WriteNumberValue(unchecked((long)scalar));
                break;
            case AnyValueKind.Double:
                AttributeJson.WriteDoubleValue(w, BitConverter.UInt64BitsToDouble(scalar));
                break;
            case AnyValueKind.Bytes:
                w.WriteStartObject();
                w.WriteBase64String("b"u8, payload);
                w.WriteEndObject();
                break;
            case AnyValueKind.Array:
                w.WriteStartArray();
                var items = new ProtoWireReader(payload);
                while (Next(ref items, out var tag))
                {
                    if (tag == ((1 << 3) | Len))
                    {
                        WriteValue(w, Slice(ref items));
                    }
                    else
                    {
                        Skip(ref items, tag);
                    }
                }

                w.WriteEndArray();
                break;
            case AnyValueKind.KvList:
                w.WriteStartObject();
                w.WritePropertyName("kv"u8);
                WriteAttributes(w, payload, 1);
                w.WriteEndObject();
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    private static void WriteEvent(Utf8JsonWriter w, ReadOnlySpan<byte> message)
    {
        ulong time = 0;
        ulong dropped = 0;
        ReadOnlySpan<byte> name = default;
        var reader = new ProtoWireReader(message);
        while (Next(ref reader, out var tag))
        {
            switch (tag)
            {
                case (1 << 3) | Fixed64:
                    Check(reader.TryReadFixed64(out time));
                    break;
                case (2 << 3) | Len:
                    name = Slice(ref reader);
                    break;
                case (4 << 3) | Varint:
                    Check(reader.TryReadVarint(out dropped));
                    break;
                default:
                    Skip(ref reader, tag);
                    break;
            }
        }

        w.WriteStartObject();
        w.WriteNumber("t"u8, time > long.MaxValue ? long.MaxValue : (long)time);
        w.WritePropertyName("n"u8);
        WriteStringValue(w, name);
        w.WritePropertyName("a"u8);
        WriteAttributes(w, message, 3);
        if (unchecked((uint)dropped) != 0)
        {
            w.WriteNumber("d"u8, unchecked((uint)dropped));
        }

        w.WriteEndObject();
    }

    private static void WriteLink(Utf8JsonWriter w, ReadOnlySpan<byte> message)
    {
        ReadOnlySpan<byte> traceId = default;
        ReadOnlySpan<byte> spanId = default;
        ReadOnlySpan<byte> traceState = default;
        ulong dropped = 0;
        uint flags = 0;
        var reader = new ProtoWireReader(message);
        while (Next(ref reader, out var tag))
        {
            switch (tag)
            {
                case (1 << 3) | Len:
                    traceId = Slice(ref reader);
                    break;
                case (2 << 3) | Len:
                    spanId = Slice(ref reader);
                    break;
                case (3 << 3) | Len:
                    traceState = Slice(ref reader);
                    break;
                case (5 << 3) | Varint:
                    Check(reader.TryReadVarint(out dropped));
                    break;
                case (6 << 3) | Fixed32:
                    Check(reader.TryReadFixed32(out flags));
                    break;
                default:
                    Skip(ref reader, tag);
                    break;
            }
        }

        Span<byte> hex = stackalloc byte[32];
        w.WriteStartObject();
        w.WriteString("tr"u8, Hex(traceId, hex[..32]));
        w.WriteString("sp"u8, Hex(spanId, hex[..16]));
        if (traceState.Length != 0)
        {
            w.WritePropertyName("ts"u8);
            WriteStringValue(w, traceState);
        }

        if (flags != 0)
        {
            w.WriteNumber("f"u8, flags);
        }

        w.WritePropertyName("a"u8);
        WriteAttributes(w, message, 4);
        if (unchecked((uint)dropped) != 0)
        {
            w.WriteNumber("d"u8, unchecked((uint)dropped));
        }

        w.WriteEndObject();
    }

    /// <summary>Lower-case hex of an id, all zeros when it is absent (the model's empty id).</summary>
    private static ReadOnlySpan<byte> Hex(ReadOnlySpan<byte> id, Span<byte> hex)
    {
        if (id.Length * 2 != hex.Length)
        {
            hex.Fill((byte)'0');
            return hex;
        }

        for (var i = 0; i < id.Length; i++)
        {
            hex[2 * i] = (byte)"0123456789abcdef"[id[i] >> 4];
            hex[(2 * i) + 1] = (byte)"0123456789abcdef"[id[i] & 0xF];
        }

        return hex;
    }

    /// <summary>The set member of an AnyValue: its kind, its bytes (string, bytes, array, kvlist) or its scalar bits.</summary>
    internal static AnyValueKind ReadValue(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> payload, out ulong scalar)
    {
        var kind = AnyValueKind.Empty;
        payload = default;
        scalar = 0;
        var reader = new ProtoWireReader(value);
        while (Next(ref reader, out var tag))
        {
            switch (tag)
            {
                case (1 << 3) | Len:
                    kind = AnyValueKind.String;
                    payload = Slice(ref reader);
                    break;
                case (2 << 3) | Varint:
                    kind = AnyValueKind.Bool;
                    Check(reader.TryReadVarint(out scalar));
                    break;
                case (3 << 3) | Varint:
                    kind = AnyValueKind.Int;
                    Check(reader.TryReadVarint(out scalar));
                    break;
                case (4 << 3) | Fixed64:
                    kind = AnyValueKind.Double;
                    Check(reader.TryReadFixed64(out scalar));
                    break;
                case (5 << 3) | Len:
                    kind = AnyValueKind.Array;
                    payload = Slice(ref reader);
                    break;
                case (6 << 3) | Len:
                    kind = AnyValueKind.KvList;
                    payload = Slice(ref reader);
                    break;
                case (7 << 3) | Len:
                    kind = AnyValueKind.Bytes;
                    payload = Slice(ref reader);
                    break;
                default:
                    Skip(ref reader, tag);
                    break;
            }
        }

        return kind;
    }

    private static void WritePropertyName(Utf8JsonWriter w, ReadOnlySpan<byte> utf8)
    {
        if (WireText.IsValid(utf8))
        {
            w.WritePropertyName(utf8);
        }
        else
        {
            w.WritePropertyName(WireText.Decode(utf8));
        }
    }

    private static void WriteStringValue(Utf8JsonWriter w, ReadOnlySpan<byte> utf8)
    {
        if (WireText.IsValid(utf8))
        {
            w.WriteStringValue(utf8);
        }
        else
        {
            w.WriteStringValue(WireText.Decode(utf8));
        }
    }

    private static bool Next(scoped ref ProtoWireReader reader, out uint tag)
    {
        if (reader.End)
        {
            tag = 0;
            return false;
        }

        Check(reader.TryReadTag(out tag));
        return true;
    }

    private static ReadOnlySpan<byte> Slice(scoped ref ProtoWireReader reader)
    {
        Check(reader.TryReadLengthDelimited(out var bytes));
        return bytes;
    }

    private static void Skip(scoped ref ProtoWireReader reader, uint tag) => Check(reader.TrySkip(tag & 7));

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("Malformed protobuf reached WireJson; only what OtlpTraceWire.TryWalk accepted may.");
        }
    }

    /// <summary>The KeyValue entries at one field of a message: key bytes and value message (empty when absent).</summary>
    public ref struct AttributeEnumerator
    {
        private readonly uint _tag;
        private ProtoWireReader _reader;

        internal AttributeEnumerator(ReadOnlySpan<byte> message, uint field)
        {
            _reader = new ProtoWireReader(message);
            _tag = (field << 3) | Len;
        }

        public ReadOnlySpan<byte> Key { get; private set; }

        public ReadOnlySpan<byte> Value { get; private set; }

        public bool MoveNext()
        {
            while (Next(ref _reader, out var tag))
            {
                if (tag != _tag)
                {
                    Skip(ref _reader, tag);
                    continue;
                }

                var entry = new ProtoWireReader(Slice(ref _reader));
                Key = default;
                Value = default;
                while (Next(ref entry, out var entryTag))
                {
                    switch (entryTag)
                    {
                        case (1 << 3) | Len:
                            Key = Slice(ref entry);
                            break;
                        case (2 << 3) | Len:
                            Value = Slice(ref entry);
                            break;
                        default:
                            Skip(ref entry, entryTag);
                            break;
                    }
                }

                return true;
            }

            return false;
        }
    }
}
