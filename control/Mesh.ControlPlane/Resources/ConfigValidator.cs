using System.Net;
using System.Text.RegularExpressions;
using Mesh.Proxy.Config;

namespace Mesh.ControlPlane.Resources;

/// <summary>
/// Checks a whole resource set (references between resources included) and names every bad field, e.g.
/// <c>Route/shop/cart spec.routes[2].split: weights sum to 90, expected 100</c>.
/// </summary>
internal static class ConfigValidator
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"];

    public static List<ResourceError> Validate(ConfigSet set)
    {
        var errors = new List<ResourceError>();
        foreach (var r in set.Resources.Values)
        {
            void Add(string path, string message) => errors.Add(new ResourceError(r.Id, path, message));
            switch (r.Spec)
            {
                case NamespaceSpec n:
                    OneOf(n.Mtls, "spec.mtls", ["STRICT", "PERMISSIVE"], Add);
                    break;
                case ServiceSpec s:
                    Service(s, Add);
                    break;
                case EndpointSpec e:
                    Endpoint(set, r.Namespace, e, Add);
                    break;
                case RouteSpec route:
                    Route(set, r.Namespace, route, Add);
                    break;
                case AuthorizationPolicySpec p:
                    Policy(set, r.Namespace, p, Add);
                    break;
            }
        }

        return errors;
    }

    private static void Service(ServiceSpec s, Action<string, string> add)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < s.Ports.Count; i++)
        {
            var p = s.Ports[i];
            Port(p.Port, $"spec.ports[{i}].port", add);
            OneOf(p.Protocol, $"spec.ports[{i}].protocol", ["http", "http2", "grpc"], add);
            if (!names.Add(p.Name))
            {
                add($"spec.ports[{i}].name", $"'{p.Name}' is used by another port");
            }
        }
    }

    private static void Endpoint(ConfigSet set, string ns, EndpointSpec e, Action<string, string> add)
    {
        ServiceRef(set, ns, e.Service, "spec.service", add);
        if (string.IsNullOrWhiteSpace(e.Address) || (Uri.CheckHostName(e.Address) == UriHostNameType.Unknown && !IPAddress.TryParse(e.Address, out _)))
        {
            add("spec.address", $"'{e.Address}' is not an IP address or host name");
        }

        Port(e.Port, "spec.port", add);
        Weight(e.Weight, "spec.weight", add);
    }

    private static void Route(ConfigSet set, string ns, RouteSpec route, Action<string, string> add)
    {
        ServiceRef(set, ns, route.Service, "spec.service", add);
        if (route.LoadBalancer is { } lb && !Enum.IsDefined(lb))
        {
            add("spec.loadBalancer", "is not a load-balancing policy");
        }

        if (route.OutlierDetection is { } od)
        {
            Percent(od.MaxEjectedPercent, "spec.outlierDetection.maxEjectedPercent", add);
            Positive(od.Interval, "spec.outlierDetection.interval", add);
            Positive(od.BaseEjectionTime, "spec.outlierDetection.baseEjectionTime", add);
        }

        if (route.HealthCheck is { } hc)
        {
            if (!hc.Path.StartsWith('/'))
            {
                add("spec.healthCheck.path", $"'{hc.Path}' must start with '/'");
            }

            Positive(hc.Interval, "spec.healthCheck.interval", add);
            Positive(hc.Timeout, "spec.healthCheck.timeout", add);
        }

        for (var i = 0; i < route.Routes.Count; i++)
        {
            Rule(set, ns, route.Routes[i], $"spec.routes[{i}]", add);
        }
    }

    private static void Rule(ConfigSet set, string ns, RouteRule rule, string p, Action<string, string> add)
    {
        if (rule.Match?.Path is { } path)
        {
            var count = (path.Exact is null ? 0 : 1) + (path.Prefix is null ? 0 : 1) + (path.Regex is null ? 0 : 1);
            if (count != 1)
            {
                add($"{p}.match.path", "set exactly one of exact, prefix, regex");
            }

            Regex_(path.Regex, $"{p}.match.path.regex", add);
        }

        for (var i = 0; i < (rule.Match?.Methods.Count ?? 0); i++)
        {
            if (!Methods.Contains(rule.Match!.Methods[i], StringComparer.Ordinal))
            {
                add($"{p}.match.methods[{i}]", $"'{rule.Match.Methods[i]}' is not an HTTP method (uppercase)");
            }
        }

        if (rule.Split.Count > 0)
        {
            var sum = rule.Split.Sum(a => a.Weight);
            if (sum != 100)
            {
                add($"{p}.split", $"weights sum to {sum}, expected 100");
            }

            for (var i = 0; i < rule.Split.Count; i++)
            {
                var arm = rule.Split[i];
                if (arm.Weight is < 0 or > 100)
                {
                    add($"{p}.split[{i}].weight", $"{arm.Weight} is outside 0-100");
                }

                if (arm.Service is { } other)
                {
                    ServiceRef(set, ns, other, $"{p}.split[{i}].service", add);
                }
            }
        }

        if (rule.Timeout is { } timeout)
        {
            Positive(timeout, $"{p}.timeout", add);
        }

        if (rule.Retry is { } retry)
        {
            if (retry.Attempts is < 1 or > 10)
            {
                add($"{p}.retry.attempts", $"{retry.Attempts} is outside 1-10");
            }

            if (retry.PerTryTimeout is { } perTry)
            {
                Positive(perTry, $"{p}.retry.perTryTimeout", add);
            }
        }

        if (rule.Fault is { } fault)
        {
            if (fault.Delay is { } delay)
            {
                Percent(delay.Percent, $"{p}.fault.delay.percent", add);
            }

            if (fault.Abort is { } abort)
            {
                Percent(abort.Percent, $"{p}.fault.abort.percent", add);
                if (abort.Status is < 200 or > 599)
                {
                    add($"{p}.fault.abort.status", $"{abort.Status} is not an HTTP status (200-599)");
                }
            }
        }

        if (rule.Mirror is { } mirror)
        {
            ServiceRef(set, ns, mirror.Service, $"{p}.mirror.service", add);
            Percent(mirror.Percent, $"{p}.mirror.percent", add);
        }

        if (rule.RateLimit is { } limit)
        {
            if (!(limit.RequestsPerSecond > 0))
            {
                add($"{p}.rateLimit.requestsPerSecond", $"{limit.RequestsPerSecond} must be above 0");
            }

            if (limit.Burst is < 1)
            {
                add($"{p}.rateLimit.burst", $"{limit.Burst} must be at least 1");
            }
        }
    }

    private static void Policy(ConfigSet set, string ns, AuthorizationPolicySpec p, Action<string, string> add)
    {
        OneOf(p.Action, "spec.action", ["ALLOW", "DENY"], add);
        if (p.Service is { } service)
        {
            ServiceRef(set, ns, service, "spec.service", add);
        }

        for (var i = 0; i < p.Rules.Count; i++)
        {
            var rule = p.Rules[i];
            for (var j = 0; j < rule.Paths.Count; j++)
            {
                if (!rule.Paths[j].StartsWith('/') && rule.Paths[j] != "*")
                {
                    add($"spec.rules[{i}].paths[{j}]", $"'{rule.Paths[j]}' must start with '/'");
                }
            }

            for (var j = 0; j < rule.Methods.Count; j++)
            {
                if (!Methods.Contains(rule.Methods[j], StringComparer.Ordinal))
                {
                    add($"spec.rules[{i}].methods[{j}]", $"'{rule.Methods[j]}' is not an HTTP method (uppercase)");
                }
            }

            for (var j = 0; j < rule.Identities.Count; j++)
            {
                if (!rule.Identities[j].StartsWith("spiffe://", StringComparison.Ordinal) && rule.Identities[j] != "*")
                {
                    add($"spec.rules[{i}].identities[{j}]", $"'{rule.Identities[j]}' is not a SPIFFE id (spiffe://<trust-domain>/ns/<ns>/sa/<service>)");
                }
            }
        }
    }

    private static void ServiceRef(ConfigSet set, string ns, string service, string path, Action<string, string> add)
    {
        if (string.IsNullOrEmpty(service))
        {
            add(path, "is required");
        }
        else if (!set.HasService(ns, service))
        {
            add(path, $"service '{service}' does not exist in namespace '{ns}'");
        }
    }

    private static void OneOf(string value, string path, string[] allowed, Action<string, string> add)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            add(path, $"'{value}' is not one of {string.Join(", ", allowed)}");
        }
    }

    private static void Port(int port, string path, Action<string, string> add)
    {
        if (port is < 1 or > 65535)
        {
            add(path, $"{port} is not a TCP port (1-65535)");
        }
    }

    private static void Weight(int weight, string path, Action<string, string> add)
    {
        if (weight is < 1 or > 1000)
        {
            add(path, $"{weight} is outside 1-1000");
        }
    }

    private static void Percent(double value, string path, Action<string, string> add)
    {
        if (value is < 0 or > 100 || double.IsNaN(value))
        {
            add(path, $"{value} is outside 0-100");
        }
    }

    private static void Positive(TimeSpan value, string path, Action<string, string> add)
    {
        if (value <= TimeSpan.Zero)
        {
            add(path, "must be above 0");
        }
    }

    private static void Regex_(string? pattern, string path, Action<string, string> add)
    {
        if (pattern is null)
        {
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException ex)
        {
            add(path, $"not a valid regular expression: {ex.Message}");
        }
    }
}
