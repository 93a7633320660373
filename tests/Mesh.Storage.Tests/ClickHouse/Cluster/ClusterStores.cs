using Mesh.Storage.ClickHouse;
using Mesh.Testing;

namespace Mesh.Storage.Tests.ClickHouse.Cluster;

/// <summary>Store options for a fresh database spread over the test cluster, talking to <paramref name="via"/>'s server.</summary>
internal static class ClusterStores
{
    public static ClickHouseStoreOptions Options(ClickHouseCluster cluster, int via = 0, string? database = null) => new()
    {
        Endpoint = cluster.ShardUrls[via],
        Database = database ?? ClickHouseServer.NewDatabaseName(),
        Cluster = ClickHouseCluster.Name,
        ShardEndpoints = cluster.ShardUrls,
    };
}
