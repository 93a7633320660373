using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;

namespace Mesh.Ingest.Tests.Pipeline;

/// <summary>Spans and logs with distinct keys, and the normalised OTLP payloads a receiver would spool for them.</summary>
internal static class TestTelemetry
{
    private static readonly Resource Service = new() { Attributes = [KeyValue.Of("service.name", "checkout")] };

    /// <summary><paramref name="count"/> spans of one trace; <paramref name="request"/> keeps keys distinct across calls.</summary>
    public static List<Span> Spans(int request, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new Span
        {
            TraceId = new TraceId((ulong)request + 1, 0xABCDEF),
            SpanId = new SpanId(((ulong)request << 20) + (ulong)i + 1),
            Name = $"op-{i % 3}",
            Kind = SpanKind.Server,
            StartTimeUnixNano = 1_700_000_000_000_000_000 + (i * 1000L),
            EndTimeUnixNano = 1_700_000_000_000_000_000 + (i * 1000L) + 500,
            Resource = Service,
            Attributes = [KeyValue.Of("request", request), KeyValue.Of("index", i)],
        }),
    ];

    public static List<LogRecord> Logs(int request, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new LogRecord
        {
            LogId = 0,
            TimeUnixNano = 1_700_000_000_000_000_000 + i,
            SeverityNumber = 9,
            SeverityText = "INFO",
            Body = AnyValue.Of($"log {request}/{i}"),
            Resource = Service,
        }),
    ];

    public static byte[] TracePayload(IEnumerable<Span> spans) => OtlpSpans.ToRequest(spans).ToByteArray();

    public static byte[] LogPayload(IEnumerable<LogRecord> logs) => OtlpLogs.ToRequest(logs).ToByteArray();
}
