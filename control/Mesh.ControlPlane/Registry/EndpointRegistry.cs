using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;

namespace Mesh.ControlPlane.Registry;

/// <summary>
/// Endpoints registered by proxies under leases. The store is the record; the live set is mirrored into
/// <see cref="ControlPlaneState"/> on every change, and <see cref="SweepAsync"/> (driven by the sweeper's
/// timer) removes lapsed leases so their endpoints leave every snapshot.
/// </summary>
internal sealed class EndpointRegistry(IMetadataStore store, ControlPlaneState state, TimeProvider time)
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, TimeSpan> _ttls = new(StringComparer.Ordinal);

    public Task LoadAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    public async Task<LeaseView> RegisterAsync(RegisterEndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<ResourceError>();
        Names.Check(request.Namespace, "endpoint", "namespace", errors);
        Names.Check(request.Service, "endpoint", "service", errors);
        if (string.IsNullOrWhiteSpace(request.Address) || Uri.CheckHostName(request.Address) == UriHostNameType.Unknown)
        {
            errors.Add(new ResourceError("endpoint", "address", $"'{request.Address}' is not an IP address or host name"));
        }

        if (request.Port is < 1 or > 65535)
        {
            errors.Add(new ResourceError("endpoint", "port", $"{request.Port} is not a TCP port (1-65535)"));
        }

        if (request.Weight is < 1 or > 1000)
        {
            errors.Add(new ResourceError("endpoint", "weight", $"{request.Weight} is outside 1-1000"));
        }

        if (request.TtlSeconds is < 1 or > 3600)
        {
            errors.Add(new ResourceError("endpoint", "ttlSeconds", $"{request.TtlSeconds} is outside 1-3600"));
        }

        if (string.IsNullOrWhiteSpace(request.ProxyId))
        {
            errors.Add(new ResourceError("endpoint", "proxyId", "is required"));
        }

        if (errors.Count > 0)
        {
            throw new ResourceValidationException(errors);
        }

        var now = time.GetUtcNow();
        var ttl = TimeSpan.FromSeconds(request.TtlSeconds);
        var id = string.Create(CultureInfo.InvariantCulture, $"{request.Namespace}/{request.Service}/{request.Address}:{request.Port}");
        var lease = new EndpointLease(
            id, request.Namespace, request.Service, request.Address, request.Port, request.Version ?? "", request.Weight,
            JsonSerializer.Serialize(request.Labels ?? new Dictionary<string, string>(), ControlPlaneJson.Options), request.ProxyId, now, now + ttl);
        await store.Endpoints.UpsertAsync(lease, cancellationToken).ConfigureAwait(false);
        _ttls[id] = ttl;
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return new LeaseView(id, lease.ExpiresAt, request.TtlSeconds);
    }

    /// <summary>Extends a live lease by its TTL; throws <see cref="KeyNotFoundException"/> when it is unknown or lapsed.</summary>
    public async Task<LeaseView> RenewAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ttl = _ttls.GetValueOrDefault(id, DefaultTtl);
        if (!await store.Endpoints.RenewAsync(id, now, now + ttl, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"endpoint '{id}' has no live lease (it lapsed or was never registered): register it again");
        }

        // Renewal moves no endpoint in or out of a snapshot: the mirrored set keeps its old expiry until the next refresh.
        return new LeaseView(id, now + ttl, (int)ttl.TotalSeconds);
    }

    public async Task DeregisterAsync(string id, CancellationToken cancellationToken)
    {
        if (!await store.Endpoints.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"endpoint '{id}' is not registered");
        }

        _ttls.TryRemove(id, out _);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops lapsed leases; returns how many endpoints left.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await store.Endpoints.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false);
        var lapsedInMirror = state.Current.Endpoints.Any(e => e.ExpiresAt <= now);
        if (expired.Count > 0 || lapsedInMirror)
        {
            foreach (var e in expired)
            {
                _ttls.TryRemove(e.Id, out _);
            }

            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        return expired.Count;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var live = await store.Endpoints.ListLiveAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        state.SetEndpoints([.. live]);
    }
}
