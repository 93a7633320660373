using Mesh.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesh.Web.Api;

/// <summary>The read API over spans and logs (<c>/api/v1/traces</c>, <c>/services</c>, <c>/logs</c>).</summary>
internal static class TelemetryApi
{
    private const string Json = "application/json";

    public static void MapTelemetryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/traces/{traceId}", GetTraceAsync);
        api.MapGet("/traces", FindTracesAsync);
        api.MapGet("/services", GetServicesAsync);
        api.MapGet("/services/{service}/operations", GetOperationsAsync);
        api.MapGet("/logs", FindLogsAsync);
    }

    private static async Task<IResult> GetTraceAsync(string traceId, ITelemetryStore store, CancellationToken cancellationToken)
    {
        var id = ApiQuery.TraceId(traceId, "traceId");
        var spans = await store.SpanReader.GetTraceAsync(id, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Trace not found", detail: $"no spans stored for trace {id}");
        }

        return Results.Bytes(
            ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("traceId", id.ToString());
                w.WriteStartArray("spans");
                foreach (var span in spans)
                {
                    ApiJson.Span(w, span);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }),
            Json);
    }

    private static async Task<IResult> FindTracesAsync(HttpRequest request, ITelemetryStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var (start, end) = ApiQuery.Window(q, time, TimeSpan.FromHours(1));
        var min = ApiQuery.DurationMs(q, "minDurationMs");
        var max = ApiQuery.DurationMs(q, "maxDurationMs");
        if (min > max)
        {
            throw new ApiParameterException("minDurationMs", "must not exceed maxDurationMs");
        }

        var status = ApiQuery.Text(q, "status")?.ToUpperInvariant() switch
        {
            null => TraceStatusFilter.Any,
            "ERROR" => TraceStatusFilter.Error,
            "OK" => TraceStatusFilter.Ok,
            _ => throw new ApiParameterException("status", $"'{ApiQuery.Text(q, "status")}' is not a status: use ok or error"),
        };

        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in q)
        {
            if (key.StartsWith("attr.", StringComparison.Ordinal))
            {
                if (key.Length == "attr.".Length)
                {
                    throw new ApiParameterException(key, "an attribute filter needs a key: attr.<key>=<value>");
                }

                foreach (var value in values)
                {
                    attributes.Add(KeyValuePair.Create(key["attr.".Length..], value ?? string.Empty));
                }
            }
        }

        var query = new TraceQuery
        {
            Service = ApiQuery.Text(q, "service"),
            Operation = ApiQuery.Text(q, "operation"),
            MinDurationNanos = min,
            MaxDurationNanos = max,
            Status = status,
            StartUnixNano = start,
            EndUnixNano = end,
            Limit = ApiQuery.Int(q, "limit", 20, 1, TraceQuery.MaxLimit),
            Attributes = attributes,
        };
        var traces = await store.SpanReader.FindTracesAsync(query, cancellationToken).ConfigureAwait(false);
        return Results.Bytes(
            ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("traces");
                foreach (var t in traces)
                {
                    ApiJson.Summary(w, t);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }),
            Json);
    }

    private static async Task<IResult> GetServicesAsync(ITelemetryStore store, CancellationToken cancellationToken)
    {
        var services = await store.SpanReader.GetServicesAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(new { services }, statusCode: StatusCodes.Status200OK);
    }

    private static async Task<IResult> GetOperationsAsync(string service, ITelemetryStore store, CancellationToken cancellationToken)
    {
        var operations = await store.SpanReader.GetOperationsAsync(service, cancellationToken).ConfigureAwait(false);
        return Results.Json(new { service, operations = operations.Select(o => new { name = o.Name, kind = ApiJson.KindName(o.Kind) }) });
    }

    private static async Task<IResult> FindLogsAsync(HttpRequest request, ITelemetryStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var (start, end) = ApiQuery.Window(q, time, TimeSpan.FromHours(1));
        var traceId = ApiQuery.Text(q, "traceId") is { } raw ? ApiQuery.TraceId(raw, "traceId") : (Core.Telemetry.TraceId?)null;
        var query = new LogQuery
        {
            Service = ApiQuery.Text(q, "service"),
            MinSeverityNumber = Severity.Parse(ApiQuery.Text(q, "severity")),
            Contains = ApiQuery.Text(q, "contains"),
            TraceId = traceId,
            StartUnixNano = start,
            EndUnixNano = end,
            Limit = ApiQuery.Int(q, "limit", 100, 1, LogQuery.MaxLimit),
        };
        var logs = await store.LogReader.FindLogsAsync(query, cancellationToken).ConfigureAwait(false);
        return Results.Bytes(
            ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("logs");
                foreach (var l in logs)
                {
                    ApiJson.Log(w, l);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }),
            Json);
    }
}
