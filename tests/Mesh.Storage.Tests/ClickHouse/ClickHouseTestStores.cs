using System.Globalization;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Schema;
using Mesh.Testing;

namespace Mesh.Storage.Tests.ClickHouse;

/// <summary>Fresh stores (one database each) on the shared server, and a way to count what the tables hold.</summary>
internal static class ClickHouseTestStores
{
    public static async Task<ClickHouseTelemetryStore> CreateAsync(ClickHouseServer server, Func<ClickHouseStoreOptions, ClickHouseStoreOptions>? configure = null)
    {
        var options = new ClickHouseStoreOptions { Endpoint = server.HttpUrl, Database = ClickHouseServer.NewDatabaseName() };
        var store = new ClickHouseTelemetryStore(configure is null ? options : configure(options));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public static ClickHouseTables Tables(ClickHouseTelemetryStore store) => new(store.Options.Database);

    /// <summary>Runs a query written for the test (table names as <c>{spans}</c>-style placeholders) and returns its first column of the first row.</summary>
    public static async Task<long> ScalarAsync(ClickHouseTelemetryStore store, string sql)
    {
        var query = SqlTemplate.Parse("test", sql).Bind(TablePlaceholders(store)).Render();
        var body = await store.Client.QueryAsync(SqlFragment.Format($"{query} FORMAT JSONEachRow"), CancellationToken.None);
        return JsonEachRow.Read(body, row => long.Parse(row.EnumerateObject().First().Value.ToString(), CultureInfo.InvariantCulture)).Single();
    }

    private static Dictionary<string, SqlFragment> TablePlaceholders(ClickHouseTelemetryStore store)
    {
        var database = store.Options.Database;
        return new[] { "spans", "trace_index", "logs", "operations" }.ToDictionary(
            t => t,
            t => SqlFragment.Format($"{ClickHouseSql.Identifier(database)}.{ClickHouseSql.Identifier(t)}"));
    }
}
