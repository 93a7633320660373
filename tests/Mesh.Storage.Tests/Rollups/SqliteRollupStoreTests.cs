using Mesh.Core.Rollups;
using Mesh.Storage.Sqlite;
using Mesh.Storage.Sqlite.Rollups;

namespace Mesh.Storage.Tests.Rollups;

public sealed class SqliteRollupStoreTests : RollupStoreConformanceTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-rollups-").FullName;

    protected override async Task<IRollupStore> CreateStoreAsync()
    {
        var options = new SqliteStoreOptions { Path = Path.Combine(_dir, $"{Guid.NewGuid():N}.db") };

        // Beside the span store, as the host runs them: same file, two connections.
        await using (var spans = new SqliteTelemetryStore(options))
        {
            await spans.InitializeAsync(CancellationToken.None);
        }

        var store = new SqliteRollupStore(options);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
