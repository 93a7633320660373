using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse.Rollups;
using Mesh.Storage.Tests.ClickHouse.Cluster;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.Rollups;

/// <summary>The rollup store contract in cluster mode (rows spread over both shards at random, summed when read).</summary>
[Collection(ClickHouseClusterTestGroup.Name)]
public sealed class ClickHouseClusterRollupStoreTests(ClickHouseCluster cluster) : RollupStoreConformanceTests
{
    protected override async Task<IRollupStore> CreateStoreAsync()
    {
        var store = new ClickHouseRollupStore(ClusterStores.Options(cluster));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
