namespace Mesh.Proxy.Authorization;

/// <summary>The verdict on one request; <see cref="Policy"/> names the DENY policy, or <c>default-deny</c> when nothing allowed it.</summary>
internal readonly record struct AuthorizationDecision(bool Allowed, string? Policy)
{
    public const string DefaultDeny = "default-deny";

    public static readonly AuthorizationDecision Allow = new(true, null);
}
