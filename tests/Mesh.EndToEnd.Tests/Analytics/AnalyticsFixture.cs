using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// A <c>mesh up</c> on SQLite with the application map's timers shortened (rollups flushed every 200 ms, live pushes
/// every 300 ms, a 1 s pairing window) and a health config overriding one service's thresholds.
/// </summary>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    /// <summary>The service whose thresholds the config relaxes (degraded from 30 %, failing above 60 %).</summary>
    public const string LenientService = "lenient-batch";

    private MeshProcess? _mesh;

    public MeshProcess Mesh => _mesh ?? throw new InvalidOperationException("The fixture has not started.");

    public static Dictionary<string, string> Environment(string dataDir)
    {
        var config = Path.Combine(dataDir, "health.json");
        Directory.CreateDirectory(dataDir);
        File.WriteAllText(config, "{\"services\": {\"" + LenientService + "\": {\"degradedErrorRate\": 0.3, \"failingErrorRate\": 0.6}}}");
        return new Dictionary<string, string>
        {
            ["MESH_ROLLUP_FLUSH_MS"] = "200",
            ["MESH_LIVE_INTERVAL_MS"] = "300",
            ["MESH_PAIRING_WINDOW_MS"] = "1000",
            ["MESH_HEALTH_CONFIG"] = config,
        };
    }

    public async Task InitializeAsync()
    {
        var dir = Directory.CreateTempSubdirectory("mesh-e2e-map-").FullName;
        _mesh = await MeshProcess.StartAsync(dataDir: dir, environment: Environment(dir));
    }

    public async Task DisposeAsync()
    {
        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AnalyticsCollection : ICollectionFixture<AnalyticsFixture>
{
    public const string Name = "mesh-analytics";
}
