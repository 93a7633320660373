using System.Data.Common;
using Mesh.Core.Metadata;

namespace Mesh.Metadata.Relational;

/// <summary>
/// The metadata store over ADO.NET. A backend supplies connections, its migrations and how it names a unique
/// violation; every query is portable SQL shared here, so one conformance suite proves both backends.
/// </summary>
public abstract class RelationalMetadataStore : IMetadataStore
{
    private readonly Db _db;

    protected RelationalMetadataStore(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _db = new Db(this);
        Config = new RelationalConfigStore(_db);
        Endpoints = new RelationalEndpointLeaseStore(_db);
        Tokens = new RelationalApiTokenStore(_db, this);
        Decisions = new RelationalDecisionStore(_db);
        Audit = new RelationalAuditLog(_db);
        Time = time;
    }

    public abstract string Name { get; }

    public IConfigStore Config { get; }

    public IEndpointLeaseStore Endpoints { get; }

    public IApiTokenStore Tokens { get; }

    public IRoutingDecisionStore Decisions { get; }

    public IAuditLog Audit { get; }

    protected TimeProvider Time { get; }

    /// <summary>This backend's schema migrations in version order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>A statement run first in the migration transaction to keep two processes from migrating at once, or null.</summary>
    protected virtual string? MigrationLockSql => null;

    /// <summary>Opens a new connection (pooled by the provider); the caller disposes it.</summary>
    protected internal abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a violated unique or primary key constraint.</summary>
    protected internal abstract bool IsUniqueViolation(DbException exception);

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (MigrationLockSql is { } lockSql)
                {
                    await using var lockCommand = Db.Command(connection, transaction, lockSql);
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var create = Db.Command(connection, transaction, Sql.MigrationsCreate))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                IReadOnlyList<long> applied;
                await using (var select = Db.Command(connection, transaction, Sql.MigrationsSelect))
                {
                    applied = await Db.ReadAllAsync(select, r => Rows.Long(r, 0), cancellationToken).ConfigureAwait(false);
                }

                var known = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
                if (applied.Count > 0 && applied[^1] > known)
                {
                    throw new InvalidOperationException(
                        $"The {Name} metadata schema is at version {applied[^1]}, newer than this Mesh's {known}: it was written by a newer Mesh.");
                }

                foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
                {
                    await using (var run = Db.Command(connection, transaction, migration.Sql))
                    {
                        await run.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await using var record = Db.Command(
                        connection,
                        transaction,
                        Sql.MigrationsInsert,
                        ("@version", migration.Version),
                        ("@name", migration.Name),
                        ("@applied_at", Rows.Ms(Time.GetUtcNow())));
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return DisposeCoreAsync();
    }

    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
