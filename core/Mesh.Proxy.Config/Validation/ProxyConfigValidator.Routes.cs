namespace Mesh.Proxy.Config.Validation;

/// <summary>Route checks: matches, splits that reference real clusters and subsets, policies in range.</summary>
public static partial class ProxyConfigValidator
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length",
    };

    private static void ValidateRoutes(ProxyConfig config, Dictionary<string, ClusterConfig> clusters, Action<string, string> add)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var listeners = config.Listeners.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < config.Routes.Count; i++)
        {
            var r = config.Routes[i];
            var p = $"routes[{i}]";
            if (string.IsNullOrWhiteSpace(r.Name))
            {
                add($"{p}.name", "is required");
            }
            else if (!names.Add(r.Name))
            {
                add($"{p}.name", $"'{r.Name}' is used by another route");
            }

            for (var l = 0; l < r.Listeners.Count; l++)
            {
                if (!listeners.Contains(r.Listeners[l]))
                {
                    add($"{p}.listeners[{l}]", $"no listener named '{r.Listeners[l]}'");
                }
            }

            ValidateMatch(r.Match, $"{p}.match", add);
            ValidateDestinations(r, p, clusters, add);
            if (r.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            {
                add($"{p}.timeout", "must be a positive duration");
            }

            if (r.Retry is { } retry)
            {
                ValidateRetry(retry, $"{p}.retry", add);
            }

            if (r.Fault is { } fault)
            {
                if (fault.Delay is { } d)
                {
                    Percent(d.Percent, $"{p}.fault.delay.percent", add);
                    Positive(d.Duration, $"{p}.fault.delay.duration", add);
                }

                if (fault.Abort is { } a)
                {
                    Percent(a.Percent, $"{p}.fault.abort.percent", add);
                    if (a.Status is < 200 or > 599)
                    {
                        add($"{p}.fault.abort.status", $"{a.Status} is not an HTTP status (200-599)");
                    }
                }

                if (fault.Delay is null && fault.Abort is null)
                {
                    add($"{p}.fault", "needs a delay or an abort");
                }

                ValueMatches(fault.Headers, $"{p}.fault.headers", add);
            }

            if (r.Mirror is { } mirror)
            {
                if (!clusters.ContainsKey(mirror.Cluster))
                {
                    add($"{p}.mirror.cluster", $"no cluster named '{mirror.Cluster}'");
                }

                Percent(mirror.Percent, $"{p}.mirror.percent", add);
            }

            if (r.RateLimit is { } rl)
            {
                if (rl.RequestsPerSecond <= 0 || !double.IsFinite(rl.RequestsPerSecond))
                {
                    add($"{p}.rateLimit.requestsPerSecond", "must be a positive number");
                }

                if (rl.Burst is < 1)
                {
                    add($"{p}.rateLimit.burst", $"{rl.Burst} must be at least 1");
                }
            }

            Rewrite(r.RequestHeaders, $"{p}.requestHeaders", add);
            Rewrite(r.ResponseHeaders, $"{p}.responseHeaders", add);
        }
    }

    private static void ValidateMatch(RouteMatch m, string p, Action<string, string> add)
    {
        if (m.Path is { } path)
        {
            var set = (path.Exact is null ? 0 : 1) + (path.Prefix is null ? 0 : 1) + (path.Regex is null ? 0 : 1);
            if (set != 1)
            {
                add($"{p}.path", "set exactly one of exact, prefix, regex");
            }

            foreach (var (value, name) in new[] { (path.Exact, "exact"), (path.Prefix, "prefix") })
            {
                if (value is not null && !value.StartsWith('/'))
                {
                    add($"{p}.path.{name}", $"'{value}' must start with /");
                }
            }

            Regex(path.Regex, $"{p}.path.regex", add);
        }

        for (var i = 0; i < m.Methods.Count; i++)
        {
            if (!IsToken(m.Methods[i]))
            {
                add($"{p}.methods[{i}]", $"'{m.Methods[i]}' is not an HTTP method");
            }
        }

        for (var i = 0; i < m.Hosts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(m.Hosts[i]) || m.Hosts[i].Contains('/', StringComparison.Ordinal))
            {
                add($"{p}.hosts[{i}]", $"'{m.Hosts[i]}' is not a host name");
            }
        }

        ValueMatches(m.Headers, $"{p}.headers", add);
        ValueMatches(m.Query, $"{p}.query", add);
    }

    private static void ValidateDestinations(RouteConfig r, string p, Dictionary<string, ClusterConfig> clusters, Action<string, string> add)
    {
        if (r.Cluster is not null && r.Split.Count > 0)
        {
            add(p, "set either cluster or split, not both");
            return;
        }

        if (r.Cluster is not null)
        {
            if (!clusters.ContainsKey(r.Cluster))
            {
                add($"{p}.cluster", $"no cluster named '{r.Cluster}'");
            }

            return;
        }

        if (r.Split.Count == 0)
        {
            add(p, "needs a cluster or a split");
            return;
        }

        var sum = 0;
        for (var i = 0; i < r.Split.Count; i++)
        {
            var d = r.Split[i];
            var dp = $"{p}.split[{i}]";
            if (d.Weight is < 0 or > 100)
            {
                add($"{dp}.weight", $"{d.Weight} is outside 0-100");
            }

            sum += d.Weight;
            if (!clusters.TryGetValue(d.Cluster, out var cluster))
            {
                add($"{dp}.cluster", $"no cluster named '{d.Cluster}'");
            }
            else if (d.Subset is not null && !cluster.Endpoints.Any(e => string.Equals(e.Version, d.Subset, StringComparison.Ordinal)))
            {
                add($"{dp}.subset", $"cluster '{d.Cluster}' has no endpoint with version '{d.Subset}'");
            }
        }

        if (sum != 100)
        {
            add($"{p}.split", $"weights sum to {sum}, expected 100");
        }
    }

    private static void ValidateRetry(RetryPolicy retry, string p, Action<string, string> add)
    {
        if (retry.Attempts is < 1 or > 10)
        {
            add($"{p}.attempts", $"{retry.Attempts} is outside 1-10");
        }

        for (var i = 0; i < retry.On.Count; i++)
        {
            Defined(retry.On[i], $"{p}.on[{i}]", add);
        }

        if (retry.PerTryTimeout is { } t && t <= TimeSpan.Zero)
        {
            add($"{p}.perTryTimeout", "must be a positive duration");
        }

        Positive(retry.BackoffBase, $"{p}.backoffBase", add);
        if (retry.BackoffMax < retry.BackoffBase)
        {
            add($"{p}.backoffMax", $"{Durations(retry.BackoffMax)} is shorter than backoffBase {Durations(retry.BackoffBase)}");
        }

        if (retry.Budget.Ratio is < 0 or > 1 || double.IsNaN(retry.Budget.Ratio))
        {
            add($"{p}.budget.ratio", $"{retry.Budget.Ratio} is outside 0-1");
        }

        if (retry.Budget.MinRetriesPerSecond < 0)
        {
            add($"{p}.budget.minRetriesPerSecond", "must not be negative");
        }

        Positive(retry.Budget.Window, $"{p}.budget.window", add);
    }

    private static void ValueMatches(IReadOnlyList<ValueMatch> matches, string p, Action<string, string> add)
    {
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            if (string.IsNullOrWhiteSpace(m.Name))
            {
                add($"{p}[{i}].name", "is required");
            }

            if ((m.Exact is null ? 0 : 1) + (m.Prefix is null ? 0 : 1) + (m.Regex is null ? 0 : 1) > 1)
            {
                add($"{p}[{i}]", "set at most one of exact, prefix, regex");
            }

            Regex(m.Regex, $"{p}[{i}].regex", add);
        }
    }

    private static void Rewrite(HeaderRewrite? rewrite, string p, Action<string, string> add)
    {
        if (rewrite is null)
        {
            return;
        }

        foreach (var (kind, names) in new[] { ("remove", rewrite.Remove), ("set", rewrite.Set.Keys), ("add", rewrite.Add.Keys) })
        {
            foreach (var name in names)
            {
                if (!IsToken(name))
                {
                    add($"{p}.{kind}", $"'{name}' is not a header name");
                }
                else if (HopByHop.Contains(name))
                {
                    add($"{p}.{kind}", $"'{name}' is managed by the proxy and cannot be rewritten");
                }
            }
        }
    }

    // RFC 9110 token: the characters allowed in method and field names.
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c < 127 && (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)));
}
