using System.Data.Common;
using Mesh.Core.Metadata;

namespace Mesh.Metadata.Relational;

internal sealed class RelationalConfigStore(Db db) : IConfigStore
{
    public async ValueTask<long> GetHeadAsync(CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(Sql.ConfigHead, r => Rows.Long(r, 0), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0 : rows[0];
    }

    public ValueTask<IReadOnlyList<StoredResource>> ListResourcesAsync(CancellationToken cancellationToken) =>
        db.QueryAsync(
            Sql.ConfigSelectResources,
            r => new StoredResource(Rows.Text(r, 0), Rows.Text(r, 1), Rows.Text(r, 2), Rows.Text(r, 3), Rows.Long(r, 4)),
            cancellationToken);

    public async ValueTask<ConfigRevision> CommitAsync(ConfigCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var next = commit.ExpectedHead + 1;
        var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var bump = Db.Command(connection, transaction, Sql.ConfigBumpHead, ("@next", next), ("@expected", commit.ExpectedHead)))
                {
                    if (await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                    {
                        throw new RevisionConflictException(
                            $"the config moved past revision {commit.ExpectedHead} while this change was prepared; read it again and retry");
                    }
                }

                await Run(connection, transaction, Sql.ConfigInsertRevision, cancellationToken,
                    ("@revision", next), ("@author", commit.Author), ("@created_at", Rows.Ms(commit.At)),
                    ("@message", commit.Message), ("@diff", commit.Diff), ("@snapshot", commit.Snapshot)).ConfigureAwait(false);
                foreach (var key in commit.Deletes)
                {
                    await Run(connection, transaction, Sql.ConfigDeleteResource, cancellationToken,
                        ("@kind", key.Kind), ("@namespace", key.Namespace), ("@name", key.Name)).ConfigureAwait(false);
                }

                foreach (var resource in commit.Upserts)
                {
                    await Run(connection, transaction, Sql.ConfigUpsertResource, cancellationToken,
                        ("@kind", resource.Kind), ("@namespace", resource.Namespace), ("@name", resource.Name),
                        ("@spec", resource.Spec), ("@revision", next)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new ConfigRevision(next, commit.Author, DateTimeOffset.FromUnixTimeMilliseconds(Rows.Ms(commit.At)), commit.Message, commit.Diff, null);
    }

    public ValueTask<IReadOnlyList<ConfigRevision>> ListRevisionsAsync(int limit, CancellationToken cancellationToken) =>
        db.QueryAsync(
            Sql.ConfigSelectRevisions,
            r => new ConfigRevision(Rows.Long(r, 0), Rows.Text(r, 1), Rows.Time(r, 2), Rows.Text(r, 3), Rows.Text(r, 4), null),
            cancellationToken,
            ("@limit", (long)Math.Max(1, limit)));

    public async ValueTask<ConfigRevision?> GetRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(
            Sql.ConfigSelectRevision,
            r => new ConfigRevision(Rows.Long(r, 0), Rows.Text(r, 1), Rows.Time(r, 2), Rows.Text(r, 3), Rows.Text(r, 4), Rows.Text(r, 5)),
            cancellationToken,
            ("@revision", revision)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async ValueTask Run(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Db.Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
