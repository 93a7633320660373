namespace Mesh.Web.Live;

/// <summary>
/// One connection's filter and what it was last sent (each node and edge as its JSON), so the next push carries
/// only what changed. The gate keeps its pushes in order.
/// </summary>
internal sealed class LiveSubscription(string connectionId, string? ns, string? service)
{
    public string ConnectionId { get; } = connectionId;

    public string? Namespace { get; } = ns;

    public string? Service { get; } = service;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Dictionary<string, string> Nodes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Edges { get; } = new(StringComparer.Ordinal);

    /// <summary>False until the first (full) snapshot went out.</summary>
    public bool Primed { get; set; }
}
