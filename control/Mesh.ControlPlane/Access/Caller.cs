namespace Mesh.ControlPlane.Access;

/// <summary>
/// Who made an API call: the token's name (the author of revisions and audit entries), role, and for a proxy token
/// the workloads it may act for (null: not limited — viewer, operator and admin tokens).
/// </summary>
public sealed record Caller(string Name, string Role, TokenScope? Scope = null);
