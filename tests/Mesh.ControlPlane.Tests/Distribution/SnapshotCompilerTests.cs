using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Distribution;
using Mesh.Proxy.Config;
using Mesh.Proxy.Config.Validation;
using Xunit;

namespace Mesh.ControlPlane.Tests.Distribution;

public sealed class SnapshotCompilerTests
{
    private static readonly ProxyNode Web = new() { Id = "web-1", Namespace = "shop", Service = "web", InboundPort = 15006, OutboundPort = 15001, AppPort = 8000 };

    private static async Task<TestPlane> ShopAsync()
    {
        var plane = await TestPlane.CreateAsync();
        await plane.Config.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10) + "\n---\n" + Yaml.Policy, "alice", dryRun: false, default);
        foreach (var (port, version) in new[] { (9001, "v1"), (9002, "v2"), (9003, "v1") })
        {
            await plane.Registry.RegisterAsync(
                new RegisterEndpointRequest { Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = port, Version = version, ProxyId = $"cart-{port}" },
                default);
        }

        return plane;
    }

    [Fact]
    public async Task Compile_Shop_ValidProxyConfigWithSplitAndListeners()
    {
        await using var plane = await ShopAsync();

        var (config, _, mtls) = SnapshotCompiler.Compile(plane.State.Current, Web, new DistributionOptions());

        Assert.Empty(ProxyConfigValidator.Validate(config));
        Assert.Equal(["inbound", "outbound"], config.Listeners.Select(l => l.Name));
        var cart = Assert.Single(config.Clusters, c => c.Name == "cart.shop");
        Assert.Equal(3, cart.Endpoints.Count);
        Assert.Equal(LoadBalancerPolicy.RoundRobin, cart.LoadBalancer);
        var api = Assert.Single(config.Routes, r => r.Name == "shop/cart/api");
        Assert.Equal([("v1", 90), ("v2", 10)], api.Split.Select(s => (s.Subset!, s.Weight)));
        Assert.Equal(["cart", "cart.shop"], api.Match.Hosts);
        Assert.Equal(TimeSpan.FromSeconds(2), api.Timeout);
        Assert.Contains(config.Routes, r => r.Name == "shop/cart/default");
        Assert.Equal("STRICT", mtls.Mode);
        Assert.Equal(MtlsMode.Strict, config.Mtls?.Mode);
        Assert.Equal("mesh.local", config.Mtls?.TrustDomain);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/cart", cart.Identity);
        Assert.Null(config.Clusters.Single(c => c.Name == "local").Identity);
        var roundTrip = ProxyConfigSerializer.FromJson(ProxyConfigSerializer.ToJson(config));
        Assert.Equal(config.Routes.Count, roundTrip.Routes.Count);
    }

    [Fact]
    public async Task Compile_PoliciesOfOwnServiceOnly()
    {
        await using var plane = await ShopAsync();
        var cartNode = Web with { Id = "cart-1", Service = "cart" };

        var (webConfig, forWeb, _) = SnapshotCompiler.Compile(plane.State.Current, Web, new DistributionOptions());
        var (cartConfig, forCart, _) = SnapshotCompiler.Compile(plane.State.Current, cartNode, new DistributionOptions());

        Assert.Empty(forWeb.Policies);
        Assert.True(forWeb.DefaultDeny);
        var policy = Assert.Single(forCart.Policies);
        Assert.Equal("shop/web-to-cart", policy.Name);
        Assert.Equal(["spiffe://mesh.local/ns/shop/sa/web"], policy.Rules[0].Identities);

        // The same policies travel inside the proxy config itself.
        Assert.True(webConfig.Authorization?.DefaultDeny);
        Assert.Empty(webConfig.Authorization!.Policies);
        var inConfig = Assert.Single(cartConfig.Authorization!.Policies);
        Assert.Equal(("shop/web-to-cart", AuthorizationAction.Allow), (inConfig.Name, inConfig.Action));
        Assert.Equal(["GET"], inConfig.Rules[0].Methods);
        Assert.Empty(ProxyConfigValidator.Validate(cartConfig));
    }

    [Fact]
    public async Task Compile_EjectedAndOverriddenEndpoints_Applied()
    {
        await using var plane = await ShopAsync();
        await plane.Decisions.SetAsync(
            new DecisionRequest { Namespace = "shop", Service = "cart", EndpointId = "shop/cart/127.0.0.1:9001", Action = "eject", Reason = "5xx", Source = "analytics" }, "analytics", default);
        await plane.Decisions.SetAsync(
            new DecisionRequest { Namespace = "shop", Service = "cart", EndpointId = "shop/cart/127.0.0.1:9003", Action = "weight", Weight = 25, Reason = "slow", Source = "analytics" }, "analytics", default);

        var (config, _, _) = SnapshotCompiler.Compile(plane.State.Current, Web, new DistributionOptions());

        var cart = config.Clusters.Single(c => c.Name == "cart.shop");
        Assert.Equal([(9002, 100), (9003, 25)], cart.Endpoints.Select(e => (e.Port, e.Weight)));
    }
}
