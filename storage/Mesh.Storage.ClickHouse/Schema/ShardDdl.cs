using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Schema;

/// <summary>
/// The one transformation from a DDL file to what a server runs, so every table (also those added later) gets
/// the cluster form without code of its own. On a single server: the file as written. In cluster mode, on every
/// shard: the file with the local table names (a MergeTree table, or a materialized view that feeds a local table
/// from that shard's inserts), and after each <c>CREATE TABLE {name}</c> a <c>Distributed</c> table under the plain
/// name over all shards' local tables. <c>ALTER TABLE</c> runs on both (a Distributed table reads only the columns
/// it knows). A plain <c>CREATE VIEW</c> keeps the plain names, so it reads every shard.
/// </summary>
internal static class ShardDdl
{
    public static IReadOnlyList<SqlFragment> Statements(ClickHouseTables tables, string name, (string Name, SqlFragment Value)[] values)
    {
        if (tables.Cluster is null)
        {
            return [tables.Load(name).Render(values)];
        }

        var (lead, placeholder) = SqlTemplate.Load(name).Head();
        var words = string.Join(' ', lead.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
        var local = tables.Local.Load(name).Render(values);
        return words switch
        {
            "CREATE TABLE" or "CREATE TABLE IF NOT EXISTS" when placeholder is not null => [local, tables.CreateDistributed(placeholder)],
            _ when words.StartsWith("ALTER TABLE", StringComparison.Ordinal) => [local, tables.Load(name).Render(values)],
            _ when words.StartsWith("CREATE VIEW", StringComparison.Ordinal) => [tables.Load(name).Render(values)],
            _ => [local],
        };
    }
}
