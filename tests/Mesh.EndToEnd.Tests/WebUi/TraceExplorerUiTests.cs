using Mesh.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mesh.EndToEnd.Tests.WebUi;

/// <summary>
/// The trace explorer in headless Chromium against a real <c>mesh up</c> fed real OTLP traces (OpenTelemetry
/// .NET SDK): sign in through the printed link, search by attribute, open a trace across five services, compare
/// two traces. The browser steps are web/ui/e2e/explorer.e2e.mjs; screenshots land in ui-screenshots/explorer.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class TraceExplorerUiTests(MeshFixture fixture, ITestOutputHelper output)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task Explorer_RealTracesInChromium_SearchOpenAndCompareWork()
    {
        var prefix = $"ui{Guid.NewGuid():N}"[..8];
        var runId = Guid.NewGuid().ToString("N");
        var fast = CheckoutTraffic.Send(_mesh, prefix, runId, slow: false);
        var slow = CheckoutTraffic.Send(_mesh, prefix, runId, slow: true);
        using (var api = _mesh.CreateApiClient())
        {
            await Api.WaitForTraceAsync(api, fast, expectedSpans: 6);
            await Api.WaitForTraceAsync(api, slow, expectedSpans: 7);
            await Api.WaitUntilAsync(
                async () =>
                {
                    using var doc = await ApiJson.GetJsonAsync(api, $"/api/v1/logs?traceId={fast}");
                    return doc.RootElement.GetProperty("logs").GetArrayLength() > 0;
                },
                TimeSpan.FromSeconds(30),
                "the access-log line of the fast trace is stored");
        }

        var banner = _mesh.Output;
        var link = banner.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Sign in:", StringComparison.Ordinal));
        Assert.NotNull(link);
        Assert.Contains($"{_mesh.ApiUrl.ToString().TrimEnd('/')}/?token={MeshProcess.AdminToken}", link, StringComparison.Ordinal);

        var result = await UiScript.RunPassingAsync(
            "explorer",
            new Dictionary<string, string>
            {
                ["MESH_URL"] = _mesh.ApiUrl.ToString().TrimEnd('/'),
                ["MESH_TOKEN"] = MeshProcess.AdminToken,
                ["E2E_ATTR"] = $"e2e.run={runId}",
                ["E2E_TRACE_A"] = fast,
                ["E2E_TRACE_B"] = slow,
                ["E2E_MIN_SERVICES"] = "4",
            },
            output.WriteLine);
        output.WriteLine($"first view interactive: {result.GetProperty("firstViewInteractiveMs").GetInt32()} ms");
        Assert.True(result.GetProperty("waterfallServices").GetArrayLength() >= 4);
        Assert.Equal(8, Directory.GetFiles(UiScript.ScreenshotDir("explorer"), "*.png").Length);
    }
}
