using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Schema;

/// <summary>
/// The one place that names the store's tables. Statements reach tables only through the <c>{spans}</c>-style
/// placeholders bound here. In cluster mode the plain names are <c>Distributed</c> tables and every shard holds
/// the data in <c>{name}_local</c> tables: queries load the plain names, DDL on a shard loads <see cref="Local"/>
/// (see <see cref="ShardDdl"/>), so the query files are the same for one server and for a cluster.
/// </summary>
internal sealed class ClickHouseTables
{
    /// <summary>
    /// Every table and view, with the expression that picks a row's shard in cluster mode: a trace's spans and
    /// lookup rows (and its logs) on one shard, everything else spread evenly. A table added here (and created by a
    /// <c>CREATE TABLE IF NOT EXISTS {name}</c> file) is sharded like the others without more code.
    /// </summary>
    private static readonly (string Name, string? ShardingKey)[] Names =
    [
        ("spans", "cityHash64(trace_id)"),
        ("trace_index", "cityHash64(trace_id)"),
        ("logs", "if(trace_id = '', cityHash64(log_id), cityHash64(trace_id))"),
        ("operations", "cityHash64(service)"),
        ("operations_view", null), // a materialized view: it holds no rows, and runs on each shard's inserts
        ("rollups", "rand()"),
        ("rollup_contributions", "rand()"),
    ];

    private const string LocalSuffix = "_local";

    private readonly string _database;
    private readonly bool _local;
    private readonly Dictionary<string, SqlFragment> _placeholders;

    public ClickHouseTables(string database, string? cluster = null)
        : this(database, cluster, local: false)
    {
    }

    private ClickHouseTables(string database, string? cluster, bool local)
    {
        _database = database;
        _local = local;
        Cluster = cluster;
        Database = ClickHouseSql.Identifier(database);
        _placeholders = new Dictionary<string, SqlFragment>(StringComparer.Ordinal)
        {
            ["database"] = Database,
            ["database_name"] = ClickHouseSql.Quote(database),
        };
        foreach (var (name, _) in Names)
        {
            _placeholders[name] = Qualified(NameOf(name));
        }

        Local = cluster is null || local ? this : new ClickHouseTables(database, cluster, local: true);
    }

    public SqlFragment Database { get; }

    /// <summary>The cluster the tables are spread over, or null on a single server.</summary>
    public string? Cluster { get; }

    /// <summary>The tables as each shard holds them (<c>spans_local</c>, …) in cluster mode; this same set on a single server.</summary>
    public ClickHouseTables Local { get; }

    /// <summary>Loads <c>Sql/{name}.sql</c> with the table names filled in.</summary>
    public SqlTemplate Load(string name) => SqlTemplate.Load(name).Bind(_placeholders);

    /// <summary>The unqualified name a table placeholder stands for in this set.</summary>
    public string NameOf(string table) => Cluster is not null && _local ? table + LocalSuffix : table;

    /// <summary>
    /// <c>CREATE TABLE … AS {table}_local ENGINE = Distributed(…)</c>: the table queries use in cluster mode, on top of
    /// the shards' local tables, with the table's sharding key (a table without one spreads rows at random).
    /// </summary>
    public SqlFragment CreateDistributed(string table)
    {
        if (Cluster is null)
        {
            throw new InvalidOperationException("Distributed tables exist only in cluster mode.");
        }

        var key = Names.FirstOrDefault(n => n.Name == table).ShardingKey ?? "rand()";
        var local = Local.NameOf(table);
        return SqlFragment.Format(
            $"CREATE TABLE IF NOT EXISTS {Qualified(table)} AS {Qualified(local)} ENGINE = Distributed({ClickHouseSql.Quote(Cluster)}, {ClickHouseSql.Quote(_database)}, {ClickHouseSql.Quote(local)}, {SqlFragment.Trusted(key)})");
    }

    private SqlFragment Qualified(string table) =>
        SqlFragment.Trusted($"{ClickHouseSql.Identifier(_database).Text}.{ClickHouseSql.Identifier(table).Text}");
}
