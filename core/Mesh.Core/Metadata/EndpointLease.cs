namespace Mesh.Core.Metadata;

/// <summary>A registered endpoint (one instance of a service) and its lease. <see cref="Labels"/> is a JSON object.</summary>
public sealed record EndpointLease(
    string Id,
    string Namespace,
    string Service,
    string Address,
    int Port,
    string Version,
    int Weight,
    string Labels,
    string ProxyId,
    DateTimeOffset RegisteredAt,
    DateTimeOffset ExpiresAt);
