using Mesh.Web.Cli;
using Mesh.Web.Hosting;
using Xunit;

namespace Mesh.EndToEnd.Tests;

/// <summary>The settings of a scaled deployment: <c>--components</c>, ClickHouse cluster mode, the advertised OTLP URL.</summary>
public sealed class ScalingSettingsTests
{
    private static MeshSettings Resolve(string[] args, Dictionary<string, string>? env = null) =>
        UpCommand.Resolve(UpCommand.Create().Parse(args), name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    private static string Error(string[] args, Dictionary<string, string>? env = null) =>
        Assert.Throws<SettingsException>(() => Resolve(args, env)).Message;

    [Fact]
    public void Resolve_NothingGiven_AllComponentsOneServer()
    {
        var s = Resolve([]);
        Assert.Equal(MeshComponents.All, s.Components);
        Assert.Null(s.ClickHouseCluster);
        Assert.Empty(s.ClickHouseShardUrls);
        Assert.Null(s.OtlpAdvertiseUrl);
    }

    [Fact]
    public void Resolve_ComponentsList_FlagBeatsEnvironment()
    {
        Assert.Equal(MeshComponents.Ingest | MeshComponents.Web, Resolve(["--components", "ingest, web"], new() { ["MESH_COMPONENTS"] = "analytics" }).Components);
        Assert.Equal(MeshComponents.ControlPlane, Resolve([], new() { ["MESH_COMPONENTS"] = "control-plane" }).Components);
    }

    [Fact]
    public void Resolve_UnknownComponent_NamesItAndTheKnownOnes()
    {
        var message = Error(["--components", "ingest,querier"]);
        Assert.Contains("'querier' is not a component", message, StringComparison.Ordinal);
        Assert.Contains("ingest, control-plane, analytics, web, all", message, StringComparison.Ordinal);
        Assert.Contains("name at least one", Error(["--components", ","]), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Cluster_ShardUrlsFromEnvironment()
    {
        var s = Resolve(
            ["--store", "clickhouse", "--clickhouse-cluster", "mesh"],
            new() { ["MESH_CLICKHOUSE_SHARD_URLS"] = "http://ch1:8123, http://ch2:8123" });
        Assert.Equal("mesh", s.ClickHouseCluster);
        Assert.Equal(["http://ch1:8123", "http://ch2:8123"], s.ClickHouseShardUrls);
        Assert.Equal(["http://ch1:8123/", "http://ch2:8123/"], StoreFactory.ClickHouseOptions(s).ShardEndpoints.Select(u => u.ToString()));
    }

    [Fact]
    public void Resolve_ClusterSettingsThatCannotWork_SayWhy()
    {
        Assert.Contains("needs --store clickhouse", Error(["--clickhouse-cluster", "mesh", "--clickhouse-shard-urls", "http://a:8123"]), StringComparison.Ordinal);
        Assert.Contains("needs --clickhouse-shard-urls", Error(["--store", "clickhouse", "--clickhouse-cluster", "mesh"]), StringComparison.Ordinal);
        Assert.Contains("needs --clickhouse-cluster", Error(["--store", "clickhouse", "--clickhouse-shard-urls", "http://a:8123"]), StringComparison.Ordinal);
        Assert.Contains("'ftp://a' is not an absolute http(s) URL", Error(["--store", "clickhouse", "--clickhouse-cluster", "mesh", "--clickhouse-shard-urls", "ftp://a"]), StringComparison.Ordinal);
        Assert.Contains("is not a cluster name", Error(["--store", "clickhouse", "--clickhouse-cluster", "me sh", "--clickhouse-shard-urls", "http://a:8123"]), StringComparison.Ordinal);
        Assert.Contains("--otlp-advertise-url: 'nope'", Error(["--otlp-advertise-url", "nope"]), StringComparison.Ordinal);
    }
}
