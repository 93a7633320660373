using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.Sqlite;

namespace Mesh.Web.Hosting;

/// <summary>Creates the configured span/log store; the only place that knows every backend.</summary>
internal static class StoreFactory
{
    public static ITelemetryStore Create(MeshSettings settings, string dataDir) => settings.Store switch
    {
        StoreKind.ClickHouse => new ClickHouseTelemetryStore(ClickHouseOptions(settings)),
        _ => new SqliteTelemetryStore(SqliteOptions(dataDir)),
    };

    /// <summary>The ClickHouse connection settings every ClickHouse-backed store shares (spans, rollups).</summary>
    public static ClickHouseStoreOptions ClickHouseOptions(MeshSettings settings) => new()
    {
        Endpoint = new Uri(settings.ClickHouseUrl),
        Database = settings.ClickHouseDatabase,
        User = settings.ClickHouseUser ?? "default",
        Password = settings.ClickHousePassword ?? string.Empty,
        Cluster = settings.ClickHouseCluster,
        ShardEndpoints = [.. settings.ClickHouseShardUrls.Select(url => new Uri(url))],
    };

    /// <summary>The one SQLite file spans, logs and rollups live in.</summary>
    public static SqliteStoreOptions SqliteOptions(string dataDir) => new() { Path = Path.Combine(dataDir, "mesh.db") };

    public static string Describe(MeshSettings settings, string dataDir) => settings.Store switch
    {
        StoreKind.ClickHouse when settings.ClickHouseCluster is { } cluster =>
            $"clickhouse cluster {cluster} ({settings.ClickHouseShardUrls.Count} shards, queries via {settings.ClickHouseUrl}, database {settings.ClickHouseDatabase})",
        StoreKind.ClickHouse => $"clickhouse ({settings.ClickHouseUrl}, database {settings.ClickHouseDatabase})",
        _ => $"sqlite ({Path.Combine(dataDir, "mesh.db")})",
    };
}
