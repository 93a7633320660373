using System.Data.Common;
using Mesh.Core.Metadata;

namespace Mesh.Metadata.Relational;

internal sealed class RelationalApiTokenStore(Db db, RelationalMetadataStore store) : IApiTokenStore
{
    public async ValueTask CreateAsync(ApiTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            await db.ExecuteAsync(
                Sql.TokenInsert,
                cancellationToken,
                ("@id", token.Id), ("@name", token.Name), ("@role", token.Role), ("@hash", token.Hash),
                ("@created_at", Rows.Ms(token.CreatedAt)), ("@created_by", token.CreatedBy), ("@scope", token.Scope)).ConfigureAwait(false);
        }
        catch (DbException ex) when (store.IsUniqueViolation(ex))
        {
            throw new InvalidOperationException($"a token with id '{token.Id}' or the same secret already exists", ex);
        }
    }

    public async ValueTask<ApiTokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(Sql.TokenSelectByHash, Read, cancellationToken, ("@hash", hash)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public ValueTask<IReadOnlyList<ApiTokenRecord>> ListAsync(CancellationToken cancellationToken) =>
        db.QueryAsync(Sql.TokenSelect, Read, cancellationToken);

    public async ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(Sql.TokenRevoke, cancellationToken, ("@id", id), ("@at", Rows.Ms(at))).ConfigureAwait(false) == 1;

    private static ApiTokenRecord Read(DbDataReader r) => new(
        Rows.Text(r, 0), Rows.Text(r, 1), Rows.Text(r, 2), Rows.Text(r, 3), Rows.Time(r, 4), Rows.Text(r, 5), Rows.NullableTime(r, 6), Rows.NullableText(r, 7));
}
