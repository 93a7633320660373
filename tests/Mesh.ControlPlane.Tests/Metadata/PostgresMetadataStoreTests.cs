using Mesh.Core.Metadata;
using Mesh.Metadata.Postgres;
using Mesh.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.Metadata;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMetadataStoreTests(PostgresServer server) : MetadataStoreConformanceTests
{
    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        var store = new PostgresMetadataStore(await server.CreateDatabaseAsync());
        await store.InitializeAsync(default);
        return store;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
