using System.Text;
using Mesh.Ingest.Receivers;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Xunit;

namespace Mesh.Ingest.Tests.Receivers;

public sealed class OtlpJsonTests
{
    [Fact]
    public void TryParse_OtlpJsonTraces_DecodesHexIdsEnumsAndStringInt64()
    {
        const string Json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
             "scopeSpans":[{"scope":{"name":"lib"},"spans":[{
               "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"EEE19B7EC3C1B173",
               "name":"op","kind":3,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
               "attributes":[{"key":"n","value":{"intValue":"42"}},{"key":"d","value":{"doubleValue":1.5}}],
               "links":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002"}],
               "status":{"code":2,"message":"m"},"unknownField":{"x":1}}]}]}]}
            """;

        var request = OtlpJson.TryParse<ExportTraceServiceRequest>(Encoding.UTF8.GetBytes(Json), traces: true, out var error);

        Assert.Null(error);
        var span = request!.ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("5b8efff798038103d269b633813fc60c", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("eee19b7ec3c1b174", Convert.ToHexStringLower(span.SpanId.Span));
        Assert.Equal("eee19b7ec3c1b173", Convert.ToHexStringLower(span.ParentSpanId.Span));
        Assert.Equal(Mesh.Otlp.Proto.Trace.Span.Types.SpanKind.Client, span.Kind);
        Assert.Equal(1544712660000000000UL, span.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, span.EndTimeUnixNano);
        Assert.Equal(42, span.Attributes[0].Value.IntValue);
        Assert.Equal(1.5, span.Attributes[1].Value.DoubleValue);
        Assert.Equal("0000000000000002", Convert.ToHexStringLower(span.Links[0].SpanId.Span));
    }

    [Fact]
    public void TryParse_OtlpJsonLogs_DecodesIds()
    {
        const string Json = """
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","severityNumber":17,"body":{"stringValue":"b"},
             "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}
            """;

        var request = OtlpJson.TryParse<ExportLogsServiceRequest>(Encoding.UTF8.GetBytes(Json), traces: false, out var error);

        Assert.Null(error);
        var log = request!.ResourceLogs[0].ScopeLogs[0].LogRecords[0];
        Assert.Equal(16, log.TraceId.Length);
        Assert.Equal(Mesh.Otlp.Proto.Logs.SeverityNumber.Error, log.SeverityNumber);
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"resourceSpans\":", "invalid JSON")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"abc\"}]}]}]}", "spans[0].traceId: 'abc' is not valid hex (odd length")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":42}]}]}]}", "spans[0].spanId: must be a hex string")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"sideways\"}]}]}]}", "invalid OTLP JSON")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}", "invalid OTLP JSON")]
    public void TryParse_BadBody_ReturnsMessageNamingTheProblem(string json, string expected)
    {
        var request = OtlpJson.TryParse<ExportTraceServiceRequest>(Encoding.UTF8.GetBytes(json), traces: true, out var error);

        Assert.Null(request);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
