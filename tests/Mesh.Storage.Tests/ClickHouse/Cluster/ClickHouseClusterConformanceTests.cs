using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse.Cluster;

/// <summary>The span/log store contract in cluster mode: two real shards, local tables plus Distributed tables.</summary>
[Collection(ClickHouseClusterTestGroup.Name)]
public sealed class ClickHouseClusterConformanceTests(ClickHouseCluster cluster) : TelemetryStoreConformanceTests
{
    protected override async Task<ITelemetryStore> CreateStoreAsync()
    {
        var store = new ClickHouseTelemetryStore(ClusterStores.Options(cluster));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
