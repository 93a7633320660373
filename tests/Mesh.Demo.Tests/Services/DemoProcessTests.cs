using System.Diagnostics;
using System.Net;
using Mesh.Core.Telemetry;
using Mesh.Demo.Tests.Fixtures;
using Mesh.Demo.Topology;
using Mesh.Testing;

namespace Mesh.Demo.Tests.Services;

/// <summary>The store as real processes, started from <see cref="DemoTopology"/> the way <c>mesh up --demo</c> will.</summary>
public sealed class DemoProcessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Topology_AsProcessesWithOtlp_CheckoutExportsOneConnectedTraceFromSixServices()
    {
        await using var router = new HostRouter();
        await using var otlp = new OtlpReceiver();
        await router.StartAsync();
        await otlp.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("mesh-demo-proc-").FullName;
        var processes = new List<(DemoProcess Process, int Port)>();
        try
        {
            var ports = new Dictionary<string, int>();
            foreach (var instance in DemoTopology.Instances)
            {
                var port = FreePort.Next();
                ports[instance.InstanceName] = port;
                var args = DemoTopology.ServiceArguments(instance, port, router.Url, dataDir, otlp.Url, "Authorization=Bearer test-ingest-token");
                processes.Add((DemoProcess.Start(args, new Dictionary<string, string> { ["OTEL_BSP_SCHEDULE_DELAY"] = "200" }), port));
            }

            foreach (var group in DemoTopology.Instances.GroupBy(i => i.Service))
            {
                router.Route(group.Key, [.. group.Select(i => ports[i.InstanceName])]);
            }

            var watch = Stopwatch.StartNew();
            await Task.WhenAll(processes.Select(p => p.Process.WaitHealthyAsync(p.Port, TimeSpan.FromSeconds(60))));
            output.WriteLine($"healthy after {watch.Elapsed}");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports["frontend-v1"]}/"), Timeout = TimeSpan.FromSeconds(30) };
            var token = await StoreClient.LoginAsync(http, "process-shopper");
            (await StoreClient.SendAsync(http, HttpMethod.Post, "/api/cart/items", new { sku = "sku-grinder", quantity = 1 }, token)).Dispose();
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            var rootParent = ActivitySpanId.CreateRandom().ToHexString();
            using var checkout = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/checkout", new { address = "3 Process Lane" }, token, $"00-{traceId}-{rootParent}-01");
            Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);

            var expected = new[] { "auth", "cart", "frontend", "inventory", "payment", "shipping" };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            List<Span> spans;
            while (true)
            {
                spans = [.. otlp.Spans.Where(s => s.TraceId.ToString() == traceId)];
                // Every hop's client span and the callee's server span: frontend→auth, →cart, cart→inventory, →payment, →shipping.
                if (expected.All(s => spans.Any(x => x.ServiceName == s && x.Kind == SpanKind.Server)) && spans.Count(s => s.Kind == SpanKind.Client) >= 5)
                {
                    break;
                }

                Assert.False(timeout.IsCancellationRequested, $"spans seen: {string.Join(", ", spans.Select(s => $"{s.ServiceName}:{s.Name}"))}");
                await Task.Delay(100);
            }

            output.WriteLine($"spans after {watch.Elapsed}");
            var ids = spans.Select(s => s.SpanId.ToString()).ToHashSet();
            var frontendServer = Assert.Single(spans, s => s.ParentSpanId.ToString() == rootParent);
            Assert.Equal("frontend", frontendServer.ServiceName);
            Assert.All(spans, s => Assert.True(s == frontendServer || ids.Contains(s.ParentSpanId.ToString()), $"{s.ServiceName} {s.Name} has a parent outside the trace"));
            // With SDK spans on, each hop's traceparent names the caller's client span.
            var clientIds = spans.Where(s => s.Kind == SpanKind.Client).Select(s => s.SpanId.ToString()).ToHashSet();
            var hops = router.Requests.Where(r => r.Traceparent.Contains(traceId, StringComparison.Ordinal)).ToList();
            Assert.All(hops, h => Assert.Contains(h.Traceparent.Split('-')[2], clientIds));
            Assert.Contains(spans, s => s is { ServiceName: "inventory", Kind: SpanKind.Server, Name: "POST /reservations" });
            Assert.All(otlp.Headers, h => Assert.Equal("Bearer test-ingest-token", h));
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await Task.WhenAll(processes.Select(p => p.Process.DisposeAsync().AsTask()));
            output.WriteLine($"stopped in {stopping.Elapsed}");
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "cart", "--port", "18080" }, "--upstream")]
    [InlineData(new[] { "auth", "--port", "70000" }, "--port")]
    [InlineData(new[] { "auth", "--port", "18080", "--version", "v 2" }, "--version")]
    [InlineData(new[] { "load", "--target", "http://127.0.0.1:1", "--rps", "-3" }, "--rps")]
    [InlineData(new[] { "load", "--target", "http://127.0.0.1:1", "--period", "soon" }, "--period")]
    [InlineData(new[] { "load", "--target", "http://127.0.0.1:1", "--mix", "1,2" }, "--mix")]
    public async Task Cli_BadArguments_ExitTwoNamingTheFlag(string[] args, string flag)
    {
        await using var process = DemoProcess.Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(flag + ":", process.Output);
    }
}
