using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Mesh.Analytics.Histograms;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// Requests through a <see cref="ProxiedShop"/> of real proxies, in two spells on either side of a 10 s bucket
/// boundary; then the raw spans are read back from the ingest's trace API and the map of the whole time and of each
/// spell must match what those spans say exactly (counts, errors, bytes) and within the histogram's bound
/// (percentiles). Two proxies see every request (gateway and sidecar, outbound and inbound sidecar): each is counted once.
/// </summary>
internal static class ProxiedShopScenario
{
    private const int FirstSpell = 60;
    private const int SecondSpell = 45;

    public static async Task RunAsync(MeshProcess mesh, TimeSpan settle)
    {
        await using var shop = await ProxiedShop.StartAsync(mesh);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = shop.Entry, Timeout = TimeSpan.FromSeconds(30) };
        var traces = new List<string>();
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        await SendAsync(client, 1, FirstSpell, traces);

        // Both spells must fall into different buckets, so a window ending at the boundary holds the first alone.
        var boundary = ((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 10) + 1) * 10;
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < (boundary * 1000) + 100)
        {
            await Task.Delay(50);
        }

        await SendAsync(client, FirstSpell + 1, SecondSpell, traces);
        var to = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;

        var whole = Path(shop, from, to);
        _ = await MapApi.WaitAsync(mesh, whole, g => MapApi.TotalRequests(g) >= 2 * traces.Count, TimeSpan.FromSeconds(60));

        // Inbound spans still waiting for a parent would count late (from "unknown"): let every pairing window pass.
        await Task.Delay(settle);
        var raw = await RawAsync(mesh, traces);
        Assert.Equal(traces.Count, raw.Count(s => s.Direction == "ingress"));
        Assert.Equal(traces.Count, raw.Count(s => s.Direction == "outbound"));
        Assert.Equal(2 * traces.Count, raw.Count(s => s.Direction == "inbound"));

        foreach (var (start, end) in new[] { (from, to), (from, boundary), (boundary, to) })
        {
            var graph = await MapApi.GetAsync(mesh, Path(shop, start, end));
            var window = raw.Where(s => s.StartSecond >= start / 10 * 10 && s.StartSecond < (end + 9) / 10 * 10).ToList();
            AssertEdge(graph, shop.Gateway, shop.Frontend, window.Where(s => s.Direction == "ingress").ToList());
            AssertEdge(graph, shop.Frontend, shop.Cart, window.Where(s => s.Direction == "outbound").ToList());
            Assert.Equal(2, graph.GetProperty("edges").GetArrayLength());
        }

        var map = await MapApi.GetAsync(mesh, whole);
        Assert.Equal("ingress", MapApi.Node(map, shop.Gateway).GetProperty("kind").GetString());
        var frontend = MapApi.Node(map, shop.Frontend);
        Assert.Equal(("service", shop.Namespace), (frontend.GetProperty("kind").GetString(), frontend.GetProperty("namespace").GetString()));
        Assert.Equal(traces.Count, frontend.GetProperty("requests").GetInt64());
        var cart = MapApi.Node(map, shop.Cart);
        Assert.Equal(["v1", "v2"], cart.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(shop.CartEndpoints.Order(StringComparer.Ordinal), cart.GetProperty("endpoints").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["cart"], MapApi.Edge(map, shop.Frontend, shop.Cart).GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
    }

    private static string Path(ProxiedShop shop, long start, long end) =>
        $"/api/v1/graph?start={MapApi.Rfc3339(start)}&end={MapApi.Rfc3339(end)}&namespace={shop.Namespace}";

    private static async Task SendAsync(HttpClient client, int first, int count, List<string> traces)
    {
        for (var n = first; n < first + count; n++)
        {
            var trace = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/shop/{n}");
            request.Headers.Add("traceparent", $"00-{trace}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
            using var response = await client.SendAsync(request);
            Assert.Equal(n % ProxiedShop.FailEvery == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(n * 10, (await response.Content.ReadAsByteArrayAsync()).Length);
            traces.Add(trace);
        }
    }

    /// <summary>Every stored proxy span of the traces, as the trace API returns them.</summary>
    private static async Task<List<RawSpan>> RawAsync(MeshProcess mesh, List<string> traces)
    {
        var spans = new List<RawSpan>();
        foreach (var trace in traces)
        {
            var reply = await MapApi.GetAsync(mesh, $"/api/v1/traces/{trace}");
            foreach (var span in reply.GetProperty("spans").EnumerateArray())
            {
                var attributes = span.GetProperty("attributes");
                var start = long.Parse(span.GetProperty("startTimeUnixNano").GetString()!, CultureInfo.InvariantCulture);
                var end = long.Parse(span.GetProperty("endTimeUnixNano").GetString()!, CultureInfo.InvariantCulture);
                spans.Add(new RawSpan(
                    attributes.GetProperty("mesh.direction").GetString()!,
                    start / 1_000_000_000,
                    end - start,
                    span.GetProperty("status").GetProperty("code").GetString() == "ERROR",
                    attributes.GetProperty("http.response.body.size").GetInt64()));
            }
        }

        return spans;
    }

    private static void AssertEdge(JsonElement graph, string source, string target, List<RawSpan> raw)
    {
        Assert.NotEmpty(raw);
        var edge = MapApi.Edge(graph, source, target);
        var errors = raw.Count(s => s.Error);
        Assert.Equal(raw.Count, edge.GetProperty("requests").GetInt64());
        Assert.Equal(errors, edge.GetProperty("errors").GetInt64());
        Assert.Equal(100.0 * errors / raw.Count, edge.GetProperty("errorPercent").GetDouble(), 9);
        Assert.Equal(raw.Sum(s => s.ResponseBytes), edge.GetProperty("bytesOut").GetInt64());
        var nanos = raw.Select(s => s.DurationNanos).ToList();
        foreach (var (q, name) in new[] { (0.5, "p50Ms"), (0.95, "p95Ms"), (0.99, "p99Ms") })
        {
            var exact = MapApi.Exact(nanos, q);
            var bound = LatencyHistogram.RelativeErrorBound + 1e-9;
            Assert.InRange(edge.GetProperty(name).GetDouble(), exact * (1 - bound), exact * (1 + bound));
        }
    }

    private sealed record RawSpan(string Direction, long StartSecond, long DurationNanos, bool Error, long ResponseBytes);
}
