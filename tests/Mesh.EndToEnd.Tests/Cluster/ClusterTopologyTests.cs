using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Mesh.Demo.Topology;
using Mesh.EndToEnd.Tests.Analytics;
using Xunit;

namespace Mesh.EndToEnd.Tests.Cluster;

/// <summary>
/// The scaled topology as <c>scripts/cluster up</c> starts it: two ClickHouse shards, PostgreSQL, a control plane, two
/// ingest nodes, analytics and web, each its own process, and the demo store. Traffic sent to both ingest nodes (each
/// trace whole to one node, as the collector's load-balancing exporter does) and the demo's traffic land on both shards,
/// and every API answers from the Distributed tables: whole traces from either shard, the services, and a map whose
/// counts add both nodes' rollups.
/// </summary>
public sealed class ClusterTopologyTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["MESH_ROLLUP_FLUSH_MS"] = "200",
        ["MESH_PAIRING_WINDOW_MS"] = "1000",
        ["MESH_LIVE_INTERVAL_MS"] = "300",
    };

    [Fact]
    public async Task ClusterUp_TrafficOnBothIngestNodes_LandsOnBothShardsAndApisReadEveryShard()
    {
        await using var cluster = new ClusterScript(Environment);
        var banner = await cluster.UpAsync();
        Assert.Contains("Mesh cluster is up", banner, StringComparison.Ordinal);
        var (status, statusText) = await cluster.StatusAsync();
        Assert.True(status == 0, statusText);

        var scenario = new ProxyMapScenario();
        var traces = scenario.Spans.GroupBy(s => s.TraceId).ToList();
        using (var ingest1 = cluster.OtlpClient("INGEST_1_OTLP_HTTP_URL"))
        using (var ingest2 = cluster.OtlpClient("INGEST_2_OTLP_HTTP_URL"))
        {
            for (var i = 0; i < traces.Count; i += 50)
            {
                var node = i / 50 % 2 == 0 ? ingest1 : ingest2;
                using var response = await Otlp.PostAsync(node, "/v1/traces", Otlp.TraceRequest(traces.Skip(i).Take(50).SelectMany(t => t)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // Every span is stored, some on each shard: counted on the shards' local tables, not through Distributed
        // (the scenario's own services only: the demo store sends its traffic beside it).
        // (The scenario's ingress spans belong to the service "ingress", which the demo's names never clash with but a
        // filter by name cannot tell apart: they are left out of the count on both sides.)
        string[] scenarioServices = [scenario.Frontend, scenario.Cart, scenario.Pricing];
        var ours = $"service IN ('{string.Join("', '", scenarioServices)}')";
        var storedSpans = scenario.Spans.Count(s => scenarioServices.Contains(s.ServiceName));
        var perShard = await WaitAsync(
            async () => new[] { await ScalarAsync(cluster.Url("CLICKHOUSE_1_URL"), $"SELECT count() FROM mesh.spans_local WHERE {ours}"), await ScalarAsync(cluster.Url("CLICKHOUSE_2_URL"), $"SELECT count() FROM mesh.spans_local WHERE {ours}") },
            counts => counts.Sum() == storedSpans,
            cluster);
        Assert.All(perShard, count => Assert.True(count > 0, $"a shard holds no spans: {string.Join(", ", perShard)}"));

        // Whole traces through the web node, one stored on each shard.
        using var web = cluster.ApiClient("WEB_URL");
        foreach (var shard in new[] { "CLICKHOUSE_1_URL", "CLICKHOUSE_2_URL" })
        {
            var traceId = await TextAsync(cluster.Url(shard), $"SELECT any(trace_id) FROM mesh.trace_index_local WHERE {ours}");
            var trace = await GetJsonAsync(web, $"/api/v1/traces/{traceId}");
            var expected = traces.Single(t => t.Key.ToString() == traceId).Count();
            Assert.Equal(expected, trace.GetProperty("spans").GetArrayLength());
        }

        var services = (await GetJsonAsync(web, "/api/v1/services")).GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains(scenario.Frontend, services);
        Assert.Contains(scenario.Cart, services);
        Assert.Contains(scenario.Pricing, services);

        // The map from the analytics node: both ingest nodes' rollups for the same buckets and edges add up exactly.
        using var analytics = cluster.ApiClient("ANALYTICS_URL");
        var graph = await WaitAsync(
            () => GetJsonAsync(analytics, scenario.GraphPath(scenario.Start, scenario.End)),
            g => MapApi.TotalRequests(g) >= scenario.TotalRequests,
            cluster);
        scenario.AssertGraph(graph);
        var nodes = await ScalarAsync(cluster.Url("CLICKHOUSE_1_URL"), "SELECT uniqExact(splitByChar('/', id)[1]) FROM mesh.rollup_contributions");
        Assert.Equal(2, nodes);

        await DemoTrafficAsync(cluster, web);

        // The control plane answers on its own node, and only there.
        using var controlPlane = cluster.ApiClient("CONTROL_PLANE_URL");
        using (var revisions = await controlPlane.GetAsync("/api/v1/config/revisions"))
        {
            Assert.Equal(HttpStatusCode.OK, revisions.StatusCode);
        }

        using (var notHere = await web.GetAsync("/api/v1/config/revisions"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notHere.StatusCode);
        }
    }

    /// <summary>
    /// The demo store (started by the script, its sidecars exporting to ingest node 1) lands on both shards through the
    /// Distributed tables, and the web node lists every demo service and reads a checkout trace whole from each shard.
    /// </summary>
    private static async Task DemoTrafficAsync(ClusterScript cluster, HttpClient web)
    {
        // Per shard, the demo services it holds no span of yet (a failure names them).
        var demo = string.Join(", ", DemoTopology.Services.Select(s => $"'{s}'"));
        var missing = await WaitAsync(
            async () =>
            {
                var missing = new List<string>();
                foreach (var shard in new[] { "CLICKHOUSE_1_URL", "CLICKHOUSE_2_URL" })
                {
                    var held = (await TextAsync(cluster.Url(shard), $"SELECT arrayStringConcat(groupUniqArray(service), ',') FROM mesh.spans_local WHERE service IN ({demo})"))
                        .Split(',', StringSplitOptions.RemoveEmptyEntries);
                    missing.AddRange(DemoTopology.Services.Except(held).Select(s => $"{shard}: {s}"));
                }

                return missing;
            },
            missing => missing.Count == 0,
            cluster,
            TimeSpan.FromSeconds(120));
        Assert.Empty(missing);

        var services = (await GetJsonAsync(web, "/api/v1/services")).GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.All(DemoTopology.Services, s => Assert.Contains(s, services));

        foreach (var shard in new[] { "CLICKHOUSE_1_URL", "CLICKHOUSE_2_URL" })
        {
            // A trace through payment (a checkout: frontend → auth → cart → inventory → payment → shipping) stored on this
            // shard, read through the web node's Distributed table: every span the shard holds for it, across >= 4 services.
            var traceId = await TextAsync(cluster.Url(shard), "SELECT any(trace_id) FROM mesh.trace_index_local WHERE service = 'payment'");
            var (apiSpans, apiServices, localSpans) = await WaitAsync(
                async () =>
                {
                    var trace = await GetJsonAsync(web, $"/api/v1/traces/{traceId}");
                    var spans = trace.GetProperty("spans").EnumerateArray().ToList();
                    var local = await ScalarAsync(cluster.Url(shard), $"SELECT count() FROM mesh.spans_local WHERE trace_id = '{traceId}'");
                    return (spans.Count, spans.Select(s => s.GetProperty("service").GetString()).Distinct().Count(), local);
                },
                t => t.Item1 == t.Item3 && t.Item2 >= 4,
                cluster);
            Assert.Equal(localSpans, apiSpans);
            Assert.True(apiServices >= 4, $"trace {traceId} crosses {apiServices} services");
        }
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, ClusterScript cluster, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > (limit ?? TimeSpan.FromSeconds(60)))
            {
                Assert.Fail($"the cluster never got there; last value: {(value is JsonElement json ? json.ToString() : JsonSerializer.Serialize(value))}\n{cluster.Logs()}");
            }

            // Polling processes that store and roll up in the background: there is no event to wait on.
            await Task.Delay(200);
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    private static async Task<string> TextAsync(Uri clickhouse, string sql)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync(clickhouse, new StringContent(sql));
        var body = (await response.Content.ReadAsStringAsync()).Trim();
        Assert.True(response.IsSuccessStatusCode, $"{clickhouse}: {body}");
        return body;
    }

    private static async Task<long> ScalarAsync(Uri clickhouse, string sql) =>
        long.Parse(await TextAsync(clickhouse, sql), CultureInfo.InvariantCulture);
}
