using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;
using Xunit;

namespace Mesh.ControlPlane.Tests.Registry;

public sealed class EndpointRegistryTests
{
    private static RegisterEndpointRequest Cart(int port, int ttl = 30) =>
        new() { Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = port, Version = "v1", ProxyId = $"proxy-{port}", TtlSeconds = ttl };

    [Fact]
    public async Task Lease_LapsesWithoutRenewal_EndpointLeaves()
    {
        await using var plane = await TestPlane.CreateAsync();
        var a = await plane.Registry.RegisterAsync(Cart(9001), default);
        await plane.Registry.RegisterAsync(Cart(9002), default);
        Assert.Equal(2, plane.State.Current.Endpoints.Length);

        plane.Time.Advance(TimeSpan.FromSeconds(20));
        await plane.Registry.RenewAsync(a.Id, default);
        plane.Time.Advance(TimeSpan.FromSeconds(15));
        var expired = await plane.Registry.SweepAsync(default);

        Assert.Equal(1, expired);
        Assert.Equal([a.Id], plane.State.Current.Endpoints.Select(e => e.Id));

        plane.Time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => plane.Registry.RenewAsync(a.Id, default));
        await plane.Registry.SweepAsync(default);
        Assert.Empty(plane.State.Current.Endpoints);
    }

    [Fact]
    public async Task Register_Again_IsIdempotentAndResetsLease()
    {
        await using var plane = await TestPlane.CreateAsync();
        await plane.Registry.RegisterAsync(Cart(9001), default);
        plane.Time.Advance(TimeSpan.FromSeconds(25));

        var again = await plane.Registry.RegisterAsync(Cart(9001) with { Weight = 50 }, default);
        plane.Time.Advance(TimeSpan.FromSeconds(25));
        await plane.Registry.SweepAsync(default);

        var endpoint = Assert.Single(plane.State.Current.Endpoints);
        Assert.Equal(again.Id, endpoint.Id);
        Assert.Equal(50, endpoint.Weight);
    }

    [Fact]
    public async Task Register_Invalid_NamesField()
    {
        await using var plane = await TestPlane.CreateAsync();

        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() => plane.Registry.RegisterAsync(Cart(0) with { TtlSeconds = 0, Service = "Bad_Name" }, default));

        Assert.Contains("endpoint port: 0 is not a TCP port", ex.Message, StringComparison.Ordinal);
        Assert.Contains("endpoint ttlSeconds: 0 is outside 1-3600", ex.Message, StringComparison.Ordinal);
        Assert.Contains("endpoint service: 'Bad_Name' is not a DNS label", ex.Message, StringComparison.Ordinal);
    }
}
