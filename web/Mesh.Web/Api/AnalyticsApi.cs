using Mesh.Analytics.Graph;
using Mesh.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesh.Web.Api;

/// <summary>The application map API: <c>/api/v1/graph</c>, <c>/services/{name}/health</c>, <c>/edges/{from}/{to}/series</c>.</summary>
internal static class AnalyticsApi
{
    private const string Json = "application/json";
    private const int MaxNameLength = 256;

    public static void MapAnalyticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/graph", GetGraphAsync);
        api.MapGet("/services/{name}/health", GetHealthAsync);
        api.MapGet("/edges/{from}/{to}/series", GetSeriesAsync);
    }

    private static async Task<IResult> GetGraphAsync(HttpRequest request, GraphService graphs, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var (start, end) = WindowSeconds(q, time, TimeSpan.FromMinutes(10));
        var graph = await graphs.GetGraphAsync(
            new GraphQuery
            {
                StartUnixSeconds = start,
                EndUnixSeconds = end,
                Namespace = Name(ApiQuery.Text(q, "namespace"), "namespace"),
                Service = Name(ApiQuery.Text(q, "service"), "service"),
            },
            cancellationToken).ConfigureAwait(false);
        return Results.Bytes(ApiJson.Write(w => GraphJson.Graph(w, graph)), Json);
    }

    private static async Task<IResult> GetHealthAsync(
        string name, HttpRequest request, GraphService graphs, ITelemetryStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        Name(name, "name");
        var (start, end) = WindowSeconds(request.Query, time, TimeSpan.FromMinutes(5));
        var graph = await graphs.GetGraphAsync(new GraphQuery { StartUnixSeconds = start, EndUnixSeconds = end, Service = name }, cancellationToken).ConfigureAwait(false);

        // Top operations come from raw spans (a rollup's route is the mesh route, not the operation), so they cover
        // at most the window's last hour; the reply says which part.
        var opsStart = Math.Max(start, end - (OperationStatsQuery.MaxWindowNanos / 1_000_000_000));
        var operations = await store.SpanReader.GetTopOperationsAsync(
            new OperationStatsQuery { Service = name, StartUnixNano = opsStart * 1_000_000_000, EndUnixNano = end * 1_000_000_000 },
            cancellationToken).ConfigureAwait(false);
        var node = graph.Nodes.FirstOrDefault(n => n.Name == name);
        return Results.Bytes(
            ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("service", name);
                GraphJson.Window(w, graph.StartUnixSeconds, graph.EndUnixSeconds);
                if (node is null)
                {
                    GraphJson.Health(w, Mesh.Analytics.Health.HealthReport.NoTraffic);
                }
                else
                {
                    w.WriteNumber("requests", node.Requests);
                    w.WriteNumber("rps", node.Rps);
                    w.WriteNumber("errorPercent", node.ErrorRate * 100);
                    GraphJson.Health(w, node.Health);
                }

                Edges(w, "inbound", graph.Edges.Where(e => e.Target == name));
                Edges(w, "outbound", graph.Edges.Where(e => e.Source == name && e.Target != name));
                TopOperationsJson(w, operations, opsStart, end);
                w.WriteEndObject();
            }),
            Json);
    }

    private static async Task<IResult> GetSeriesAsync(string from, string to, HttpRequest request, GraphService graphs, TimeProvider time, CancellationToken cancellationToken)
    {
        Name(from, "from");
        Name(to, "to");
        var q = request.Query;
        var (start, end) = WindowSeconds(q, time, TimeSpan.FromHours(1));
        var metric = ApiQuery.Text(q, "metric") switch
        {
            null or "rps" => SeriesMetric.Rps,
            "errors" => SeriesMetric.Errors,
            "p99" => SeriesMetric.P99,
            var other => throw new ApiParameterException("metric", $"'{other}' is not a metric: use rps, errors or p99"),
        };

        // By default about 120 points, in whole 10 s buckets.
        var fallback = (int)Math.Max(10, (end - start) / 120 / 10 * 10);
        var step = ApiQuery.Int(q, "step", fallback, 10, 31 * 86_400);
        if (step % 10 != 0)
        {
            throw new ApiParameterException("step", $"'{step}' is not a multiple of 10 seconds (the rollup bucket)");
        }

        if ((end - start + step - 1) / step > GraphService.MaxSeriesPoints)
        {
            throw new ApiParameterException("step", $"{step} s gives more than {GraphService.MaxSeriesPoints} points over the window: use a larger step");
        }

        var points = await graphs.GetSeriesAsync(from, to, metric, start, end, step, cancellationToken).ConfigureAwait(false);
        return Results.Bytes(
            ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("source", from);
                w.WriteString("target", to);
                w.WriteString("metric", ApiQuery.Text(q, "metric") ?? "rps");
                w.WriteNumber("step", step);
                w.WriteStartArray("points");
                foreach (var p in points)
                {
                    w.WriteStartObject();
                    w.WriteString("time", DateTimeOffset.FromUnixTimeSeconds(p.StartUnixSeconds).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteNumber("t", p.StartUnixSeconds * 1000);
                    if (p.Value is { } v)
                    {
                        w.WriteNumber("value", v);
                    }
                    else
                    {
                        w.WriteNull("value");
                    }

                    w.WriteNumber("requests", p.Requests);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }),
            Json);
    }

    private static void TopOperationsJson(System.Text.Json.Utf8JsonWriter w, IReadOnlyList<OperationStats> operations, long start, long end)
    {
        w.WriteStartObject("topOperationsWindow");
        GraphJson.Window(w, start, end);
        w.WriteEndObject();
        var seconds = Math.Max(1, end - start);
        w.WriteStartArray("topOperations");
        foreach (var op in operations)
        {
            w.WriteStartObject();
            w.WriteString("name", op.Name);
            w.WriteNumber("requests", op.Requests);
            w.WriteNumber("rps", (double)op.Requests / seconds);
            w.WriteNumber("errors", op.Errors);
            w.WriteNumber("errorPercent", op.Requests == 0 ? 0 : 100.0 * op.Errors / op.Requests);
            w.WriteNumber("p99Ms", op.P99Nanos / 1e6);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Edges(System.Text.Json.Utf8JsonWriter w, string name, IEnumerable<GraphEdge> edges)
    {
        w.WriteStartArray(name);
        foreach (var edge in edges)
        {
            GraphJson.Edge(w, edge);
        }

        w.WriteEndArray();
    }

    /// <summary>The window in Unix seconds; 31 days at most, so a query stays a bounded read of rollups.</summary>
    private static (long Start, long End) WindowSeconds(IQueryCollection q, TimeProvider time, TimeSpan fallback)
    {
        var (start, end) = ApiQuery.Window(q, time, fallback);
        var s = start / 1_000_000_000;
        var e = (end + 999_999_999) / 1_000_000_000;
        if (e - s > 31L * 86_400)
        {
            throw new ApiParameterException("start", "the window is longer than 31 days");
        }

        return (s, e);
    }

    private static string? Name(string? value, string parameter) =>
        value is { Length: > MaxNameLength } ? throw new ApiParameterException(parameter, $"is longer than {MaxNameLength} characters") : value;
}
