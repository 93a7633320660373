namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A routing decision and whether it is still in force.</summary>
public sealed record DecisionView(
    long Id,
    string Namespace,
    string Service,
    string EndpointId,
    string Action,
    int? Weight,
    string Reason,
    string Source,
    bool Pinned,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? ClearedAt,
    string? ClearedBy,
    bool Active);
