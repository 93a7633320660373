using Mesh.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mesh.EndToEnd.Tests.WebUi;

/// <summary>
/// The web UI in headless Chromium against a real <c>mesh up --demo</c>: the demo store's processes behind Mesh
/// proxies with their load generator, on a free port range. The browser signs in through the printed link, sees
/// the demo's services and edges, injects a fault through <c>POST /api/v1/demo/faults</c> and watches the node turn
/// unhealthy, follows an edge to a trace across at least four services, searches by attribute and compares two
/// traces. The steps are web/ui/e2e/demo.e2e.mjs; screenshots land in ui-screenshots/demo.
/// </summary>
public sealed class DemoUiTests(ITestOutputHelper output)
{
    // The demo store's services and calls (demo/Mesh.Demo/Topology/DemoTopology.cs).
    private static readonly string[] Services = ["frontend", "auth", "catalog", "cart", "inventory", "payment", "shipping"];

    private static readonly string[] Edges =
    [
        "frontend->auth", "frontend->catalog", "frontend->cart", "catalog->inventory",
        "cart->catalog", "cart->inventory", "cart->payment", "cart->shipping",
    ];

    [Fact]
    public async Task Ui_AgainstMeshUpDemo_MapFaultTracesSearchAndCompare()
    {
        var basePort = PortRange.Find();
        await using var mesh = await MeshProcess.StartAsync(
            extraArgs: ["--demo", "--demo-base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--demo-rps", "8"],
            timeout: TimeSpan.FromSeconds(120));
        try
        {
            var link = mesh.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Sign in:", StringComparison.Ordinal));
            Assert.NotNull(link);

            // The demo boots 18 .NET processes; on a 2-core machine that takes every core for about 30 s, and a
            // browser opened meanwhile gets a tenth of a core (its first load took more than 15 s in CI). This test is
            // about what the UI shows, not about first view under that load (bench/webui measures first view).
            await mesh.WaitForOutputAsync("demo: all ", TimeSpan.FromSeconds(150));

            var result = await UiScript.RunPassingAsync(
                "demo",
                new Dictionary<string, string>
                {
                    ["MESH_URL"] = mesh.ApiUrl.ToString().TrimEnd('/'),
                    ["MESH_TOKEN"] = MeshProcess.AdminToken,
                    ["E2E_SERVICES"] = string.Join(',', Services),
                    ["E2E_EDGES"] = string.Join(',', Edges),
                    ["E2E_TRACE_EDGE"] = "cart->payment",
                    ["E2E_FAULT_SERVICE"] = "payment",
                    ["E2E_FAULT_BODY"] = """{"service":"payment","endpoint":"/payments","errorRate":1,"errorStatus":503,"durationSeconds":600}""",
                    ["E2E_CANARY_SERVICE"] = "catalog",
                    ["E2E_ATTR"] = "mesh.destination.service=payment",
                    ["E2E_MIN_SERVICES"] = "4",
                },
                output.WriteLine,
                TimeSpan.FromMinutes(6));
            output.WriteLine($"first view: {result.GetProperty("firstView")}");
            output.WriteLine($"fault: {result.GetProperty("fault")}");
            Assert.True(result.GetProperty("waterfallServices").GetArrayLength() >= 4);
            Assert.NotEqual("healthy", result.GetProperty("fault").GetProperty("after").GetString());
            Assert.Equal(
                result.GetProperty("steps").GetArrayLength(),
                Directory.GetFiles(UiScript.ScreenshotDir("demo"), "*.png").Length);
        }
        catch
        {
            output.WriteLine(mesh.Output);
            throw;
        }
    }
}
