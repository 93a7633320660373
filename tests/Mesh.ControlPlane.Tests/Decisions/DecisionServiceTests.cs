using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Distribution;
using Xunit;

namespace Mesh.ControlPlane.Tests.Decisions;

public sealed class DecisionServiceTests
{
    private static async Task<TestPlane> WithEndpointsAsync(int count, DecisionLimits? limits = null)
    {
        var plane = await TestPlane.CreateAsync(limits);
        await plane.Config.ApplyAsync(Yaml.Shop, "alice", dryRun: false, default);
        for (var i = 0; i < count; i++)
        {
            await plane.Registry.RegisterAsync(
                new RegisterEndpointRequest { Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = 9000 + i, ProxyId = $"p{i}", TtlSeconds = 3600 },
                default);
        }

        return plane;
    }

    private static DecisionRequest Eject(int port, bool pinned = false, int? ttl = null) => new()
    {
        Namespace = "shop", Service = "cart", EndpointId = $"shop/cart/127.0.0.1:{port}", Action = "eject",
        Reason = "error rate 45% over 5m", Source = pinned ? "operator" : "analytics", Pinned = pinned, TtlSeconds = ttl,
    };

    [Fact]
    public async Task Eject_BeyondMaxFraction_Refused()
    {
        await using var plane = await WithEndpointsAsync(4);
        await plane.Decisions.SetAsync(Eject(9000), "analytics", default);
        await plane.Decisions.SetAsync(Eject(9001), "analytics", default);

        var ex = await Assert.ThrowsAsync<DecisionRefusedException>(() => plane.Decisions.SetAsync(Eject(9002), "analytics", default));

        Assert.Contains("would eject 3 of 4 endpoints of shop/cart", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, EffectiveEndpoints.Of(plane.State.Current).Count(e => e.Ejected));
    }

    [Fact]
    public async Task Eject_LastHealthy_RefusedByMinimum()
    {
        await using var plane = await WithEndpointsAsync(2, new DecisionLimits { MaxEjectedFraction = 1, MinHealthyEndpoints = 1 });
        await plane.Decisions.SetAsync(Eject(9000), "analytics", default);

        var ex = await Assert.ThrowsAsync<DecisionRefusedException>(() => plane.Decisions.SetAsync(Eject(9001), "analytics", default));

        Assert.Contains("at least 1 must stay", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinned_BlocksAutomatic_UntilCleared()
    {
        await using var plane = await WithEndpointsAsync(4);
        var pin = await plane.Decisions.SetAsync(
            new DecisionRequest { Namespace = "shop", Service = "cart", EndpointId = "shop/cart/127.0.0.1:9000", Action = "weight", Weight = 10, Reason = "canary", Source = "operator", Pinned = true },
            "alice",
            default);

        await Assert.ThrowsAsync<DecisionRefusedException>(() => plane.Decisions.SetAsync(Eject(9000), "analytics", default));
        Assert.Equal(10, EffectiveEndpoints.Of(plane.State.Current).Single(e => e.Port == 9000).EffectiveWeight);

        await plane.Decisions.ClearAsync(pin.Id, "alice", default);
        await plane.Decisions.SetAsync(Eject(9000), "analytics", default);

        var audit = await plane.Store.Audit.ListAsync(10, default);
        Assert.Equal(["decision.set", "decision.clear", "decision.set"], audit.Where(a => a.Action.StartsWith("decision", StringComparison.Ordinal)).Reverse().Select(a => a.Action));
        Assert.True(EffectiveEndpoints.Of(plane.State.Current).Single(e => e.Port == 9000).Ejected);
    }

    [Fact]
    public async Task Ttl_Expires_EndpointReturns()
    {
        await using var plane = await WithEndpointsAsync(2);
        await plane.Decisions.SetAsync(Eject(9000, ttl: 60), "analytics", default);
        Assert.True(EffectiveEndpoints.Of(plane.State.Current).Single(e => e.Port == 9000).Ejected);

        plane.Time.Advance(TimeSpan.FromSeconds(61));
        await plane.Decisions.RefreshAsync(default);

        Assert.DoesNotContain(EffectiveEndpoints.Of(plane.State.Current), e => e.Ejected);
        var listed = Assert.Single(await plane.Decisions.ListAsync(all: true, default));
        Assert.False(listed.Active);
    }

    [Fact]
    public async Task Set_UnknownEndpointOrBadAction_Refused()
    {
        await using var plane = await WithEndpointsAsync(1);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => plane.Decisions.SetAsync(Eject(1234), "analytics", default));
        var ex = await Assert.ThrowsAsync<Mesh.ControlPlane.Resources.ResourceValidationException>(() =>
            plane.Decisions.SetAsync(Eject(9000) with { Action = "drain", Reason = "" }, "analytics", default));
        Assert.Contains("decision action: 'drain' is not eject or weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("decision reason: is required", ex.Message, StringComparison.Ordinal);
    }
}
