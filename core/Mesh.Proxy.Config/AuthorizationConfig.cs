namespace Mesh.Proxy.Config;

/// <summary>
/// Who may call the local service, enforced on inbound listeners. A request is denied when a DENY policy matches;
/// otherwise allowed when an ALLOW policy matches, or when there is no ALLOW policy and <see cref="DefaultDeny"/>
/// is off. Absent (null): everything is allowed.
/// </summary>
public sealed record AuthorizationConfig
{
    /// <summary>Deny what no ALLOW policy allows even when there is no ALLOW policy at all (the namespace's default-deny).</summary>
    public bool DefaultDeny { get; init; }

    public IReadOnlyList<AuthorizationPolicyConfig> Policies { get; init; } = [];
}
