namespace Mesh.Core.Metadata;

/// <summary>A stored API token: never the secret, only <see cref="Hash"/> (hex SHA-256 of it).</summary>
public sealed record ApiTokenRecord(
    string Id,
    string Name,
    string Role,
    string Hash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt);
