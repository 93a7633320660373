namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// The policies that apply to the proxy's own service. A request is denied when a DENY policy matches; otherwise
/// allowed when an ALLOW policy matches, or when no ALLOW policy exists and <see cref="DefaultDeny"/> is false.
/// </summary>
public sealed record AuthorizationView(bool DefaultDeny, IReadOnlyList<AuthorizationPolicyView> Policies);
