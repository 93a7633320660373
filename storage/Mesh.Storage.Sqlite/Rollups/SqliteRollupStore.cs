using Mesh.Core.Rollups;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite.Rollups;

/// <summary>
/// Rollups in the same SQLite file as the spans, on a connection of their own (a flush every few seconds is a
/// small transaction beside the span writer's, and SQLite's busy wait serialises the two).
/// </summary>
public sealed class SqliteRollupStore : IRollupStore, IRollupWriter, IRollupReader
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteRollupEdges _edges = new();
    private SqliteConnection? _writeConnection;

    public SqliteRollupStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dir = Path.GetDirectoryName(Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public IRollupWriter Writer => this;

    public IRollupReader Reader => this;

    public async ValueTask InitializeAsync(CancellationToken cancellationToken) =>
        await RunWriteAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = SqliteSchema.ReadSql("rollups_schema.sql");
                command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask WriteAsync(IReadOnlyList<RollupRow> rows, string contributionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(contributionId);
        await RunWriteAsync(connection => SqliteRollupWrite.Run(connection, _edges, rows, contributionId), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await Task.Run(
            () =>
            {
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                return SqliteRollupRead.Run(connection, _edges, query, cancellationToken);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<RollupRow>> ReadWindowAsync(RollupWindowQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return await Task.Run(
            () =>
            {
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                return SqliteRollupWindowRead.Run(connection, _edges, query, cancellationToken);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _writeConnection?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunWriteAsync(Action<SqliteConnection> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => work(OpenWrite()), cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            throw new Core.Storage.StoreUnavailableException("the SQLite file stayed locked: " + ex.Message, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteConnection OpenWrite()
    {
        if (_writeConnection is not null)
        {
            return _writeConnection;
        }

        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // The span store put the file in WAL mode; rollups lost in a power cut are at most one flush.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }

        connection.CreateFunction<byte[]?, byte[]?, byte[]>("mesh_hist_add", AddHistograms, isDeterministic: true);
        _writeConnection = connection;
        return connection;
    }

    private static byte[] AddHistograms(byte[]? stored, byte[]? added)
    {
        var a = stored is not null && HistogramCounts.TryDecode(stored, out var x) ? x : HistogramCounts.Empty;
        var b = added is not null && HistogramCounts.TryDecode(added, out var y) ? y : HistogramCounts.Empty;
        return a.Add(b).Encode();
    }
}
