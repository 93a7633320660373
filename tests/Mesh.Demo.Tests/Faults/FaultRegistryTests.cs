using Mesh.Demo.Faults;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Demo.Tests.Faults;

public sealed class FaultRegistryTests
{
    [Fact]
    public void Match_RuleWithUntil_StopsMatchingWhenVirtualTimePasses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var faults = new FaultRegistry(time);
        faults.Set(new FaultRule { Endpoint = "/products/{sku}", ErrorRate = 1, Until = time.GetUtcNow().AddSeconds(30) });

        Assert.NotNull(faults.Match("GET", "/products/sku-mug"));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(faults.Match("GET", "/products/sku-mug"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(faults.Match("GET", "/products/sku-mug"));
        Assert.Empty(faults.Active);
    }

    [Theory]
    [InlineData("/products/{sku}", null, "GET", "/products/sku-mug", true)]
    [InlineData("/products/{sku}", null, "GET", "/products", false)]
    [InlineData("/products", null, "GET", "/products/sku-mug", false)]
    [InlineData("/products/sku-mug", null, "GET", "/products/sku-mug", true)]
    [InlineData("/products/sku-mug", null, "GET", "/products/sku-lamp", false)]
    [InlineData("/carts/{userId}/checkout", "POST", "POST", "/carts/u1/checkout", true)]
    [InlineData("/carts/{userId}/checkout", "POST", "GET", "/carts/u1/checkout", false)]
    public void Match_EndpointAndMethod_MatchesOnlyTheTarget(string endpoint, string? method, string requestMethod, string path, bool expected)
    {
        var faults = new FaultRegistry(TimeProvider.System);
        faults.Set(new FaultRule { Endpoint = endpoint, Method = method, LatencyMs = 10 });

        Assert.Equal(expected, faults.Match(requestMethod, path) is not null);
    }

    [Fact]
    public void Set_SameEndpointTwice_ReplacesAndClearRemovesOne()
    {
        var faults = new FaultRegistry(TimeProvider.System);
        faults.Set(new FaultRule { Endpoint = "/a", ErrorRate = 0.1 });
        faults.Set(new FaultRule { Endpoint = "/a", ErrorRate = 0.9 });
        faults.Set(new FaultRule { Endpoint = "/b", LatencyMs = 5 });

        Assert.Equal(2, faults.Active.Count);
        Assert.Equal(0.9, faults.Match("GET", "/a")!.ErrorRate);
        Assert.Equal(1, faults.Clear("/a"));
        Assert.Null(faults.Match("GET", "/a"));
        Assert.NotNull(faults.Match("GET", "/b"));
        Assert.Equal(1, faults.Clear(null));
    }
}
