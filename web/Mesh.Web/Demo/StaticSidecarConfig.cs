using Mesh.Demo.Topology;
using Mesh.Proxy.Config;
using HttpProtocol = Mesh.Proxy.Config.HttpProtocol;

namespace Mesh.Web.Demo;

/// <summary>
/// The static proxy config of one demo instance's sidecar: an inbound listener in front of the service (one
/// route per route template, so spans carry <c>http.route</c>), and — when the service calls others — an outbound
/// listener routing by Host to each callee's inbound sidecars, the canary split across its version subsets.
/// </summary>
internal static class StaticSidecarConfig
{
    public const string Namespace = "demo";

    public static ProxyConfig Build(DemoServiceInstance instance, DemoPorts ports, CanarySplit split, Uri otlp, string ingestToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(split);
        var listeners = new List<ListenerConfig>
        {
            new() { Name = "inbound", Port = ports.Inbound(instance), Mode = ListenerMode.Inbound },
        };
        var clusters = new List<ClusterConfig>
        {
            new()
            {
                Name = "local",
                Service = instance.Service,
                Namespace = Namespace,
                Protocol = HttpProtocol.Http1,
                Endpoints = [new EndpointConfig { Address = "127.0.0.1", Port = ports.App(instance), Version = instance.Version }],
            },
        };
        var routes = new List<RouteConfig>();
        foreach (var template in DemoRoutes.Of(instance.Service))
        {
            routes.Add(new RouteConfig
            {
                Name = "in " + template,
                Listeners = ["inbound"],
                Match = new RouteMatch { Path = new PathMatch { Regex = DemoRoutes.ToRegex(template) } },
                PathTemplate = template,
                Cluster = "local",
            });
        }

        routes.Add(new RouteConfig { Name = "in other", Listeners = ["inbound"], Cluster = "local" });

        if (instance.Calls.Count > 0)
        {
            listeners.Add(new ListenerConfig { Name = "outbound", Port = ports.Outbound(instance), Mode = ListenerMode.Outbound });
            foreach (var callee in instance.Calls)
            {
                var targets = DemoTopology.Instances.Where(i => i.Service == callee).ToList();
                clusters.Add(new ClusterConfig
                {
                    Name = callee,
                    Service = callee,
                    Namespace = Namespace,
                    Protocol = HttpProtocol.Http1,
                    LoadBalancer = LoadBalancerPolicy.RoundRobin,
                    Endpoints = [.. targets.Select(t => new EndpointConfig { Address = "127.0.0.1", Port = ports.Inbound(t), Version = t.Version })],
                });
                var route = new RouteConfig
                {
                    Name = "to " + callee,
                    Listeners = ["outbound"],
                    Match = new RouteMatch { Hosts = [callee] },
                    Timeout = TimeSpan.FromSeconds(10),
                };
                routes.Add(callee == DemoTopology.CanaryService
                    ? route with
                    {
                        Split = [.. split.Weights.Select(w => new WeightedDestination { Cluster = callee, Subset = w.Key, Weight = w.Value })],
                    }
                    : route with { Cluster = callee });
            }
        }

        return new ProxyConfig
        {
            Service = new ServiceIdentity { Name = instance.Service, Version = instance.Version, Namespace = Namespace, InstanceId = instance.InstanceName },
            Listeners = listeners,
            Routes = routes,
            Clusters = clusters,
            Telemetry = new TelemetryConfig { OtlpEndpoint = otlp, Token = ingestToken },
            Admin = new AdminConfig { Port = ports.SidecarAdmin(instance) },
        };
    }
}
