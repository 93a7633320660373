using System.Diagnostics;
using Mesh.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// Services with only the OpenTelemetry .NET SDK (its real OTLP exporter, one tracer provider per service): the map
/// pairs client and server spans across services, and draws virtual nodes for the peers without telemetry.
/// </summary>
[Collection(AnalyticsCollection.Name)]
public sealed class SdkMapTests(AnalyticsFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task Graph_SdkOnlyServices_PairedEdgeVirtualDatabaseAndExternalNodes()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var shop = $"sdk-shop-{id}";
        var pricing = $"sdk-pricing-{id}";
        var database = $"shop-db-{id}";
        var external = $"payments-{id}";
        using var shopSource = new ActivitySource($"shop.{id}");
        using var pricingSource = new ActivitySource($"pricing.{id}");
        var durations = new List<long>();
        var errors = 0;
        var start = DateTime.UtcNow.AddSeconds(-120);
        using (var shopProvider = Provider(shop, shopSource.Name))
        using (var pricingProvider = Provider(pricing, pricingSource.Name))
        {
            for (var i = 0; i < 60; i++)
            {
                var at = start.AddMilliseconds(i * 500);
                using var entry = shopSource.StartActivity("GET /checkout", ActivityKind.Server, default(ActivityContext), startTime: at)!;
                var micros = 2_000 + (i * 517 % 40_000);
                using (var client = shopSource.StartActivity("GET", ActivityKind.Client, entry.Context, startTime: at.AddMilliseconds(1))!)
                {
                    client.SetTag("server.address", "pricing.internal");
                    client.SetTag("server.port", 8080);
                    var failed = i % 6 == 0;
                    client.SetTag("http.response.status_code", failed ? 500 : 200);
                    using (var server = pricingSource.StartActivity("GET /price/{id}", ActivityKind.Server, client.Context, startTime: at.AddMilliseconds(1.2))!)
                    {
                        server.SetTag("http.route", "/price/{id}");
                        server.SetTag("http.response.status_code", failed ? 500 : 200);
                        server.SetEndTime(at.AddMilliseconds(1.2 + (micros * 0.8 / 1000)));
                    }

                    errors += failed ? 1 : 0;
                    durations.Add(micros * 1000L);
                    client.SetEndTime(at.AddMilliseconds(1 + (micros / 1000.0)));
                }

                if (i % 3 == 0)
                {
                    using var query = shopSource.StartActivity("SELECT orders", ActivityKind.Client, entry.Context, startTime: at.AddMilliseconds(2))!;
                    query.SetTag("db.system", "postgresql");
                    query.SetTag("server.address", database);
                    query.SetEndTime(at.AddMilliseconds(5));
                }

                if (i % 4 == 0)
                {
                    using var pay = shopSource.StartActivity("POST", ActivityKind.Client, entry.Context, startTime: at.AddMilliseconds(3))!;
                    pay.SetTag("peer.service", external);
                    pay.SetEndTime(at.AddMilliseconds(9));
                }

                entry.SetEndTime(at.AddMilliseconds(60));
            }

            Assert.True(pricingProvider.ForceFlush(10_000));
            Assert.True(shopProvider.ForceFlush(10_000));
        }

        var path = $"/api/v1/graph?service={shop}&start={MapApi.Rfc3339(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600)}";

        // The external node appears once its client spans waited a whole pairing window for a server span.
        var graph = await MapApi.WaitAsync(_mesh, path, g =>
            g.GetProperty("edges").EnumerateArray().Any(e => e.GetProperty("target").GetString() == external)
            && MapApi.TotalRequests(g) >= 60 + 60 + 20 + 15);

        var edge = MapApi.Edge(graph, shop, pricing);
        Assert.Equal(60, edge.GetProperty("requests").GetInt64());
        Assert.Equal(errors, edge.GetProperty("errors").GetInt64());
        Assert.Equal(["/price/{id}"], edge.GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
        foreach (var (q, name) in new[] { (0.5, "p50Ms"), (0.95, "p95Ms"), (0.99, "p99Ms") })
        {
            var exact = MapApi.Exact(durations, q);
            Assert.InRange(edge.GetProperty(name).GetDouble(), exact * 0.98, exact * 1.02);
        }

        Assert.Equal(20, MapApi.Edge(graph, shop, database).GetProperty("requests").GetInt64());
        Assert.Equal("database", MapApi.Node(graph, database).GetProperty("kind").GetString());
        Assert.Equal(15, MapApi.Edge(graph, shop, external).GetProperty("requests").GetInt64());
        Assert.Equal("external", MapApi.Node(graph, external).GetProperty("kind").GetString());

        // The checkout entry spans have no caller: requests from outside, counted from "unknown".
        Assert.Equal(60, MapApi.Edge(graph, "unknown", shop).GetProperty("requests").GetInt64());
        Assert.Equal("service", MapApi.Node(graph, pricing).GetProperty("kind").GetString());
    }

    private TracerProvider Provider(string service, string source) => Sdk.CreateTracerProviderBuilder()
        .AddSource(source)
        .SetSampler(new AlwaysOnSampler())
        .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: "1.0.0"))
        .AddOtlpExporter(o =>
        {
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.Endpoint = new Uri(_mesh.OtlpHttpUrl, "/v1/traces");
            o.Headers = $"Authorization=Bearer {MeshProcess.IngestToken}";
            o.TimeoutMilliseconds = 10_000;
        })
        .Build()!;
}
