using System.Data.Common;
using Mesh.Metadata.Relational;
using Npgsql;

namespace Mesh.Metadata.Postgres;

/// <summary>The metadata store on PostgreSQL (for Mesh at scale, several control-plane processes on one database).</summary>
public sealed class PostgresMetadataStore : RelationalMetadataStore
{
    // An arbitrary constant: the advisory lock every Mesh takes while it migrates the metadata schema.
    private const long MigrationLockKey = 0x4D455348_4D455441;

    private static readonly IReadOnlyList<Migration> Scripts = Migration.LoadEmbedded(typeof(PostgresMetadataStore).Assembly);

    private readonly NpgsqlDataSource _dataSource;

    public PostgresMetadataStore(string connectionString, TimeProvider? time = null)
        : base(time ?? TimeProvider.System)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override string Name => "postgres";

    protected override IReadOnlyList<Migration> Migrations => Scripts;

    protected override string? MigrationLockSql => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    protected override async ValueTask DisposeCoreAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeCoreAsync().ConfigureAwait(false);
    }
}
