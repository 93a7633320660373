using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.Sqlite;

namespace Mesh.Bench;

/// <summary>Opens a store by kind for the benchmarks.</summary>
internal static class Stores
{
    public static ITelemetryStore Open(string kind, string location, string database) => kind switch
    {
        "clickhouse" => new ClickHouseTelemetryStore(new ClickHouseStoreOptions { Endpoint = new Uri(location), Database = database }),
        "sqlite" => new SqliteTelemetryStore(new SqliteStoreOptions { Path = location }),
        _ => throw new ArgumentException($"--store: '{kind}' is not sqlite or clickhouse"),
    };
}
