using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// The same map scenario on ClickHouse: spans reach the store as spooled OTLP bytes (the wire path), rollups land in
/// the SummingMergeTree table, and the graph of a past window still matches the raw spans exactly.
/// </summary>
public sealed class ClickHouseMapTests
{
    [Fact]
    public async Task Graph_ProxySpansOnClickHouse_ExactCountsAndPercentiles()
    {
        using var clickhouse = new ClickHouseServer();
        await clickhouse.StartAsync();
        var dir = Directory.CreateTempSubdirectory("mesh-e2e-map-ch-").FullName;
        await using var mesh = await MeshProcess.StartAsync(
            dataDir: dir,
            environment: AnalyticsFixture.Environment(dir),
            extraArgs: ["--store", "clickhouse", "--clickhouse-url", clickhouse.HttpUrl.ToString(), "--clickhouse-database", ClickHouseServer.NewDatabaseName()]);

        var scenario = new ProxyMapScenario();
        await MapApi.SendAsync(mesh, scenario.Spans);
        var graph = await MapApi.WaitAsync(mesh, scenario.GraphPath(scenario.Start, scenario.End), g => MapApi.TotalRequests(g) >= scenario.TotalRequests, TimeSpan.FromSeconds(60));
        scenario.AssertGraph(graph);
        Assert.Equal(0, (await MapApi.GetAsync(mesh, scenario.GraphPath(scenario.Start - 3600, scenario.Start))).GetProperty("edges").GetArrayLength());
    }
}
