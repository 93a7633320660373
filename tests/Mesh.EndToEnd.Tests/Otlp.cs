using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Testing;

namespace Mesh.EndToEnd.Tests;

/// <summary>Builds and sends raw OTLP requests (HTTP and gRPC framing) for tests that go below the SDK.</summary>
internal static class Otlp
{
    private static long _next = Environment.TickCount64 << 20;

    public static TraceId NewTraceId() => new((ulong)Random.Shared.NextInt64() | 1, (ulong)Interlocked.Increment(ref _next));

    public static SpanId NewSpanId() => new((ulong)Interlocked.Increment(ref _next) * 2654435761UL | 1);

    public static long NowNanos() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    public static Span Span(string service, TraceId? traceId = null, int attributes = 15, string name = "GET /items/{id}") => new()
    {
        TraceId = traceId ?? NewTraceId(),
        SpanId = NewSpanId(),
        Name = name,
        Kind = SpanKind.Server,
        StartTimeUnixNano = NowNanos() - 5_000_000,
        EndTimeUnixNano = NowNanos(),
        Resource = new Resource { Attributes = [KeyValue.Of("service.name", service), KeyValue.Of("service.version", "1.0.0")] },
        Scope = new InstrumentationScope { Name = "mesh.e2e" },
        Attributes = [.. Enumerable.Range(0, attributes).Select(i => KeyValue.Of($"attr.{i}", $"value-{i}"))],
    };

    public static byte[] TraceRequest(IEnumerable<Span> spans) => OtlpSpans.ToRequest(spans).ToByteArray();

    public static HttpClient HttpClient(MeshProcess mesh, string? token = MeshProcess.IngestToken)
    {
        var client = new HttpClient { BaseAddress = mesh.OtlpHttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] body, string contentType = "application/x-protobuf", string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return client.PostAsync(path, content);
    }

    /// <summary>A gRPC unary call over h2c: one length-prefixed message, status read from the trailers.</summary>
    public static async Task<GrpcResult> GrpcAsync(MeshProcess mesh, string path, byte[] message, string? token = MeshProcess.IngestToken, bool compressed = false, string? encoding = null, byte[]? rawFrame = null)
    {
        using var handler = new SocketsHttpHandler();
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var frame = rawFrame ?? Frame(message, compressed);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(mesh.OtlpGrpcUrl, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        var status = Header("grpc-status");
        return new GrpcResult(
            response.StatusCode,
            status is null ? -1 : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(Header("grpc-message") ?? string.Empty),
            body.Length >= 5 ? body[5..] : [],
            Header("grpc-status-details-bin"));
    }

    public static byte[] Frame(byte[] message, bool compressed)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}

internal sealed record GrpcResult(HttpStatusCode HttpStatus, int Status, string Message, byte[] Body, string? DetailsBin);
