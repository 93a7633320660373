using Mesh.Core.Telemetry;

namespace Mesh.Storage.Tests;

/// <summary>Builders for spans and logs with every OTLP field populated, so round-trips prove fidelity.</summary>
internal static class TestTelemetry
{
    /// <summary>A fixed, recent base time (stores partition by day; keep data in a few partitions).</summary>
    public static readonly long BaseNanos = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

    private static long _next = 1;

    public static TraceId NewTraceId() => new(0x0af7651916cd43ddUL, (ulong)Interlocked.Increment(ref _next) * 7919UL);

    public static SpanId NewSpanId() => new((ulong)Interlocked.Increment(ref _next) * 104729UL);

    public static Resource ResourceFor(string service, string version = "1.2.3") => new()
    {
        Attributes =
        [
            KeyValue.Of("service.name", service),
            KeyValue.Of("service.version", version),
            KeyValue.Of("host.name", "node-1"),
        ],
        SchemaUrl = "https://opentelemetry.io/schemas/1.26.0",
    };

    public static readonly InstrumentationScope Scope = new()
    {
        Name = "mesh.test",
        Version = "0.1.0",
        Attributes = [KeyValue.Of("scope.attr", "s")],
        DroppedAttributesCount = 1,
    };

    public static Span NewSpan(
        TraceId traceId,
        string service,
        string name,
        long startOffsetMs,
        long durationMs,
        SpanId? parent = null,
        StatusCode status = StatusCode.Unset,
        SpanKind kind = SpanKind.Server,
        IReadOnlyList<KeyValue>? attributes = null) => new()
    {
        TraceId = traceId,
        SpanId = NewSpanId(),
        ParentSpanId = parent ?? SpanId.Empty,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = BaseNanos + (startOffsetMs * 1_000_000),
        EndTimeUnixNano = BaseNanos + ((startOffsetMs + durationMs) * 1_000_000),
        StatusCode = status,
        StatusMessage = status == StatusCode.Error ? "boom" : string.Empty,
        Resource = ResourceFor(service),
        Scope = Scope,
        Attributes = attributes ?? [KeyValue.Of("http.request.method", "GET"), KeyValue.Of("http.response.status_code", 200L)],
    };

    /// <summary>A span using every field and every value kind, including awkward strings.</summary>
    public static Span RichSpan(TraceId traceId, string service = "checkout") => new()
    {
        TraceId = traceId,
        SpanId = NewSpanId(),
        ParentSpanId = NewSpanId(),
        TraceState = "vendor=a,other=b",
        Flags = 0x101,
        Name = "POST /cart/{id}",
        Kind = SpanKind.Client,
        StartTimeUnixNano = BaseNanos + 123_456_789,
        EndTimeUnixNano = BaseNanos + 987_654_321,
        StatusCode = StatusCode.Error,
        StatusMessage = "upstream said: 'no' \\ \"really\"\n\ttab",
        Resource = ResourceFor(service),
        Scope = Scope,
        Attributes =
        [
            KeyValue.Of("str", "héllo wörld ✓ 'quote' \"dq\" back\\slash\nnewline\ttab\0nul"),
            KeyValue.Of("int", long.MinValue),
            KeyValue.Of("int.max", long.MaxValue),
            KeyValue.Of("double", 3.25),
            KeyValue.Of("double.whole", 2.0),
            KeyValue.Of("bool", true),
            new KeyValue("bytes", AnyValue.OfBytes([0, 1, 2, 255])),
            new KeyValue("array", AnyValue.OfArray([AnyValue.Of("a"), AnyValue.Of(1L), AnyValue.Of(false)])),
            new KeyValue("kvlist", AnyValue.OfKvList([KeyValue.Of("inner", "x"), KeyValue.Of("n", 5L)])),
            new KeyValue("empty", AnyValue.Empty),
            new KeyValue("nan", AnyValue.Of(double.NaN)),
        ],
        DroppedAttributesCount = 3,
        Events =
        [
            new SpanEvent { TimeUnixNano = BaseNanos + 200_000_000, Name = "exception", Attributes = [KeyValue.Of("exception.type", "IOException")], DroppedAttributesCount = 2 },
            new SpanEvent { TimeUnixNano = BaseNanos + 300_000_000, Name = "retry" },
        ],
        DroppedEventsCount = 4,
        Links =
        [
            new SpanLink { TraceId = NewTraceId(), SpanId = NewSpanId(), TraceState = "k=v", Flags = 1, Attributes = [KeyValue.Of("link.kind", "follows")], DroppedAttributesCount = 1 },
        ],
        DroppedLinksCount = 5,
    };

    public static LogRecord NewLog(
        string service,
        long offsetMs,
        int severity,
        string body,
        TraceId traceId = default,
        SpanId spanId = default) => new()
    {
        LogId = (ulong)Interlocked.Increment(ref _next) * 15485863UL,
        TimeUnixNano = BaseNanos + (offsetMs * 1_000_000),
        ObservedTimeUnixNano = BaseNanos + (offsetMs * 1_000_000) + 5,
        SeverityNumber = severity,
        SeverityText = severity >= 17 ? "ERROR" : "INFO",
        Body = AnyValue.Of(body),
        Attributes = [KeyValue.Of("logger", "app"), KeyValue.Of("thread", 7L)],
        TraceId = traceId,
        SpanId = spanId,
        Resource = ResourceFor(service),
        Scope = Scope,
    };
}
