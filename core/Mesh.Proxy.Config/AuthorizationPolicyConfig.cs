namespace Mesh.Proxy.Config;

/// <summary>A named ALLOW or DENY policy: it matches a request when any of its rules does (no rules: it matches nothing).</summary>
public sealed record AuthorizationPolicyConfig
{
    /// <summary>Reported in <c>mesh.authz.policy</c> when the policy denies (the control plane uses <c>namespace/name</c>).</summary>
    public string Name { get; init; } = "";

    public AuthorizationAction Action { get; init; } = AuthorizationAction.Allow;

    public IReadOnlyList<AuthorizationRuleConfig> Rules { get; init; } = [];
}
