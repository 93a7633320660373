using System.Data.Common;
using Mesh.Core.Metadata;

namespace Mesh.Metadata.Relational;

internal sealed class RelationalDecisionStore(Db db) : IRoutingDecisionStore
{
    public async ValueTask<RoutingDecisionRecord> AddAsync(RoutingDecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var ids = await db.QueryAsync(
            Sql.DecisionInsert,
            r => Rows.Long(r, 0),
            cancellationToken,
            ("@namespace", decision.Namespace), ("@service", decision.Service), ("@endpoint_id", decision.EndpointId),
            ("@action", decision.Action), ("@weight", decision.Weight is { } w ? (long)w : null), ("@reason", decision.Reason),
            ("@source", decision.Source), ("@pinned", decision.Pinned ? 1L : 0L), ("@created_at", Rows.Ms(decision.CreatedAt)),
            ("@expires_at", Rows.Ms(decision.ExpiresAt))).ConfigureAwait(false);
        return decision with
        {
            Id = ids[0],
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Rows.Ms(decision.CreatedAt)),
            ExpiresAt = Rows.Ms(decision.ExpiresAt) is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
            ClearedAt = null,
            ClearedBy = null,
        };
    }

    public ValueTask<IReadOnlyList<RoutingDecisionRecord>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.QueryAsync(Sql.DecisionSelectActive, Read, cancellationToken, ("@now", Rows.Ms(now)));

    public ValueTask<IReadOnlyList<RoutingDecisionRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken) =>
        db.QueryAsync(Sql.DecisionSelectRecent, Read, cancellationToken, ("@limit", (long)Math.Max(1, limit)));

    public async ValueTask<bool> ClearAsync(long id, string clearedBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(Sql.DecisionClear, cancellationToken, ("@id", id), ("@at", Rows.Ms(at)), ("@cleared_by", clearedBy)).ConfigureAwait(false) == 1;

    private static RoutingDecisionRecord Read(DbDataReader r) => new(
        Rows.Long(r, 0), Rows.Text(r, 1), Rows.Text(r, 2), Rows.Text(r, 3), Rows.Text(r, 4),
        Rows.NullableLong(r, 5) is { } w ? (int)w : null, Rows.Text(r, 6), Rows.Text(r, 7), Rows.Long(r, 8) != 0,
        Rows.Time(r, 9), Rows.NullableTime(r, 10), Rows.NullableTime(r, 11), Rows.NullableText(r, 12));
}
