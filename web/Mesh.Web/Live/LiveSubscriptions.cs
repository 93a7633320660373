using System.Collections.Concurrent;

namespace Mesh.Web.Live;

/// <summary>Every live subscriber by connection id; a connection has at most one filter (subscribing again replaces it).</summary>
internal sealed class LiveSubscriptions
{
    private readonly ConcurrentDictionary<string, LiveSubscription> _byConnection = new(StringComparer.Ordinal);

    public int Count => _byConnection.Count;

    public LiveSubscription Set(string connectionId, string? ns, string? service)
    {
        var subscription = new LiveSubscription(connectionId, ns, service);
        _byConnection[connectionId] = subscription;
        return subscription;
    }

    public void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    public IReadOnlyList<LiveSubscription> Snapshot() => [.. _byConnection.Values];
}
