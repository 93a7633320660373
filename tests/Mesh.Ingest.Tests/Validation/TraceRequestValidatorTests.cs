using Google.Protobuf;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Validation;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Common;
using Mesh.Otlp.Proto.Trace;
using Xunit;

namespace Mesh.Ingest.Tests.Validation;

public sealed class TraceRequestValidatorTests
{
    private static readonly TelemetryLimits Limits = new() { MaxAttributes = 3, MaxValueLength = 5, MaxEventsPerSpan = 1, MaxLinksPerSpan = 1 };

    private static Span NewSpan(byte[]? traceId = null, byte[]? spanId = null) => new()
    {
        TraceId = ByteString.CopyFrom(traceId ?? [.. Enumerable.Range(1, 16).Select(i => (byte)i)]),
        SpanId = ByteString.CopyFrom(spanId ?? [1, 2, 3, 4, 5, 6, 7, 8]),
        Name = "op",
    };

    private static ExportTraceServiceRequest Request(params Span[] spans)
    {
        var scope = new ScopeSpans();
        scope.Spans.AddRange(spans);
        var rs = new ResourceSpans();
        rs.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(rs);
        return request;
    }

    [Fact]
    public void Validate_CleanRequest_AcceptsUnmodified()
    {
        var result = TraceRequestValidator.Validate(Request(NewSpan(), NewSpan()), new LimitEnforcer(Limits, new IngestMetrics()));

        Assert.Null(result.Error);
        Assert.Equal(2, result.Accepted);
        Assert.False(result.Modified);
    }

    [Theory]
    [InlineData(15, 8, 0, "spans[0].traceId: must be 16 bytes, got 15")]
    [InlineData(16, 0, 0, "spans[0].spanId: must be 8 bytes, got 0")]
    [InlineData(16, 8, 4, "spans[0].parentSpanId: must be empty or 8 bytes, got 4")]
    public void Validate_WrongIdWidth_RejectsWholeRequestNamingTheField(int traceBytes, int spanBytes, int parentBytes, string expected)
    {
        var span = NewSpan(new byte[traceBytes].Select((_, i) => (byte)(i + 1)).ToArray(), new byte[spanBytes].Select((_, i) => (byte)(i + 1)).ToArray());
        span.ParentSpanId = ByteString.CopyFrom(new byte[parentBytes]);

        var result = TraceRequestValidator.Validate(Request(span), new LimitEnforcer(Limits, new IngestMetrics()));

        Assert.Equal("resourceSpans[0].scopeSpans[0]." + expected, result.Error);
    }

    [Fact]
    public void Validate_AllZeroIds_DropsOnlyThoseSpans()
    {
        var request = Request(NewSpan(), NewSpan(traceId: new byte[16]), NewSpan(spanId: new byte[8]));

        var result = TraceRequestValidator.Validate(request, new LimitEnforcer(Limits, new IngestMetrics()));

        Assert.Null(result.Error);
        Assert.Equal(1, result.Accepted);
        Assert.Equal(2, result.Rejected);
        Assert.Equal("resourceSpans[0].scopeSpans[0].spans[1]: traceId is all zeros, which OTLP defines as invalid", result.RejectedMessage);
        Assert.Single(request.ResourceSpans[0].ScopeSpans[0].Spans);
        Assert.True(result.Modified);
    }

    [Fact]
    public void Validate_OverLimits_TruncatesAndCounts()
    {
        var span = NewSpan();
        span.DroppedAttributesCount = 2;
        for (var i = 0; i < 5; i++)
        {
            span.Attributes.Add(new KeyValue { Key = $"k{i}", Value = new AnyValue { StringValue = "0123456789" } });
        }

        var nested = new AnyValue { ArrayValue = new ArrayValue() };
        nested.ArrayValue.Values.Add(new AnyValue { StringValue = "abcdefgh" });
        span.Attributes[0].Value = nested;
        span.Events.Add(new Span.Types.Event { Name = "a" });
        span.Events.Add(new Span.Types.Event { Name = "b" });
        var metrics = new IngestMetrics();

        var result = TraceRequestValidator.Validate(Request(span), new LimitEnforcer(Limits, metrics));

        Assert.True(result.Modified);
        Assert.Equal(3, span.Attributes.Count);
        Assert.Equal(4u, span.DroppedAttributesCount);
        Assert.Equal("abcde", span.Attributes[0].Value.ArrayValue.Values[0].StringValue);
        Assert.Equal("01234", span.Attributes[1].Value.StringValue);
        Assert.Single(span.Events);
        Assert.Equal(1u, span.DroppedEventsCount);
        var text = new System.Text.StringBuilder();
        metrics.WritePrometheus(text);
        Assert.Contains("mesh_ingest_truncated_total{what=\"attributes\"} 2", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("mesh_ingest_truncated_total{what=\"value_length\"} 3", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("mesh_ingest_truncated_total{what=\"events\"} 1", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CutAtSurrogatePair_NeverSplitsIt()
    {
        var span = NewSpan();
        span.Attributes.Add(new KeyValue { Key = "emoji", Value = new AnyValue { StringValue = "abcd😀xyz" } });

        TraceRequestValidator.Validate(Request(span), new LimitEnforcer(Limits, new IngestMetrics()));

        Assert.Equal("abcd", span.Attributes[0].Value.StringValue);
    }
}
