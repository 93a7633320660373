using System.Globalization;
using Google.Protobuf;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using RpcStatus = Mesh.Otlp.Proto.Rpc.Status;

namespace Mesh.Ingest.Receivers;

/// <summary>
/// OTLP/HTTP (spec: protocol/otlp.md): <c>POST /v1/traces</c> and <c>/v1/logs</c>, protobuf or JSON bodies,
/// optional gzip. Success is 200 with an Export*ServiceResponse (with partial_success when items were
/// rejected); failures carry a google.rpc.Status body in the request's encoding.
/// </summary>
public static class OtlpHttpEndpoints
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    public static void MapOtlpHttp(this IEndpointRouteBuilder endpoints, int port)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var host = $"*:{port.ToString(CultureInfo.InvariantCulture)}";
        endpoints.MapPost("/v1/traces", context => HandleAsync(context, traces: true)).RequireHost(host);
        endpoints.MapPost("/v1/logs", context => HandleAsync(context, traces: false)).RequireHost(host);
    }

    private static async Task HandleAsync(HttpContext context, bool traces)
    {
        var service = context.RequestServices.GetRequiredService<OtlpIngestService>();
        var request = context.Request;
        var json = IsJson(request.ContentType);
        var signal = traces ? "traces" : "logs";

        if (!BearerToken.IsValid(request, service.Options.Tokens))
        {
            service.Metrics.Rejected(signal, "unauthenticated");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteStatusAsync(context, json, StatusCodes.Status401Unauthorized, 16, "missing or invalid bearer token (Authorization: Bearer <ingest token>)").ConfigureAwait(false);
            return;
        }

        if (!json && !IsProtobuf(request.ContentType))
        {
            service.Metrics.Rejected(signal, "content_type");
            await WriteStatusAsync(context, json: false, StatusCodes.Status415UnsupportedMediaType, 3,
                $"unsupported Content-Type '{request.ContentType}': use {Protobuf} or {Json}").ConfigureAwait(false);
            return;
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length != 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            service.Metrics.Rejected(signal, "content_encoding");
            await WriteStatusAsync(context, json, StatusCodes.Status415UnsupportedMediaType, 3,
                $"unsupported Content-Encoding '{encoding}': use gzip or none").ConfigureAwait(false);
            return;
        }

        var max = service.Options.MaxRequestBytes;
        if (request.ContentLength > max)
        {
            service.Metrics.Rejected(signal, "too_large");
            await WriteStatusAsync(context, json, StatusCodes.Status413PayloadTooLarge, 8,
                $"request body of {request.ContentLength} bytes exceeds the limit of {max} bytes").ConfigureAwait(false);
            return;
        }

        var (body, readError) = await BodyReader.ReadAsync(request.Body, gzip, max, context.RequestAborted).ConfigureAwait(false);
        ExportOutcome outcome;
        if (body is null)
        {
            outcome = readError!.Value;
            service.Metrics.Rejected(signal, outcome.Status == ExportStatus.TooLarge ? "too_large" : "bad_gzip");
        }
        else
        {
            using (body)
            {
                outcome = json
                    ? await service.ExportJsonAsync(traces, body.Span, context.RequestAborted).ConfigureAwait(false)
                    : await service.ExportProtobufAsync(traces, body.Memory, context.RequestAborted).ConfigureAwait(false);
            }
        }

        await WriteOutcomeAsync(context, traces, json, outcome).ConfigureAwait(false);
    }

    private static Task WriteOutcomeAsync(HttpContext context, bool traces, bool json, ExportOutcome outcome)
    {
        switch (outcome.Status)
        {
            case ExportStatus.Accepted:
                IMessage response = traces
                    ? new ExportTraceServiceResponse
                    {
                        PartialSuccess = outcome.Rejected > 0 || outcome.Message.Length > 0
                            ? new ExportTracePartialSuccess { RejectedSpans = outcome.Rejected, ErrorMessage = outcome.Message }
                            : null,
                    }
                    : new ExportLogsServiceResponse
                    {
                        PartialSuccess = outcome.Rejected > 0 || outcome.Message.Length > 0
                            ? new ExportLogsPartialSuccess { RejectedLogRecords = outcome.Rejected, ErrorMessage = outcome.Message }
                            : null,
                    };
                return WriteMessageAsync(context, json, StatusCodes.Status200OK, response);
            case ExportStatus.TooLarge:
                return WriteStatusAsync(context, json, StatusCodes.Status413PayloadTooLarge, 8, outcome.Message);
            case ExportStatus.Throttled:
                context.Response.Headers.RetryAfter = Seconds(outcome.RetryAfter);
                return WriteStatusAsync(context, json, StatusCodes.Status429TooManyRequests, 8, outcome.Message);
            case ExportStatus.Unavailable:
                context.Response.Headers.RetryAfter = Seconds(outcome.RetryAfter);
                return WriteStatusAsync(context, json, StatusCodes.Status503ServiceUnavailable, 14, outcome.Message);
            default:
                return WriteStatusAsync(context, json, StatusCodes.Status400BadRequest, 3, outcome.Message);
        }
    }

    private static Task WriteStatusAsync(HttpContext context, bool json, int httpStatus, int grpcCode, string message) =>
        WriteMessageAsync(context, json, httpStatus, new RpcStatus { Code = grpcCode, Message = message });

    private static async Task WriteMessageAsync(HttpContext context, bool json, int httpStatus, IMessage message)
    {
        context.Response.StatusCode = httpStatus;
        if (json)
        {
            context.Response.ContentType = Json;
            await context.Response.WriteAsync(OtlpJson.Format(message), context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            context.Response.ContentType = Protobuf;
            var bytes = message.ToByteArray();
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string Seconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase);

    private static bool IsProtobuf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals(Protobuf, StringComparison.OrdinalIgnoreCase);
}
