namespace Mesh.Core.Metadata;

/// <summary>Endpoints registered by proxies, each alive until its lease expires.</summary>
public interface IEndpointLeaseStore
{
    /// <summary>Inserts or replaces the endpoint with the same id. Idempotent.</summary>
    ValueTask UpsertAsync(EndpointLease endpoint, CancellationToken cancellationToken);

    /// <summary>Moves the lease of a live endpoint to <paramref name="expiresAt"/>; false when it is unknown or already lapsed at <paramref name="now"/>.</summary>
    ValueTask<bool> RenewAsync(string id, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Removes the endpoint; false when there was none.</summary>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Endpoints whose lease is still running at <paramref name="now"/>, ordered by namespace, service, id.</summary>
    ValueTask<IReadOnlyList<EndpointLease>> ListLiveAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the endpoints whose lease lapsed at or before <paramref name="now"/> and returns them.</summary>
    ValueTask<IReadOnlyList<EndpointLease>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
