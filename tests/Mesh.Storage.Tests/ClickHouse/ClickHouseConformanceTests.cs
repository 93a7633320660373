using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseConformanceTests(ClickHouseServer server) : TelemetryStoreConformanceTests
{
    protected override async Task<ITelemetryStore> CreateStoreAsync()
    {
        var store = new ClickHouseTelemetryStore(new ClickHouseStoreOptions
        {
            Endpoint = server.HttpUrl,
            Database = ClickHouseServer.NewDatabaseName(),
        });
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
