namespace Mesh.Proxy.Config.Validation;

/// <summary>Checks of the authorization policies, the mesh mTLS settings and the identities clusters expect.</summary>
public static partial class ProxyConfigValidator
{
    private static readonly string[] HttpMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "*"];

    private static void ValidateSecurity(ProxyConfig config, Action<string, string> add)
    {
        if (config.Mtls is { } mtls)
        {
            Defined(mtls.Mode, "mtls.mode", add);
            if (string.IsNullOrWhiteSpace(mtls.TrustDomain) || mtls.TrustDomain.Contains('/', StringComparison.Ordinal))
            {
                add("mtls.trustDomain", $"'{mtls.TrustDomain}' is not a trust domain (a DNS-like name without '/')");
            }

            var files = new[] { mtls.CertificateFile, mtls.KeyFile, mtls.CaFile };
            if (files.Any(f => f is not null) && files.Any(f => f is null))
            {
                add("mtls", "certificateFile, keyFile and caFile go together (or none of them, when the control plane issues the certificate)");
            }
        }

        for (var i = 0; i < config.Clusters.Count; i++)
        {
            if (config.Clusters[i].Identity is not { } identity)
            {
                continue;
            }

            var p = $"clusters[{i}].identity";
            if (!identity.StartsWith("spiffe://", StringComparison.Ordinal) || !Uri.TryCreate(identity, UriKind.Absolute, out _))
            {
                add(p, $"'{identity}' is not a spiffe:// URI");
            }

            if (config.Mtls is null)
            {
                add(p, "needs the mtls section (the proxy's own certificate and the trust root)");
            }

            if (config.Clusters[i].Tls is not null)
            {
                add(p, "cannot be combined with tls (mesh mTLS brings its own certificates)");
            }
        }

        if (config.Authorization is { } authz)
        {
            ValidatePolicies(authz, add);
        }
    }

    private static void ValidatePolicies(AuthorizationConfig authz, Action<string, string> add)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < authz.Policies.Count; i++)
        {
            var policy = authz.Policies[i];
            var p = $"authorization.policies[{i}]";
            if (string.IsNullOrWhiteSpace(policy.Name))
            {
                add($"{p}.name", "is required (it names the policy in spans and logs of denied requests)");
            }
            else if (policy.Name == "default-deny")
            {
                add($"{p}.name", "'default-deny' is reserved for requests no policy allows");
            }
            else if (!names.Add(policy.Name))
            {
                add($"{p}.name", $"'{policy.Name}' is used by another policy");
            }

            Defined(policy.Action, $"{p}.action", add);
            for (var r = 0; r < policy.Rules.Count; r++)
            {
                var rule = policy.Rules[r];
                var rp = $"{p}.rules[{r}]";
                Entries(rule.Identities, $"{rp}.identities", e => e == "*" || e.StartsWith("spiffe://", StringComparison.Ordinal), "is not a spiffe:// id (or *)", add);
                Entries(rule.Namespaces, $"{rp}.namespaces", e => e.Length > 0, "is empty", add);
                Entries(rule.Paths, $"{rp}.paths", e => e == "*" || e.StartsWith('/'), "must start with / (or be *)", add);
                Entries(rule.Methods, $"{rp}.methods", e => HttpMethods.Contains(e.ToUpperInvariant(), StringComparer.Ordinal), "is not an HTTP method", add);
            }
        }
    }

    private static void Entries(IReadOnlyList<string> entries, string path, Func<string, bool> valid, string reason, Action<string, string> add)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is null || !valid(entries[i]))
            {
                add($"{path}[{i}]", $"'{entries[i]}' {reason}");
            }
        }
    }
}
