using System.Text;
using Google.Protobuf;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Receivers;
using Mesh.Ingest.Spool;
using Xunit;
using static Mesh.Ingest.Tests.Validation.OtlpRequests;

namespace Mesh.Ingest.Tests.Validation;

/// <summary>The scanner as <see cref="OtlpIngestService"/> uses it: clean requests spooled as they came, the rest as before.</summary>
public sealed class OtlpWireScannerIngestTests
{
    private static readonly TelemetryLimits Limits = new() { MaxAttributes = 20, MaxValueLength = 64, MaxEventsPerSpan = 2, MaxLinksPerSpan = 2 };

    [Theory]
    [InlineData(true, 37)]
    [InlineData(false, 23)]
    public async Task ExportProtobufAsync_CleanRequest_SpoolsTheOriginalBytesAndCountsEveryItem(bool traces, int items)
    {
        var body = traces ? Traces(items).ToByteArray() : Logs(items).ToByteArray();
        var (service, spool) = NewService();

        var outcome = await service.ExportProtobufAsync(traces, body, CancellationToken.None);

        Assert.Equal(new ExportOutcome(ExportStatus.Accepted, string.Empty), outcome);
        var record = Assert.Single(spool.Records);
        Assert.Equal(traces ? SignalType.Traces : SignalType.Logs, record.Type);
        Assert.Equal(body, record.Payload);
        var metrics = Prometheus(service.Metrics);
        var signal = traces ? "traces" : "logs";
        Assert.Contains($"mesh_ingest_received_items_total{{signal=\"{signal}\"}} {items}\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"mesh_ingest_accepted_items_total{{signal=\"{signal}\"}} {items}\n", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mesh_ingest_rejected_total{", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mesh_ingest_truncated_total{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportProtobufAsync_EmptyRequest_AcceptedWithoutSpooling()
    {
        var (service, spool) = NewService();

        var outcome = await service.ExportProtobufAsync(traces: true, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Equal(new ExportOutcome(ExportStatus.Accepted, string.Empty), outcome);
        Assert.Empty(spool.Records);
    }

    [Fact]
    public async Task ExportProtobufAsync_ValueOverTheLimit_TruncatedBySlowPath()
    {
        var span = Minimal();
        span.Attributes.Add(Attr("k", Str(new string('x', 65))));
        var body = Wrap(span).ToByteArray();
        var (service, spool) = NewService();

        var outcome = await service.ExportProtobufAsync(traces: true, body, CancellationToken.None);

        Assert.Equal(ExportStatus.Accepted, outcome.Status);
        var payload = Mesh.Otlp.Proto.Collector.Trace.ExportTraceServiceRequest.Parser.ParseFrom(Assert.Single(spool.Records).Payload);
        Assert.Equal(64, payload.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes[0].Value.StringValue.Length);
        Assert.Contains("mesh_ingest_truncated_total{what=\"value_length\"} 1", Prometheus(service.Metrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportProtobufAsync_ZeroSpanId_PartialSuccessFromSlowPath()
    {
        var body = Wrap(Minimal(), new Mesh.Otlp.Proto.Trace.Span { TraceId = Id(16, 1), SpanId = Id(8, 0) }).ToByteArray();
        var (service, spool) = NewService();

        var outcome = await service.ExportProtobufAsync(traces: true, body, CancellationToken.None);

        Assert.Equal(ExportStatus.Accepted, outcome.Status);
        Assert.Equal(1, outcome.Rejected);
        Assert.Equal("resourceSpans[0].scopeSpans[0].spans[1]: spanId is all zeros, which OTLP defines as invalid", outcome.Message);
        Assert.NotEqual(body, Assert.Single(spool.Records).Payload);
    }

    [Fact]
    public async Task ExportProtobufAsync_Malformed_BadRequestFromSlowPath()
    {
        var (service, spool) = NewService();

        var outcome = await service.ExportProtobufAsync(traces: false, new byte[] { 0x0A, 0x05, 0x00 }, CancellationToken.None);

        Assert.Equal(ExportStatus.BadRequest, outcome.Status);
        Assert.StartsWith("invalid protobuf ExportLogsServiceRequest: ", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(spool.Records);
    }

    private static (OtlpIngestService Service, RecordingSpool Spool) NewService()
    {
        var spool = new RecordingSpool();
        return (new OtlpIngestService(spool, new IngestMetrics(), new IngestOptions { Limits = Limits }), spool);
    }

    private static string Prometheus(IngestMetrics metrics)
    {
        var text = new StringBuilder();
        metrics.WritePrometheus(text);
        return text.ToString();
    }

    private sealed class RecordingSpool : ISpoolWriter
    {
        public List<(SignalType Type, byte[] Payload)> Records { get; } = [];

        public ValueTask<AppendResult> AppendAsync(SignalType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Records.Add((type, payload.ToArray()));
            return ValueTask.FromResult(AppendResult.Durable);
        }
    }
}
