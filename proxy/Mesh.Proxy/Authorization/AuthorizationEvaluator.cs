using Mesh.ControlPlane.Client;
using Mesh.Proxy.Config;

namespace Mesh.Proxy.Authorization;

/// <summary>
/// Evaluates a snapshot's policies for one request: any matching DENY refuses it (deny wins); otherwise a
/// matching ALLOW admits it; with ALLOW policies present and none matching, or default-deny on and no ALLOW
/// matching, it is refused as <c>default-deny</c>. Pure and allocation-free on the allow path.
/// </summary>
internal static class AuthorizationEvaluator
{
    public static AuthorizationDecision Evaluate(AuthorizationConfig? config, string? peerIdentity, string method, string path)
    {
        if (config is null)
        {
            return AuthorizationDecision.Allow;
        }

        // Only a verified SPIFFE id is an identity: a plaintext caller (PERMISSIVE) has none, and no namespace.
        var identity = peerIdentity is not null && peerIdentity.StartsWith("spiffe://", StringComparison.Ordinal) ? peerIdentity : null;
        var ns = identity is null ? null : SpiffeId.NamespaceOf(identity);
        var anyAllow = false;
        var allowed = false;
        foreach (var policy in config.Policies)
        {
            var isDeny = policy.Action == AuthorizationAction.Deny;
            if (!isDeny)
            {
                anyAllow = true;
                if (allowed)
                {
                    continue;
                }
            }

            if (Matches(policy, identity, ns, method, path))
            {
                if (isDeny)
                {
                    return new AuthorizationDecision(false, policy.Name);
                }

                allowed = true;
            }
        }

        return allowed || (!anyAllow && !config.DefaultDeny) ? AuthorizationDecision.Allow : new AuthorizationDecision(false, AuthorizationDecision.DefaultDeny);
    }

    private static bool Matches(AuthorizationPolicyConfig policy, string? identity, string? ns, string method, string path)
    {
        foreach (var rule in policy.Rules)
        {
            if (Any(rule.Identities, identity, requiresValue: true, ignoreCase: false)
                && Any(rule.Namespaces, ns, requiresValue: true, ignoreCase: false)
                && Any(rule.Paths, path, requiresValue: false, ignoreCase: false)
                && Any(rule.Methods, method, requiresValue: false, ignoreCase: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An empty list matches anything; otherwise one entry must (exact, <c>prefix*</c>, or <c>*</c>).</summary>
    private static bool Any(IReadOnlyList<string> entries, string? value, bool requiresValue, bool ignoreCase)
    {
        if (entries.Count == 0)
        {
            return true;
        }

        if (value is null)
        {
            return !requiresValue && entries.Contains("*");
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var entry in entries)
        {
            var matched = entry == "*"
                || (entry.EndsWith('*') ? value.StartsWith(entry.AsSpan(0, entry.Length - 1), comparison) : string.Equals(entry, value, comparison));
            if (matched)
            {
                return true;
            }
        }

        return false;
    }
}
