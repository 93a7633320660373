using System.Data.Common;
using Mesh.Metadata.Relational;
using Microsoft.Data.Sqlite;

namespace Mesh.Metadata.Sqlite;

/// <summary>
/// The embedded metadata store: one SQLite file in WAL mode (readers never wait for the writer). Writes begin
/// IMMEDIATE transactions, so concurrent writers queue on the busy timeout instead of failing an upgrade.
/// </summary>
public sealed class SqliteMetadataStore : RelationalMetadataStore
{
    private static readonly IReadOnlyList<Migration> Scripts = Migration.LoadEmbedded(typeof(SqliteMetadataStore).Assembly);

    private readonly string _connectionString;
    private int _walSet;

    public SqliteMetadataStore(SqliteMetadataOptions options, TimeProvider? time = null)
        : base(time ?? TimeProvider.System)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override string Name => "sqlite";

    protected override IReadOnlyList<Migration> Migrations => Scripts;

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _walSet, 1) == 0)
            {
                // Journal mode is a property of the file: setting it once per process is enough.
                await using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };
}
