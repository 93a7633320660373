using Mesh.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mesh.EndToEnd.Tests.WebUi;

/// <summary>
/// The application map in headless Chromium against a real <c>mesh up</c> with the analytics graph API (issue 5)
/// fed real SDK traces: services and edges shown, an edge's panel and its traces, a trace's waterfall.
/// The browser steps are web/ui/e2e/map.e2e.mjs; screenshots land in ui-screenshots/map.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class ApplicationMapUiTests(MeshFixture fixture, ITestOutputHelper output)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task Map_RealTraffic_ShowsServicesEdgesAndLeadsToTraces()
    {
        var prefix = $"map{Guid.NewGuid():N}"[..9];
        var runId = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 5; i++)
        {
            CheckoutTraffic.Send(_mesh, prefix, runId, slow: i % 2 == 1);
        }

        var result = await UiScript.RunPassingAsync(
            "map",
            new Dictionary<string, string>
            {
                ["MESH_URL"] = _mesh.ApiUrl.ToString().TrimEnd('/'),
                ["MESH_TOKEN"] = MeshProcess.AdminToken,
                ["E2E_SERVICES"] = string.Join(',', CheckoutTraffic.Services.Select(s => $"{prefix}-{s}")),
                ["E2E_EDGE"] = $"{prefix}-frontend->{prefix}-checkout",
                ["E2E_MIN_SERVICES"] = "4",
                ["E2E_TOP_OPERATION"] = "POST /orders",
            },
            output.WriteLine);
        Assert.True(result.GetProperty("waterfallServices").GetArrayLength() >= 4);
        Assert.Contains("POST /orders", result.GetProperty("topOperations").EnumerateArray().Select(o => o.GetString()));
    }
}
