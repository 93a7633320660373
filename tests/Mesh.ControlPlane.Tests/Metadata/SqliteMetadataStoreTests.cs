using Mesh.Core.Metadata;
using Mesh.Metadata.Sqlite;

namespace Mesh.ControlPlane.Tests.Metadata;

public sealed class SqliteMetadataStoreTests : MetadataStoreConformanceTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-meta-").FullName;

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        var store = new SqliteMetadataStore(new SqliteMetadataOptions { Path = Path.Combine(_dir, $"{Guid.NewGuid():N}.db") });
        await store.InitializeAsync(default);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
