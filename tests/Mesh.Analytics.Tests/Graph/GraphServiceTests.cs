using Mesh.Analytics.Edges;
using Mesh.Analytics.Graph;
using Mesh.Analytics.Health;
using Mesh.Analytics.Rollups;
using Mesh.Core.Rollups;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.Analytics.Tests.Graph;

public sealed class GraphServiceTests
{
    private const long T0 = 1_800_000_000; // an hour boundary
    private readonly InMemoryRollups _store = new();

    [Fact]
    public async Task GetGraph_FromRawProxySpans_CountsErrorRatesAndPercentilesMatchExactValues()
    {
        var random = new Random(11);
        var raw = new List<(string Source, string Target, long Nanos, bool Error)>();
        var spans = new List<Span>();
        foreach (var (source, target, errorEvery) in new[] { ("frontend", "cart", 50), ("cart", "pricing", 7), ("frontend", "search", 0) })
        {
            for (var i = 0; i < 3000; i++)
            {
                var nanos = (long)(2e6 * Math.Exp(random.NextDouble() * 3));
                var error = errorEvery > 0 && i % errorEvery == 0;
                var start = ((T0 + random.Next(0, 1800)) * 1_000_000_000L) + random.Next(1_000_000_000);
                raw.Add((source, target, nanos, error));
                var outbound = ConventionSpans.Proxy("outbound", source, target, start, nanos, status: error ? 503 : 200);
                spans.Add(outbound);
                spans.Add(ConventionSpans.Proxy("inbound", source, target, start + 1000, nanos / 2, status: error ? 503 : 200, traceId: outbound.TraceId, parent: outbound.SpanId));
            }
        }

        await IngestAsync(spans);
        var graph = await new GraphService(_store, new HealthOptions()).GetGraphAsync(new GraphQuery { StartUnixSeconds = T0, EndUnixSeconds = T0 + 1800 }, default);

        Assert.Equal(["cart", "frontend", "pricing", "search"], graph.Nodes.Select(n => n.Name));
        Assert.Equal(3, graph.Edges.Count);
        foreach (var edge in graph.Edges)
        {
            var mine = raw.Where(r => r.Source == edge.Source && r.Target == edge.Target).ToList();
            var sorted = mine.Select(r => r.Nanos).Order().ToArray();
            Assert.Equal(mine.Count, edge.Requests);
            Assert.Equal(mine.Count(r => r.Error), edge.Errors);
            Assert.Equal(mine.Count / 1800.0, edge.Rps, 9);
            Assert.Equal(1.0, edge.MtlsRate);
            foreach (var (q, value) in new[] { (0.5, edge.P50Ms), (0.95, edge.P95Ms), (0.99, edge.P99Ms) })
            {
                var exact = sorted[(int)Math.Ceiling((q * sorted.Length) - 1e-9) - 1] / 1e6;
                Assert.InRange(value!.Value, exact * 0.98, exact * 1.02);
            }
        }

        Assert.Equal(HealthState.Failing, graph.Edges.Single(e => e.Target == "pricing").Health.State); // 1 in 7
        Assert.Equal(HealthState.Degraded, graph.Edges.Single(e => e.Target == "cart").Health.State); // 2 %
        Assert.Equal(HealthState.Healthy, graph.Edges.Single(e => e.Target == "search").Health.State);
        Assert.Equal(HealthState.NoTraffic, graph.Nodes.Single(n => n.Name == "frontend").Health.State);
    }

    [Fact]
    public async Task GetGraph_PastWindow_ReturnsThatWindowsTrafficOnly()
    {
        await IngestAsync(
        [
            ConventionSpans.Proxy("outbound", "a", "b", (T0 + 5) * 1_000_000_000, 1_000_000),
            ConventionSpans.Proxy("outbound", "a", "b", (T0 + 7205) * 1_000_000_000, 1_000_000),
            ConventionSpans.Proxy("outbound", "a", "c", (T0 + 7215) * 1_000_000_000, 1_000_000),
        ]);
        var service = new GraphService(_store, new HealthOptions());
        var past = await service.GetGraphAsync(new GraphQuery { StartUnixSeconds = T0, EndUnixSeconds = T0 + 3600 }, default);
        Assert.Equal(1, Assert.Single(past.Edges).Requests);
        var later = await service.GetGraphAsync(new GraphQuery { StartUnixSeconds = T0 + 7200, EndUnixSeconds = T0 + 7230 }, default);
        Assert.Equal(["b", "c"], later.Edges.Select(e => e.Target));
        var filtered = await service.GetGraphAsync(new GraphQuery { StartUnixSeconds = T0, EndUnixSeconds = T0 + 9000, Service = "c" }, default);
        Assert.Equal(("a", "c"), (Assert.Single(filtered.Edges).Source, filtered.Edges[0].Target));
    }

    [Fact]
    public async Task GetGraph_VirtualNodes_KindsAndEndpoints()
    {
        var trace = ConventionSpans.NewTraceId();
        await IngestAsync(
        [
            ConventionSpans.Sdk("orders", SpanKind.Client, (T0 + 1) * 1_000_000_000, 1_000_000, trace, status: null, extra: [KeyValue.Of("db.system", "postgresql"), KeyValue.Of("server.address", "pg"), KeyValue.Of("server.port", 5432L)]),
            ConventionSpans.Sdk("orders", SpanKind.Client, (T0 + 1) * 1_000_000_000, 1_000_000, trace, extra: [KeyValue.Of("peer.service", "stripe")]),
            ConventionSpans.Proxy("ingress", "ingress", "orders", (T0 + 1) * 1_000_000_000, 1_000_000, endpoint: "10.1.1.1:80"),
        ]);
        var graph = await new GraphService(_store, new HealthOptions()).GetGraphAsync(new GraphQuery { StartUnixSeconds = T0, EndUnixSeconds = T0 + 60 }, default);
        Assert.Equal(NodeKind.Database, graph.Nodes.Single(n => n.Name == "pg").Kind);
        Assert.Equal(["pg:5432"], graph.Nodes.Single(n => n.Name == "pg").Endpoints);
        Assert.Equal(NodeKind.External, graph.Nodes.Single(n => n.Name == "stripe").Kind);
        Assert.Equal(NodeKind.Ingress, graph.Nodes.Single(n => n.Name == "ingress").Kind);
        Assert.Equal((NodeKind.Service, "10.1.1.1:80"), (graph.Nodes.Single(n => n.Name == "orders").Kind, graph.Nodes.Single(n => n.Name == "orders").Endpoints.Single()));
    }

    [Fact]
    public async Task GetGraph_LatencyFarAboveYesterdaysBaseline_EdgeDegraded()
    {
        var spans = new List<Span>();
        for (var i = 0; i < 200; i++)
        {
            spans.Add(ConventionSpans.Proxy("outbound", "a", "b", (T0 - 7200 + i) * 1_000_000_000, 10_000_000));
            spans.Add(ConventionSpans.Proxy("outbound", "a", "b", (T0 + i) * 1_000_000_000, 50_000_000));
        }

        await IngestAsync(spans);
        var edge = Assert.Single((await new GraphService(_store, new HealthOptions()).GetGraphAsync(new GraphQuery { StartUnixSeconds = T0, EndUnixSeconds = T0 + 600 }, default)).Edges);
        Assert.Equal(HealthState.Degraded, edge.Health.State);
        Assert.Equal("latency", Assert.Single(edge.Health.Reasons).Code);
    }

    [Fact]
    public async Task GetSeries_RpsErrorsP99_PerStep()
    {
        var spans = new List<Span>();
        for (var i = 0; i < 120; i++)
        {
            spans.Add(ConventionSpans.Proxy("outbound", "a", "b", (T0 + i) * 1_000_000_000, (i + 1) * 1_000_000L, status: i % 4 == 0 ? 500 : 200));
        }

        await IngestAsync(spans);
        var service = new GraphService(_store, new HealthOptions());
        var rps = await service.GetSeriesAsync("a", "b", SeriesMetric.Rps, T0, T0 + 180, 60, default);
        Assert.Equal([1.0, 1.0, 0.0], rps.Select(p => p.Value!.Value));
        var errors = await service.GetSeriesAsync("a", "b", SeriesMetric.Errors, T0, T0 + 120, 60, default);
        Assert.Equal([25.0, 25.0], errors.Select(p => p.Value!.Value));
        var p99 = await service.GetSeriesAsync("a", "b", SeriesMetric.P99, T0, T0 + 180, 60, default);
        Assert.InRange(p99[1].Value!.Value, 120 * 0.98, 120 * 1.02);
        Assert.Null(p99[2].Value);
        Assert.Equal(18, (await service.GetSeriesAsync("a", "b", SeriesMetric.Rps, T0, T0 + 180, 10, default)).Count);
    }

    private async Task IngestAsync(IReadOnlyList<Span> spans)
    {
        using var stage = new RollupStage(_store, new RollupStageOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RollupStage>.Instance);
        await stage.OnBatchStoredAsync(new Core.Storage.IngestedBatch(spans, [], Core.Storage.WriteMode.First), default);
        await stage.FlushAllAsync(default);
        Assert.Equal(0, stage.Counters.Pending);
    }
}
