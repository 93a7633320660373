using System.Text.Json;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;
using Mesh.Proxy.Config;

namespace Mesh.ControlPlane.Distribution;

/// <summary>
/// Compiles the declarative resources, live endpoints and routing decisions into one proxy's
/// <see cref="ProxyConfig"/>: its listeners (from the ports it reported), a cluster per service with endpoints
/// (named <c>service.namespace</c>), outbound routes from Route rules, an inbound route to the local app, and the
/// authorization policies and mTLS mode of its own namespace (in the config, and as views beside it).
/// </summary>
internal static class SnapshotCompiler
{
    /// <summary>
    /// What one push shares between the proxies it compiles for: the effective endpoints, and the outbound clusters
    /// and routes per namespace (they depend on nothing else of the node). Valid for one <see cref="ControlPlaneState.Inputs"/>.
    /// </summary>
    internal sealed class Cache
    {
        public List<EndpointView>? Endpoints { get; set; }

        public Dictionary<string, (List<ClusterConfig> Clusters, List<RouteConfig> Routes)> Outbound { get; } = new(StringComparer.Ordinal);
    }

    public static (ProxyConfig Config, AuthorizationView Authorization, MtlsView Mtls) Compile(ControlPlaneState.Inputs inputs, ProxyNode node, DistributionOptions options, Cache? cache = null)
    {
        var set = inputs.Config;
        cache ??= new Cache();
        var listeners = new List<ListenerConfig>();
        var clusters = new List<ClusterConfig>();
        var routes = new List<RouteConfig>();
        if (node.InboundPort > 0)
        {
            listeners.Add(new ListenerConfig { Name = "inbound", Port = node.InboundPort, Mode = ListenerMode.Inbound });
        }

        if (node.OutboundPort > 0)
        {
            listeners.Add(new ListenerConfig { Name = "outbound", Port = node.OutboundPort, Mode = ListenerMode.Outbound });
        }

        if (node.InboundPort > 0 && node.AppPort > 0)
        {
            clusters.Add(new ClusterConfig
            {
                Name = "local",
                Service = node.Service,
                Namespace = node.Namespace,
                Endpoints = [new EndpointConfig { Address = node.AppAddress, Port = node.AppPort, Version = node.Version }],
            });
            routes.Add(new RouteConfig { Name = "inbound", Listeners = ["inbound"], Cluster = "local" });
        }

        if (node.OutboundPort > 0)
        {
            if (!cache.Outbound.TryGetValue(node.Namespace, out var outbound))
            {
                cache.Endpoints ??= EffectiveEndpoints.Of(inputs);
                outbound = ([], []);
                Outbound(set, cache.Endpoints, node, outbound.Clusters, outbound.Routes, options.TrustDomain);
                cache.Outbound[node.Namespace] = outbound;
            }

            clusters.AddRange(outbound.Clusters);
            routes.AddRange(outbound.Routes);
        }

        var ns = set.Find(ResourceKinds.Namespace, node.Namespace, node.Namespace)?.As<NamespaceSpec>() ?? new NamespaceSpec();
        var policies = set.OfKind(ResourceKinds.AuthorizationPolicy)
            .Where(r => r.Namespace == node.Namespace && (r.As<AuthorizationPolicySpec>().Service ?? node.Service) == node.Service)
            .Select(r =>
            {
                var p = r.As<AuthorizationPolicySpec>();
                return new AuthorizationPolicyView($"{r.Namespace}/{r.Name}", p.Action, [.. p.Rules.Select(x => new AuthorizationRuleView(x.Identities, x.Namespaces, x.Paths, x.Methods))]);
            })
            .ToList();
        var authorization = new AuthorizationView(ns.DefaultDeny, policies);
        var mtls = new MtlsView(ns.Mtls, options.TrustDomain);
        var config = new ProxyConfig
        {
            Service = new ServiceIdentity { Name = node.Service, Namespace = node.Namespace, Version = node.Version, InstanceId = node.Id },
            Listeners = listeners,
            Routes = routes,
            Clusters = clusters,
            Telemetry = new TelemetryConfig { OtlpEndpoint = options.OtlpEndpoint, Token = options.OtlpToken },
            Authorization = ToConfig(authorization),
            Mtls = new MtlsConfig { Mode = ns.Mtls == "PERMISSIVE" ? MtlsMode.Permissive : MtlsMode.Strict, TrustDomain = options.TrustDomain },
        };

        // The views stay beside the config for watchers that read them; the config carries the same settings.
        return (config, authorization, mtls);
    }

    private static AuthorizationConfig ToConfig(AuthorizationView view) => new()
    {
        DefaultDeny = view.DefaultDeny,
        Policies = [.. view.Policies.Select(p => new AuthorizationPolicyConfig
        {
            Name = p.Name,
            Action = p.Action == "DENY" ? AuthorizationAction.Deny : AuthorizationAction.Allow,
            Rules = [.. p.Rules.Select(r => new AuthorizationRuleConfig { Identities = r.Identities, Namespaces = r.Namespaces, Paths = r.Paths, Methods = r.Methods })],
        })],
    };

    public static JsonElement ToJson(ProxyConfig config)
    {
        using var document = JsonDocument.Parse(ProxyConfigSerializer.ToJson(config));
        return document.RootElement.Clone();
    }

    private static void Outbound(ConfigSet set, List<EndpointView> endpoints, ProxyNode node, List<ClusterConfig> clusters, List<RouteConfig> routes, string trustDomain)
    {
        var routeBySvc = set.OfKind(ResourceKinds.Route).GroupBy(r => (r.Namespace, r.As<RouteSpec>().Service)).ToDictionary(g => g.Key, g => g.First());
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var svc in set.OfKind(ResourceKinds.Service))
        {
            var route = routeBySvc.GetValueOrDefault((svc.Namespace, svc.Name))?.As<RouteSpec>();
            var live = endpoints.Where(e => e.Namespace == svc.Namespace && e.Service == svc.Name && !e.Ejected && e.EffectiveWeight > 0).ToList();
            if (live.Count == 0)
            {
                // The proxy config requires endpoints in a cluster: a service with none is left out until one registers.
                continue;
            }

            var name = ClusterName(svc.Namespace, svc.Name);
            known.Add(name);
            clusters.Add(new ClusterConfig
            {
                Name = name,
                Service = svc.Name,
                Namespace = svc.Namespace,
                Endpoints = [.. live.Select(e => new EndpointConfig { Address = e.Address, Port = e.Port, Version = e.Version, Weight = Math.Min(e.EffectiveWeight, 1000) })],
                LoadBalancer = route?.LoadBalancer ?? LoadBalancerPolicy.PeakEwma,
                OutlierDetection = route?.OutlierDetection,
                HealthCheck = route?.HealthCheck,
                CircuitBreaker = route?.CircuitBreaker ?? new CircuitBreakerConfig(),
                Protocol = svc.As<ServiceSpec>().Ports is [var first, ..] && first.Protocol is "http2" or "grpc" ? HttpProtocol.Http2 : HttpProtocol.Auto,

                // Registered endpoints are sidecars: speak mesh mTLS to them and insist on the service's identity.
                // Static Endpoint resources may be plain workloads outside the mesh, so a cluster with any stays plaintext.
                Identity = live.All(e => e.Source == "registered") ? SpiffeId.For(trustDomain, svc.Namespace, svc.Name) : null,
            });
        }

        foreach (var svc in set.OfKind(ResourceKinds.Service))
        {
            var cluster = ClusterName(svc.Namespace, svc.Name);
            if (!known.Contains(cluster))
            {
                continue;
            }

            List<string> hosts = svc.Namespace == node.Namespace ? [svc.Name, $"{svc.Name}.{svc.Namespace}"] : [$"{svc.Name}.{svc.Namespace}"];
            var routeResource = set.OfKind(ResourceKinds.Route).FirstOrDefault(r => r.Namespace == svc.Namespace && r.As<RouteSpec>().Service == svc.Name);
            var catchAll = false;
            for (var i = 0; routeResource is not null && i < routeResource.As<RouteSpec>().Routes.Count; i++)
            {
                var rule = routeResource.As<RouteSpec>().Routes[i];
                var split = rule.Split.Where(a => a.Weight > 0).Select(a => new WeightedDestination
                {
                    Cluster = ClusterName(svc.Namespace, a.Service ?? svc.Name),
                    Subset = a.Version,
                    Weight = a.Weight,
                }).ToList();
                if (split.Any(a => !known.Contains(a.Cluster)))
                {
                    // An arm without live endpoints: leave the rule out rather than push a config the proxy refuses.
                    continue;
                }

                var match = (rule.Match ?? new RouteMatch()) with { Hosts = hosts };
                catchAll |= rule.Match is null || (rule.Match.Path is null && rule.Match.Methods.Count == 0 && rule.Match.Headers.Count == 0 && rule.Match.Query.Count == 0);
                var mirror = rule.Mirror is { } m && known.Contains(ClusterName(svc.Namespace, m.Service))
                    ? new MirrorConfig { Cluster = ClusterName(svc.Namespace, m.Service), Percent = m.Percent }
                    : null;
                var single = split.Count == 1 && split[0].Subset is null;
                routes.Add(new RouteConfig
                {
                    Name = $"{routeResource.Namespace}/{routeResource.Name}/{rule.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                    Listeners = ["outbound"],
                    Match = match,
                    Cluster = split.Count == 0 ? cluster : single ? split[0].Cluster : null,
                    Split = split.Count == 0 || single ? [] : split,
                    Timeout = rule.Timeout,
                    Retry = rule.Retry,
                    Fault = rule.Fault,
                    Mirror = mirror,
                    RateLimit = rule.RateLimit,
                });
            }

            if (!catchAll)
            {
                routes.Add(new RouteConfig { Name = $"{svc.Namespace}/{svc.Name}/default", Listeners = ["outbound"], Match = new RouteMatch { Hosts = hosts }, Cluster = cluster });
            }
        }
    }

    private static string ClusterName(string ns, string service) => $"{service}.{ns}";
}
