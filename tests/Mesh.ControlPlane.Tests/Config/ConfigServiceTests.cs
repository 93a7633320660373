using System.Text.Json;
using Mesh.ControlPlane.Resources;
using Xunit;

namespace Mesh.ControlPlane.Tests.Config;

public sealed class ConfigServiceTests
{
    [Fact]
    public async Task Apply_Valid_CreatesRevisionWithAuthorAndDiff()
    {
        await using var plane = await TestPlane.CreateAsync();

        var result = await plane.Config.ApplyAsync(Yaml.Shop, "alice", dryRun: false, default);

        Assert.Equal(1, result.Revision);
        Assert.Equal(3, result.Changes.Count(c => c.Action == "created"));
        var revision = Assert.Single(await plane.Store.Config.ListRevisionsAsync(10, default));
        Assert.Equal("alice", revision.Author);
        Assert.Equal(plane.Time.GetUtcNow(), revision.At);
        using var diff = JsonDocument.Parse(revision.Diff);
        Assert.Equal(3, diff.RootElement.GetArrayLength());
        Assert.Equal("created", diff.RootElement[0].GetProperty("action").GetString());
        Assert.Equal(3, (await plane.Store.Config.ListResourcesAsync(default)).Count);
        Assert.Contains(await plane.Store.Audit.ListAsync(10, default), a => a.Actor == "alice" && a.Action == "config.apply");
    }

    [Fact]
    public async Task Apply_Invalid_ChangesNothing()
    {
        await using var plane = await TestPlane.CreateAsync();
        await plane.Config.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10), "alice", dryRun: false, default);
        var before = await plane.Store.Config.ListResourcesAsync(default);

        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() =>
            plane.Config.ApplyAsync(Yaml.Route(80, 10) + "\n---\nkind: Service\nmetadata: {name: extra, namespace: shop}", "bob", dryRun: false, default));

        Assert.Contains("spec.routes[0].split: weights sum to 90, expected 100", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await plane.Store.Config.GetHeadAsync(default));
        Assert.Equal(before, await plane.Store.Config.ListResourcesAsync(default));
        Assert.Equal(1, plane.State.Current.Config.Revision);
        Assert.Null(plane.State.Current.Config.Find(ResourceKinds.Service, "shop", "extra"));
    }

    [Fact]
    public async Task Apply_SameAgainOrDryRun_NoNewRevision()
    {
        await using var plane = await TestPlane.CreateAsync();
        await plane.Config.ApplyAsync(Yaml.Shop, "alice", dryRun: false, default);

        var again = await plane.Config.ApplyAsync(Yaml.Shop, "alice", dryRun: false, default);
        var dry = await plane.Config.ApplyAsync(Yaml.Route(50, 50), "alice", dryRun: true, default);

        Assert.All(again.Changes, c => Assert.Equal("unchanged", c.Action));
        Assert.Equal(1, again.Revision);
        Assert.True(dry.DryRun);
        Assert.Equal("created", Assert.Single(dry.Changes).Action);
        Assert.Equal(1, await plane.Store.Config.GetHeadAsync(default));
    }

    [Fact]
    public async Task Rollback_RestoresEarlierSetAsNewRevision()
    {
        await using var plane = await TestPlane.CreateAsync();
        await plane.Config.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10), "alice", dryRun: false, default);
        await plane.Config.ApplyAsync(Yaml.Route(50, 50) + "\n---\n" + Yaml.Policy, "bob", dryRun: false, default);

        var result = await plane.Config.RollbackAsync(1, "carol", default);

        Assert.Equal(3, result.Revision);
        Assert.Contains(result.Changes, c => c is { Kind: "Route", Action: "updated" });
        Assert.Contains(result.Changes, c => c is { Kind: "AuthorizationPolicy", Action: "deleted" });
        var route = plane.State.Current.Config.Find(ResourceKinds.Route, "shop", "cart")!.As<RouteSpec>();
        Assert.Equal([90, 10], route.Routes[0].Split.Select(a => a.Weight));
        Assert.Equal("rollback to revision 1", (await plane.Store.Config.ListRevisionsAsync(1, default))[0].Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => plane.Config.RollbackAsync(42, "carol", default));
    }

    [Fact]
    public async Task Delete_ReferencedService_RefusedWithReference()
    {
        await using var plane = await TestPlane.CreateAsync();
        await plane.Config.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10), "alice", dryRun: false, default);

        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() => plane.Config.DeleteAsync(ResourceKinds.Service, "shop", "cart", "bob", default));
        var deleted = await plane.Config.DeleteAsync(ResourceKinds.Route, "shop", "cart", "bob", default);

        Assert.Contains("Route/shop/cart spec.service: service 'cart' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Equal("deleted", Assert.Single(deleted.Changes).Action);
        Assert.Equal(2, deleted.Revision);
    }

    [Fact]
    public async Task Load_AfterRestart_ReadsStoredSet()
    {
        await using var plane = await TestPlane.CreateAsync();
        await plane.Config.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10), "alice", dryRun: false, default);
        var state = new ControlPlaneState();

        await new Mesh.ControlPlane.Config.ConfigService(plane.Store, state, plane.Time).LoadAsync(default);

        Assert.Equal(1, state.Current.Config.Revision);
        Assert.Equal(plane.State.Current.Config.Resources.Keys, state.Current.Config.Resources.Keys);
    }
}
