using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;

namespace Mesh.Web.Api;

/// <summary>
/// The API's JSON shapes. Attribute maps are plain JSON objects with typed values (ints as integers,
/// doubles as numbers, bytes as base64, nested lists/maps as arrays/objects). Nanosecond timestamps are
/// strings, as in OTLP/JSON, because they do not fit a JavaScript number; each also has an RFC 3339 twin.
/// </summary>
internal static class ApiJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = false };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Span(Utf8JsonWriter w, Span s)
    {
        w.WriteStartObject();
        w.WriteString("traceId", s.TraceId.ToString());
        w.WriteString("spanId", s.SpanId.ToString());
        if (!s.ParentSpanId.IsEmpty)
        {
            w.WriteString("parentSpanId", s.ParentSpanId.ToString());
        }

        w.WriteString("name", s.Name);
        w.WriteString("kind", KindName(s.Kind));
        w.WriteString("service", s.ServiceName);
        Time(w, "startTimeUnixNano", "startTime", s.StartTimeUnixNano);
        Time(w, "endTimeUnixNano", "endTime", s.EndTimeUnixNano);
        w.WriteNumber("durationMs", s.DurationNanos / 1e6);
        w.WriteStartObject("status");
        w.WriteString("code", s.StatusCode switch { StatusCode.Ok => "OK", StatusCode.Error => "ERROR", _ => "UNSET" });
        if (s.StatusMessage.Length > 0)
        {
            w.WriteString("message", s.StatusMessage);
        }

        w.WriteEndObject();
        if (s.TraceState.Length > 0)
        {
            w.WriteString("traceState", s.TraceState);
        }

        w.WriteNumber("flags", s.Flags);
        w.WritePropertyName("attributes");
        Attributes(w, s.Attributes);
        w.WriteNumber("droppedAttributesCount", s.DroppedAttributesCount);
        w.WriteStartArray("events");
        foreach (var e in s.Events)
        {
            w.WriteStartObject();
            w.WriteString("name", e.Name);
            Time(w, "timeUnixNano", "time", e.TimeUnixNano);
            w.WritePropertyName("attributes");
            Attributes(w, e.Attributes);
            w.WriteNumber("droppedAttributesCount", e.DroppedAttributesCount);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("droppedEventsCount", s.DroppedEventsCount);
        w.WriteStartArray("links");
        foreach (var l in s.Links)
        {
            w.WriteStartObject();
            w.WriteString("traceId", l.TraceId.ToString());
            w.WriteString("spanId", l.SpanId.ToString());
            if (l.TraceState.Length > 0)
            {
                w.WriteString("traceState", l.TraceState);
            }

            w.WriteNumber("flags", l.Flags);
            w.WritePropertyName("attributes");
            Attributes(w, l.Attributes);
            w.WriteNumber("droppedAttributesCount", l.DroppedAttributesCount);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("droppedLinksCount", s.DroppedLinksCount);
        Resource(w, s.Resource);
        Scope(w, s.Scope);
        w.WriteEndObject();
    }

    public static void Summary(Utf8JsonWriter w, TraceSummary t)
    {
        w.WriteStartObject();
        w.WriteString("traceId", t.TraceId.ToString());
        w.WriteString("rootService", t.RootService);
        w.WriteString("rootOperation", t.RootOperation);
        Time(w, "startTimeUnixNano", "startTime", t.StartUnixNano);
        w.WriteNumber("durationMs", t.DurationNanos / 1e6);
        w.WriteNumber("spanCount", t.SpanCount);
        w.WriteNumber("errorCount", t.ErrorCount);
        w.WriteStartArray("services");
        foreach (var s in t.Services)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Log(Utf8JsonWriter w, LogRecord l)
    {
        w.WriteStartObject();
        w.WriteString("logId", l.LogId.ToString("x16", CultureInfo.InvariantCulture));
        w.WriteString("time", Iso(l.EffectiveTimeUnixNano));
        w.WriteString("timeUnixNano", l.TimeUnixNano.ToString(CultureInfo.InvariantCulture));
        w.WriteString("observedTimeUnixNano", l.ObservedTimeUnixNano.ToString(CultureInfo.InvariantCulture));
        w.WriteString("service", l.ServiceName);
        w.WriteNumber("severityNumber", l.SeverityNumber);
        w.WriteString("severityText", l.SeverityText);
        w.WritePropertyName("body");
        Value(w, l.Body);
        if (l.EventName.Length > 0)
        {
            w.WriteString("eventName", l.EventName);
        }

        if (!l.TraceId.IsEmpty)
        {
            w.WriteString("traceId", l.TraceId.ToString());
        }

        if (!l.SpanId.IsEmpty)
        {
            w.WriteString("spanId", l.SpanId.ToString());
        }

        w.WriteNumber("flags", l.Flags);
        w.WritePropertyName("attributes");
        Attributes(w, l.Attributes);
        w.WriteNumber("droppedAttributesCount", l.DroppedAttributesCount);
        Resource(w, l.Resource);
        Scope(w, l.Scope);
        w.WriteEndObject();
    }

    public static void Attributes(Utf8JsonWriter w, IReadOnlyList<KeyValue> attributes)
    {
        w.WriteStartObject();
        foreach (var kv in attributes)
        {
            w.WritePropertyName(kv.Key);
            Value(w, kv.Value);
        }

        w.WriteEndObject();
    }

    public static void Value(Utf8JsonWriter w, AnyValue v)
    {
        switch (v.Kind)
        {
            case AnyValueKind.String:
                w.WriteStringValue(v.StringValue);
                break;
            case AnyValueKind.Bool:
                w.WriteBooleanValue(v.BoolValue);
                break;
            case AnyValueKind.Int:
                w.WriteNumberValue(v.IntValue);
                break;
            case AnyValueKind.Double when double.IsFinite(v.DoubleValue):
                w.WriteNumberValue(v.DoubleValue);
                break;
            case AnyValueKind.Double:
                w.WriteStringValue(v.DoubleValue.ToString(CultureInfo.InvariantCulture));
                break;
            case AnyValueKind.Bytes:
                w.WriteBase64StringValue(v.BytesValue);
                break;
            case AnyValueKind.Array:
                w.WriteStartArray();
                foreach (var item in v.ArrayValue)
                {
                    Value(w, item);
                }

                w.WriteEndArray();
                break;
            case AnyValueKind.KvList:
                Attributes(w, v.KvListValue);
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    public static string KindName(SpanKind kind) => kind switch
    {
        SpanKind.Internal => "INTERNAL",
        SpanKind.Server => "SERVER",
        SpanKind.Client => "CLIENT",
        SpanKind.Producer => "PRODUCER",
        SpanKind.Consumer => "CONSUMER",
        _ => "UNSPECIFIED",
    };

    private static void Resource(Utf8JsonWriter w, Resource r)
    {
        w.WriteStartObject("resource");
        w.WritePropertyName("attributes");
        Attributes(w, r.Attributes);
        w.WriteNumber("droppedAttributesCount", r.DroppedAttributesCount);
        if (r.SchemaUrl.Length > 0)
        {
            w.WriteString("schemaUrl", r.SchemaUrl);
        }

        w.WriteEndObject();
    }

    private static void Scope(Utf8JsonWriter w, InstrumentationScope s)
    {
        w.WriteStartObject("scope");
        w.WriteString("name", s.Name);
        w.WriteString("version", s.Version);
        w.WritePropertyName("attributes");
        Attributes(w, s.Attributes);
        w.WriteNumber("droppedAttributesCount", s.DroppedAttributesCount);
        if (s.SchemaUrl.Length > 0)
        {
            w.WriteString("schemaUrl", s.SchemaUrl);
        }

        w.WriteEndObject();
    }

    private static void Time(Utf8JsonWriter w, string nanosName, string isoName, long unixNanos)
    {
        w.WriteString(nanosName, unixNanos.ToString(CultureInfo.InvariantCulture));
        w.WriteString(isoName, Iso(unixNanos));
    }

    private static string Iso(long unixNanos) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNanos / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
