using System.Net;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Ingest.Receivers;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests;

/// <summary>
/// Every kind of bad input gets a clear 4xx (or gRPC status) naming the problem, and the receiver keeps
/// serving: after each one, a good request still succeeds and its span is stored.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class BadInputTests(MeshFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    public static TheoryData<string, byte[], string, string?, HttpStatusCode, string> HttpCases()
    {
        var valid = Otlp.TraceRequest([Otlp.Span("bad-input")]);
        var shortTrace = OtlpSpans.ToRequest([Otlp.Span("bad-input")]);
        shortTrace.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = ByteString.CopyFrom(1, 2, 3, 4, 5);
        var shortSpan = OtlpSpans.ToRequest([Otlp.Span("bad-input")]);
        shortSpan.ResourceSpans[0].ScopeSpans[0].Spans[0].SpanId = ByteString.CopyFrom(new byte[9]);
        var bomb = Otlp.Gzip(new byte[64 * 1024 * 1024]);
        return new()
        {
            { "garbage", Encoding.ASCII.GetBytes("this is not protobuf \u0001\u0002\u00ff"), "application/x-protobuf", null, HttpStatusCode.BadRequest, "invalid protobuf" },
            { "truncated", valid[..(valid.Length / 2)], "application/x-protobuf", null, HttpStatusCode.BadRequest, "invalid protobuf" },
            { "wrong content type", valid, "text/plain", null, HttpStatusCode.UnsupportedMediaType, "unsupported Content-Type 'text/plain'" },
            { "short trace id", shortTrace.ToByteArray(), "application/x-protobuf", null, HttpStatusCode.BadRequest, "resourceSpans[0].scopeSpans[0].spans[0].traceId: must be 16 bytes, got 5" },
            { "long span id", shortSpan.ToByteArray(), "application/x-protobuf", null, HttpStatusCode.BadRequest, "spans[0].spanId: must be 8 bytes, got 9" },
            { "oversized body", new byte[9 * 1024 * 1024], "application/x-protobuf", null, HttpStatusCode.RequestEntityTooLarge, "exceeds the limit of 8388608 bytes" },
            { "gzip bomb", bomb, "application/x-protobuf", "gzip", HttpStatusCode.RequestEntityTooLarge, "after decompression" },
            { "not gzip", valid, "application/x-protobuf", "gzip", HttpStatusCode.BadRequest, "invalid gzip body" },
            { "unknown encoding", valid, "application/x-protobuf", "br", HttpStatusCode.UnsupportedMediaType, "unsupported Content-Encoding 'br'" },
            { "bad json", Encoding.UTF8.GetBytes("{\"resourceSpans\": [ {"), "application/json", null, HttpStatusCode.BadRequest, "invalid JSON" },
            { "bad hex id", Encoding.UTF8.GetBytes("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":\"0102030405060708\"}]}]}]}"), "application/json", null, HttpStatusCode.BadRequest, "resourceSpans[0].scopeSpans[0].spans[0].traceId: 'zz' is not valid hex" },
        };
    }

    [Theory]
    [MemberData(nameof(HttpCases))]
    public async Task HttpBadInput_GetsClearError_AndServerKeepsServing(string what, byte[] body, string contentType, string? encoding, HttpStatusCode expected, string message)
    {
        using var client = Otlp.HttpClient(_mesh);
        using var response = await Otlp.PostAsync(client, "/v1/traces", body, contentType, encoding);
        var text = await ErrorMessageAsync(response);

        Assert.True(expected == response.StatusCode, $"{what}: expected {expected}, got {response.StatusCode}: {text}");
        Assert.Contains(message, text, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Http_MissingOrWrongToken_Is401()
    {
        var body = Otlp.TraceRequest([Otlp.Span("auth")]);
        using (var anonymous = Otlp.HttpClient(_mesh, token: null))
        using (var response = await Otlp.PostAsync(anonymous, "/v1/traces", body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("bearer token", await ErrorMessageAsync(response), StringComparison.Ordinal);
        }

        using (var wrong = Otlp.HttpClient(_mesh, token: "not-the-token"))
        using (var response = await Otlp.PostAsync(wrong, "/v1/logs", body))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Http_AllZeroSpanId_IsPartialSuccess_OtherSpansStored()
    {
        var good = Otlp.Span("partial");
        var request = OtlpSpans.ToRequest([good, Otlp.Span("partial", good.TraceId)]);
        request.ResourceSpans[0].ScopeSpans[0].Spans[1].SpanId = ByteString.CopyFrom(new byte[8]);
        using var client = Otlp.HttpClient(_mesh);
        using var response = await Otlp.PostAsync(client, "/v1/traces", request.ToByteArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, reply.PartialSuccess.RejectedSpans);
        Assert.Contains("spanId is all zeros", reply.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        using var api = _mesh.CreateApiClient();
        Assert.Single(await Api.WaitForTraceAsync(api, good.TraceId.ToString(), 1));
    }

    [Fact]
    public async Task Http_TooManyAttributesAndLongValues_AreTruncatedAndCounted()
    {
        var span = Otlp.Span("limits", attributes: 200) with
        {
            Attributes = [KeyValue.Of("long", new string('x', 20_000)), .. Enumerable.Range(0, 199).Select(i => KeyValue.Of($"a{i}", (long)i))],
            DroppedAttributesCount = 1,
        };
        using var client = Otlp.HttpClient(_mesh);
        using var response = await Otlp.PostAsync(client, "/v1/traces", Otlp.TraceRequest([span]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var api = _mesh.CreateApiClient();
        var stored = Assert.Single(await Api.WaitForTraceAsync(api, span.TraceId.ToString(), 1));
        var attributes = stored.GetProperty("attributes").EnumerateObject().ToList();
        Assert.Equal(128, attributes.Count);
        Assert.Equal(16 * 1024, stored.GetProperty("attributes").GetProperty("long").GetString()!.Length);
        Assert.Equal(1 + 72, stored.GetProperty("droppedAttributesCount").GetInt32());
        var metrics = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("mesh_ingest_truncated_total\\{what=\"attributes\"\\} [1-9]", metrics);
        Assert.Matches("mesh_ingest_truncated_total\\{what=\"value_length\"\\} [1-9]", metrics);
    }

    public static TheoryData<string, byte[]?, byte[]?, string?, string?, int, string> GrpcCases()
    {
        var valid = Otlp.TraceRequest([Otlp.Span("bad-grpc")]);
        var shortTrace = OtlpSpans.ToRequest([Otlp.Span("bad-grpc")]);
        shortTrace.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = ByteString.CopyFrom(1, 2);
        return new()
        {
            { "garbage", Encoding.ASCII.GetBytes("garbage \u0001\u00ff"), null, null, MeshProcess.IngestToken, 3, "invalid protobuf" },
            { "truncated message", valid[..(valid.Length - 3)], null, null, MeshProcess.IngestToken, 3, "invalid protobuf" },
            { "bad id", shortTrace.ToByteArray(), null, null, MeshProcess.IngestToken, 3, "traceId: must be 16 bytes, got 2" },
            { "short frame", null, [0, 0, 0], null, MeshProcess.IngestToken, 13, "truncated gRPC frame" },
            { "frame length lies", null, [0, 0, 0, 0, 100, 1, 2, 3], null, MeshProcess.IngestToken, 13, "header announces 100 bytes but 3 followed" },
            { "unknown compression", null, Otlp.Frame(valid, compressed: true), "snappy", MeshProcess.IngestToken, 12, "unsupported grpc-encoding 'snappy'" },
            { "gzip bomb", null, Otlp.Frame(Otlp.Gzip(new byte[64 * 1024 * 1024]), compressed: true), "gzip", MeshProcess.IngestToken, 8, "after decompression" },
            { "no token", valid, null, null, null, 16, "bearer token" },
            { "wrong token", valid, null, null, "wrong-token", 16, "bearer token" },
        };
    }

    [Theory]
    [MemberData(nameof(GrpcCases))]
    public async Task GrpcBadInput_GetsStatus_AndServerKeepsServing(string what, byte[]? message, byte[]? rawFrame, string? encoding, string? token, int expectedStatus, string expectedMessage)
    {
        var result = await Otlp.GrpcAsync(_mesh, OtlpGrpcEndpoints.TraceExportPath, message ?? [], token, encoding: encoding, rawFrame: rawFrame);

        Assert.True(expectedStatus == result.Status, $"{what}: expected grpc-status {expectedStatus}, got {result.Status} ({result.Message})");
        Assert.Contains(expectedMessage, result.Message, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Grpc_GzipCompressedExport_IsAccepted()
    {
        var span = Otlp.Span("grpc-gzip");
        var result = await Otlp.GrpcAsync(_mesh, OtlpGrpcEndpoints.TraceExportPath, Otlp.Gzip(Otlp.TraceRequest([span])), compressed: true, encoding: "gzip");

        Assert.Equal(0, result.Status);
        using var api = _mesh.CreateApiClient();
        Assert.Single(await Api.WaitForTraceAsync(api, span.TraceId.ToString(), 1));
    }

    [Fact]
    public async Task Http_OtlpJsonWithHexIds_IsStored()
    {
        var traceId = Otlp.NewTraceId().ToString();
        var now = Otlp.NowNanos();
        var json = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-client"}}]},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[{"traceId":"{{{traceId}}}","spanId":"0102030405060708",
              "name":"json span","kind":2,"startTimeUnixNano":"{{{now - 1000}}}","endTimeUnixNano":{{{now}}},
              "attributes":[{"key":"n","value":{"intValue":"7"}},{"key":"ok","value":{"boolValue":true}}],
              "status":{"code":2,"message":"bad"}}]}]}]}
            """;
        using var client = Otlp.HttpClient(_mesh);
        using var response = await Otlp.PostAsync(client, "/v1/traces", Encoding.UTF8.GetBytes(json), "application/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);

        using var api = _mesh.CreateApiClient();
        var span = Assert.Single(await Api.WaitForTraceAsync(api, traceId, 1));
        Assert.Equal("0102030405060708", span.GetProperty("spanId").GetString());
        Assert.Equal(7, span.GetProperty("attributes").GetProperty("n").GetInt64());
        Assert.Equal("ERROR", span.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal("SERVER", span.GetProperty("kind").GetString());
    }

    /// <summary>A valid export still succeeds end to end: the receiver survived whatever came before.</summary>
    private async Task AssertStillServesAsync()
    {
        var span = Otlp.Span("still-serving");
        using var client = Otlp.HttpClient(_mesh);
        using var response = await Otlp.PostAsync(client, "/v1/traces", Otlp.TraceRequest([span]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grpc = await Otlp.GrpcAsync(_mesh, OtlpGrpcEndpoints.TraceExportPath, Otlp.TraceRequest([Otlp.Span("still-serving")]));
        Assert.Equal(0, grpc.Status);
        using var api = _mesh.CreateApiClient();
        Assert.Single(await Api.WaitForTraceAsync(api, span.TraceId.ToString(), 1));
        Assert.False(_mesh.HasExited, "mesh exited");
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : doc.RootElement.GetRawText();
        }

        try
        {
            return Mesh.Otlp.Proto.Rpc.Status.Parser.ParseFrom(bytes).Message;
        }
        catch (InvalidProtocolBufferException)
        {
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
