using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// The application map from real mesh proxies (<see cref="ProxiedShop"/>) exporting to a real <c>mesh up</c>, on each
/// store. The pairing window is 5 s here (not the fixture's 1 s) so that a loaded machine delaying one proxy's export
/// does not split a request into two edges.
/// </summary>
public sealed class ProxiedShopMapTests
{
    private static readonly TimeSpan PairingWindow = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Graph_RealProxiesOnSqlite_EdgesCountedOnceExactlyAsTheRawSpansPerWindow()
    {
        var dir = Directory.CreateTempSubdirectory("mesh-e2e-shop-").FullName;
        await using var mesh = await MeshProcess.StartAsync(dataDir: dir, environment: Environment(dir));
        await ProxiedShopScenario.RunAsync(mesh, PairingWindow + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Graph_RealProxiesOnClickHouse_EdgesCountedOnceExactlyAsTheRawSpansPerWindow()
    {
        using var clickhouse = new ClickHouseServer();
        await clickhouse.StartAsync();
        var dir = Directory.CreateTempSubdirectory("mesh-e2e-shop-ch-").FullName;
        await using var mesh = await MeshProcess.StartAsync(
            dataDir: dir,
            environment: Environment(dir),
            extraArgs: ["--store", "clickhouse", "--clickhouse-url", clickhouse.HttpUrl.ToString(), "--clickhouse-database", ClickHouseServer.NewDatabaseName()]);
        await ProxiedShopScenario.RunAsync(mesh, PairingWindow + TimeSpan.FromSeconds(1));
    }

    private static Dictionary<string, string> Environment(string dir)
    {
        var environment = AnalyticsFixture.Environment(dir);
        environment["MESH_PAIRING_WINDOW_MS"] = ((int)PairingWindow.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return environment;
    }
}
