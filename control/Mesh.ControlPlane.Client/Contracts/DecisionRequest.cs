namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// Sets a routing decision on one endpoint: <c>eject</c> it or override its <c>weight</c>. <see cref="Source"/> names
/// the deciding party (e.g. <c>analytics</c>, <c>operator</c>); a <see cref="Pinned"/> decision is an operator's and
/// automatic sources cannot override it.
/// </summary>
public sealed record DecisionRequest
{
    public required string Namespace { get; init; }

    public required string Service { get; init; }

    public required string EndpointId { get; init; }

    public required string Action { get; init; }

    public int? Weight { get; init; }

    public required string Reason { get; init; }

    public required string Source { get; init; }

    /// <summary>Lifetime; null or 0 means until cleared.</summary>
    public int? TtlSeconds { get; init; }

    public bool Pinned { get; init; }
}
