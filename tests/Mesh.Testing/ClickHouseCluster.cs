using System.Globalization;
using Xunit;

namespace Mesh.Testing;

/// <summary>
/// Two private <c>clickhouse-server</c> processes on loopback that form the two-shard cluster <see cref="Name"/> of the
/// repo's <c>deploy/clickhouse/config.d/mesh-cluster.xml</c> (the file users deploy), for a test collection.
/// </summary>
public sealed class ClickHouseCluster : IAsyncLifetime, IDisposable
{
    /// <summary>The cluster's name in the repo's config.</summary>
    public const string Name = "mesh";

    public ClickHouseCluster()
    {
        Shards = [new ClickHouseServer(), new ClickHouseServer()];
        var fragment = Path.Combine(AppContext.BaseDirectory, "deploy", "clickhouse", "config.d", "mesh-cluster.xml");
        if (!File.Exists(fragment))
        {
            throw new FileNotFoundException($"The cluster config is not next to the tests at {fragment}; Mesh.Testing copies deploy/clickhouse there.");
        }

        var environment = Environment(Shards);
        foreach (var shard in Shards)
        {
            shard.AddConfig([fragment], environment);
        }
    }

    public IReadOnlyList<ClickHouseServer> Shards { get; }

    /// <summary>The HTTP interface of every shard, in shard order.</summary>
    public IReadOnlyList<Uri> ShardUrls => [.. Shards.Select(s => s.HttpUrl)];

    /// <summary>The variables <c>mesh-cluster.xml</c> reads: each shard's host and native TCP port.</summary>
    public static Dictionary<string, string> Environment(IReadOnlyList<ClickHouseServer> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            environment[$"MESH_CLICKHOUSE_SHARD{n}_HOST"] = "127.0.0.1";
            environment[$"MESH_CLICKHOUSE_SHARD{n}_PORT"] = shards[i].TcpPort.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }

    public async Task InitializeAsync() => await Task.WhenAll(Shards.Select(s => s.StartAsync())).ConfigureAwait(false);

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var shard in Shards)
        {
            shard.Dispose();
        }
    }
}
