using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Ingest.Receivers;

/// <summary>
/// OTLP/gRPC without a gRPC framework: the unary <c>Export</c> methods of TraceService and LogsService over
/// HTTP/2 (h2c), with gRPC's length-prefixed message framing, gzip message compression, and the status in
/// <c>grpc-status</c>/<c>grpc-message</c> trailers. Throttling sends RESOURCE_EXHAUSTED with a RetryInfo in
/// <c>grpc-status-details-bin</c>, which OTLP clients read as "retry after this delay".
/// </summary>
public static class OtlpGrpcEndpoints
{
    public const string TraceExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string LogsExportPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    private const int FrameHeaderLength = 5;

    public static void MapOtlpGrpc(this IEndpointRouteBuilder endpoints, int port)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var host = $"*:{port.ToString(CultureInfo.InvariantCulture)}";
        endpoints.MapPost(TraceExportPath, context => HandleAsync(context, traces: true)).RequireHost(host);
        endpoints.MapPost(LogsExportPath, context => HandleAsync(context, traces: false)).RequireHost(host);
    }

    private static async Task HandleAsync(HttpContext context, bool traces)
    {
        var service = context.RequestServices.GetRequiredService<OtlpIngestService>();
        var request = context.Request;
        var signal = traces ? "traces" : "logs";
        if (request.ContentType is null || !request.ContentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            context.Response.Headers.Accept = "application/grpc";
            await context.Response.WriteAsync($"unsupported Content-Type '{request.ContentType}': gRPC requires application/grpc", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-accept-encoding"] = "gzip,identity";
        if (!BearerToken.IsValid(request, service.Options.Tokens))
        {
            service.Metrics.Rejected(signal, "unauthenticated");
            await FinishAsync(context, GrpcStatusCode.Unauthenticated, "missing or invalid bearer token (authorization: Bearer <ingest token>)").ConfigureAwait(false);
            return;
        }

        var max = service.Options.MaxRequestBytes;
        var (frame, readError) = await BodyReader.ReadAsync(request.Body, gzip: false, max + FrameHeaderLength, context.RequestAborted).ConfigureAwait(false);
        if (frame is null)
        {
            service.Metrics.Rejected(signal, "too_large");
            await FinishAsync(context, GrpcStatusCode.ResourceExhausted, $"message exceeds the limit of {max} bytes").ConfigureAwait(false);
            return;
        }

        using (frame)
        {
            var outcome = await ExportFrameAsync(context, service, traces, frame).ConfigureAwait(false);
            if (outcome.Reason.Length > 0)
            {
                service.Metrics.Rejected(signal, outcome.Reason);
            }

            await FinishAsync(context, outcome.Code, outcome.Message, outcome.Response, outcome.RetryAfter).ConfigureAwait(false);
        }
    }

    private static async Task<GrpcOutcome> ExportFrameAsync(HttpContext context, OtlpIngestService service, bool traces, PooledBuffer frame)
    {
        var data = frame.Memory;
        if (data.Length < FrameHeaderLength)
        {
            return GrpcOutcome.Fail(GrpcStatusCode.Internal, "bad_frame", $"truncated gRPC frame: {data.Length} bytes, the header alone is {FrameHeaderLength}");
        }

        var compressed = data.Span[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(data.Span[1..]);
        if (compressed > 1)
        {
            return GrpcOutcome.Fail(GrpcStatusCode.Internal, "bad_frame", $"invalid gRPC frame: compressed flag {compressed}");
        }

        if (length > (uint)service.Options.MaxRequestBytes)
        {
            return GrpcOutcome.Fail(GrpcStatusCode.ResourceExhausted, "too_large", $"message of {length} bytes exceeds the limit of {service.Options.MaxRequestBytes} bytes");
        }

        if (data.Length - FrameHeaderLength != length)
        {
            return GrpcOutcome.Fail(GrpcStatusCode.Internal, "bad_frame",
                $"invalid gRPC frame: header announces {length} bytes but {data.Length - FrameHeaderLength} followed (unary calls carry exactly one message)");
        }

        var message = data.Slice(FrameHeaderLength);
        PooledBuffer? inflated = null;
        try
        {
            if (compressed == 1)
            {
                var encoding = context.Request.Headers["grpc-encoding"].ToString();
                if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    return GrpcOutcome.Fail(GrpcStatusCode.Unimplemented, "content_encoding", $"unsupported grpc-encoding '{encoding}': use gzip or identity");
                }

                var (body, error) = await BodyReader.InflateAsync(message, service.Options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
                if (body is null)
                {
                    var tooLarge = error!.Value.Status == ExportStatus.TooLarge;
                    return GrpcOutcome.Fail(tooLarge ? GrpcStatusCode.ResourceExhausted : GrpcStatusCode.InvalidArgument, tooLarge ? "too_large" : "bad_gzip", error.Value.Message);
                }

                inflated = body;
                message = body.Memory;
            }

            var outcome = await service.ExportProtobufAsync(traces, message, context.RequestAborted).ConfigureAwait(false);
            return outcome.Status switch
            {
                ExportStatus.Accepted => GrpcOutcome.Ok(traces
                    ? new ExportTraceServiceResponse
                    {
                        PartialSuccess = outcome.Rejected > 0 ? new ExportTracePartialSuccess { RejectedSpans = outcome.Rejected, ErrorMessage = outcome.Message } : null,
                    }
                    : new ExportLogsServiceResponse
                    {
                        PartialSuccess = outcome.Rejected > 0 ? new ExportLogsPartialSuccess { RejectedLogRecords = outcome.Rejected, ErrorMessage = outcome.Message } : null,
                    }),
                ExportStatus.Throttled => new GrpcOutcome(GrpcStatusCode.ResourceExhausted, string.Empty, outcome.Message, null, outcome.RetryAfter),
                ExportStatus.Unavailable => new GrpcOutcome(GrpcStatusCode.Unavailable, "shutting_down", outcome.Message, null, outcome.RetryAfter),
                ExportStatus.TooLarge => GrpcOutcome.Fail(GrpcStatusCode.ResourceExhausted, "too_large", outcome.Message),

                // The service already counted the reasons for a bad request and for a full spool.
                _ => GrpcOutcome.Fail(GrpcStatusCode.InvalidArgument, string.Empty, outcome.Message),
            };
        }
        finally
        {
            inflated?.Dispose();
        }
    }

    private static async Task FinishAsync(HttpContext context, GrpcStatusCode code, string message, IMessage? response = null, TimeSpan retryAfter = default)
    {
        var httpResponse = context.Response;
        if (response is not null)
        {
            var size = response.CalculateSize();
            var bytes = new byte[FrameHeaderLength + size];
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)size);
            response.WriteTo(bytes.AsSpan(FrameHeaderLength));
            await httpResponse.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }

        var trailers = context.Features.Get<IHttpResponseTrailersFeature>();
        if (trailers is null || !httpResponse.SupportsTrailers())
        {
            // Not HTTP/2 (a client that is not gRPC): headers are the only place left for the status.
            httpResponse.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
            httpResponse.Headers["grpc-message"] = PercentEncode(message);
            return;
        }

        httpResponse.AppendTrailer("grpc-status", ((int)code).ToString(CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            httpResponse.AppendTrailer("grpc-message", PercentEncode(message));
        }

        if (retryAfter > TimeSpan.Zero)
        {
            var status = new Status { Code = (int)code, Message = message };
            var retry = new RetryInfo { RetryDelay = new Duration { Seconds = (long)retryAfter.TotalSeconds, Nanos = retryAfter.Milliseconds * 1_000_000 } };
            status.Details.Add(new Any { TypeUrl = "type.googleapis.com/google.rpc.RetryInfo", Value = retry.ToByteString() });
            httpResponse.AppendTrailer("grpc-status-details-bin", Convert.ToBase64String(status.ToByteArray()).TrimEnd('='));
        }
    }

    /// <summary>gRPC's percent-encoding of grpc-message: printable ASCII except '%' as-is, everything else as %XX of UTF-8.</summary>
    internal static string PercentEncode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private readonly record struct GrpcOutcome(GrpcStatusCode Code, string Reason, string Message, IMessage? Response, TimeSpan RetryAfter)
    {
        public static GrpcOutcome Ok(IMessage response) => new(GrpcStatusCode.Ok, string.Empty, string.Empty, response, TimeSpan.Zero);

        public static GrpcOutcome Fail(GrpcStatusCode code, string reason, string message) => new(code, reason, message, null, TimeSpan.Zero);
    }
}
