namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A stored token without its secret.</summary>
public sealed record TokenView(string Id, string Name, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);
