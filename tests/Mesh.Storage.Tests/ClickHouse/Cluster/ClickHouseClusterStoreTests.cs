using System.Globalization;
using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Testing;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests.ClickHouse.Cluster;

/// <summary>What cluster mode adds: where rows land (counted on each shard's local tables) and which setups it refuses.</summary>
[Collection(ClickHouseClusterTestGroup.Name)]
public sealed class ClickHouseClusterStoreTests(ClickHouseCluster cluster)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Write_ManyTraces_EveryTraceOnExactlyOneShardAndBothShardsUsed()
    {
        await using var store = new ClickHouseTelemetryStore(ClusterStores.Options(cluster));
        await store.InitializeAsync(Ct);
        var traces = Enumerable.Range(0, 40).Select(_ => NewTraceId()).ToList();
        var spans = traces.SelectMany(t => new[] { NewSpan(t, "frontend", "GET /", 0, 9), NewSpan(t, "cart", "GET /cart", 1, 5) }).ToList();
        await store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);

        var perShard = new List<(long Spans, long Traces, long Index)>();
        foreach (var url in cluster.ShardUrls)
        {
            using var shard = new ClickHouseHttpClient(new ClickHouseStoreOptions { Endpoint = url });
            var db = store.Options.Database;
            perShard.Add((
                await CountAsync(shard, $"SELECT count() FROM {db}.spans_local"),
                await CountAsync(shard, $"SELECT uniqExact(trace_id) FROM {db}.spans_local"),
                await CountAsync(shard, $"SELECT count() FROM {db}.trace_index_local")));
        }

        Assert.All(perShard, s => Assert.True(s.Spans > 0, $"a shard got no spans: {string.Join(", ", perShard)}"));
        Assert.Equal(spans.Count, perShard.Sum(s => s.Spans));
        Assert.Equal(spans.Count, perShard.Sum(s => s.Index));

        // Sharded by trace id: the distinct traces of the shards add up only if no trace is split.
        Assert.Equal(traces.Count, perShard.Sum(s => s.Traces));
        Assert.All(perShard, s => Assert.Equal(s.Spans, s.Index));
    }

    [Fact]
    public async Task Read_ThroughEitherShard_SeesTracesOfBothShards()
    {
        var database = ClickHouseServer.NewDatabaseName();
        await using var writer = new ClickHouseTelemetryStore(ClusterStores.Options(cluster, via: 0, database));
        await writer.InitializeAsync(Ct);
        var traces = Enumerable.Range(0, 12).Select(_ => NewTraceId()).ToList();
        await writer.SpanWriter.WriteSpansAsync([.. traces.Select((t, i) => NewSpan(t, $"svc-{i % 3}", "op", i, 3))], WriteMode.First, Ct);

        await using var reader = new ClickHouseTelemetryStore(ClusterStores.Options(cluster, via: 1, database));
        await reader.InitializeAsync(Ct);
        foreach (var trace in traces)
        {
            Assert.Single(await reader.SpanReader.GetTraceAsync(trace, Ct));
        }

        Assert.Equal(["svc-0", "svc-1", "svc-2"], (await reader.SpanReader.GetServicesAsync(Ct)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Initialize_FewerShardEndpointsThanShards_FailsNamingBothCounts()
    {
        var options = ClusterStores.Options(cluster) with { ShardEndpoints = [cluster.ShardUrls[0]] };
        await using var store = new ClickHouseTelemetryStore(options);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct).AsTask());
        Assert.Contains("has 2 shards", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 shard endpoints", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_ClusterNotConfigured_FailsNamingIt()
    {
        var options = ClusterStores.Options(cluster) with { Cluster = "nowhere" };
        await using var store = new ClickHouseTelemetryStore(options);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct).AsTask());
        Assert.Contains("no cluster 'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ShardEndpointsWithoutCluster_AreRefused()
    {
        var options = new ClickHouseStoreOptions { ShardEndpoints = [cluster.ShardUrls[0]] };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("ShardEndpoints", error.ParamName);
    }

    private static async Task<long> CountAsync(ClickHouseHttpClient shard, string sql)
    {
        var body = await shard.QueryAsync(SqlFragment.Trusted(sql + " FORMAT JSONEachRow"), Ct);
        return JsonEachRow.Read(body, row => long.Parse(row.EnumerateObject().First().Value.ToString(), CultureInfo.InvariantCulture)).Single();
    }
}
