namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>Creates an API token with a role: <c>viewer</c>, <c>operator</c>, <c>admin</c> or <c>proxy</c>.</summary>
public sealed record TokenCreateRequest(string Name, string Role);
