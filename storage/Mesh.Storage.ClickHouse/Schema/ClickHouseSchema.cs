using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Schema;

/// <summary>
/// Detects the server's version and creates the database and tables in the form that version accepts.
/// Every statement is <c>IF NOT EXISTS</c>, or checked first, so running it again (every start, every replica)
/// changes nothing.
/// </summary>
internal static class ClickHouseSchema
{
    /// <summary>In dependency order: the view needs both of its tables.</summary>
    private static readonly string[] Statements =
    [
        "create_database",
        "create_spans",
        "create_trace_index",
        "create_logs",
        "create_operations",
        "create_operations_view",
    ];

    public static async Task<ClickHouseCapabilities> DetectAsync(ClickHouseHttpClient client, ClickHouseTables tables, CancellationToken cancellationToken)
    {
        var body = await client.QueryAsync(tables.Load("select_version").Render(), cancellationToken).ConfigureAwait(false);
        var reported = JsonEachRow.Read(body, row => JsonEachRow.String(row, "version")).FirstOrDefault();
        return ClickHouseVersion.TryParse(reported, out var version)
            ? new ClickHouseCapabilities(version)
            : ClickHouseCapabilities.Oldest;
    }

    public static async Task CreateAsync(ClickHouseHttpClient client, ClickHouseStoreOptions options, ClickHouseTables tables, ClickHouseCapabilities capabilities, CancellationToken cancellationToken)
    {
        var lowCardinalityString = SqlFragment.Trusted(capabilities.LowCardinality ? "LowCardinality(String)" : "String");

        // A bloom filter on trace ids lets GetTrace and replays skip most granules of a service's day.
        var spansIndexes = SqlFragment.Trusted(capabilities.SkippingIndexes
            ? ",\n  INDEX trace_id_bloom trace_id TYPE bloom_filter(0.01) GRANULARITY 1"
            : string.Empty);
        using var servers = await SchemaServers.OpenAsync(client, options, tables, cancellationToken).ConfigureAwait(false);
        await servers.CreateAsync(Statements, [("low_cardinality_string", lowCardinalityString), ("spans_indexes", spansIndexes)], cancellationToken).ConfigureAwait(false);
        foreach (var server in servers.Servers)
        {
            await MigrateAsync(server, tables.Local, cancellationToken).ConfigureAwait(false);
            if (tables.Cluster is not null)
            {
                await MigrateAsync(server, tables, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Adds the columns a table created by an earlier Mesh lacks (in cluster mode to the shard's local table and to its
    /// Distributed table). Checks first, so it is idempotent on every version.
    /// </summary>
    private static async Task MigrateAsync(ClickHouseHttpClient client, ClickHouseTables tables, CancellationToken cancellationToken)
    {
        var query = tables.Load("select_spans_columns").Render(("table_name", ClickHouseSql.Quote(tables.NameOf("spans"))));
        var body = await client.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var columns = JsonEachRow.Read(body, row => JsonEachRow.String(row, "name")).ToHashSet(StringComparer.Ordinal);
        if (!columns.Contains("attr_text"))
        {
            await client.ExecuteAsync(tables.Load("add_spans_attr_text").Render(), cancellationToken).ConfigureAwait(false);
        }
    }
}
