namespace Mesh.ControlPlane.Access;

/// <summary>Who made an API call: the token's name (the author of revisions and audit entries) and role.</summary>
public sealed record Caller(string Name, string Role);
