using Mesh.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Tests.Sqlite;

/// <summary>A SQLite store in a private temporary directory, plus direct SQL on its file for what the API does not show.</summary>
internal sealed class SqliteTestStore : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-sqlite-").FullName;

    private SqliteTestStore() => Path = System.IO.Path.Combine(_dir, "mesh.db");

    public string Path { get; }

    public SqliteTelemetryStore Store { get; private set; } = null!;

    /// <summary>A directory and a file path, without a store yet: for tests that prepare the file first.</summary>
    public static SqliteTestStore Unopened() => new();

    public static async Task<SqliteTestStore> CreateAsync()
    {
        var test = new SqliteTestStore();
        await test.OpenAsync();
        return test;
    }

    public async Task OpenAsync()
    {
        Store = new SqliteTelemetryStore(new SqliteStoreOptions { Path = Path });
        await Store.InitializeAsync(CancellationToken.None);
    }

    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public List<long> Column(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(reader.GetInt64(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
