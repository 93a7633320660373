using System.Text.Json;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Distribution;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;

namespace Mesh.ControlPlane.Decisions;

/// <summary>
/// The routing-feedback seam: the analytics loop (or an operator) ejects endpoints or overrides their weight, with
/// a reason, a source and a TTL. Automatic decisions respect <see cref="DecisionLimits"/> and never override a
/// pinned (operator) decision. Every decision and every clear is audited.
/// </summary>
internal sealed class DecisionService(IMetadataStore store, ControlPlaneState state, TimeProvider time, DecisionLimits limits) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task LoadAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    public async Task<DecisionView> SetAsync(DecisionRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var inputs = state.Current;
            var endpoints = EffectiveEndpoints.Of(inputs).Where(e => e.Namespace == request.Namespace && e.Service == request.Service).ToList();
            if (endpoints.All(e => e.Id != request.EndpointId))
            {
                throw new KeyNotFoundException($"service {request.Namespace}/{request.Service} has no endpoint '{request.EndpointId}'");
            }

            var onEndpoint = inputs.Decisions.Where(d => d.EndpointId == request.EndpointId).ToList();
            if (!request.Pinned && onEndpoint.FirstOrDefault(d => d.Pinned) is { } pin)
            {
                throw new DecisionRefusedException(
                    $"endpoint '{request.EndpointId}' has pinned decision {pin.Id} ({pin.Action} by {pin.Source}: {pin.Reason}); clear it first");
            }

            if (request.Action == "eject" && !request.Pinned)
            {
                var ejected = endpoints.Count(e => e.Ejected && e.Id != request.EndpointId) + 1;
                var allowed = (int)Math.Floor(endpoints.Count * limits.MaxEjectedFraction);
                if (ejected > allowed)
                {
                    throw new DecisionRefusedException(
                        $"ejecting '{request.EndpointId}' would eject {ejected} of {endpoints.Count} endpoints of {request.Namespace}/{request.Service}; the limit is {limits.MaxEjectedFraction:P0} ({allowed})");
                }

                if (endpoints.Count - ejected < limits.MinHealthyEndpoints)
                {
                    throw new DecisionRefusedException(
                        $"ejecting '{request.EndpointId}' would leave {endpoints.Count - ejected} endpoints of {request.Namespace}/{request.Service} in rotation; at least {limits.MinHealthyEndpoints} must stay");
                }
            }

            // One decision per endpoint is in force: the new one supersedes what was there.
            foreach (var old in onEndpoint)
            {
                await store.Decisions.ClearAsync(old.Id, $"superseded by {actor}", now, cancellationToken).ConfigureAwait(false);
            }

            var ttl = request.TtlSeconds is > 0 ? TimeSpan.FromSeconds(request.TtlSeconds.Value) : (TimeSpan?)null;
            var record = await store.Decisions.AddAsync(
                new RoutingDecisionRecord(0, request.Namespace, request.Service, request.EndpointId, request.Action, request.Action == "weight" ? request.Weight : null,
                    request.Reason, request.Source, request.Pinned, now, now + ttl, null, null),
                cancellationToken).ConfigureAwait(false);
            await store.Audit.AppendAsync(
                new AuditEntry(0, now, actor, "decision.set", request.EndpointId, JsonSerializer.Serialize(request, ControlPlaneJson.Options)),
                cancellationToken).ConfigureAwait(false);
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            return View(record, now);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ClearAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.Decisions.ClearAsync(id, actor, now, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"decision {id} does not exist or is already cleared");
        }

        await store.Audit.AppendAsync(new AuditEntry(0, now, actor, "decision.clear", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "{}"), cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DecisionView>> ListAsync(bool all, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var records = all
            ? await store.Decisions.ListRecentAsync(500, cancellationToken).ConfigureAwait(false)
            : await store.Decisions.ListActiveAsync(now, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => View(r, now))];
    }

    /// <summary>Reloads the active decisions (called after changes and by the sweeper, so expired ones stop applying).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var active = await store.Decisions.ListActiveAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!active.Select(d => d.Id).SequenceEqual(state.Current.Decisions.Select(d => d.Id)))
        {
            state.SetDecisions([.. active]);
        }
    }

    public void Dispose() => _gate.Dispose();

    private static DecisionView View(RoutingDecisionRecord r, DateTimeOffset now) => new(
        r.Id, r.Namespace, r.Service, r.EndpointId, r.Action, r.Weight, r.Reason, r.Source, r.Pinned, r.CreatedAt, r.ExpiresAt, r.ClearedAt, r.ClearedBy,
        r.ClearedAt is null && (r.ExpiresAt is null || r.ExpiresAt > now));

    private static void Validate(DecisionRequest r)
    {
        var errors = new List<ResourceError>();
        void Add(string path, string message) => errors.Add(new ResourceError("decision", path, message));
        if (r.Action is not ("eject" or "weight"))
        {
            Add("action", $"'{r.Action}' is not eject or weight");
        }

        if (r.Action == "weight" && r.Weight is not (>= 0 and <= 1000))
        {
            Add("weight", r.Weight is null ? "is required for action weight" : $"{r.Weight} is outside 0-1000");
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            Add("reason", "is required");
        }

        if (string.IsNullOrWhiteSpace(r.Source))
        {
            Add("source", "is required");
        }

        if (r.TtlSeconds is < 0)
        {
            Add("ttlSeconds", $"{r.TtlSeconds} must not be negative");
        }

        if (errors.Count > 0)
        {
            throw new ResourceValidationException(errors);
        }
    }
}
