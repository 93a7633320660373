using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.Sqlite;

namespace Mesh.Web.Hosting;

/// <summary>Creates the configured span/log store; the only place that knows every backend.</summary>
internal static class StoreFactory
{
    public static ITelemetryStore Create(MeshSettings settings, string dataDir) => settings.Store switch
    {
        StoreKind.ClickHouse => new ClickHouseTelemetryStore(new ClickHouseStoreOptions
        {
            Endpoint = new Uri(settings.ClickHouseUrl),
            Database = settings.ClickHouseDatabase,
            User = settings.ClickHouseUser ?? "default",
            Password = settings.ClickHousePassword ?? string.Empty,
        }),
        _ => new SqliteTelemetryStore(new SqliteStoreOptions { Path = Path.Combine(dataDir, "mesh.db") }),
    };

    public static string Describe(MeshSettings settings, string dataDir) => settings.Store switch
    {
        StoreKind.ClickHouse => $"clickhouse ({settings.ClickHouseUrl}, database {settings.ClickHouseDatabase})",
        _ => $"sqlite ({Path.Combine(dataDir, "mesh.db")})",
    };
}
