using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Schema;

/// <summary>
/// The one place that names the store's tables. Statements reach tables only through the
/// <c>{spans}</c>-style placeholders bound here, so a later cluster mode (local MergeTree tables plus a
/// Distributed table per name, ON CLUSTER DDL) changes this class and the CREATE files, not the queries.
/// </summary>
internal sealed class ClickHouseTables
{
    private readonly Dictionary<string, SqlFragment> _placeholders;

    public ClickHouseTables(string database)
    {
        Database = ClickHouseSql.Identifier(database);
        _placeholders = new Dictionary<string, SqlFragment>(StringComparer.Ordinal)
        {
            ["database"] = Database,
            ["database_name"] = ClickHouseSql.Quote(database),
            ["spans"] = Qualified(database, "spans"),
            ["trace_index"] = Qualified(database, "trace_index"),
            ["logs"] = Qualified(database, "logs"),
            ["operations"] = Qualified(database, "operations"),
            ["operations_view"] = Qualified(database, "operations_view"),
            ["rollups"] = Qualified(database, "rollups"),
            ["rollup_contributions"] = Qualified(database, "rollup_contributions"),
        };
    }

    public SqlFragment Database { get; }

    /// <summary>Loads <c>Sql/{name}.sql</c> with the table names filled in.</summary>
    public SqlTemplate Load(string name) => SqlTemplate.Load(name).Bind(_placeholders);

    private static SqlFragment Qualified(string database, string table) =>
        SqlFragment.Trusted($"{ClickHouseSql.Identifier(database).Text}.{ClickHouseSql.Identifier(table).Text}");
}
