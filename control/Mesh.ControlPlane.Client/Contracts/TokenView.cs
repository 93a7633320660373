namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A stored token without its secret; <see cref="Scope"/> is what a proxy token may act for.</summary>
public sealed record TokenView(string Id, string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? Scope = null);
