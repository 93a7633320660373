namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// An endpoint with its routing state: <see cref="EffectiveWeight"/> after weight overrides, and whether a
/// decision ejects it. <see cref="Source"/> is <c>registered</c> (leased) or <c>static</c> (an Endpoint resource).
/// </summary>
public sealed record EndpointView(
    string Id,
    string Namespace,
    string Service,
    string Address,
    int Port,
    string? Version,
    int Weight,
    int EffectiveWeight,
    bool Ejected,
    string Source,
    string? ProxyId,
    DateTimeOffset? ExpiresAt);
