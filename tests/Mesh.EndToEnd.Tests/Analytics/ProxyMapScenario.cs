using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// Proxy spans shaped as docs/telemetry-conventions.md says, in a window two hours back, sent through the real
/// OTLP receiver; the graph of that window must match values computed exactly from the raw spans.
/// </summary>
internal sealed class ProxyMapScenario
{
    private readonly List<Span> _spans = [];
    private readonly Dictionary<(string, string), List<(long Nanos, bool Error, long BytesIn, long BytesOut, bool Mtls, int Retries, string? Flags)>> _raw = [];

    public ProxyMapScenario()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        Namespace = $"map-{id}";
        Frontend = $"frontend-{id}";
        Cart = $"cart-{id}";
        Pricing = $"pricing-{id}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Start = now - (now % 3600) - 7200 + 600;
        var random = new Random(42);
        Add(random, "ingress", Frontend, 400, errorEvery: 100, withInbound: false, direction: "ingress");
        Add(random, Frontend, Cart, 600, errorEvery: 0, withInbound: true, direction: "outbound");
        Add(random, Cart, Pricing, 300, errorEvery: 5, withInbound: true, direction: "outbound");
    }

    public string Namespace { get; }

    public string Frontend { get; }

    public string Cart { get; }

    public string Pricing { get; }

    /// <summary>The window's start (Unix seconds); it lasts 600 s.</summary>
    public long Start { get; }

    public long End => Start + 600;

    public IReadOnlyList<Span> Spans => _spans;

    public long TotalRequests => _raw.Values.Sum(v => v.Count);

    public string GraphPath(long start, long end) => $"/api/v1/graph?start={MapApi.Rfc3339(start)}&end={MapApi.Rfc3339(end)}&namespace={Namespace}";

    public void AssertGraph(System.Text.Json.JsonElement graph)
    {
        Assert.Equal(3, graph.GetProperty("edges").GetArrayLength());
        foreach (var ((source, target), raw) in _raw)
        {
            var edge = MapApi.Edge(graph, source, target);
            var requests = raw.Count;
            var errors = raw.Count(r => r.Error);
            Assert.Equal(requests, edge.GetProperty("requests").GetInt64());
            Assert.Equal(errors, edge.GetProperty("errors").GetInt64());
            Assert.Equal(100.0 * errors / requests, edge.GetProperty("errorPercent").GetDouble(), 9);
            Assert.Equal(requests / 600.0, edge.GetProperty("rps").GetDouble(), 9);
            Assert.Equal(raw.Sum(r => r.BytesIn), edge.GetProperty("bytesIn").GetInt64());
            Assert.Equal(raw.Sum(r => r.BytesOut), edge.GetProperty("bytesOut").GetInt64());
            Assert.Equal(100.0 * raw.Count(r => r.Mtls) / requests, edge.GetProperty("mtlsPercent").GetDouble(), 9);
            Assert.Equal(raw.Sum(r => r.Retries), edge.GetProperty("retries").GetInt64());
            Assert.Equal(raw.Count(r => r.Flags == "RL"), edge.GetProperty("rateLimited").GetInt64());
            Assert.Equal(raw.Count(r => r.Flags == "UO"), edge.GetProperty("circuitBroken").GetInt64());
            var nanos = raw.Select(r => r.Nanos).ToList();
            foreach (var (q, name) in new[] { (0.5, "p50Ms"), (0.95, "p95Ms"), (0.99, "p99Ms") })
            {
                var exact = MapApi.Exact(nanos, q);
                Assert.InRange(edge.GetProperty(name).GetDouble(), exact * 0.98, exact * 1.02);
            }
        }

        // 1 % failing: degraded (≥ 0.1 %); none: healthy; 20 % plus rejections: failing.
        Assert.Equal("degraded", MapApi.Edge(graph, "ingress", Frontend).GetProperty("health").GetProperty("state").GetString());
        Assert.Equal("healthy", MapApi.Edge(graph, Frontend, Cart).GetProperty("health").GetProperty("state").GetString());
        var failing = MapApi.Edge(graph, Cart, Pricing).GetProperty("health");
        Assert.Equal("failing", failing.GetProperty("state").GetString());
        Assert.True(failing.GetProperty("score").GetInt32() < 50);
        Assert.Contains(failing.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "error_rate");
        Assert.Contains(failing.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "rejections");

        Assert.Equal("ingress", MapApi.Node(graph, "ingress").GetProperty("kind").GetString());
        var cart = MapApi.Node(graph, Cart);
        Assert.Equal(("service", Namespace), (cart.GetProperty("kind").GetString(), cart.GetProperty("namespace").GetString()));
        Assert.Equal(["v1", "v2"], cart.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["10.0.0.1:8080"], cart.GetProperty("endpoints").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(600, cart.GetProperty("requests").GetInt64());
    }

    private void Add(Random random, string source, string target, int count, int errorEvery, bool withInbound, string direction)
    {
        var raw = _raw[(source, target)] = [];
        for (var i = 0; i < count; i++)
        {
            var nanos = (long)(1e6 * Math.Exp(random.NextDouble() * 5));
            var error = errorEvery > 0 && i % errorEvery == 0;
            var flags = target == Pricing && i % 60 == 1 ? "RL" : target == Pricing && i % 60 == 2 ? "UO" : null;
            var attempts = i % 10 == 3 ? 2 : 1;
            var mtls = direction != "ingress";
            var bytesIn = random.Next(0, 5000);
            var bytesOut = random.Next(0, 50_000);
            var start = ((Start + random.Next(0, 600)) * 1_000_000_000L) + random.Next(1_000_000_000);
            var span = ConventionSpans.Proxy(
                direction, source, target, start, nanos, status: error ? 503 : 200, ns: Namespace, mtls: mtls, attempts: attempts,
                responseFlags: flags, requestBytes: bytesIn, responseBytes: bytesOut, destinationVersion: i % 2 == 0 ? "v1" : "v2");
            _spans.Add(span);
            raw.Add((nanos, error, bytesIn, bytesOut, mtls, attempts - 1, flags));
            if (withInbound)
            {
                // The callee's sidecar sees the same request: it must not count twice.
                _spans.Add(ConventionSpans.Proxy(
                    "inbound", source, target, start + 200_000, nanos / 2, status: error ? 503 : 200, traceId: span.TraceId, parent: span.SpanId,
                    ns: Namespace, requestBytes: bytesIn, responseBytes: bytesOut, destinationVersion: i % 2 == 0 ? "v1" : "v2"));
            }
        }
    }
}
