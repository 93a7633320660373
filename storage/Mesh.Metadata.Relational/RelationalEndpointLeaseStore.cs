using System.Data.Common;
using Mesh.Core.Metadata;

namespace Mesh.Metadata.Relational;

internal sealed class RelationalEndpointLeaseStore(Db db) : IEndpointLeaseStore
{
    public async ValueTask UpsertAsync(EndpointLease endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        await db.ExecuteAsync(
            Sql.EndpointUpsert,
            cancellationToken,
            ("@id", endpoint.Id), ("@namespace", endpoint.Namespace), ("@service", endpoint.Service),
            ("@address", endpoint.Address), ("@port", (long)endpoint.Port), ("@version", endpoint.Version),
            ("@weight", (long)endpoint.Weight), ("@labels", endpoint.Labels), ("@proxy_id", endpoint.ProxyId),
            ("@registered_at", Rows.Ms(endpoint.RegisteredAt)), ("@expires_at", Rows.Ms(endpoint.ExpiresAt))).ConfigureAwait(false);
    }

    public async ValueTask<bool> RenewAsync(string id, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(Sql.EndpointRenew, cancellationToken, ("@id", id), ("@now", Rows.Ms(now)), ("@expires_at", Rows.Ms(expiresAt))).ConfigureAwait(false) == 1;

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(Sql.EndpointDelete, cancellationToken, ("@id", id)).ConfigureAwait(false) == 1;

    public ValueTask<IReadOnlyList<EndpointLease>> ListLiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.QueryAsync(Sql.EndpointSelectLive, Read, cancellationToken, ("@now", Rows.Ms(now)));

    public async ValueTask<IReadOnlyList<EndpointLease>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removed = await db.QueryAsync(Sql.EndpointDeleteExpired, Read, cancellationToken, ("@now", Rows.Ms(now))).ConfigureAwait(false);
        return [.. removed.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Service, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    private static EndpointLease Read(DbDataReader r) => new(
        Rows.Text(r, 0), Rows.Text(r, 1), Rows.Text(r, 2), Rows.Text(r, 3), (int)Rows.Long(r, 4), Rows.Text(r, 5),
        (int)Rows.Long(r, 6), Rows.Text(r, 7), Rows.Text(r, 8), Rows.Time(r, 9), Rows.Time(r, 10));
}
