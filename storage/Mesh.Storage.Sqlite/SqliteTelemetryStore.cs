using Mesh.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Writes go through one connection
/// (the ingest drainer is the only writer); reads open pooled connections and run beside it.
/// </summary>
public sealed class SqliteTelemetryStore : ITelemetryStore
{
    private readonly SqliteStoreOptions _options;
    private readonly SqliteWriteConnection _writeConnection;
    private readonly SqliteSpanWriter _spanWriter;
    private readonly SqliteLogWriter _logWriter;
    private readonly SqliteSpanReader _spanReader;
    private readonly SqliteLogReader _logReader;

    public SqliteTelemetryStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writeConnection = new SqliteWriteConnection(connectionString, System.IO.Path.GetFullPath(options.Path), options.CacheSizeKiB);
        _spanWriter = new SqliteSpanWriter(_writeConnection);
        _logWriter = new SqliteLogWriter(_writeConnection);
        _spanReader = new SqliteSpanReader(connectionString);
        _logReader = new SqliteLogReader(connectionString);
    }

    public string Name => "sqlite";

    public ISpanWriter SpanWriter => _spanWriter;

    public ISpanReader SpanReader => _spanReader;

    public ILogWriter LogWriter => _logWriter;

    public ILogReader LogReader => _logReader;

    public string Path => _options.Path;

    public async ValueTask InitializeAsync(CancellationToken cancellationToken) =>
        await _writeConnection.RunAsync(
            (connection, _) =>
            {
                SqliteSchema.Apply(connection);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        _writeConnection.Dispose();
        _spanWriter.Dispose();
        return ValueTask.CompletedTask;
    }
}
