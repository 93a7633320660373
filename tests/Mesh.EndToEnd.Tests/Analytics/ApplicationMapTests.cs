using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>The application map through a real <c>mesh up</c>: OTLP in, rollups at ingest, the graph API out.</summary>
[Collection(AnalyticsCollection.Name)]
public sealed class ApplicationMapTests(AnalyticsFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task Graph_ProxySpansInAPastWindow_ThatWindowsGraphWithExactCountsAndPercentiles()
    {
        var scenario = new ProxyMapScenario();
        await MapApi.SendAsync(_mesh, scenario.Spans);

        var graph = await MapApi.WaitAsync(_mesh, scenario.GraphPath(scenario.Start, scenario.End), g => MapApi.TotalRequests(g) >= scenario.TotalRequests);
        scenario.AssertGraph(graph);

        // The hour before holds none of it; half the window holds about half.
        var before = await MapApi.GetAsync(_mesh, scenario.GraphPath(scenario.Start - 3600, scenario.Start));
        Assert.Equal(0, before.GetProperty("edges").GetArrayLength());
        var half = await MapApi.GetAsync(_mesh, scenario.GraphPath(scenario.Start, scenario.Start + 300));
        Assert.InRange(MapApi.TotalRequests(half), scenario.TotalRequests / 4, scenario.TotalRequests * 3 / 4);
    }
}
