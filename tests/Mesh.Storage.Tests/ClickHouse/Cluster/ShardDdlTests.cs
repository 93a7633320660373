using Mesh.Storage.ClickHouse.Schema;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse.Cluster;

/// <summary>The DDL transformation itself; <see cref="ClickHouseClusterConformanceTests"/> runs its output on real shards.</summary>
public sealed class ShardDdlTests
{
    private static readonly ClickHouseTables Cluster = new("mesh", "mesh");

    [Fact]
    public void Statements_CreateTable_LocalTableThenDistributedTableShardedByTraceId()
    {
        var statements = ShardDdl.Statements(Cluster, "create_trace_index", [("low_cardinality_string", Mesh.Storage.ClickHouse.Client.SqlFragment.Trusted("String"))]);
        Assert.Equal(2, statements.Count);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `mesh`.`trace_index_local`", statements[0].Text, StringComparison.Ordinal);
        Assert.Contains("ENGINE = MergeTree", statements[0].Text, StringComparison.Ordinal);
        Assert.Equal(
            "CREATE TABLE IF NOT EXISTS `mesh`.`trace_index` AS `mesh`.`trace_index_local` ENGINE = Distributed('mesh', 'mesh', 'trace_index_local', cityHash64(trace_id))",
            statements[1].Text);
    }

    [Fact]
    public void Statements_MaterializedView_OnlyLocalTables()
    {
        var statement = Assert.Single(ShardDdl.Statements(Cluster, "create_operations_view", []));
        Assert.Contains("`mesh`.`operations_view_local` TO `mesh`.`operations_local`", statement.Text, StringComparison.Ordinal);
        Assert.Contains("FROM `mesh`.`spans_local`", statement.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Statements_AlterTable_LocalAndDistributedTable()
    {
        var statements = ShardDdl.Statements(Cluster, "add_spans_attr_text", []);
        Assert.Equal(["ALTER TABLE `mesh`.`spans_local`", "ALTER TABLE `mesh`.`spans`"], statements.Select(s => s.Text.Split('\n')[0].Trim()));
    }

    [Fact]
    public void Statements_SingleServer_FileAsWritten()
    {
        var statement = Assert.Single(ShardDdl.Statements(new ClickHouseTables("mesh"), "create_rollup_contributions", []));
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `mesh`.`rollup_contributions`\n", statement.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Statements_Database_SameOnEveryShard()
    {
        Assert.Equal("CREATE DATABASE IF NOT EXISTS `mesh`", Assert.Single(ShardDdl.Statements(Cluster, "create_database", [])).Text);
    }
}
