using Mesh.Core.Storage;
using Mesh.Storage.Sqlite;

namespace Mesh.Storage.Tests.Sqlite;

public sealed class SqliteConformanceTests : TelemetryStoreConformanceTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-sqlite-").FullName;

    protected override async Task<ITelemetryStore> CreateStoreAsync()
    {
        var store = new SqliteTelemetryStore(new SqliteStoreOptions { Path = Path.Combine(_dir, $"{Guid.NewGuid():N}.db") });
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
