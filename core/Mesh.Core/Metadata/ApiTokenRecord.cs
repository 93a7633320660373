namespace Mesh.Core.Metadata;

/// <summary>
/// A stored API token: never the secret, only <see cref="Hash"/> (hex SHA-256 of it). <see cref="Scope"/> limits a
/// proxy token to the workloads it may act for (<c>namespace/service</c> or <c>namespace/*</c>); null for other roles.
/// </summary>
public sealed record ApiTokenRecord(
    string Id,
    string Name,
    string Role,
    string Hash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? Scope = null);
