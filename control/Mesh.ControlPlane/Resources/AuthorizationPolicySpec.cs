namespace Mesh.ControlPlane.Resources;

/// <summary>
/// ALLOW or DENY requests to the services it selects (one service, or the whole namespace when
/// <see cref="Service"/> is null). A request matches a policy when any rule matches; DENY wins over ALLOW.
/// </summary>
internal sealed record AuthorizationPolicySpec
{
    public string? Service { get; init; }

    /// <summary><c>ALLOW</c> or <c>DENY</c>.</summary>
    public string Action { get; init; } = "ALLOW";

    public IReadOnlyList<AuthorizationRule> Rules { get; init; } = [];
}
