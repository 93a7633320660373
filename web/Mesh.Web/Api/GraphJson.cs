using System.Text.Json;
using Mesh.Analytics.Graph;
using Mesh.Analytics.Health;
using Mesh.Core.Rollups;

namespace Mesh.Web.Api;

/// <summary>The JSON of the application map, shared by the API and the live hub.</summary>
internal static class GraphJson
{
    public static void Graph(Utf8JsonWriter w, ServiceGraph graph)
    {
        w.WriteStartObject();
        Window(w, graph.StartUnixSeconds, graph.EndUnixSeconds);
        w.WriteStartArray("nodes");
        foreach (var node in graph.Nodes)
        {
            Node(w, node);
        }

        w.WriteEndArray();
        w.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            Edge(w, edge);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Window(Utf8JsonWriter w, long start, long end)
    {
        w.WriteString("start", DateTimeOffset.FromUnixTimeSeconds(start).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("end", DateTimeOffset.FromUnixTimeSeconds(end).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string EdgeId(GraphEdge e) => $"{e.Source}->{e.Target}";

    public static void Node(Utf8JsonWriter w, GraphNode n)
    {
        w.WriteStartObject();
        w.WriteString("id", n.Name);
        w.WriteString("service", n.Name);
        w.WriteString("namespace", n.Namespace);
        w.WriteString("kind", Kind(n.Kind));
        Strings(w, "versions", n.Versions);
        Strings(w, "endpoints", n.Endpoints);
        w.WriteNumber("requests", n.Requests);
        w.WriteNumber("rps", n.Rps);
        w.WriteNumber("errorPercent", n.ErrorRate * 100);
        Health(w, n.Health);
        w.WriteEndObject();
    }

    public static void Edge(Utf8JsonWriter w, GraphEdge e)
    {
        w.WriteStartObject();
        w.WriteString("id", EdgeId(e));
        w.WriteString("source", e.Source);
        w.WriteString("target", e.Target);
        w.WriteNumber("requests", e.Requests);
        w.WriteNumber("rps", e.Rps);
        w.WriteNumber("errors", e.Errors);
        w.WriteNumber("errorPercent", e.ErrorRate * 100);
        Nullable(w, "p50Ms", e.P50Ms);
        Nullable(w, "p95Ms", e.P95Ms);
        Nullable(w, "p99Ms", e.P99Ms);
        w.WriteNumber("bytesIn", e.BytesIn);
        w.WriteNumber("bytesOut", e.BytesOut);
        w.WriteNumber("mtlsPercent", e.MtlsRate * 100);
        w.WriteNumber("retries", e.Retries);
        w.WriteNumber("rateLimited", e.RateLimited);
        w.WriteNumber("circuitBroken", e.CircuitBroken);
        Strings(w, "routes", e.Routes);
        Health(w, e.Health);
        w.WriteEndObject();
    }

    public static void Health(Utf8JsonWriter w, HealthReport h)
    {
        w.WriteStartObject("health");
        if (h.Score is { } score)
        {
            w.WriteNumber("score", score);
        }
        else
        {
            w.WriteNull("score");
        }

        w.WriteString("state", HealthScorer.State(h.State));
        Nullable(w, "anomalyScore", h.AnomalyScore);
        w.WriteStartArray("reasons");
        foreach (var r in h.Reasons)
        {
            w.WriteStartObject();
            w.WriteString("code", r.Code);
            w.WriteString("state", HealthScorer.State(r.State));
            w.WriteNumber("value", r.Value);
            w.WriteNumber("threshold", r.Threshold);
            w.WriteString("message", r.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string Kind(NodeKind kind) => kind switch
    {
        NodeKind.Database => "database",
        NodeKind.External => "external",
        NodeKind.Ingress => "ingress",
        _ => "service",
    };

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
