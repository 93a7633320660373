namespace Mesh.Core.Metadata;

/// <summary>
/// One routing decision about an endpoint: <see cref="Action"/> is <c>eject</c> or <c>weight</c> (then
/// <see cref="Weight"/> is set). A pinned decision is an operator's and outranks automatic ones.
/// </summary>
public sealed record RoutingDecisionRecord(
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
    string? ClearedBy);
