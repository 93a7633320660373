using System.Collections.Immutable;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;

namespace Mesh.ControlPlane;

/// <summary>
/// Everything snapshots are compiled from: the config set, live endpoints and active routing decisions. Each is an
/// immutable value swapped whole; every swap bumps <see cref="Generation"/> and wakes the distributors.
/// </summary>
internal sealed class ControlPlaneState
{
    private readonly object _gate = new();
    private Inputs _inputs = new(ConfigSet.Empty, [], [], 0);
    private TaskCompletionSource _changed = NewSignal();

    public Inputs Current => Volatile.Read(ref _inputs);

    /// <summary>Completes at the next change after it was read.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void SetConfig(ConfigSet config) => Update(i => i with { Config = config });

    public void SetEndpoints(ImmutableArray<EndpointLease> endpoints) => Update(i => i with { Endpoints = endpoints });

    public void SetDecisions(ImmutableArray<RoutingDecisionRecord> decisions) => Update(i => i with { Decisions = decisions });

    private void Update(Func<Inputs, Inputs> change)
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            var next = change(_inputs);
            Volatile.Write(ref _inputs, next with { Generation = _inputs.Generation + 1 });
            fired = _changed;
            _changed = NewSignal();
        }

        fired.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One consistent view of the inputs.</summary>
    internal sealed record Inputs(ConfigSet Config, ImmutableArray<EndpointLease> Endpoints, ImmutableArray<RoutingDecisionRecord> Decisions, long Generation);
}
