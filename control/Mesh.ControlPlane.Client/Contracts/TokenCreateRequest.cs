namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// Creates an API token with a role: <c>viewer</c>, <c>operator</c>, <c>admin</c> or <c>proxy</c>. A proxy token needs
/// a <see cref="Scope"/>: <c>namespace/service</c> (one workload) or <c>namespace/*</c> (every service of a namespace).
/// </summary>
public sealed record TokenCreateRequest(string Name, string Role, string? Scope = null);
