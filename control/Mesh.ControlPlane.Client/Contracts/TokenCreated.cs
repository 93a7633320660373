namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A new token; <see cref="Token"/> is the secret and is shown only in this answer.</summary>
public sealed record TokenCreated(string Id, string Name, string Role, string Token, string? Scope = null);
