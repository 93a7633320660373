using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mesh.Demo.Topology;
using Mesh.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mesh.Demo.Tests.MeshUp;

/// <summary>
/// <c>mesh up --demo</c> as a real process with every port moved to a free range: the demo's services, traces
/// and map appear through the API within a startup limit; each scenario (through the real <c>mesh demo</c>
/// CLI) changes what the API reports; stopping leaves no child behind; a second start resumes the stored data;
/// a killed parent's children stop by themselves.
/// </summary>
public sealed class DemoUpTests(ITestOutputHelper output)
{
    /// <summary>
    /// A functional limit on startup to every demo service in the API (the 30 s target of issue 6 is measured by
    /// bench/demo/measure.py, never asserted here: a shared 2-core machine or CI running other suites beside this one
    /// can take several times as long). MESH_DEMO_STARTUP_LIMIT_SECONDS changes it.
    /// </summary>
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(
        double.Parse(Environment.GetEnvironmentVariable("MESH_DEMO_STARTUP_LIMIT_SECONDS") ?? "120", CultureInfo.InvariantCulture));

    /// <summary>A service and a sidecar per instance, the load generator and its sidecar.</summary>
    private static readonly int ChildCount = (2 * DemoTopology.Instances.Count) + 2;

    [Fact]
    public async Task MeshUpDemo_RunsTheStoreBehindProxies_ScenariosShowInTheApi_AndStopsEveryChild()
    {
        var basePort = PortRange.Find();
        var args = new[] { "--demo", "--demo-base-port", basePort.ToString(CultureInfo.InvariantCulture), "--demo-rps", "6" };
        var clock = Stopwatch.StartNew();
        await using var mesh = await MeshProcess.StartAsync(extraArgs: args, timeout: TimeSpan.FromSeconds(90));
        using var api = mesh.CreateApiClient();

        try
        {
            // Every demo service is in the API within the startup limit.
            await ApiReads.WaitUntilAsync(
                async () => DemoTopology.Services.All((await Services(api)).Contains),
                StartupLimit - clock.Elapsed + TimeSpan.FromMilliseconds(1),
                $"the API lists every demo service ({string.Join(", ", DemoTopology.Services)})");
            output.WriteLine($"startup to all demo services in the API: {clock.Elapsed.TotalSeconds:F1} s");

            await AssertCheckoutTraceCrossesServicesAsync(api);
            await AssertGraphHasEveryEdgeAsync(api);
            await AssertBadInputIsNamedAsync(api);
            await AssertFaultRaisesErrorsAsync(mesh, api);
            await AssertKillStopsPaymentAsync(mesh, api);
            await AssertSpikeRaisesTrafficAsync(mesh, api);
            await AssertSplitFollowsWeightsAsync(mesh, api);

            // Stop (SIGTERM, as Ctrl+C): every child goes with the parent.
            var pid = mesh.Pid!.Value;
            Assert.Equal(ChildCount, DemoChildren.Of(pid).Count);
            Assert.Equal(0, await mesh.StopAsync(TimeSpan.FromSeconds(60)));
            Assert.Empty(DemoChildren.Of(pid));

            // A second start resumes: the shifted split and the earlier traces are still there.
            await mesh.StartAsync(TimeSpan.FromSeconds(90));
            await ApiReads.WaitUntilAsync(
                async () => (await api.GetAsync(new Uri("/api/v1/demo", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60),
                "the restarted demo answers /api/v1/demo (404 until its resources are applied)");
            using (var status = await ApiJson.GetJsonAsync(api, "/api/v1/demo"))
            {
                Assert.Equal("v1=20,v2=80", status.RootElement.GetProperty("split").GetString());
            }

            await ApiReads.WaitUntilAsync(async () => DemoChildren.Of(mesh.Pid!.Value).Count == ChildCount, TimeSpan.FromSeconds(30), "the demo's children are back");

            // The parent killed outright: its children notice and stop by themselves.
            var second = mesh.Pid!.Value;
            using (var kill = Process.Start("kill", ["-KILL", second.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await ApiReads.WaitUntilAsync(() => Task.FromResult(DemoChildren.Of(second).Count == 0), TimeSpan.FromSeconds(30), "the children of a killed mesh up stop");
        }
        catch
        {
            output.WriteLine(mesh.Output);
            throw;
        }
    }

    private static async Task<List<string>> Services(HttpClient api)
    {
        using var doc = await ApiJson.GetJsonAsync(api, "/api/v1/services");
        return [.. doc.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetString()!)];
    }

    private async Task AssertCheckoutTraceCrossesServicesAsync(HttpClient api)
    {
        string? traceId = null;
        await ApiReads.WaitUntilAsync(
            async () =>
            {
                using var doc = await ApiJson.GetJsonAsync(api, "/api/v1/traces?service=payment&limit=50");
                traceId = doc.RootElement.GetProperty("traces").EnumerateArray()
                    .Where(t => t.GetProperty("services").GetArrayLength() >= 4)
                    .Select(t => t.GetProperty("traceId").GetString())
                    .FirstOrDefault();
                return traceId is not null;
            },
            TimeSpan.FromSeconds(60),
            "a checkout trace crossing at least four services");

        // Readable end to end: every span but the root hangs under another span of the same trace.
        await Task.Delay(TimeSpan.FromSeconds(3)); // the last sidecars' exports of that trace
        using var trace = await ApiJson.GetJsonAsync(api, $"/api/v1/traces/{traceId}");
        var spans = trace.RootElement.GetProperty("spans").EnumerateArray().ToList();
        var services = spans.Select(s => s.GetProperty("service").GetString()).Distinct().ToList();
        Assert.True(services.Count >= 4, $"trace {traceId} has services {string.Join(", ", services)}");
        var ids = spans.Select(s => s.GetProperty("spanId").GetString()).ToHashSet();
        var orphans = spans.Count(s => !s.TryGetProperty("parentSpanId", out var p) || !ids.Contains(p.GetString()));
        Assert.True(orphans == 1, $"trace {traceId}: {orphans} spans without a parent in the trace (expected only the root)");
        output.WriteLine($"trace {traceId}: {spans.Count} spans across {string.Join(", ", services)}");
    }

    private static async Task AssertGraphHasEveryEdgeAsync(HttpClient api)
    {
        var missing = DemoTopology.Edges.ToList();
        await ApiReads.WaitUntilAsync(
            async () =>
            {
                using var graph = await ApiJson.GetJsonAsync(api, "/api/v1/graph");
                var edges = graph.RootElement.GetProperty("edges").EnumerateArray()
                    .Select(e => (e.GetProperty("source").GetString()!, e.GetProperty("target").GetString()!)).ToHashSet();
                missing = [.. DemoTopology.Edges.Where(e => !edges.Contains(e))];
                return missing.Count == 0;
            },
            TimeSpan.FromSeconds(60),
            "the graph shows every demo edge");
    }

    private static async Task AssertBadInputIsNamedAsync(HttpClient api)
    {
        foreach (var (path, body, field) in new[]
        {
            ("faults", """{"service":"nope","endpoint":"/products"}""", "service"),
            ("faults", """{"service":"catalog","version":"v9","endpoint":"/products"}""", "version"),
            ("faults", """{"service":"catalog","endpoint":"/products","errorRate":7}""", "errorRate"),
            ("faults", """{"service":"catalog","endpoint":"/nowhere","errorRate":0.5}""", "endpoint"),
            ("kill", """{"service":"payment","durationSeconds":5}""", "durationSeconds"),
            ("spike", """{"multiplier":0,"seconds":10}""", "multiplier"),
        })
        {
            using var response = await api.PostAsync(new Uri($"/api/v1/demo/{path}", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body} -> {(int)response.StatusCode} {text}");
            using var problem = JsonDocument.Parse(text);
            Assert.StartsWith(field + ":", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var split = await api.PutAsJsonAsync(new Uri("/api/v1/demo/split", UriKind.Relative), new { weights = new { v1 = 50, v2 = 40 } });
        Assert.Equal(HttpStatusCode.BadRequest, split.StatusCode);
        Assert.Contains("weights: sum to 90", await split.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task AssertFaultRaisesErrorsAsync(MeshProcess mesh, HttpClient api)
    {
        var before = Now();
        var baseline = await CountTracesAsync(api, "service=catalog&status=error", before - 15_000, before);
        await DemoCli.RunOkAsync(mesh, "fault", "--service", "catalog", "--version", "v2", "--endpoint", "/products/{sku}", "--error-rate", "1", "--duration", "120");
        var after = Now();
        await ApiReads.WaitUntilAsync(
            async () => await CountTracesAsync(api, "service=catalog&status=error", after, Now()) >= baseline + 5,
            TimeSpan.FromSeconds(60),
            "errors on catalog v2 GET /products/{sku} rise after the fault");
        var scenarios = await DemoCli.RunOkAsync(mesh, "scenarios");
        Assert.Contains("/products/{sku}", scenarios, StringComparison.Ordinal);
        await DemoCli.RunOkAsync(mesh, "clear");
        output.WriteLine($"fault: catalog errors {baseline} in the 15 s before, then at least {baseline + 5}");
    }

    private async Task AssertKillStopsPaymentAsync(MeshProcess mesh, HttpClient api)
    {
        await DemoCli.RunOkAsync(mesh, "kill", "--service", "payment");
        var after = Now();
        using (var status = await ApiJson.GetJsonAsync(api, "/api/v1/demo"))
        {
            var payment = status.RootElement.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("service").GetString() == "payment");
            Assert.Equal("stopped", payment.GetProperty("state").GetString());
        }

        await ApiReads.WaitUntilAsync(
            async () => await CountTracesAsync(api, "service=payment&status=error", after, Now()) >= 2,
            TimeSpan.FromSeconds(60),
            "calls to the killed payment service fail");
        await DemoCli.RunOkAsync(mesh, "clear");
        output.WriteLine("kill: payment stopped, its calls failed, clear restarted it");
    }

    private async Task AssertSpikeRaisesTrafficAsync(MeshProcess mesh, HttpClient api)
    {
        var start = Now();
        await Task.Delay(TimeSpan.FromSeconds(12));
        var before = await CountTracesAsync(api, "service=frontend", start, start + 10_000);
        await DemoCli.RunOkAsync(mesh, "spike", "--multiplier", "3", "--seconds", "40");
        var spikeStart = Now() + 2_000;
        await Task.Delay(TimeSpan.FromSeconds(17));
        var during = await CountTracesAsync(api, "service=frontend", spikeStart, spikeStart + 10_000);
        output.WriteLine($"spike: frontend traces in 10 s: {before} before, {during} during (x3)");
        Assert.True(during >= before * 1.5, $"frontend traces per 10 s: {before} before the spike, {during} during it");
        await DemoCli.RunOkAsync(mesh, "clear");
    }

    private async Task AssertSplitFollowsWeightsAsync(MeshProcess mesh, HttpClient api)
    {
        var output1 = await DemoCli.RunOkAsync(mesh, "split", "--weights", "v1=20,v2=80");
        Assert.Contains("\"revision\"", output1, StringComparison.Ordinal);
        using (var routes = await ApiJson.GetJsonAsync(api, "/api/v1/config/resources/routes"))
        {
            Assert.Contains("\"weight\":80", routes.RootElement.GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var from = Now() + 3_000; // the sidecars reload their files
        await Task.Delay(TimeSpan.FromSeconds(25));
        var to = Now() - 2_000;
        var v1 = await CountTracesAsync(api, "attr.mesh.destination.service=catalog&attr.mesh.destination.version=v1", from, to);
        var v2 = await CountTracesAsync(api, "attr.mesh.destination.service=catalog&attr.mesh.destination.version=v2", from, to);
        var share = v2 / (double)Math.Max(1, v1 + v2);
        output.WriteLine($"split 20/80: traces reaching catalog v1 {v1}, v2 {v2} (v2 share {share:P0})");
        Assert.True(v1 + v2 >= 20, $"too few catalog calls to judge the split ({v1} + {v2})");
        Assert.InRange(share, 0.65, 0.95);
    }

    private static async Task<int> CountTracesAsync(HttpClient api, string filter, long startMs, long endMs)
    {
        using var doc = await ApiJson.GetJsonAsync(api, $"/api/v1/traces?{filter}&start={startMs}&end={Math.Max(endMs, startMs + 1)}&limit=1000");
        return doc.RootElement.GetProperty("traces").GetArrayLength();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
