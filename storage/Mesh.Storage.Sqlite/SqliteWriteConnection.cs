using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// The single write connection, serialised by a semaphore. SQLite allows one writer at a time anyway;
/// owning it keeps the prepared statements and the resource/scope id cache warm across batches.
/// </summary>
internal sealed class SqliteWriteConnection : IDisposable
{
    private readonly string _connectionString;
    private readonly int _cacheSizeKiB;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteCheckpointer _checkpointer;
    private SqliteConnection? _connection;

    public SqliteWriteConnection(string connectionString, string databasePath, int cacheSizeKiB)
    {
        _connectionString = connectionString;
        _cacheSizeKiB = cacheSizeKiB;
        _checkpointer = new SqliteCheckpointer(connectionString, databasePath);
    }

    /// <summary>Ids of resources and scopes already stored, keyed by their content key. Only touched under the gate.</summary>
    public Dictionary<string, long> ResourceIds { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> ScopeIds { get; } = new(StringComparer.Ordinal);

    /// <summary>(service, name, kind) already in the operations table. Only touched under the gate.</summary>
    public HashSet<(string Service, string Name, int Kind)> KnownOperations { get; } = [];

    public async Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // SQLite calls are synchronous; run them off the caller's thread so a long batch never blocks a request thread.
            return await Task.Run(
                () =>
                {
                    var connection = Open();
                    var result = work(connection, cancellationToken);
                    _checkpointer.Committed(connection);
                    return result;
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _checkpointer.Dispose();
        _connection?.Dispose();
        _gate.Dispose();
    }

    private SqliteConnection Open()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at each commit, because
            // ingest drops a batch from its spool as soon as the store has committed it. Checkpoints are the
            // SqliteCheckpointer's, off this connection.
            pragma.CommandText =
                $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-{_cacheSizeKiB}; PRAGMA wal_autocheckpoint=0;";
            pragma.ExecuteNonQuery();
        }

        _connection = connection;
        return connection;
    }
}
