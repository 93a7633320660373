using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.ClickHouse.Rollups;
using Mesh.Storage.Tests.ClickHouse;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.Rollups;

[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseRollupStoreTests(ClickHouseServer server) : RollupStoreConformanceTests
{
    protected override async Task<IRollupStore> CreateStoreAsync()
    {
        var store = new ClickHouseRollupStore(new ClickHouseStoreOptions { Endpoint = server.HttpUrl, Database = ClickHouseServer.NewDatabaseName() });
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
