using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Mesh.Core.Telemetry;

/// <summary>
/// A compact, lossless JSON form for attribute lists, events and links, shared by the stores.
/// Scalars are plain JSON (string, true/false, integer, and doubles always written with a fraction
/// or exponent so they read back as doubles); the rest are tagged objects: <c>{"b":base64}</c> bytes,
/// <c>{"kv":{…}}</c> key-value lists, <c>{"d":"NaN"}</c> non-finite doubles; <c>null</c> is the empty value.
/// An attribute list is an object, in the order the keys arrived, so SQLite's <c>json_extract</c> can search it.
/// </summary>
public static class AttributeJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    public static string Serialize(IReadOnlyList<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return "{}";
        }

        return Write(attributes, static (w, a) => WriteAttributes(w, a));
    }

    public static string SerializeValue(AnyValue value) => Write(value, static (w, v) => WriteValue(w, v));

    public static string SerializeEvents(IReadOnlyList<SpanEvent> events)
    {
        if (events.Count == 0)
        {
            return "[]";
        }

        return Write(events, static (w, list) => WriteEvents(w, list));
    }

    public static string SerializeLinks(IReadOnlyList<SpanLink> links)
    {
        if (links.Count == 0)
        {
            return "[]";
        }

        return Write(links, static (w, list) => WriteLinks(w, list));
    }

    public static IReadOnlyList<KeyValue> DeserializeAttributes(string json)
    {
        if (string.IsNullOrEmpty(json) || json == "{}")
        {
            return [];
        }

        using var doc = JsonDocument.Parse(json);
        return ReadAttributes(doc.RootElement);
    }

    public static AnyValue DeserializeValue(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ReadValue(doc.RootElement);
    }

    public static IReadOnlyList<SpanEvent> DeserializeEvents(string json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]")
        {
            return [];
        }

        using var doc = JsonDocument.Parse(json);
        var result = new List<SpanEvent>(doc.RootElement.GetArrayLength());
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            result.Add(new SpanEvent
            {
                TimeUnixNano = e.GetProperty("t").GetInt64(),
                Name = e.GetProperty("n").GetString() ?? string.Empty,
                Attributes = ReadAttributes(e.GetProperty("a")),
                DroppedAttributesCount = e.TryGetProperty("d", out var d) ? d.GetUInt32() : 0,
            });
        }

        return result;
    }

    public static IReadOnlyList<SpanLink> DeserializeLinks(string json)
    {
        if (string.IsNullOrEmpty(json) || json == "[]")
        {
            return [];
        }

        using var doc = JsonDocument.Parse(json);
        var result = new List<SpanLink>(doc.RootElement.GetArrayLength());
        foreach (var l in doc.RootElement.EnumerateArray())
        {
            _ = TraceId.TryParse(l.GetProperty("tr").GetString(), out var traceId);
            _ = SpanId.TryParse(l.GetProperty("sp").GetString(), out var spanId);
            result.Add(new SpanLink
            {
                TraceId = traceId,
                SpanId = spanId,
                TraceState = l.TryGetProperty("ts", out var ts) ? ts.GetString() ?? string.Empty : string.Empty,
                Flags = l.TryGetProperty("f", out var f) ? f.GetUInt32() : 0,
                Attributes = ReadAttributes(l.GetProperty("a")),
                DroppedAttributesCount = l.TryGetProperty("d", out var d) ? d.GetUInt32() : 0,
            });
        }

        return result;
    }

    public static void WriteEvents(Utf8JsonWriter w, IReadOnlyList<SpanEvent> events)
    {
        w.WriteStartArray();
        foreach (var e in events)
        {
            w.WriteStartObject();
            w.WriteNumber("t", e.TimeUnixNano);
            w.WriteString("n", e.Name);
            w.WritePropertyName("a");
            WriteAttributes(w, e.Attributes);
            if (e.DroppedAttributesCount != 0)
            {
                w.WriteNumber("d", e.DroppedAttributesCount);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static void WriteLinks(Utf8JsonWriter w, IReadOnlyList<SpanLink> links)
    {
        w.WriteStartArray();
        foreach (var l in links)
        {
            w.WriteStartObject();
            w.WriteString("tr", l.TraceId.ToString());
            w.WriteString("sp", l.SpanId.ToString());
            if (l.TraceState.Length != 0)
            {
                w.WriteString("ts", l.TraceState);
            }

            if (l.Flags != 0)
            {
                w.WriteNumber("f", l.Flags);
            }

            w.WritePropertyName("a");
            WriteAttributes(w, l.Attributes);
            if (l.DroppedAttributesCount != 0)
            {
                w.WriteNumber("d", l.DroppedAttributesCount);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static void WriteAttributes(Utf8JsonWriter writer, IReadOnlyList<KeyValue> attributes)
    {
        writer.WriteStartObject();
        foreach (var kv in attributes)
        {
            writer.WritePropertyName(kv.Key);
            WriteValue(writer, kv.Value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, AnyValue value)
    {
        switch (value.Kind)
        {
            case AnyValueKind.String:
                writer.WriteStringValue(value.StringValue);
                break;
            case AnyValueKind.Bool:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case AnyValueKind.Int:
                writer.WriteNumberValue(value.IntValue);
                break;
            case AnyValueKind.Double:
                WriteDoubleValue(writer, value.DoubleValue);
                break;
            case AnyValueKind.Bytes:
                writer.WriteStartObject();
                writer.WriteBase64String("b", value.BytesValue);
                writer.WriteEndObject();
                break;
            case AnyValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case AnyValueKind.KvList:
                writer.WriteStartObject();
                writer.WritePropertyName("kv");
                WriteAttributes(writer, value.KvListValue);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>A double as AttributeJson writes it: always with a fraction or exponent; non-finite as <c>{"d":"NaN"}</c>.</summary>
    public static void WriteDoubleValue(Utf8JsonWriter writer, double d)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!double.IsFinite(d))
        {
            writer.WriteStartObject();
            writer.WriteString("d", d.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            return;
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        if (text.AsSpan().IndexOfAny('.', 'E', 'e') < 0)
        {
            text += ".0";
        }

        writer.WriteRawValue(text, skipInputValidation: true);
    }

    private static List<KeyValue> ReadAttributes(JsonElement obj)
    {
        var list = new List<KeyValue>();
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return list;
        }

        foreach (var p in obj.EnumerateObject())
        {
            list.Add(new KeyValue(p.Name, ReadValue(p.Value)));
        }

        return list;
    }

    private static AnyValue ReadValue(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                return AnyValue.Of(e.GetString()!);
            case JsonValueKind.True:
                return AnyValue.Of(true);
            case JsonValueKind.False:
                return AnyValue.Of(false);
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                return raw.AsSpan().IndexOfAny('.', 'E', 'e') >= 0
                    ? AnyValue.Of(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture))
                    : AnyValue.Of(long.Parse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture));
            case JsonValueKind.Array:
                var items = new List<AnyValue>(e.GetArrayLength());
                foreach (var item in e.EnumerateArray())
                {
                    items.Add(ReadValue(item));
                }

                return AnyValue.OfArray(items);
            case JsonValueKind.Object:
                if (e.TryGetProperty("b", out var b))
                {
                    return AnyValue.OfBytes(b.GetBytesFromBase64());
                }

                if (e.TryGetProperty("kv", out var kv))
                {
                    return AnyValue.OfKvList(ReadAttributes(kv));
                }

                if (e.TryGetProperty("d", out var d))
                {
                    return AnyValue.Of(double.Parse(d.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture));
                }

                return AnyValue.Empty;
            default:
                return AnyValue.Empty;
        }
    }

    private static string Write<T>(T state, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
