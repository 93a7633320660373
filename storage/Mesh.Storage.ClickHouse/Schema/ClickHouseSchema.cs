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

    public static async Task CreateAsync(ClickHouseHttpClient client, ClickHouseTables tables, ClickHouseCapabilities capabilities, CancellationToken cancellationToken)
    {
        var lowCardinalityString = SqlFragment.Trusted(capabilities.LowCardinality ? "LowCardinality(String)" : "String");

        // A bloom filter on trace ids lets GetTrace and replays skip most granules of a service's day.
        var spansIndexes = SqlFragment.Trusted(capabilities.SkippingIndexes
            ? ",\n  INDEX trace_id_bloom trace_id TYPE bloom_filter(0.01) GRANULARITY 1"
            : string.Empty);
        foreach (var name in Statements)
        {
            var statement = tables.Load(name).Render(
                ("low_cardinality_string", lowCardinalityString),
                ("spans_indexes", spansIndexes));
            await client.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }

        await MigrateAsync(client, tables, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the columns a table created by an earlier Mesh lacks. Checks first, so it is idempotent on every version.</summary>
    private static async Task MigrateAsync(ClickHouseHttpClient client, ClickHouseTables tables, CancellationToken cancellationToken)
    {
        var body = await client.QueryAsync(tables.Load("select_spans_columns").Render(), cancellationToken).ConfigureAwait(false);
        var columns = JsonEachRow.Read(body, row => JsonEachRow.String(row, "name")).ToHashSet(StringComparer.Ordinal);
        if (!columns.Contains("attr_text"))
        {
            await client.ExecuteAsync(tables.Load("add_spans_attr_text").Render(), cancellationToken).ConfigureAwait(false);
        }
    }
}
